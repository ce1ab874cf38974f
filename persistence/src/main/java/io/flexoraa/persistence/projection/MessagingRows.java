package io.flexoraa.persistence.projection;

import io.flexoraa.engine.lead.LeadModel;
import io.flexoraa.engine.lead.LeadModel.Event;
import io.flexoraa.engine.lead.LeadModel.Identifier;
import io.flexoraa.engine.lead.StatusOrder;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

/**
 * Instagram and Messenger events and merges in the lead read model, for {@link LeadReadModelHandler}: echoes,
 * reads, unsent messages, and the conversation of a merged lead moving to its survivor
 * (docs/decisions/0020-instagram-messenger-ingest-and-merge.md). Every write is idempotent, as a replay requires.
 */
final class MessagingRows {
  private MessagingRows() {}

  static void apply(Connection connection, Event event) throws SQLException {
    if (event instanceof LeadModel.EchoRecorded echo) {
      echoRecorded(connection, echo);
    } else if (event instanceof LeadModel.ChannelRead read) {
      channelRead(connection, read);
    } else if (event instanceof LeadModel.MessageDeleted deleted) {
      // the person took it back: the conversation shows that a message was unsent, not what it said
      try (PreparedStatement update = connection.prepareStatement(
          "UPDATE lead_messages SET deleted_at = COALESCE(deleted_at, ?), text_enc = NULL"
              + " WHERE tenant_id = ? AND platform_message_id = ?")) {
        update.setTimestamp(1, Timestamp.from(deleted.at() != null ? deleted.at() : deleted.recordedAt()));
        update.setString(2, deleted.tenantId());
        update.setString(3, deleted.platformMessageId());
        update.executeUpdate();
      }
    } else if (event instanceof LeadModel.LeadAbsorbed absorbed) {
      for (Identifier identifier : absorbed.identifiers()) {
        LeadReadModelHandler.identifier(connection, absorbed.tenantId(), absorbed.leadId(), identifier, false);
      }
      markMerged(connection, absorbed.tenantId(), absorbed.absorbedLeadId(), absorbed.leadId(), absorbed.at());
      followMerge(connection, absorbed.tenantId(), absorbed.absorbedLeadId(), 0);
    } else if (event instanceof LeadModel.LeadMergedInto merged) {
      markMerged(connection, merged.tenantId(), merged.leadId(), merged.survivorLeadId(), merged.at());
      followMerge(connection, merged.tenantId(), merged.leadId(), 0);
    }
    // NotificationTokenRecorded: the token lives on the lead; its consent arrives as ConsentRecorded
  }

  /** An echo is an outbound message; it fills in what a status that arrived first could not know. */
  private static void echoRecorded(Connection connection, LeadModel.EchoRecorded recorded) throws SQLException {
    LeadModel.OutboundEcho echo = recorded.echo();
    Timestamp sentAt = Timestamp.from(echo.sentAt() != null ? echo.sentAt() : recorded.recordedAt());
    boolean newMessage;
    try (PreparedStatement upsert = connection.prepareStatement(
        "INSERT INTO lead_messages (tenant_id, lead_id, platform_message_id, direction, channel, channel_account, type,"
            + " text_enc, status, status_rank, status_at, sent_at, received_at)"
            + " VALUES (?, ?, ?, 'outbound', ?, ?, ?, " + LeadReadModelHandler.UNLESS_ANONYMIZED + ", 'sent', ?, ?, ?, ?)"
            + " ON CONFLICT (tenant_id, platform_message_id) DO UPDATE SET"
            + " text_enc = COALESCE(lead_messages.text_enc, EXCLUDED.text_enc),"
            + " type = COALESCE(lead_messages.type, EXCLUDED.type),"
            + " channel_account = COALESCE(lead_messages.channel_account, EXCLUDED.channel_account),"
            + " sent_at = COALESCE(lead_messages.sent_at, EXCLUDED.sent_at) RETURNING (xmax = 0)")) {
      int index = 1;
      upsert.setString(index++, recorded.tenantId());
      upsert.setString(index++, recorded.leadId());
      upsert.setString(index++, echo.platformMessageId());
      upsert.setString(index++, echo.channel());
      upsert.setString(index++, echo.channelAccount());
      upsert.setString(index++, echo.type());
      upsert.setString(index++, recorded.tenantId());
      upsert.setString(index++, recorded.leadId());
      upsert.setString(index++, echo.textEnc());
      upsert.setInt(index++, StatusOrder.rank("sent"));
      upsert.setTimestamp(index++, sentAt);
      upsert.setTimestamp(index++, sentAt);
      upsert.setTimestamp(index, Timestamp.from(recorded.recordedAt()));
      try (ResultSet result = upsert.executeQuery()) {
        newMessage = result.next() && result.getBoolean(1);
      }
    }
    if (newMessage) {
      try (PreparedStatement update = connection.prepareStatement(
          "UPDATE leads SET outbound_count = outbound_count + 1, updated_at = ? WHERE tenant_id = ? AND lead_id = ?")) {
        update.setTimestamp(1, Timestamp.from(recorded.recordedAt()));
        update.setString(2, recorded.tenantId());
        update.setString(3, recorded.leadId());
        update.executeUpdate();
      }
    }
    followMerge(connection, recorded.tenantId(), recorded.leadId(), 0);
  }

