package io.flexoraa.persistence.projection;

import io.flexoraa.engine.lead.LeadEntity;
import io.flexoraa.engine.tenant.TenantEntity;
import io.flexoraa.persistence.audit.AuditFeed;
import io.flexoraa.persistence.audit.AuditLog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.jdbc.javadsl.JdbcHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds the audit trail from the entities' own events (lead and tenant tags), one projection per tag, each group
 * appended in the same transaction as its offset: exactly once, and nothing the entities persisted can be missing
 * from the trail. Entries made by people (sign-ins, role changes, erasure decisions) are appended where they happen,
 * in the transaction of the change.
 */
public final class AuditProjections {
  public static final String NAME = "audit-feed";
  private static final Logger log = LoggerFactory.getLogger(AuditProjections.class);

  private AuditProjections() {}

  public static void init(ActorSystem<?> system, DataSource dataSource, int leadTagSlices, int groupSize, Duration groupWithin) {
    List<String> tags = new ArrayList<>(LeadEntity.allTags(leadTagSlices));
    tags.add(TenantEntity.TAG);
    TaggedProjections.<Object>init(system, NAME, tags, dataSource, groupSize, groupWithin, Handler::new);
  }

  static final class Handler extends JdbcHandler<List<EventEnvelope<Object>>, PooledJdbcSession> {
    private final String tag;

    Handler(String tag) {
      this.tag = tag;
    }

    @Override
    public void start() {
      log.info("Audit feed for {} started", tag);
    }

    @Override
    public void process(PooledJdbcSession session, List<EventEnvelope<Object>> envelopes) throws Exception {
      session.withConnection(connection -> {
        List<AuditFeed.Timed> entries = new java.util.ArrayList<>();
        for (EventEnvelope<Object> envelope : envelopes) {
          AuditFeed.entryFor(envelope.event()).ifPresent(entries::add);
        }
        appendInTenantOrder(connection, entries);
        return null;
      });
    }
  }

  /**
   * Appends a group's entries tenant by tenant (a stable sort: each tenant's entries keep their journal order). An
   * append takes its tenant's advisory lock until the transaction ends; projections of different tags appending for
   * the same tenants in different orders would otherwise deadlock each other.
   */
  static void appendInTenantOrder(java.sql.Connection connection, List<AuditFeed.Timed> entries)
      throws java.sql.SQLException {
    List<AuditFeed.Timed> ordered = new java.util.ArrayList<>(entries);
    ordered.sort(java.util.Comparator.comparing(timed -> timed.entry().tenantId()));
    for (AuditFeed.Timed timed : ordered) AuditLog.append(connection, timed.entry(), timed.at());
  }
}
