package io.flexoraa.persistence.projection;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import javax.sql.DataSource;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.ShardedDaemonProcessSettings;
import org.apache.pekko.cluster.sharding.typed.javadsl.ShardedDaemonProcess;
import org.apache.pekko.persistence.jdbc.query.javadsl.JdbcReadJournal;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.projection.Projection;
import org.apache.pekko.projection.ProjectionBehavior;
import org.apache.pekko.projection.ProjectionId;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.eventsourced.javadsl.EventSourcedProvider;
import org.apache.pekko.projection.javadsl.SourceProvider;
import org.apache.pekko.projection.jdbc.javadsl.JdbcHandler;
import org.apache.pekko.projection.jdbc.javadsl.JdbcProjection;

/**
 * One exactly-once JDBC projection per event tag, spread over the cluster by a sharded daemon process so each tag
 * has exactly one running instance whatever the node count. Groups of events commit with their offset.
 */
final class TaggedProjections {
  private TaggedProjections() {}

  static <E> void init(ActorSystem<?> system, String name, List<String> tags, DataSource dataSource, int groupSize,
      Duration groupWithin, Function<String, JdbcHandler<List<EventEnvelope<E>>, PooledJdbcSession>> handlerForTag) {
    daemon(system, name, tags,
        tag -> projection(system, name, dataSource, tag, groupSize, groupWithin, handlerForTag));
  }

  /** Runs {@code projectionForTag} once per tag in the cluster. */
  static void daemon(ActorSystem<?> system, String name, List<String> tags,
      Function<String, Projection<?>> projectionForTag) {
    ShardedDaemonProcess.get(system).init(
        ProjectionBehavior.Command.class,
        name,
        tags.size(),
        index -> ProjectionBehavior.create(projectionForTag.apply(tags.get(index))),
        ShardedDaemonProcessSettings.create(system),
        Optional.of(ProjectionBehavior.stopMessage()));
  }

  static <E> Projection<EventEnvelope<E>> projection(ActorSystem<?> system, String name, DataSource dataSource, String tag,
      int groupSize, Duration groupWithin,
      Function<String, JdbcHandler<List<EventEnvelope<E>>, PooledJdbcSession>> handlerForTag) {
    SourceProvider<Offset, EventEnvelope<E>> source =
        EventSourcedProvider.eventsByTag(system, JdbcReadJournal.Identifier(), tag);
    return JdbcProjection.groupedWithin(
            ProjectionId.of(name, tag),
            source,
            () -> new PooledJdbcSession(dataSource),
            () -> handlerForTag.apply(tag),
            system)
        .withGroup(groupSize, groupWithin);
  }
}
