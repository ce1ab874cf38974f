package io.flexoraa.persistence.projection;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.flexoraa.engine.routing.RoutingDesk;
import io.flexoraa.engine.routing.RoutingDesk.AssignmentClosed;
import io.flexoraa.engine.routing.RoutingDesk.BandChanged;
import io.flexoraa.engine.routing.RoutingDesk.LeadAssigned;
import io.flexoraa.engine.routing.RoutingDesk.LeadMessageNoted;
import io.flexoraa.engine.routing.RoutingDesk.LeadQueued;
import io.flexoraa.engine.routing.RoutingDesk.LeadReleased;
import io.flexoraa.engine.routing.RoutingDesk.LeadResponded;
import io.flexoraa.engine.routing.RoutingDesk.LeadSeen;
import io.flexoraa.engine.routing.RoutingDesk.LeakageDetected;
import io.flexoraa.engine.routing.RoutingDesk.PresenceChanged;
import io.flexoraa.engine.routing.RoutingDesk.SdrAdded;
import io.flexoraa.engine.routing.RoutingDesk.SdrRemoved;
import io.flexoraa.engine.routing.RoutingDesk.SdrUpdated;
import io.flexoraa.engine.routing.RoutingDesk.SlaBreached;
import io.flexoraa.engine.routing.Sdr;
import io.flexoraa.persistence.live.LiveSignals;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.jdbc.javadsl.JdbcHandler;

/**
 * Builds routing's read side from the desks' events (V23): the roster, assignments (and {@code leads.assigned_user_id},
 * which scopes what an SDR sees), the queue, one SLA record per assignment, leaks, and the running clocks the keeper
 * reads. A group is one transaction with its offset; every write is an upsert or a keyed update, so a replay is
 * harmless.
 */
