package io.flexoraa.persistence.projection;

import io.flexoraa.engine.ai.agent.LeadAgent;
import io.flexoraa.engine.ai.agent.LeadAgentEntity;
import io.flexoraa.engine.lead.LeadEntity;
import io.flexoraa.engine.lead.LeadModel;
import io.flexoraa.engine.recovery.ColdRecovery;
import io.flexoraa.engine.recovery.ColdRecoveryEntity;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import javax.sql.DataSource;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.persistence.jdbc.query.javadsl.JdbcReadJournal;
import org.apache.pekko.projection.ProjectionId;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.eventsourced.javadsl.EventSourcedProvider;
import org.apache.pekko.projection.javadsl.Handler;
import org.apache.pekko.projection.jdbc.javadsl.JdbcProjection;

/**
 * The cold recovery's projections (docs/decisions/0031-cold-recovery.md). The feeds read the agents' scores and the
 * leads' messages, merges and anonymizations, and hand each to the lead's recovery as a {@link ColdRecovery.Signal};
 * an offset is stored only after the recovery acknowledged it (at least once; the recovery is idempotent). The read
 * model projection builds {@code cold_recoveries} and {@code recovery_deadlines} from the recovery events.
 */
public final class RecoveryProjections {
  public static final String READ_MODEL = "cold-recovery";
  public static final String SCORE_FEED = "cold-recovery-scores";
  public static final String LEAD_FEED = "cold-recovery-leads";

  private RecoveryProjections() {}

  /**
   * @param deliver hands a signal to its lead's recovery and completes once the recovery took it
   */
  public static void init(ActorSystem<?> system, DataSource dataSource, int recoverySlices, int agentSlices,
      int leadSlices, int groupSize, Duration groupWithin,
      Function<ColdRecovery.Signal, CompletionStage<Done>> deliver) {
    TaggedProjections.<ColdRecovery.Event>init(system, READ_MODEL, ColdRecoveryEntity.allTags(recoverySlices),
        dataSource, groupSize, groupWithin, RecoveryHandler::new);
    TaggedProjections.daemon(system, SCORE_FEED, LeadAgentEntity.allTags(agentSlices),
        tag -> feed(system, SCORE_FEED, tag, dataSource, deliver, RecoveryProjections::fromAgent));
    TaggedProjections.daemon(system, LEAD_FEED, LeadEntity.allTags(leadSlices),
        tag -> feed(system, LEAD_FEED, tag, dataSource, deliver, RecoveryProjections::fromLead));
  }

  private static <E> org.apache.pekko.projection.Projection<EventEnvelope<E>> feed(ActorSystem<?> system, String name,
      String tag, DataSource dataSource, Function<ColdRecovery.Signal, CompletionStage<Done>> deliver,
      Function<E, Optional<ColdRecovery.Signal>> signal) {
    Handler<EventEnvelope<E>> handler = new Handler<>() {
      @Override
      public CompletionStage<Done> process(EventEnvelope<E> envelope) {
        return signal.apply(envelope.event()).map(deliver)
            .orElseGet(() -> CompletableFuture.completedFuture(Done.getInstance()));
      }
    };
    return JdbcProjection.atLeastOnceAsync(ProjectionId.of(name, tag),
        EventSourcedProvider.<E>eventsByTag(system, JdbcReadJournal.Identifier(), tag),
        () -> new PooledJdbcSession(dataSource), () -> handler, system);
  }

  /** A score; the other agent events say nothing to a recovery. */
  static Optional<ColdRecovery.Signal> fromAgent(LeadAgent.Event event) {
    if (event instanceof LeadAgent.LeadScored scored) {
      return Optional.of(new ColdRecovery.Scored(scored.tenantId(), scored.leadId(), scored.messageId(),
          scored.score().band(), scored.at()));
    }
    return Optional.empty();
  }

  /** The lead's message (a reply), its merge into another lead or its anonymization. */
  static Optional<ColdRecovery.Signal> fromLead(LeadModel.Event event) {
    if (event instanceof LeadModel.MessageReceived received) {
      return Optional.of(new ColdRecovery.Wrote(received.tenantId(), received.leadId(),
          received.message().platformMessageId(), received.receivedAt()));
    }
    if (event instanceof LeadModel.LeadMergedInto merged) {
      return Optional.of(new ColdRecovery.Gone(merged.tenantId(), merged.leadId(), "merged", merged.at()));
    }
    if (event instanceof LeadModel.LeadAnonymized anonymized) {
      return Optional.of(new ColdRecovery.Gone(anonymized.tenantId(), anonymized.leadId(), "anonymized", anonymized.at()));
    }
    return Optional.empty();
  }
}
