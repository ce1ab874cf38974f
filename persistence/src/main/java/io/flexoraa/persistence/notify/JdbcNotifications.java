package io.flexoraa.persistence.notify;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flexoraa.engine.ports.Notifier.Notice;
import io.flexoraa.persistence.TenantJdbc;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The in-app notifications of {@code notifications} (V22), one row per recipient of a notice. Everything runs on the
 * API's connections under row-level security ({@link TenantJdbc}): a notification can only be stored, listed or
 * marked read inside its own tenant. Storing is idempotent on (tenant, notice id, user): a retried notice returns no
 * new rows, and only new rows are pushed and mailed.
 */
public final class JdbcNotifications {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<Map<String, String>> DATA = new TypeReference<>() {};
  private static final String COLUMNS = "id, tenant_id, user_id, notice_id, kind, title, body, lead_id, data,"
      + " created_at, event_at, read_at, email_wanted, emailed_at, email_error";

  private final TenantJdbc tenantJdbc;

  public JdbcNotifications(TenantJdbc tenantJdbc) {
    this.tenantJdbc = tenantJdbc;
  }

  /** A stored notification; {@code readAt}, {@code emailedAt}, {@code emailError} and {@code leadId} may be null. */
  public record Notification(
      long id,
      String tenantId,
      String userId,
      String noticeId,
      String kind,
      String title,
      String body,
      String leadId,
      Map<String, String> data,
      Instant createdAt,
      Instant eventAt,
      Instant readAt,
      boolean emailWanted,
      Instant emailedAt,
      String emailError) {}

  /** One recipient of a notice: who, and whether an e-mail goes out to them (they have an address, SMTP is on). */
  public record Recipient(String userId, boolean emailWanted) {}

  /** A page of a user's notifications, newest first; {@code nextCursor} is null on the last page. */
  public record Page(List<Notification> items, Long nextCursor) {}

  /** Stores the notice once per recipient and returns only the rows this call created (a retry returns none). */
  public CompletionStage<List<Notification>> store(Notice notice, List<Recipient> recipients, Instant now) {
    return tenantJdbc.async(notice.tenantId(), connection -> {
      List<Notification> created = new ArrayList<>();
      String data = json(notice.data());
      try (PreparedStatement insert = connection.prepareStatement(
          "INSERT INTO notifications (tenant_id, user_id, notice_id, kind, title, body, lead_id, data, created_at,"
              + " event_at, email_wanted) VALUES (?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?)"
              + " ON CONFLICT (tenant_id, notice_id, user_id) DO NOTHING RETURNING " + COLUMNS)) {
        for (Recipient recipient : recipients) {
          insert.setString(1, notice.tenantId());
          insert.setString(2, recipient.userId());
          insert.setString(3, notice.noticeId());
          insert.setString(4, notice.kind());
          insert.setString(5, notice.title());
          insert.setString(6, notice.body());
          if (notice.leadId() == null) insert.setNull(7, Types.VARCHAR); else insert.setString(7, notice.leadId());
          insert.setString(8, data);
          insert.setTimestamp(9, Timestamp.from(now));
          insert.setTimestamp(10, Timestamp.from(notice.at()));
          insert.setBoolean(11, recipient.emailWanted());
          try (ResultSet rows = insert.executeQuery()) {
            if (rows.next()) created.add(read(rows));
          }
        }
      }
      return created;
    });
  }

  /**
   * A user's notifications, newest first: at most {@code limit}, older than {@code cursor} (an id from the previous
   * page) when given, only unread ones when {@code unreadOnly}.
   */
  public CompletionStage<Page> list(String tenantId, String userId, boolean unreadOnly, int limit, Long cursor) {
    return tenantJdbc.async(tenantId, connection -> {
      try (PreparedStatement select = connection.prepareStatement(
          "SELECT " + COLUMNS + " FROM notifications WHERE tenant_id = ? AND user_id = ?"
              + (unreadOnly ? " AND read_at IS NULL" : "") + (cursor == null ? "" : " AND id < ?")
              + " ORDER BY id DESC LIMIT ?")) {
        int i = 1;
        select.setString(i++, tenantId);
        select.setString(i++, userId);
        if (cursor != null) select.setLong(i++, cursor);
        select.setInt(i, limit + 1);
        List<Notification> rows = readAll(select);
        if (rows.size() <= limit) return new Page(rows, null);
        List<Notification> page = List.copyOf(rows.subList(0, limit));
        return new Page(page, page.get(limit - 1).id());
      }
    });
  }

