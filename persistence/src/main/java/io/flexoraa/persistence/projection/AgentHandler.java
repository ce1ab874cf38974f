package io.flexoraa.persistence.projection;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flexoraa.engine.ai.Analysis;
import io.flexoraa.engine.ai.agent.LeadAgent;
import io.flexoraa.engine.ai.agent.LeadAgent.AiSkipped;
import io.flexoraa.engine.ai.agent.LeadAgent.HandedBackToAi;
import io.flexoraa.engine.ai.agent.LeadAgent.HumanTookOver;
import io.flexoraa.engine.ai.agent.LeadAgent.LeadEscalated;
import io.flexoraa.engine.ai.agent.LeadAgent.LeadScored;
import io.flexoraa.engine.ai.agent.LeadAgent.MessageAnalyzed;
import io.flexoraa.engine.ai.agent.LeadAgent.ReplyComposed;
import io.flexoraa.engine.ai.agent.LeadAgent.ReplyFailed;
import io.flexoraa.engine.ai.agent.LeadAgent.ReplyHanded;
import io.flexoraa.engine.ai.agent.LeadAgent.ReviewTaskOpened;
import io.flexoraa.engine.ai.agent.Qualification;
import io.flexoraa.persistence.audit.AuditFeed;
import io.flexoraa.persistence.audit.AuditLog;
import io.flexoraa.persistence.live.LiveSignals;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.jdbc.javadsl.JdbcHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the lead agent's read model from its events: {@code lead_ai} (one row per lead), {@code
 * lead_score_history}, {@code ai_message_analyses}, {@code ai_replies}, {@code ai_review_tasks}, {@code
 * ai_notifications}, and the audit entries of escalations and review tasks. A group is written in one transaction
 * with its offset; every write is idempotent on the event's place in its journal, so a replay changes nothing.
 */
public final class AgentHandler extends JdbcHandler<List<EventEnvelope<LeadAgent.Event>>, PooledJdbcSession> {
  private static final Logger log = LoggerFactory.getLogger(AgentHandler.class);
  private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();

  /** Creates the lead's row on its first event; later updates only apply events newer than the row. */
  private static final String ENSURE_ROW =
      "INSERT INTO lead_ai (tenant_id, lead_id, last_seq_nr, updated_at) VALUES (?, ?, 0, ?)"
          + " ON CONFLICT (tenant_id, lead_id) DO NOTHING";
  private static final String NEWER = " WHERE tenant_id = ? AND lead_id = ? AND last_seq_nr < ?";

  private final String tag;

  public AgentHandler(String tag) {
    this.tag = tag;
  }

  @Override
  public void start() {
    log.info("Lead agent projection for {} started", tag);
  }

  @Override
  public void stop() {
    log.info("Lead agent projection for {} stopped", tag);
  }

  @Override
  public void process(PooledJdbcSession session, List<EventEnvelope<LeadAgent.Event>> envelopes) throws Exception {
    session.withConnection(connection -> {
      List<AuditFeed.Timed> audit = new ArrayList<>();
      // the leads of this group whose lead_ai row is known to exist
      Set<String> rows = new HashSet<>();
      LiveSignals live = new LiveSignals();
      for (EventEnvelope<LeadAgent.Event> envelope : envelopes) {
        LeadAgent.Event event = envelope.event();
        if (event instanceof LeadAgent.InboundNoted) continue;
        if (rows.add(event.tenantId() + ":" + event.leadId())) ensureRow(connection, event);
        project(connection, event, envelope.sequenceNr(), audit);
        // score, band, qualification, escalation, replies: all shown with the lead
        live.leadUpdated(event.tenantId(), event.leadId());
      }
      live.send(connection);
      // last and tenant by tenant: audit appends hold per-tenant locks until the commit (see AuditProjections)
      AuditProjections.appendInTenantOrder(connection, audit);
      return null;
    });
  }

