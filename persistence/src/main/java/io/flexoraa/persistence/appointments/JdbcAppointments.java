package io.flexoraa.persistence.appointments;

import io.flexoraa.persistence.Jdbc;
import io.flexoraa.persistence.TenantJdbc;
import io.flexoraa.persistence.crypto.TinkPiiCipher;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The appointments read model for the API (through {@link TenantJdbc}, under row-level security), the keeper's
 * due-deadline query, the offers sent, and SDRs' connected calendars (the access token encrypted with the tenant's
 * key in the context {@code calendar:<userId>}, never returned).
 */
public final class JdbcAppointments {
  private static final String COLUMNS = "appointment_id, user_id, lead_id, starts_at, ends_at, status, sequence,"
      + " reason, created_at, updated_at";

  public record AppointmentRow(String appointmentId, String userId, String leadId, Instant startsAt, Instant endsAt,
      String status, int sequence, String reason, Instant createdAt, Instant updatedAt) {}

  public record TaskRow(String appointmentId, String userId, String leadId, String kind, Instant dueAt,
      Instant createdAt) {}

  /** An offer as sent: the lead, the SDR and the slots (JSON {@code [{startsAt, endsAt}]}). */
  public record OfferRow(String offerId, String leadId, String userId, String slotsJson, String bookingLink) {}

  /** A calendar entity with a delivery due. */
  public record DueCalendar(String tenantId, String userId) {}

  public record CalendarConnection(String provider, String calendarId, String accessToken) {}

  private final Jdbc jdbc;
  private final TenantJdbc reads;
  private final TinkPiiCipher cipher;
  private final Clock clock;

  public JdbcAppointments(Jdbc jdbc, TenantJdbc reads, TinkPiiCipher cipher, Clock clock) {
    this.jdbc = jdbc;
    this.reads = reads;
    this.cipher = cipher;
    this.clock = clock;
  }

  /**
   * When the reminders still to go out for the appointments starting in [from, to) (of one SDR when
   * {@code userId} is given) are due, by appointment: what My queue shows next to each appointment.
   */
  public CompletionStage<java.util.Map<String, List<Instant>>> pendingReminders(String tenantId, String userId,
      Instant from, Instant to) {
    return reads.async(tenantId, connection -> {
      String sql = "SELECT d.appointment_id, d.due_at FROM appointment_deadlines d JOIN appointments a"
          + " ON a.tenant_id = d.tenant_id AND a.appointment_id = d.appointment_id"
          + " WHERE d.tenant_id = ? AND d.kind = 'REMINDER' AND a.starts_at >= ? AND a.starts_at < ?"
          + (userId == null ? "" : " AND a.user_id = ?") + " ORDER BY d.due_at";
      try (PreparedStatement statement = connection.prepareStatement(sql)) {
        int i = 1;
        statement.setString(i++, tenantId);
        statement.setTimestamp(i++, Timestamp.from(from));
        statement.setTimestamp(i++, Timestamp.from(to));
        if (userId != null) statement.setString(i, userId);
        java.util.Map<String, List<Instant>> due = new java.util.HashMap<>();
        try (ResultSet rs = statement.executeQuery()) {
          while (rs.next()) {
            due.computeIfAbsent(rs.getString(1), id -> new ArrayList<>()).add(rs.getTimestamp(2).toInstant());
          }
        }
        return due;
      }
    });
  }

  /** A tenant's appointments starting in [from, to), of one SDR when {@code userId} is given, by start time. */
  public CompletionStage<List<AppointmentRow>> list(String tenantId, String userId, Instant from, Instant to,
      int limit) {
    return reads.async(tenantId, connection -> {
      String sql = "SELECT " + COLUMNS + " FROM appointments WHERE tenant_id = ? AND starts_at >= ? AND starts_at < ?"
          + (userId == null ? "" : " AND user_id = ?") + " ORDER BY starts_at, appointment_id LIMIT ?";
      try (PreparedStatement statement = connection.prepareStatement(sql)) {
        int i = 1;
        statement.setString(i++, tenantId);
        statement.setTimestamp(i++, Timestamp.from(from));
        statement.setTimestamp(i++, Timestamp.from(to));
        if (userId != null) statement.setString(i++, userId);
        statement.setInt(i, limit);
        return rows(statement);
      }
    });
  }