public final class RoutingReadModelHandler
    extends JdbcHandler<List<EventEnvelope<RoutingDesk.Event>>, PooledJdbcSession> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  public void process(PooledJdbcSession session, List<EventEnvelope<RoutingDesk.Event>> envelopes) throws Exception {
    session.withConnection(connection -> {
      LiveSignals live = new LiveSignals();
      for (EventEnvelope<RoutingDesk.Event> envelope : envelopes) {
        project(connection, envelope.event());
        signal(live, envelope.event());
      }
      live.send(connection);
      return null;
    });
  }

  /** Every routing change is {@code routing.changed}; a change of assignee also moves the lead's row. */
  private static void signal(LiveSignals live, RoutingDesk.Event event) {
    String lead = leadOf(event);
    live.routingChanged(event.tenantId(), lead);
    if (event instanceof LeadAssigned || event instanceof LeadQueued || event instanceof LeadReleased) {
      live.leadUpdated(event.tenantId(), lead);
    }
  }

  private static String leadOf(RoutingDesk.Event event) {
    if (event instanceof LeadAssigned e) return e.leadId();
    if (event instanceof LeadQueued e) return e.leadId();
    if (event instanceof LeadReleased e) return e.leadId();
    if (event instanceof BandChanged e) return e.leadId();
    if (event instanceof AssignmentClosed e) return e.leadId();
    if (event instanceof LeadMessageNoted e) return e.leadId();
    if (event instanceof LeadResponded e) return e.leadId();
    if (event instanceof LeadSeen e) return e.leadId();
    if (event instanceof SlaBreached e) return e.leadId();
    if (event instanceof LeakageDetected e) return e.leadId();
    return null; // the roster: an SDR added, changed, removed, or their presence
  }

  private void project(Connection c, RoutingDesk.Event event) throws Exception {
    String t = event.tenantId();
    if (event instanceof SdrAdded added) {
      saveSdr(c, added.sdr(), added.at());
    } else if (event instanceof SdrUpdated updated) {
      saveSdr(c, updated.sdr(), updated.at());
    } else if (event instanceof SdrRemoved removed) {
      run(c, "DELETE FROM sdrs WHERE tenant_id = ? AND user_id = ?", t, removed.userId());
    } else if (event instanceof PresenceChanged changed) {
      run(c, "UPDATE sdrs SET presence = ?, updated_at = ? WHERE tenant_id = ? AND user_id = ?",
          changed.presence().wire(), ts(changed.at()), t, changed.userId());
    } else if (event instanceof LeadAssigned a) {
      endAssignment(c, t, a.leadId(), a.at(), "reassigned");
      run(c, "INSERT INTO lead_assignments (tenant_id, assignment_id, lead_id, user_id, previous_user_id, band, reason,"
              + " actor, assigned_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
          t, a.assignmentId(), a.leadId(), a.userId(), a.previousUserId(), a.band(), a.reason(), a.actor(),
          ts(a.at()));
      run(c, "INSERT INTO sla_records (tenant_id, assignment_id, lead_id, user_id, band, assigned_at, due_at,"
              + " breached_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
          t, a.assignmentId(), a.leadId(), a.userId(), a.band(), ts(a.at()), ts(a.firstResponseDue()),
          ts(a.breachedAt()));
      run(c, "DELETE FROM routing_queue WHERE tenant_id = ? AND lead_id = ?", t, a.leadId());
      run(c, "UPDATE leads SET assigned_user_id = ? WHERE tenant_id = ? AND lead_id = ?", a.userId(), t, a.leadId());
      clearDeadlines(c, t, a.leadId());
      if (a.breachedAt() == null) deadline(c, t, a.leadId(), "sla", a.firstResponseDue());
      deadline(c, t, a.leadId(), "unseen", a.seenDue());
    } else if (event instanceof LeadQueued q) {
      endAssignment(c, t, q.leadId(), q.at(), q.reason());
      run(c, "INSERT INTO routing_queue (tenant_id, lead_id, band, juniors_only, reason, queued_at, sla_due)"
              + " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (tenant_id, lead_id) DO UPDATE SET band = EXCLUDED.band,"
              + " reason = EXCLUDED.reason, queued_at = EXCLUDED.queued_at, sla_due = EXCLUDED.sla_due",
          t, q.leadId(), q.band(), q.juniorsOnly(), q.reason(), ts(q.at()), ts(q.slaDue()));
      run(c, "UPDATE leads SET assigned_user_id = NULL WHERE tenant_id = ? AND lead_id = ?", t, q.leadId());
      clearDeadlines(c, t, q.leadId());
      deadline(c, t, q.leadId(), "queue-sla", q.slaDue());
    } else if (event instanceof LeadReleased r) {
      endAssignment(c, t, r.leadId(), r.at(), r.reason());
      run(c, "DELETE FROM routing_queue WHERE tenant_id = ? AND lead_id = ?", t, r.leadId());
      clearDeadlines(c, t, r.leadId());
    } else if (event instanceof BandChanged b) {
      run(c, "UPDATE routing_queue SET band = ? WHERE tenant_id = ? AND lead_id = ?", b.band(), t, b.leadId());
      if (b.firstResponseDue() != null) {
        run(c, "UPDATE sla_records SET due_at = ? WHERE tenant_id = ? AND lead_id = ? AND responded_at IS NULL"
            + " AND breached_at IS NULL AND assignment_id IN (SELECT assignment_id FROM lead_assignments"
            + " WHERE tenant_id = ? AND lead_id = ? AND ended_at IS NULL)", ts(b.firstResponseDue()), t, b.leadId(), t,
            b.leadId());
        deadline(c, t, b.leadId(), "sla", b.firstResponseDue());
      }
    } else if (event instanceof AssignmentClosed closed) {
      // the SDR who worked the lead stays its assignee (leads.assigned_user_id): they keep seeing what they closed
      endAssignment(c, t, closed.leadId(), closed.at(), closed.outcome());
      clearDeadlines(c, t, closed.leadId());
    } else if (event instanceof LeadMessageNoted n) {
      deadline(c, t, n.leadId(), "unanswered", n.dueAt());
    } else if (event instanceof LeadResponded r) {
      if (r.first()) {
        run(c, "UPDATE sla_records SET responded_at = ?, first_response_ms = ? WHERE tenant_id = ?"
            + " AND assignment_id = ?", ts(r.at()), r.firstResponseMillis(), t, r.assignmentId());
      }
      run(c, "DELETE FROM routing_deadlines WHERE tenant_id = ? AND lead_id = ?"
          + " AND kind IN ('sla', 'unanswered', 'unseen')", t, r.leadId());
    } else if (event instanceof LeadSeen s) {
      run(c, "DELETE FROM routing_deadlines WHERE tenant_id = ? AND lead_id = ? AND kind = 'unseen'", t, s.leadId());
    } else if (event instanceof SlaBreached b) {
      if (b.assignmentId() == null) {
        run(c, "UPDATE routing_queue SET breached_at = ? WHERE tenant_id = ? AND lead_id = ?", ts(b.at()), t,
            b.leadId());
      } else {
        run(c, "UPDATE sla_records SET breached_at = ? WHERE tenant_id = ? AND assignment_id = ?", ts(b.at()), t,
            b.assignmentId());
      }
      run(c, "DELETE FROM routing_deadlines WHERE tenant_id = ? AND lead_id = ? AND kind IN ('sla', 'queue-sla')",
          t, b.leadId());
    } else if (event instanceof LeakageDetected l) {
      run(c, "INSERT INTO routing_leakage (tenant_id, lead_id, at, assignment_id, user_id, band, kind, action, since)"
              + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
          t, l.leadId(), ts(l.at()), l.assignmentId(), l.userId(), l.band(), l.kind(), l.action(), ts(l.since()));
      run(c, "DELETE FROM routing_deadlines WHERE tenant_id = ? AND lead_id = ? AND kind = ?", t, l.leadId(),
          l.kind());
    }
  }

  private static void saveSdr(Connection c, Sdr sdr, Instant at) throws Exception {
    Map<String, Object> hours = new LinkedHashMap<>();
    hours.put("days", sdr.workingHours().days().stream().sorted().map(Enum::name).toList());
    hours.put("start", sdr.workingHours().start().toString());
    hours.put("end", sdr.workingHours().end().toString());
    hours.put("timeZone", sdr.workingHours().zone().getId());
    try (PreparedStatement statement = c.prepareStatement(
        "INSERT INTO sdrs (tenant_id, user_id, display_name, email, seniority, capacity, working_hours, presence,"
            + " skills, languages, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?)"
            + " ON CONFLICT (tenant_id, user_id) DO UPDATE SET display_name = EXCLUDED.display_name,"
            + " email = EXCLUDED.email, seniority = EXCLUDED.seniority, capacity = EXCLUDED.capacity,"
            + " working_hours = EXCLUDED.working_hours, presence = EXCLUDED.presence, skills = EXCLUDED.skills,"
            + " languages = EXCLUDED.languages, updated_at = EXCLUDED.updated_at")) {
      statement.setString(1, sdr.tenantId());
      statement.setString(2, sdr.userId());
      statement.setString(3, sdr.displayName());
      statement.setString(4, sdr.email());
      statement.setString(5, sdr.seniority().wire());
      statement.setInt(6, sdr.capacity());
      statement.setString(7, JSON.writeValueAsString(hours));
      statement.setString(8, sdr.presence().wire());
      statement.setArray(9, c.createArrayOf("text", sdr.skills().toArray()));
      statement.setArray(10, c.createArrayOf("text", sdr.languages().toArray()));
      statement.setTimestamp(11, ts(at));
      statement.executeUpdate();
    }
  }

  private static void endAssignment(Connection c, String t, String leadId, Instant at, String reason)
      throws SQLException {
    run(c, "UPDATE lead_assignments SET ended_at = ?, end_reason = ? WHERE tenant_id = ? AND lead_id = ?"
        + " AND ended_at IS NULL", ts(at), reason, t, leadId);
  }

  private static void clearDeadlines(Connection c, String t, String leadId) throws SQLException {
    run(c, "DELETE FROM routing_deadlines WHERE tenant_id = ? AND lead_id = ?", t, leadId);
  }

  private static void deadline(Connection c, String t, String leadId, String kind, Instant due) throws SQLException {
    if (due == null) return;
    run(c, "INSERT INTO routing_deadlines (tenant_id, lead_id, kind, due_at) VALUES (?, ?, ?, ?)"
        + " ON CONFLICT (tenant_id, lead_id, kind) DO UPDATE SET due_at = EXCLUDED.due_at", t, leadId, kind, ts(due));
  }

  private static Timestamp ts(Instant at) {
    return at == null ? null : Timestamp.from(at);
  }

  private static void run(Connection c, String sql, Object... values) throws SQLException {
    try (PreparedStatement statement = c.prepareStatement(sql)) {
      for (int i = 0; i < values.length; i++) statement.setObject(i + 1, values[i]);
      statement.executeUpdate();
    }
  }
}