  private void project(Connection connection, LeadAgent.Event event, long seqNr, List<AuditFeed.Timed> audit)
      throws SQLException {
    if (event instanceof MessageAnalyzed analyzed) {
      analyzed(connection, analyzed, seqNr);
    } else if (event instanceof AiSkipped skipped) {
      update(connection, event, seqNr, "skipped = skipped + 1");
    } else if (event instanceof LeadScored scored) {
      scored(connection, scored, seqNr);
    } else if (event instanceof LeadEscalated escalated) {
      escalated(connection, escalated, seqNr, audit);
    } else if (event instanceof ReviewTaskOpened task) {
      review(connection, task, seqNr, audit);
    } else if (event instanceof ReplyComposed composed) {
      composed(connection, composed);
      if (composed.slot() != null) {
        // the interview's slots change when a question is asked
        try (PreparedStatement statement = connection.prepareStatement(
            "UPDATE lead_ai SET questions_asked = questions_asked + 1, slots = jsonb_set(COALESCE(slots, '{}'), ?::text[],"
                + " '\"asked\"'), last_seq_nr = ?, updated_at = ?" + NEWER)) {
          statement.setString(1, "{" + composed.slot().name() + "}");
          statement.setLong(2, seqNr);
          statement.setTimestamp(3, Timestamp.from(composed.at()));
          where(statement, 4, event, seqNr);
          statement.executeUpdate();
        }
      }
    } else if (event instanceof ReplyHanded handed) {
      try (PreparedStatement statement = connection.prepareStatement(
          "UPDATE ai_replies SET decision = ?, rule = ?, outcome = ?, latency_ms = ?, handed_at = ?"
              + " WHERE tenant_id = ? AND reply_id = ?")) {
        statement.setString(1, handed.decision());
        statement.setString(2, handed.rule());
        statement.setString(3, handed.outcome());
        statement.setLong(4, handed.latencyMillis());
        statement.setTimestamp(5, Timestamp.from(handed.at()));
        statement.setString(6, handed.tenantId());
        statement.setString(7, handed.replyId());
        statement.executeUpdate();
      }
      update(connection, event, seqNr, "replies = replies + 1");
    } else if (event instanceof HumanTookOver took) {
      handling(connection, took, seqNr, "handled_by = 'human', taken_over_by = ?, taken_over_at = ?",
          took.userId(), Timestamp.from(took.at()));
    } else if (event instanceof HandedBackToAi back) {
      handling(connection, back, seqNr, "handled_by = 'ai', taken_over_by = NULL, taken_over_at = NULL,"
          + " handed_back_by = ?, handed_back_at = ?, qualification_status = ?",
          back.userId(), Timestamp.from(back.at()), back.qualification().status());
    } else if (event instanceof ReplyFailed failed) {
      try (PreparedStatement statement = connection.prepareStatement(
          "INSERT INTO ai_replies (tenant_id, reply_id, lead_id, kind, failure, handed_at) VALUES (?, ?, ?, 'none', ?, ?)"
              + " ON CONFLICT (tenant_id, reply_id) DO UPDATE SET failure = EXCLUDED.failure")) {
        statement.setString(1, failed.tenantId());
        statement.setString(2, failed.replyId());
        statement.setString(3, failed.leadId());
        statement.setString(4, failed.reason());
        statement.setTimestamp(5, Timestamp.from(failed.at()));
        statement.executeUpdate();
      }
    }
  }