  public CompletionStage<Optional<AppointmentRow>> get(String tenantId, String appointmentId) {
    return reads.async(tenantId, connection -> {
      try (PreparedStatement statement = connection.prepareStatement(
          "SELECT " + COLUMNS + " FROM appointments WHERE tenant_id = ? AND appointment_id = ?")) {
        statement.setString(1, tenantId);
        statement.setString(2, appointmentId);
        return rows(statement).stream().findFirst();
      }
    });
  }

  public CompletionStage<List<TaskRow>> tasks(String tenantId, String userId) {
    return query(tenantId, "SELECT appointment_id, user_id, lead_id, kind, due_at, created_at FROM appointment_tasks"
        + " WHERE tenant_id = ? AND user_id = ? ORDER BY created_at DESC", rs -> new TaskRow(rs.getString(1),
        rs.getString(2), rs.getString(3), rs.getString(4), rs.getTimestamp(5).toInstant(),
        rs.getTimestamp(6).toInstant()), tenantId, userId);
  }

  /** Calendars with a delivery due before {@code until}: an indexed range on due time, never a scan of bookings. */
  public CompletionStage<List<DueCalendar>> due(Instant until, int limit) {
    return jdbc.async(connection -> {
      try (PreparedStatement statement = connection.prepareStatement("SELECT DISTINCT tenant_id, user_id FROM"
          + " (SELECT tenant_id, user_id FROM appointment_deadlines WHERE due_at <= ? ORDER BY due_at LIMIT ?) d")) {
        statement.setTimestamp(1, Timestamp.from(until));
        statement.setInt(2, limit);
        List<DueCalendar> out = new ArrayList<>();
        try (ResultSet rs = statement.executeQuery()) {
          while (rs.next()) out.add(new DueCalendar(rs.getString(1), rs.getString(2)));
        }
        return out;
      }
    });
  }

  /** The lead's language as the AI read it last, if any. */
  public CompletionStage<Optional<String>> leadLanguage(String tenantId, String leadId) {
    return reads.async(tenantId, connection -> {
      try (PreparedStatement statement = connection.prepareStatement(
          "SELECT language FROM lead_ai WHERE tenant_id = ? AND lead_id = ?")) {
        statement.setString(1, tenantId);
        statement.setString(2, leadId);
        try (ResultSet rs = statement.executeQuery()) {
          return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
        }
      }
    });
  }

  public CompletionStage<Void> recordOffer(String tenantId, String offerId, String leadId, String userId,
      String slotsJson, String bookingLink, String messageId) {
    return jdbc.async(connection -> {
      try (PreparedStatement statement = connection.prepareStatement("INSERT INTO appointment_offers (tenant_id,"
          + " offer_id, lead_id, user_id, slots, booking_link, message_id, created_at)"
          + " VALUES (?, ?, ?, ?, ?::jsonb, ?, ?, ?) ON CONFLICT DO NOTHING")) {
        statement.setString(1, tenantId);
        statement.setString(2, offerId);
        statement.setString(3, leadId);
        statement.setString(4, userId);
        statement.setString(5, slotsJson);
        statement.setString(6, bookingLink);
        statement.setString(7, messageId);
        statement.setTimestamp(8, Timestamp.from(clock.instant()));
        statement.executeUpdate();
      }
      return null;
    });
  }

