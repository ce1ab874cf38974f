package io.flexoraa.persistence.projection;

import io.flexoraa.engine.lead.LeadModel;
import io.flexoraa.engine.lead.StatusOrder;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;

/**
 * The lead's own outbound messages in {@code lead_messages}, for {@link LeadReadModelHandler}. A requested message is
 * a row keyed by our message id; once Meta accepts it the row takes Meta's id, which the delivery statuses carry. A
 * status that reached the read model first (its row a placeholder keyed by Meta's id) is folded into ours, keeping
 * the later status, and the placeholder's count is taken back. Every write is idempotent, as a replay requires.
 */
final class OutboundMessageRows {
  private OutboundMessageRows() {}

  static void requested(Connection connection, LeadModel.OutboundRequested requested) throws SQLException {
    LeadModel.Outbound message = requested.outbound();
    int inserted;
    try (PreparedStatement insert = connection.prepareStatement(
        "INSERT INTO lead_messages (tenant_id, lead_id, platform_message_id, message_id, direction, channel,"
            + " channel_account, type, text_enc, status, status_rank, status_at, sent_at, author)"
            + " VALUES (?, ?, ?, ?, 'outbound', ?, ?, ?, ?, 'requested', 0, ?, ?, ?)"
            + " ON CONFLICT (tenant_id, platform_message_id) DO NOTHING")) {
      Timestamp at = Timestamp.from(message.requestedAt() != null ? message.requestedAt() : requested.at());
      insert.setString(1, requested.tenantId());
      insert.setString(2, requested.leadId());
      insert.setString(3, message.messageId());
      insert.setString(4, message.messageId());
      insert.setString(5, message.channel());
      insert.setString(6, message.channelAccount());
      insert.setString(7, LeadModel.FORM_TEMPLATE.equals(message.form()) ? "template" : "text");
      insert.setString(8, message.textEnc());
      insert.setTimestamp(9, at);
      insert.setTimestamp(10, at);
      insert.setString(11, message.author());
      inserted = insert.executeUpdate();
    }
    if (inserted == 0) return;
    try (PreparedStatement update = connection.prepareStatement(
        "UPDATE leads SET outbound_count = outbound_count + 1, updated_at = now() WHERE tenant_id = ? AND lead_id = ?")) {
      update.setString(1, requested.tenantId());
      update.setString(2, requested.leadId());
      update.executeUpdate();
    }
  }

  static void decided(Connection connection, LeadModel.OutboundDecided decided) throws SQLException {
    // the conversation shows where an unsent message stands: deferred until not_before, or blocked by a rule
    String status = switch (decided.verdict()) {
      case "defer" -> "deferred";
      case "block" -> "blocked";
      default -> "requested";
    };
    try (PreparedStatement update = connection.prepareStatement(
        "UPDATE lead_messages SET decision = ?, decision_rule = ?, not_before = ?, status = ?, status_at = ?,"
            + " type = CASE WHEN ? = 'template' THEN 'template' ELSE type END"
            + " WHERE tenant_id = ? AND message_id = ? AND status_rank = 0")) {
      update.setString(1, decided.verdict());
      update.setString(2, decided.rule());
      update.setTimestamp(3, decided.notBefore() == null ? null : Timestamp.from(decided.notBefore()));
      update.setString(4, status);
      update.setTimestamp(5, Timestamp.from(decided.at()));
      update.setString(6, decided.verdict());
      update.setString(7, decided.tenantId());
      update.setString(8, decided.messageId());
      update.executeUpdate();
    }
  }

  static void sent(Connection connection, LeadModel.OutboundSent sent) throws SQLException {
    String status = LeadModel.OutboundState.SENT;
    Timestamp statusAt = Timestamp.from(sent.at());
    if (sent.statusSoFar() != null && StatusOrder.rank(sent.statusSoFar()) > StatusOrder.rank(status)) {
      status = sent.statusSoFar();
    }
    // a status webhook (or the page's echo, on Instagram and Messenger) that outran the send left a row under Meta's
    // id: fold it into ours
    try (PreparedStatement placeholder = connection.prepareStatement(
        "DELETE FROM lead_messages WHERE tenant_id = ? AND platform_message_id = ? AND message_id IS NULL"
            + " RETURNING status, status_at")) {
      placeholder.setString(1, sent.tenantId());
      placeholder.setString(2, sent.platformMessageId());
      try (ResultSet result = placeholder.executeQuery()) {
        if (result.next()) {
          String earlier = result.getString(1);
          if (StatusOrder.rank(earlier) > StatusOrder.rank(status)) {
            status = earlier;
            statusAt = result.getTimestamp(2);
          }
          try (PreparedStatement uncount = connection.prepareStatement(
              "UPDATE leads SET outbound_count = GREATEST(outbound_count - 1, 0) WHERE tenant_id = ? AND lead_id = ?")) {
            uncount.setString(1, sent.tenantId());
            uncount.setString(2, sent.leadId());
            uncount.executeUpdate();
          }
        }
      }
    }
    try (PreparedStatement update = connection.prepareStatement(
        "UPDATE lead_messages SET platform_message_id = ?, status = ?, status_rank = ?, status_at = ?, sent_at = ?"
            + " WHERE tenant_id = ? AND message_id = ? AND status_rank < ?"
            // Meta never gives two messages one id; should it, the first keeps it rather than the projection stopping
            + " AND NOT EXISTS (SELECT 1 FROM lead_messages other WHERE other.tenant_id = lead_messages.tenant_id"
            + " AND other.platform_message_id = ? AND other.message_id IS DISTINCT FROM lead_messages.message_id)")) {
      update.setString(1, sent.platformMessageId());
      update.setString(2, status);
      update.setInt(3, StatusOrder.rank(status));
      update.setTimestamp(4, statusAt);
      update.setTimestamp(5, Timestamp.from(sent.at()));
      update.setString(6, sent.tenantId());
      update.setString(7, sent.messageId());
      update.setInt(8, StatusOrder.rank(status));
      update.setString(9, sent.platformMessageId());
      update.executeUpdate();
    }
    try (PreparedStatement update = connection.prepareStatement(
        "UPDATE leads SET last_status = ?, last_status_at = ?, updated_at = now() WHERE tenant_id = ? AND lead_id = ?")) {
      update.setString(1, status);
      update.setTimestamp(2, statusAt);
      update.setString(3, sent.tenantId());
      update.setString(4, sent.leadId());
      update.executeUpdate();
    }
  }

  static void failed(Connection connection, LeadModel.OutboundFailed failed) throws SQLException {
    try (PreparedStatement update = connection.prepareStatement(
        "UPDATE lead_messages SET status = 'failed', status_rank = 10, outcome = ?, status_at = ?"
            + " WHERE tenant_id = ? AND message_id = ? AND status_rank = 0")) {
      update.setString(1, failed.outcome());
      update.setTimestamp(2, Timestamp.from(failed.at()));
      update.setString(3, failed.tenantId());
      update.setString(4, failed.messageId());
      update.executeUpdate();
    }
  }
}