  private void ensureRow(Connection connection, LeadAgent.Event event) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(ENSURE_ROW)) {
      statement.setString(1, event.tenantId());
      statement.setString(2, event.leadId());
      statement.setTimestamp(3, Timestamp.from(event.at()));
      statement.executeUpdate();
    }
  }

  private void update(Connection connection, LeadAgent.Event event, long seqNr, String set) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(
        "UPDATE lead_ai SET " + set + ", last_seq_nr = ?, updated_at = ?" + NEWER)) {
      statement.setLong(1, seqNr);
      statement.setTimestamp(2, Timestamp.from(event.at()));
      where(statement, 3, event, seqNr);
      statement.executeUpdate();
    }
  }

  /** A takeover or hand-back: {@code values} are bound to {@code set}'s parameters in order. */
  private void handling(Connection connection, LeadAgent.Event event, long seqNr, String set, Object... values)
      throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(
        "UPDATE lead_ai SET " + set + ", last_seq_nr = ?, updated_at = ?" + NEWER)) {
      for (int i = 0; i < values.length; i++) statement.setObject(i + 1, values[i]);
      statement.setLong(values.length + 1, seqNr);
      statement.setTimestamp(values.length + 2, Timestamp.from(event.at()));
      where(statement, values.length + 3, event, seqNr);
      statement.executeUpdate();
    }
  }

  private static void where(PreparedStatement statement, int from, LeadAgent.Event event, long seqNr)
      throws SQLException {
    statement.setString(from, event.tenantId());
    statement.setString(from + 1, event.leadId());
    statement.setLong(from + 2, seqNr);
  }

  private void analyzed(Connection connection, MessageAnalyzed analyzed, long seqNr) throws SQLException {
    Analysis analysis = analyzed.analysis();
    try (PreparedStatement statement = connection.prepareStatement(
        "INSERT INTO ai_message_analyses (tenant_id, lead_id, message_id, seq_nr, channel, analysis, provider, model,"
            + " latency_ms, at) VALUES (?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?)"
            + " ON CONFLICT (tenant_id, lead_id, message_id) DO NOTHING")) {
      statement.setString(1, analyzed.tenantId());
      statement.setString(2, analyzed.leadId());
      statement.setString(3, analyzed.messageId());
      statement.setLong(4, seqNr);
      statement.setString(5, analyzed.channel());
      statement.setString(6, json(analysis.spelled()));
      statement.setString(7, analysis.provider());
      statement.setString(8, analysis.model());
      statement.setLong(9, analyzed.latencyMillis());
      statement.setTimestamp(10, Timestamp.from(analyzed.at()));
      statement.executeUpdate();
    }
    Qualification qualification = analyzed.qualification();
    Map<String, String> slots = new LinkedHashMap<>();
    qualification.slots().entrySet().stream().sorted(Map.Entry.comparingByKey())
        .forEach(entry -> slots.put(entry.getKey().name(), entry.getValue()));
    try (PreparedStatement statement = connection.prepareStatement(
        "UPDATE lead_ai SET analyzed = analyzed + 1, language = COALESCE(?, language), hinglish = ?, intent = ?,"
            + " category = ?, tone = ?, budget_bucket = COALESCE(?, budget_bucket),"
            + " budget_usd = COALESCE(?, budget_usd), timeline = COALESCE(?, timeline),"
            + " authority = COALESCE(?, authority),"
            + " objections = ARRAY(SELECT DISTINCT unnest(objections || ?::text[])),"
            + " buying_signals = ARRAY(SELECT DISTINCT unnest(buying_signals || ?::text[])),"
            + " qualification_status = ?, questions_asked = ?, slots = ?::jsonb, last_seq_nr = ?, updated_at = ?"
            + NEWER)) {
      statement.setString(1, analysis.language());
      statement.setBoolean(2, analysis.hinglish());
      statement.setString(3, analysis.intent());
      statement.setString(4, analysis.category());
      statement.setString(5, analysis.tone());
      statement.setString(6, analysis.budget() == null ? null : analysis.budget().bucket());
      if (analysis.budget() == null) statement.setNull(7, Types.BIGINT); else statement.setLong(7, analysis.budget().usd());
      statement.setString(8, analysis.timeline());
      statement.setString(9, analysis.authority());
      statement.setArray(10, connection.createArrayOf("text", analysis.objections().toArray()));
      statement.setArray(11, connection.createArrayOf("text", analysis.buyingSignals().toArray()));
      statement.setString(12, qualification.status());
      statement.setInt(13, qualification.questionsAsked());
      statement.setString(14, json(slots));
      statement.setLong(15, seqNr);
      statement.setTimestamp(16, Timestamp.from(analyzed.at()));
      where(statement, 17, analyzed, seqNr);
      statement.executeUpdate();
    }
  }

  private void scored(Connection connection, LeadScored scored, long seqNr) throws SQLException {
    var score = scored.score();
    String factors = json(score.topFactors());
    try (PreparedStatement statement = connection.prepareStatement(
        "INSERT INTO lead_score_history (tenant_id, lead_id, seq_nr, score, band, previous_band, top_factors, reason,"
            + " message_id, at) VALUES (?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?)"
            + " ON CONFLICT (tenant_id, lead_id, seq_nr) DO NOTHING")) {
      statement.setString(1, scored.tenantId());
      statement.setString(2, scored.leadId());
      statement.setLong(3, seqNr);
      statement.setInt(4, score.value());
      statement.setString(5, score.band());
      statement.setString(6, scored.previousBand());
      statement.setString(7, factors);
      statement.setString(8, score.reason());
      statement.setString(9, scored.messageId());
      statement.setTimestamp(10, Timestamp.from(scored.at()));
      statement.executeUpdate();
    }
    try (PreparedStatement statement = connection.prepareStatement(
        "UPDATE lead_ai SET score = ?, band = ?, top_factors = ?::jsonb, score_reason = ?, scored_at = ?,"
            + " last_seq_nr = ?, updated_at = ?" + NEWER)) {
      statement.setInt(1, score.value());
      statement.setString(2, score.band());
      statement.setString(3, factors);
      statement.setString(4, score.reason());
      statement.setTimestamp(5, Timestamp.from(scored.at()));
      statement.setLong(6, seqNr);
      statement.setTimestamp(7, Timestamp.from(scored.at()));
      where(statement, 8, scored, seqNr);
      statement.executeUpdate();
    }
  }

  private void escalated(Connection connection, LeadEscalated escalated, long seqNr, List<AuditFeed.Timed> audit)
      throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(
        "UPDATE lead_ai SET escalated = true, escalate_reasons = ?, escalated_at = COALESCE(escalated_at, ?),"
            + " qualification_status = ?, last_seq_nr = ?, updated_at = ?" + NEWER)) {
      statement.setArray(1, connection.createArrayOf("text", escalated.allReasons().toArray()));
      statement.setTimestamp(2, Timestamp.from(escalated.at()));
      statement.setString(3, Qualification.ESCALATED);
      statement.setLong(4, seqNr);
      statement.setTimestamp(5, Timestamp.from(escalated.at()));
      where(statement, 6, escalated, seqNr);
      statement.executeUpdate();
    }
    notification(connection, escalated, seqNr, "ai.escalated", "urgent", new String[] {"sdr", "manager"},
        "A lead needs a person now: " + String.join(", ", escalated.reasons()) + ".");
    audit.add(new AuditFeed.Timed(new AuditLog.NewEntry(escalated.tenantId(), AuditFeed.ENGINE, "ai.escalated",
        escalated.leadId(), Map.of("reasons", escalated.reasons(), "message", escalated.messageId())),
        escalated.at()));
  }

  private void review(Connection connection, ReviewTaskOpened task, long seqNr, List<AuditFeed.Timed> audit)
      throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(
        "INSERT INTO ai_review_tasks (tenant_id, task_id, lead_id, message_id, types, created_at)"
            + " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (tenant_id, task_id) DO NOTHING")) {
      statement.setString(1, task.tenantId());
      statement.setString(2, task.taskId());
      statement.setString(3, task.leadId());
      statement.setString(4, task.messageId());
      statement.setArray(5, connection.createArrayOf("text", task.types().toArray()));
      statement.setTimestamp(6, Timestamp.from(task.at()));
      statement.executeUpdate();
    }
    notification(connection, task, seqNr, "ai.review-needed", "critical", new String[] {"sdr", "auditor"},
        "A lead wrote about something the AI must not answer (" + String.join(", ", task.types())
            + "): review it and reply in person. The lead got a holding reply.");
    audit.add(new AuditFeed.Timed(new AuditLog.NewEntry(task.tenantId(), AuditFeed.ENGINE, "ai.high-risk-review",
        task.leadId(), Map.of("task", task.taskId(), "types", task.types(), "message", task.messageId())),
        task.at()));
  }

  private void composed(Connection connection, ReplyComposed composed) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(
        "INSERT INTO ai_replies (tenant_id, reply_id, lead_id, kind, slot, band, channel, language, source, provider,"
            + " model, strategy, ledger_entry_id, composed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            + " ON CONFLICT (tenant_id, reply_id) DO NOTHING")) {
      statement.setString(1, composed.tenantId());
      statement.setString(2, composed.replyId());
      statement.setString(3, composed.leadId());
      statement.setString(4, composed.kind().name());
      statement.setString(5, composed.slot() == null ? null : composed.slot().name());
      statement.setString(6, composed.band());
      statement.setString(7, composed.channel());
      statement.setString(8, composed.language());
      statement.setString(9, composed.source());
      statement.setString(10, composed.provider());
      statement.setString(11, composed.model());
      statement.setString(12, composed.strategy());
      if (composed.ledgerEntryId() == null) statement.setNull(13, Types.BIGINT);
      else statement.setLong(13, composed.ledgerEntryId());
      statement.setTimestamp(14, Timestamp.from(composed.at()));
      statement.executeUpdate();
    }
  }

  private void notification(Connection connection, LeadAgent.Event event, long seqNr, String kind, String level,
      String[] audience, String message) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(
        "INSERT INTO ai_notifications (tenant_id, lead_id, seq_nr, at, kind, level, audience, message)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (tenant_id, lead_id, seq_nr) DO NOTHING")) {
      statement.setString(1, event.tenantId());
      statement.setString(2, event.leadId());
      statement.setLong(3, seqNr);
      statement.setTimestamp(4, Timestamp.from(event.at()));
      statement.setString(5, kind);
      statement.setString(6, level);
      statement.setArray(7, connection.createArrayOf("text", audience));
      statement.setString(8, message);
      statement.executeUpdate();
    }
  }

  private static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