  public CompletionStage<Optional<OfferRow>> offer(String tenantId, String offerId) {
    return query(tenantId, "SELECT offer_id, lead_id, user_id, slots::text, booking_link FROM appointment_offers"
        + " WHERE tenant_id = ? AND offer_id = ?", rs -> new OfferRow(rs.getString(1), rs.getString(2),
        rs.getString(3), rs.getString(4), rs.getString(5)), tenantId, offerId)
        .thenApply(rows -> rows.stream().findFirst());
  }

  public CompletionStage<Void> connectCalendar(String tenantId, String userId, String provider, String calendarId,
      String accessToken) {
    return cipher.tenantCipher(tenantId, context(userId)).thenCompose(fieldCipher -> jdbc.async(connection -> {
      try (PreparedStatement statement = connection.prepareStatement("INSERT INTO sdr_calendars (tenant_id, user_id,"
          + " provider, calendar_id, access_token_enc, updated_at) VALUES (?, ?, ?, ?, ?, ?)"
          + " ON CONFLICT (tenant_id, user_id) DO UPDATE SET provider = EXCLUDED.provider,"
          + " calendar_id = EXCLUDED.calendar_id, access_token_enc = EXCLUDED.access_token_enc,"
          + " updated_at = EXCLUDED.updated_at")) {
        statement.setString(1, tenantId);
        statement.setString(2, userId);
        statement.setString(3, provider);
        statement.setString(4, calendarId);
        statement.setString(5, fieldCipher.encrypt(accessToken));
        statement.setTimestamp(6, Timestamp.from(clock.instant()));
        statement.executeUpdate();
      }
      return null;
    }));
  }

  public CompletionStage<Optional<CalendarConnection>> calendar(String tenantId, String userId) {
    return jdbc.<Optional<String[]>>async(connection -> {
      try (PreparedStatement statement = connection.prepareStatement("SELECT provider, calendar_id, access_token_enc"
          + " FROM sdr_calendars WHERE tenant_id = ? AND user_id = ?")) {
        statement.setString(1, tenantId);
        statement.setString(2, userId);
        try (ResultSet rs = statement.executeQuery()) {
          return rs.next() ? Optional.of(new String[] {rs.getString(1), rs.getString(2), rs.getString(3)})
              : Optional.empty();
        }
      }
    }).thenCompose(row -> row.isEmpty()
        ? CompletableFuture.completedFuture(Optional.<CalendarConnection>empty())
        : cipher.tenantCipher(tenantId, context(userId)).thenApply(fieldCipher -> Optional.of(
            new CalendarConnection(row.get()[0], row.get()[1], fieldCipher.decrypt(row.get()[2])))));
  }

  private static String context(String userId) {
    return "calendar:" + userId;
  }

  /** Reads one row of a result. */
  private interface RowReader<T> {
    T read(ResultSet rs) throws SQLException;
  }

  /** {@code sql} with string parameters, under the tenant's row-level security. */
  private <T> CompletionStage<List<T>> query(String tenantId, String sql, RowReader<T> reader, String... parameters) {
    return reads.async(tenantId, connection -> {
      try (PreparedStatement statement = connection.prepareStatement(sql)) {
        for (int i = 0; i < parameters.length; i++) statement.setString(i + 1, parameters[i]);
        List<T> out = new ArrayList<>();
        try (ResultSet rs = statement.executeQuery()) {
          while (rs.next()) out.add(reader.read(rs));
        }
        return out;
      }
    });
  }

  private static List<AppointmentRow> rows(PreparedStatement statement) throws SQLException {
    List<AppointmentRow> out = new ArrayList<>();
    try (ResultSet rs = statement.executeQuery()) {
      while (rs.next()) {
        out.add(new AppointmentRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getTimestamp(4).toInstant(),
            rs.getTimestamp(5).toInstant(), rs.getString(6), rs.getInt(7), rs.getString(8),
            rs.getTimestamp(9).toInstant(), rs.getTimestamp(10).toInstant()));
      }
    }
    return out;
  }
}
