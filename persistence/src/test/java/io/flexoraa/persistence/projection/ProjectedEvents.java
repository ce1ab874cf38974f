package io.flexoraa.persistence.projection;

import io.flexoraa.engine.lead.LeadEntity;
import io.flexoraa.engine.lead.LeadModel.Event;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.jdbc.javadsl.JdbcHandler;

/**
 * Runs lead events through a real handler ({@link LeadReadModelHandler} unless another is given) against a real
 * database, one group per call, in one transaction committed the way the JDBC projection commits it — without the
 * journal and the polling in between.
 */
public final class ProjectedEvents {
  private static final AtomicLong OFFSETS = new AtomicLong();

  private final DataSource dataSource;
  private final JdbcHandler<List<EventEnvelope<Event>>, PooledJdbcSession> handler;

  public ProjectedEvents(DataSource dataSource) {
    this(dataSource, new LeadReadModelHandler("lead-test"));
  }

  public ProjectedEvents(DataSource dataSource, JdbcHandler<List<EventEnvelope<Event>>, PooledJdbcSession> handler) {
    this.dataSource = dataSource;
    this.handler = handler;
  }

  public void project(Event... events) throws Exception {
    List<EventEnvelope<Event>> envelopes = new ArrayList<>();
    for (Event event : events) {
      long offset = OFFSETS.incrementAndGet();
      String persistenceId = "Lead|" + LeadEntity.entityId(event.tenantId(), event.leadId());
      envelopes.add(EventEnvelope.create(Offset.sequence(offset), persistenceId, offset, event, 0L));
    }
    PooledJdbcSession session = new PooledJdbcSession(dataSource);
    try {
      handler.process(session, envelopes);
      session.commit();
    } catch (Exception e) {
      session.rollback();
      throw e;
    } finally {
      session.close();
    }
  }
}