  /**
   * A user's notifications stored after {@code afterId}, oldest first: what a live stream missed between a drop and
   * its reconnection (Last-Event-ID). Bounded by {@code limit}; a client further behind lists the rest.
   */
  public CompletionStage<List<Notification>> since(String tenantId, String userId, long afterId, int limit) {
    return tenantJdbc.async(tenantId, connection -> {
      try (PreparedStatement select = connection.prepareStatement(
          "SELECT " + COLUMNS + " FROM notifications WHERE tenant_id = ? AND user_id = ? AND id > ?"
              + " ORDER BY id LIMIT ?")) {
        select.setString(1, tenantId);
        select.setString(2, userId);
        select.setLong(3, afterId);
        select.setInt(4, limit);
        return readAll(select);
      }
    });
  }

  /** Marks the user's own notification read (the first time only); empty when it is not theirs or does not exist. */
  public CompletionStage<Optional<Notification>> markRead(String tenantId, String userId, long id, Instant now) {
    return tenantJdbc.async(tenantId, connection -> {
      try (PreparedStatement update = connection.prepareStatement(
          "UPDATE notifications SET read_at = COALESCE(read_at, ?) WHERE tenant_id = ? AND user_id = ? AND id = ?"
              + " RETURNING " + COLUMNS)) {
        update.setTimestamp(1, Timestamp.from(now));
        update.setString(2, tenantId);
        update.setString(3, userId);
        update.setLong(4, id);
        List<Notification> rows = readAll(update);
        return rows.stream().findFirst();
      }
    });
  }

  /** Records how the notification's e-mail went: sent at {@code sentAt}, or the error (sentAt null). */
  public CompletionStage<Void> recordEmail(String tenantId, long id, Instant sentAt, String error) {
    return tenantJdbc.async(tenantId, connection -> {
      try (PreparedStatement update = connection.prepareStatement(
          "UPDATE notifications SET emailed_at = ?, email_error = ? WHERE tenant_id = ? AND id = ?")) {
        if (sentAt == null) update.setNull(1, Types.TIMESTAMP_WITH_TIMEZONE); else update.setTimestamp(1, Timestamp.from(sentAt));
        if (error == null) update.setNull(2, Types.VARCHAR); else update.setString(2, truncate(error, 500));
        update.setString(3, tenantId);
        update.setLong(4, id);
        update.executeUpdate();
        return null;
      }
    });
  }

  private static List<Notification> readAll(PreparedStatement statement) throws SQLException {
    List<Notification> all = new ArrayList<>();
    try (ResultSet rows = statement.executeQuery()) {
      while (rows.next()) all.add(read(rows));
    }
    return all;
  }

  private static Notification read(ResultSet rows) throws SQLException {
    return new Notification(rows.getLong("id"), rows.getString("tenant_id"), rows.getString("user_id"),
        rows.getString("notice_id"), rows.getString("kind"), rows.getString("title"), rows.getString("body"),
        rows.getString("lead_id"), data(rows.getString("data")), instant(rows, "created_at"),
        instant(rows, "event_at"), instant(rows, "read_at"), rows.getBoolean("email_wanted"),
        instant(rows, "emailed_at"), rows.getString("email_error"));
  }

  private static Instant instant(ResultSet rows, String column) throws SQLException {
    Timestamp value = rows.getTimestamp(column);
    return value == null ? null : value.toInstant();
  }

  private static String json(Map<String, String> data) {
    try {
      return JSON.writeValueAsString(data);
    } catch (Exception e) {
      throw new IllegalArgumentException("notice data not serializable", e);
    }
  }

  private static Map<String, String> data(String json) throws SQLException {
    try {
      return json == null ? Map.of() : JSON.readValue(json, DATA);
    } catch (Exception e) {
      throw new SQLException("notification data is not a JSON object of strings", e);
    }
  }

  private static String truncate(String text, int max) {
    return text.length() <= max ? text : text.substring(0, max);
  }
}
