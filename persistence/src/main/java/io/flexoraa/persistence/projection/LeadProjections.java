package io.flexoraa.persistence.projection;

import io.flexoraa.engine.lead.LeadEntity;
import io.flexoraa.engine.lead.LeadModel.Event;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.ShardedDaemonProcessSettings;
import org.apache.pekko.cluster.sharding.typed.javadsl.ShardedDaemonProcess;
import org.apache.pekko.persistence.jdbc.query.javadsl.JdbcReadJournal;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.projection.ProjectionBehavior;
import org.apache.pekko.projection.ProjectionId;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.eventsourced.javadsl.EventSourcedProvider;
import org.apache.pekko.projection.javadsl.SourceProvider;
import org.apache.pekko.projection.jdbc.javadsl.JdbcProjection;

/**
 * Runs one lead read-model projection per tag slice, spread over the cluster by a sharded daemon process, so each
 * slice has exactly one running instance whatever the node count.
 */
public final class LeadProjections {
  public static final String NAME = "lead-read-model";

  private LeadProjections() {}

  public static void init(ActorSystem<?> system, DataSource dataSource, int tagSlices, int groupSize, Duration groupWithin) {
    List<String> tags = LeadEntity.allTags(tagSlices);
    ShardedDaemonProcess.get(system).init(
        ProjectionBehavior.Command.class,
        NAME,
        tags.size(),
        index -> ProjectionBehavior.create(projection(system, dataSource, tags.get(index), groupSize, groupWithin)),
        ShardedDaemonProcessSettings.create(system),
        Optional.of(ProjectionBehavior.stopMessage()));
  }

  static org.apache.pekko.projection.Projection<EventEnvelope<Event>> projection(
      ActorSystem<?> system, DataSource dataSource, String tag, int groupSize, Duration groupWithin) {
    SourceProvider<Offset, EventEnvelope<Event>> source =
        EventSourcedProvider.eventsByTag(system, JdbcReadJournal.Identifier(), tag);
    return JdbcProjection.groupedWithin(
            ProjectionId.of(NAME, tag),
            source,
            () -> new PooledJdbcSession(dataSource),
            () -> new LeadReadModelHandler(tag),
            system)
        .withGroup(groupSize, groupWithin);
  }
}
