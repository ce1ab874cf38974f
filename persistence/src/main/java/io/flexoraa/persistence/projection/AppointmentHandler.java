package io.flexoraa.persistence.projection;

import io.flexoraa.engine.appointments.SdrCalendar;
import io.flexoraa.engine.appointments.SdrCalendar.AppointmentBooked;
import io.flexoraa.engine.appointments.SdrCalendar.AppointmentCancelled;
import io.flexoraa.engine.appointments.SdrCalendar.AppointmentRescheduled;
import io.flexoraa.engine.appointments.SdrCalendar.Delivery;
import io.flexoraa.engine.appointments.SdrCalendar.DeliveryDone;
import io.flexoraa.engine.appointments.SdrCalendar.DeliveryKind;
import io.flexoraa.persistence.live.LiveSignals;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.jdbc.javadsl.JdbcHandler;

/**
 * Builds {@code appointments}, {@code appointment_deadlines} (what the keeper reads) and {@code appointment_tasks}
 * from the calendar entities' events, a group per transaction with its offset. Appointment rows only take events
 * newer than they are ({@code last_seq_nr}), and the other writes are idempotent on their keys, so a replay changes
 * nothing.
 */
public final class AppointmentHandler extends JdbcHandler<List<EventEnvelope<SdrCalendar.Event>>, PooledJdbcSession> {
  private static final String BOOKED =
      "INSERT INTO appointments (tenant_id, appointment_id, user_id, lead_id, starts_at, ends_at, status, sequence,"
          + " actor, created_at, updated_at, last_seq_nr) VALUES (?, ?, ?, ?, ?, ?, 'booked', 0, ?, ?, ?, ?)"
          + " ON CONFLICT (tenant_id, appointment_id) DO NOTHING";
  private static final String NEWER = " WHERE tenant_id = ? AND appointment_id = ? AND last_seq_nr < ?";
  private static final String RESCHEDULED = "UPDATE appointments SET starts_at = ?, ends_at = ?, sequence = ?,"
      + " actor = ?, updated_at = ?, last_seq_nr = ?" + NEWER;
  private static final String CANCELLED = "UPDATE appointments SET status = 'cancelled', sequence = ?, reason = ?,"
      + " actor = ?, updated_at = ?, last_seq_nr = ?" + NEWER;
  private static final String CLEAR_DEADLINES =
      "DELETE FROM appointment_deadlines WHERE tenant_id = ? AND appointment_id = ?";
  private static final String DEADLINE = "INSERT INTO appointment_deadlines (tenant_id, appointment_id,"
      + " delivery_key, user_id, kind, due_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";
  private static final String DONE =
      "DELETE FROM appointment_deadlines WHERE tenant_id = ? AND appointment_id = ? AND delivery_key = ?";
  private static final String TASK = "INSERT INTO appointment_tasks (tenant_id, appointment_id, delivery_key,"
      + " user_id, lead_id, kind, due_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";

  public AppointmentHandler(String tag) {}

  @Override
  public void process(PooledJdbcSession session, List<EventEnvelope<SdrCalendar.Event>> envelopes) throws Exception {
    session.withConnection(connection -> {
      LiveSignals live = new LiveSignals();
      for (EventEnvelope<SdrCalendar.Event> envelope : envelopes) {
        SdrCalendar.Event event = envelope.event();
        project(connection, event, envelope.sequenceNr());
        live.appointmentChanged(event.tenantId(), event.leadId(), event.appointmentId());
      }
      live.send(connection);
      return null;
    });
  }

  private static void project(Connection connection, SdrCalendar.Event event, long seqNr) throws SQLException {
    if (event instanceof AppointmentBooked b) {
      update(connection, BOOKED, b.tenantId(), b.appointmentId(), b.userId(), b.leadId(), ts(b.startsAt()),
          ts(b.endsAt()), b.actor(), ts(b.at()), ts(b.at()), seqNr);
      plan(connection, event, b.plan());
    } else if (event instanceof AppointmentRescheduled r) {
      update(connection, RESCHEDULED, ts(r.startsAt()), ts(r.endsAt()), r.sequence(), r.actor(), ts(r.at()), seqNr,
          r.tenantId(), r.appointmentId(), seqNr);
      plan(connection, event, r.plan());
    } else if (event instanceof AppointmentCancelled c) {
      update(connection, CANCELLED, c.sequence(), c.reason(), c.actor(), ts(c.at()), seqNr, c.tenantId(),
          c.appointmentId(), seqNr);
      plan(connection, event, c.plan());
    } else if (event instanceof DeliveryDone d) {
      update(connection, DONE, d.tenantId(), d.appointmentId(), d.key());
      if (d.kind() == DeliveryKind.FOLLOW_UP) {
        update(connection, TASK, d.tenantId(), d.appointmentId(), d.key(), d.userId(), d.leadId(), "follow-up",
            ts(d.dueAt()), ts(d.at()));
      }
    }
  }

  /** The appointment's pending deliveries are exactly its latest plan (a replay re-plans the same). */
  private static void plan(Connection connection, SdrCalendar.Event event, List<Delivery> plan) throws SQLException {
    update(connection, CLEAR_DEADLINES, event.tenantId(), event.appointmentId());
    for (Delivery delivery : plan) {
      update(connection, DEADLINE, event.tenantId(), event.appointmentId(), delivery.key(), event.userId(),
          delivery.kind().name(), ts(delivery.dueAt()));
    }
  }

  private static void update(Connection connection, String sql, Object... parameters) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) statement.setObject(i + 1, parameters[i]);
      statement.executeUpdate();
    }
  }

  private static Timestamp ts(java.time.Instant at) {
    return Timestamp.from(at);
  }
}