  /**
   * Every outbound message of the channel sent up to the watermark (Messenger) or up to the message read
   * (Instagram) is read; a status ranked higher (failed) stays.
   */
  private static void channelRead(Connection connection, LeadModel.ChannelRead read) throws SQLException {
    Timestamp at = Timestamp.from(read.at() != null ? read.at() : read.recordedAt());
    try (PreparedStatement update = connection.prepareStatement(
        "UPDATE lead_messages SET status = 'read', status_rank = ?, status_at = ?"
            + " WHERE tenant_id = ? AND lead_id IN (?, COALESCE((SELECT merged_into FROM leads"
            + " WHERE tenant_id = ? AND lead_id = ?), ?)) AND channel = ? AND direction = 'outbound'"
            + " AND status_rank < ? AND sent_at <= COALESCE(?, (SELECT sent_at FROM lead_messages"
            + " WHERE tenant_id = ? AND platform_message_id = ?))")) {
      int rank = StatusOrder.rank("read");
      int index = 1;
      update.setInt(index++, rank);
      update.setTimestamp(index++, at);
      update.setString(index++, read.tenantId());
      update.setString(index++, read.leadId());
      update.setString(index++, read.tenantId());
      update.setString(index++, read.leadId());
      update.setString(index++, read.leadId());
      update.setString(index++, read.channel());
      update.setInt(index++, rank);
      update.setTimestamp(index++, read.watermark() == null ? null : Timestamp.from(read.watermark()));
      update.setString(index++, read.tenantId());
      update.setString(index, read.mid());
      update.executeUpdate();
    }
  }

  private static void markMerged(Connection connection, String tenantId, String leadId, String survivorLeadId, Instant at)
      throws SQLException {
    try (PreparedStatement update = connection.prepareStatement(
        "UPDATE leads SET merged_into = ?, merged_at = COALESCE(merged_at, ?), updated_at = ?"
            + " WHERE tenant_id = ? AND lead_id = ?")) {
      update.setString(1, survivorLeadId);
      update.setTimestamp(2, Timestamp.from(at));
      update.setTimestamp(3, Timestamp.from(at));
      update.setString(4, tenantId);
      update.setString(5, leadId);
      update.executeUpdate();
    }
  }

  /**
   * When {@code leadId} was merged, moves its messages into its survivor's conversation (they keep the key they
   * were encrypted under, {@code key_lead_id}) and recounts the survivor; a survivor merged in turn is followed a
   * few hops. Returns whether anything moved.
   */
  static boolean followMerge(Connection connection, String tenantId, String leadId, int hops) throws SQLException {
    if (hops > 3) return false;
    String survivor = null;
    try (PreparedStatement select = connection.prepareStatement(
        "SELECT merged_into FROM leads WHERE tenant_id = ? AND lead_id = ? AND merged_into IS NOT NULL")) {
      select.setString(1, tenantId);
      select.setString(2, leadId);
      try (ResultSet result = select.executeQuery()) {
        if (result.next()) survivor = result.getString(1);
      }
    }
    if (survivor == null) return false;
    int moved;
    try (PreparedStatement update = connection.prepareStatement(
        "UPDATE lead_messages SET key_lead_id = COALESCE(key_lead_id, lead_id), lead_id = ?"
            + " WHERE tenant_id = ? AND lead_id = ?")) {
      update.setString(1, survivor);
      update.setString(2, tenantId);
      update.setString(3, leadId);
      moved = update.executeUpdate();
    }
    if (moved == 0) return false;
    for (String lead : List.of(leadId, survivor)) {
      try (PreparedStatement recount = connection.prepareStatement(
          "UPDATE leads SET inbound_count = counts.inbound, outbound_count = counts.outbound,"
              + " first_inbound_at = counts.first_at, last_inbound_at = counts.last_at, updated_at = now()"
              + " FROM (SELECT count(*) FILTER (WHERE direction = 'inbound') AS inbound,"
              + " count(*) FILTER (WHERE direction = 'outbound') AS outbound,"
              + " min(sent_at) FILTER (WHERE direction = 'inbound') AS first_at,"
              + " max(sent_at) FILTER (WHERE direction = 'inbound') AS last_at"
              + " FROM lead_messages WHERE tenant_id = ? AND lead_id = ?) counts"
              + " WHERE leads.tenant_id = ? AND leads.lead_id = ?")) {
        recount.setString(1, tenantId);
        recount.setString(2, lead);
        recount.setString(3, tenantId);
        recount.setString(4, lead);
        recount.executeUpdate();
      }
    }
    followMerge(connection, tenantId, survivor, hops + 1);
    return true;
  }
}
