package io.flexoraa.persistence.projection;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.flexoraa.engine.recovery.ColdRecovery;
import io.flexoraa.engine.recovery.ColdRecovery.LapseRouted;
import io.flexoraa.engine.recovery.ColdRecovery.RecoveryLapsed;
import io.flexoraa.engine.recovery.ColdRecovery.RecoveryReplied;
import io.flexoraa.engine.recovery.ColdRecovery.RecoveryStarted;
import io.flexoraa.engine.recovery.ColdRecovery.RecoveryStopped;
import io.flexoraa.engine.recovery.ColdRecovery.StepSent;
import io.flexoraa.engine.recovery.ColdRecovery.StepSkipped;
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
 * Builds {@code cold_recoveries} and {@code recovery_deadlines} (V24) from the recovery events. Updates apply only
 * events newer than the row ({@code last_seq_nr}), so a replay changes nothing; the deadline row follows the
 * sequence's next deadline and is removed when it has none.
 */
public final class RecoveryHandler extends JdbcHandler<List<EventEnvelope<ColdRecovery.Event>>, PooledJdbcSession> {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String NEWER = " WHERE tenant_id = ? AND lead_id = ? AND sequence = ? AND last_seq_nr < ?";

  public RecoveryHandler(String tag) {}

  @Override
  public void process(PooledJdbcSession session, List<EventEnvelope<ColdRecovery.Event>> envelopes) throws Exception {
    session.withConnection(connection -> {
      for (EventEnvelope<ColdRecovery.Event> envelope : envelopes) project(connection, envelope.event(), envelope.sequenceNr());
      return null;
    });
  }

  private void project(Connection connection, ColdRecovery.Event event, long seqNr) throws Exception {
    if (event instanceof RecoveryStarted started) {
      try (PreparedStatement statement = connection.prepareStatement(
          "INSERT INTO cold_recoveries (tenant_id, lead_id, sequence, status, started_at, last_seq_nr)"
              + " VALUES (?, ?, ?, 'active', ?, ?) ON CONFLICT DO NOTHING")) {
        statement.setString(1, started.tenantId());
        statement.setString(2, started.leadId());
        statement.setInt(3, started.sequence());
        statement.setTimestamp(4, Timestamp.from(started.at()));
        statement.setLong(5, seqNr);
        statement.executeUpdate();
      }
      deadline(connection, event, started.steps().get(0).dueAt());
    } else if (event instanceof StepSent sent) {
      Map<String, Object> step = step(sent.step(), sent.name(), sent.at());
      step.put("messageId", sent.messageId());
      step.put("language", sent.language());
      step.put("decision", sent.decision());
      step.put("rule", sent.rule());
      step.put("template", sent.template());
      step.put("outcome", sent.outcome());
      update(connection, event, seqNr, "steps = steps || ?::jsonb, steps_sent = steps_sent + 1",
          JSON.writeValueAsString(List.of(step)));
      deadline(connection, event, sent.nextDueAt());
    } else if (event instanceof StepSkipped skipped) {
      Map<String, Object> step = step(skipped.step(), skipped.name(), skipped.at());
      step.put("skipped", skipped.reason());
      update(connection, event, seqNr, "steps = steps || ?::jsonb, steps_skipped = steps_skipped + 1",
          JSON.writeValueAsString(List.of(step)));
      deadline(connection, event, skipped.nextDueAt());
    } else if (event instanceof RecoveryReplied replied) {
      update(connection, event, seqNr, "status = 'replied', replied_at = ?, replied_after_step = ?",
          replied.at(), replied.afterStep());
      deadline(connection, event, null);
    } else if (event instanceof RecoveryLapsed lapsed) {
      update(connection, event, seqNr, "status = 'lapsed', lapsed_at = ?", lapsed.at());
      deadline(connection, event, lapsed.at());
    } else if (event instanceof RecoveryStopped stopped) {
      update(connection, event, seqNr, "status = 'stopped', stopped_at = ?, stopped_reason = ?", stopped.at(),
          stopped.reason());
      deadline(connection, event, null);
    } else if (event instanceof LapseRouted routed) {
      update(connection, event, seqNr, "routed_at = ?", routed.at());
      deadline(connection, event, null);
    }
    // StepCharged: nothing to show until the step's message is handed over
  }

  private static Map<String, Object> step(int index, String name, Instant at) {
    Map<String, Object> step = new LinkedHashMap<>();
    step.put("step", index);
    step.put("name", name);
    step.put("at", at.toString());
    return step;
  }

  private static void update(Connection connection, ColdRecovery.Event event, long seqNr, String set, Object... values)
      throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(
        "UPDATE cold_recoveries SET " + set + ", last_seq_nr = ?" + NEWER)) {
      int index = 1;
      for (Object value : values) {
        if (value instanceof Instant instant) statement.setTimestamp(index++, Timestamp.from(instant));
        else statement.setObject(index++, value);
      }
      statement.setLong(index++, seqNr);
      statement.setString(index++, event.tenantId());
      statement.setString(index++, event.leadId());
      statement.setInt(index++, event.sequence());
      statement.setLong(index, seqNr);
      statement.executeUpdate();
    }
  }

  /** The sequence's next deadline ({@code null}: none left). */
  private static void deadline(Connection connection, ColdRecovery.Event event, Instant dueAt) throws SQLException {
    String sql = dueAt == null ? "DELETE FROM recovery_deadlines WHERE tenant_id = ? AND lead_id = ?"
        : "INSERT INTO recovery_deadlines (tenant_id, lead_id, due_at) VALUES (?, ?, ?)"
            + " ON CONFLICT (tenant_id, lead_id) DO UPDATE SET due_at = EXCLUDED.due_at";
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setString(1, event.tenantId());
      statement.setString(2, event.leadId());
      if (dueAt != null) statement.setTimestamp(3, Timestamp.from(dueAt));
      statement.executeUpdate();
    }
  }
}
