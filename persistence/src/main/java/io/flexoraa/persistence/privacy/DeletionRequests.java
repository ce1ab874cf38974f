package io.flexoraa.persistence.privacy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Erasure requests and their decisions, as SQL on a connection the caller owns, so that filing or deciding a request
 * and its audit entry commit together. Status only moves from pending to approved or rejected, once.
 */
public final class DeletionRequests {
  public static final String PENDING = "pending";
  public static final String APPROVED = "approved";
  public static final String REJECTED = "rejected";

  private static final String COLUMNS = "tenant_id, request_id, lead_id, requested_by, reason, status, filed_by, filed_at, "
      + "decided_by, decided_at, decision_note";

  private DeletionRequests() {}

  public record Request(
      String tenantId,
      String requestId,
      String leadId,
      String requestedBy,
      String reason,
      String status,
      String filedBy,
      Instant filedAt,
      String decidedBy,
      Instant decidedAt,
      String decisionNote) {}

  /** Files a pending request; empty when the lead already has one pending. */
  public static Optional<Request> file(Connection connection, Request request) throws SQLException {
    try (PreparedStatement insert = connection.prepareStatement(
        "INSERT INTO deletion_requests (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, 'pending', ?, ?, NULL, NULL, NULL) "
            + "ON CONFLICT (tenant_id, lead_id) WHERE status = 'pending' DO NOTHING RETURNING " + COLUMNS)) {
      insert.setString(1, request.tenantId());
      insert.setString(2, request.requestId());
      insert.setString(3, request.leadId());
      insert.setString(4, request.requestedBy());
      insert.setString(5, request.reason());
      insert.setString(6, request.filedBy());
      insert.setTimestamp(7, Timestamp.from(request.filedAt()));
      try (ResultSet rows = insert.executeQuery()) {
        return rows.next() ? Optional.of(read(rows)) : Optional.empty();
      }
    }
  }

  public static Optional<Request> find(Connection connection, String tenantId, String requestId) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(
        "SELECT " + COLUMNS + " FROM deletion_requests WHERE tenant_id = ? AND request_id = ?")) {
      select.setString(1, tenantId);
      select.setString(2, requestId);
      try (ResultSet rows = select.executeQuery()) {
        return rows.next() ? Optional.of(read(rows)) : Optional.empty();
      }
    }
  }

  /** Newest first; {@code status} null for all. */
  public static List<Request> list(Connection connection, String tenantId, String status, String leadId, int limit, int offset)
      throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(
        "SELECT " + COLUMNS + " FROM deletion_requests WHERE tenant_id = ? AND (?::text IS NULL OR status = ?) "
            + "AND (?::text IS NULL OR lead_id = ?) ORDER BY filed_at DESC, request_id LIMIT ? OFFSET ?")) {
      select.setString(1, tenantId);
      select.setString(2, status);
      select.setString(3, status);
      select.setString(4, leadId);
      select.setString(5, leadId);
      select.setInt(6, limit);
      select.setInt(7, offset);
      List<Request> requests = new ArrayList<>();
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) requests.add(read(rows));
      }
      return requests;
    }
  }

  /** How many requests {@link #list} would return without paging. */
  public static long count(Connection connection, String tenantId, String status, String leadId) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(
        "SELECT count(*) FROM deletion_requests WHERE tenant_id = ? AND (?::text IS NULL OR status = ?) "
            + "AND (?::text IS NULL OR lead_id = ?)")) {
      select.setString(1, tenantId);
      select.setString(2, status);
      select.setString(3, status);
      select.setString(4, leadId);
      select.setString(5, leadId);
      try (ResultSet rows = select.executeQuery()) {
        rows.next();
        return rows.getLong(1);
      }
    }
  }

  /** Decides a pending request; empty when it is not pending (already decided, or unknown). */
  public static Optional<Request> decide(
      Connection connection, String tenantId, String requestId, String status, String decidedBy, String note, Instant at)
      throws SQLException {
    if (!APPROVED.equals(status) && !REJECTED.equals(status)) throw new IllegalArgumentException("not a decision: " + status);
    try (PreparedStatement update = connection.prepareStatement(
        "UPDATE deletion_requests SET status = ?, decided_by = ?, decided_at = ?, decision_note = ? "
            + "WHERE tenant_id = ? AND request_id = ? AND status = 'pending' RETURNING " + COLUMNS)) {
      update.setString(1, status);
      update.setString(2, decidedBy);
      update.setTimestamp(3, Timestamp.from(at));
      update.setString(4, note);
      update.setString(5, tenantId);
      update.setString(6, requestId);
      try (ResultSet rows = update.executeQuery()) {
        return rows.next() ? Optional.of(read(rows)) : Optional.empty();
      }
    }
  }

  private static Request read(ResultSet rows) throws SQLException {
    Timestamp decidedAt = rows.getTimestamp("decided_at");
    return new Request(
        rows.getString("tenant_id"),
        rows.getString("request_id"),
        rows.getString("lead_id"),
        rows.getString("requested_by"),
        rows.getString("reason"),
        rows.getString("status"),
        rows.getString("filed_by"),
        rows.getTimestamp("filed_at").toInstant(),
        rows.getString("decided_by"),
        decidedAt == null ? null : decidedAt.toInstant(),
        rows.getString("decision_note"));
  }
}
