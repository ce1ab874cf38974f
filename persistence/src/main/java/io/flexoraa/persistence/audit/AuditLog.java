package io.flexoraa.persistence.audit;

import com.fasterxml.jackson.annotation.JsonRawValue;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.flexoraa.persistence.Jdbc;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The tenant's tamper-evident audit trail (PRODUCT: append-only, every entry carries the hash of the previous one,
 * one chain per tenant, and a verification that reports the first broken link).
 *
 * <p>Every method works on a connection the caller owns, so that an entry is written in the same transaction as the
 * change it records and vanishes with it on rollback. On a connection in autocommit the method runs in a transaction
 * of its own. Callers on the application role must have set {@code app.tenant_id} to the entry's tenant, otherwise
 * row-level security hides the chain and rejects the insert.
 *
 * <p>An entry's hash is the SHA-256 (lowercase hex) of its canonical form: compact JSON, keys sorted, of
 * {@code action, actor, at, details, prevHash, seq, subject, tenant}, with {@code at} in UTC to the microsecond
 * (what PostgreSQL keeps) and {@code details} verbatim as stored. Anyone holding the rows can recompute it.
 */
public final class AuditLog {
  /** The previous hash of a tenant's first entry, which has nothing before it to link to. */
  public static final String GENESIS_HASH = "0".repeat(64);

  /** Rows per round trip while verifying: keeps memory flat however long a tenant's chain grows. */
  private static final int VERIFY_FETCH_SIZE = 1_000;

  /** Prefixes the tenant in the advisory lock key, so another feature locking on tenant ids takes another lock. */
  private static final String LOCK_NAMESPACE = "audit:";

  /** Always six fractional digits, so that equal instants have exactly one textual form. */
  private static final DateTimeFormatter CANONICAL_TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

  private static final ObjectMapper CANONICAL_JSON =
      JsonMapper.builder()
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
          .enable(JsonNodeFeature.WRITE_PROPERTIES_SORTED)
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .addModule(new JavaTimeModule())
          .build();

  private static final String ENTRY_COLUMNS = "tenant_id, seq, at, actor, action, subject, details, prev_hash, hash";

  private AuditLog() {}

  /** What the caller wants recorded; the log adds the sequence number, the time and the hashes. */
  public record NewEntry(String tenantId, String actor, String action, String subject, Map<String, ?> details) {
    public NewEntry {
      Objects.requireNonNull(tenantId, "tenantId");
      Objects.requireNonNull(actor, "actor");
      Objects.requireNonNull(action, "action");
      // A copy, because the details are hashed after the caller hands them over; null values are legitimate JSON.
      details = details == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }
  }

  /** A stored entry as the API returns it; {@code details} is the parsed canonical JSON. */
  public record Entry(
      String tenantId,
      long seq,
      Instant at,
      String actor,
      String action,
      String subject,
      JsonNode details,
      String prevHash,
      String hash) {}

  /** The outcome of recomputing a chain; {@code firstBrokenSeq} is null exactly when the chain is valid. */
  public record Verification(boolean valid, long entries, Long firstBrokenSeq) {
    static Verification of(long entries, Long firstBrokenSeq) {
      return new Verification(firstBrokenSeq == null, entries, firstBrokenSeq);
    }
  }

  /**
   * Appends at the end of the tenant's chain. Appends of one tenant are serialised by a transaction-scoped advisory
   * lock, so on a caller's transaction they wait for each other until it ends. Under REPEATABLE READ or SERIALIZABLE
   * a concurrent append can surface as a primary-key violation on (tenant_id, seq), which the caller retries; under
   * the default READ COMMITTED it cannot.
   */
  public static Entry append(Connection connection, NewEntry entry, Instant at) throws SQLException {
    Objects.requireNonNull(entry, "entry");
    Objects.requireNonNull(at, "at");
    return inTransaction(connection, transaction -> appendUnderLock(transaction, entry, at));
  }

  private static Entry appendUnderLock(Connection connection, NewEntry entry, Instant at) throws SQLException {
    Instant storedAt = at.truncatedTo(ChronoUnit.MICROS);
    String details = canonicalJson(entry.details());
    try (PreparedStatement lock =
        connection.prepareStatement("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))")) {
      lock.setString(1, LOCK_NAMESPACE + entry.tenantId());
      lock.executeQuery().close();
    }
    long previousSeq = 0;
    String previousHash = GENESIS_HASH;
    try (PreparedStatement last = connection.prepareStatement(
        "SELECT seq, hash FROM audit_log WHERE tenant_id = ? ORDER BY seq DESC LIMIT 1")) {
      last.setString(1, entry.tenantId());
      try (ResultSet result = last.executeQuery()) {
        if (result.next()) {
          previousSeq = result.getLong(1);
          previousHash = result.getString(2);
        }
      }
    }
    long seq = previousSeq + 1;
    String hash = hash(canonicalForm(
        entry.tenantId(), seq, storedAt, entry.actor(), entry.action(), entry.subject(), details, previousHash));
    try (PreparedStatement insert = connection.prepareStatement(
        "INSERT INTO audit_log (" + ENTRY_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      insert.setString(1, entry.tenantId());
      insert.setLong(2, seq);
      insert.setObject(3, storedForm(storedAt));
      insert.setString(4, entry.actor());
      insert.setString(5, entry.action());
      insert.setString(6, entry.subject());
      insert.setString(7, details);
      insert.setString(8, previousHash);
      insert.setString(9, hash);
      insert.executeUpdate();
    }
    return new Entry(entry.tenantId(), seq, storedAt, entry.actor(), entry.action(), entry.subject(),
        parse(details), previousHash, hash);
  }

  /**
   * A page of the tenant's entries in chain order. Every filter but the tenant is optional (null); {@code action} is
   * an exact match; {@code afterSeq} is the last seq of the previous page (0 for the first).
   */
  public static List<Entry> list(
      Connection connection,
      String tenantId,
      Instant fromInclusive,
      Instant toExclusive,
      String action,
      String subject,
      long afterSeq,
      int limit)
      throws SQLException {
    Objects.requireNonNull(tenantId, "tenantId");
    if (limit <= 0) throw new IllegalArgumentException("limit must be positive, was " + limit);
    StringBuilder sql =
        new StringBuilder("SELECT " + ENTRY_COLUMNS + " FROM audit_log WHERE tenant_id = ? AND seq > ?");
    List<Object> parameters = new ArrayList<>(List.of(tenantId, afterSeq));
    if (fromInclusive != null) {
      sql.append(" AND at >= ?");
      parameters.add(storedForm(fromInclusive));
    }
    if (toExclusive != null) {
      sql.append(" AND at < ?");
      parameters.add(storedForm(toExclusive));
    }
    if (action != null) {
      sql.append(" AND action = ?");
      parameters.add(action);
    }
    if (subject != null) {
      sql.append(" AND subject = ?");
      parameters.add(subject);
    }
    sql.append(" ORDER BY seq LIMIT ?");
    parameters.add(limit);
    try (PreparedStatement select = connection.prepareStatement(sql.toString())) {
      for (int i = 0; i < parameters.size(); i++) select.setObject(i + 1, parameters.get(i));
      List<Entry> entries = new ArrayList<>();
      try (ResultSet result = select.executeQuery()) {
        while (result.next()) entries.add(readEntry(result));
      }
      return entries;
    }
  }

  /**
   * Recomputes the tenant's chain from the stored columns: every hash, every link to the previous hash, and seq
   * running from 1 without gaps, so a removed row shows up as the first seq that is missing. Streams the rows, which
   * PostgreSQL only does inside a transaction; on an autocommit connection it opens one of its own.
   */
  public static Verification verify(Connection connection, String tenantId) throws SQLException {
    Objects.requireNonNull(tenantId, "tenantId");
    return inTransaction(connection, transaction -> {
      try (PreparedStatement select = transaction.prepareStatement(
          "SELECT seq, at, actor, action, subject, details, prev_hash, hash FROM audit_log WHERE tenant_id = ?"
              + " ORDER BY seq")) {
        select.setFetchSize(VERIFY_FETCH_SIZE);
        select.setString(1, tenantId);
        long entries = 0;
        Long firstBrokenSeq = null;
        long expectedSeq = 1;
        String previousHash = GENESIS_HASH;
        try (ResultSet result = select.executeQuery()) {
          while (result.next()) {
            entries++;
            if (firstBrokenSeq != null) continue;
            long seq = result.getLong(1);
            String prevHash = result.getString(7);
            String hash = result.getString(8);
            if (seq != expectedSeq) {
              firstBrokenSeq = expectedSeq;
              continue;
            }
            String recomputed = hash(canonicalForm(tenantId, seq, readInstant(result, 2), result.getString(3),
                result.getString(4), result.getString(5), result.getString(6), prevHash));
            if (!previousHash.equals(prevHash) || !recomputed.equals(hash)) {
              firstBrokenSeq = seq;
              continue;
            }
            expectedSeq = seq + 1;
            previousHash = hash;
          }
        }
        return Verification.of(entries, firstBrokenSeq);
      }
    });
  }

  /** The hashed form of an entry; details is canonical JSON already and goes in verbatim. */
  private record CanonicalForm(
      String tenant,
      long seq,
      String at,
      String actor,
      String action,
      String subject,
      @JsonRawValue String details,
      String prevHash) {}

  static String canonicalForm(String tenantId, long seq, Instant at, String actor, String action, String subject,
      String canonicalDetails, String prevHash) {
    return write(new CanonicalForm(tenantId, seq, CANONICAL_TIME.format(at.truncatedTo(ChronoUnit.MICROS)), actor,
        action, subject, canonicalDetails, prevHash));
  }

  /** Compact JSON with the keys of every map sorted, so equal details always become equal text. */
  static String canonicalJson(Map<String, ?> details) {
    return write(details);
  }

  static String hash(String canonicalForm) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(sha.digest(canonicalForm.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JVM", e);
    }
  }

  private static String write(Object value) {
    try {
      return CANONICAL_JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("Audit details must be JSON values: " + e.getOriginalMessage(), e);
    }
  }

  private static JsonNode parse(String json) {
    try {
      return CANONICAL_JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Stored audit details are not JSON", e);
    }
  }

  private static Entry readEntry(ResultSet result) throws SQLException {
    return new Entry(result.getString(1), result.getLong(2), readInstant(result, 3), result.getString(4),
        result.getString(5), result.getString(6), parse(result.getString(7)), result.getString(8),
        result.getString(9));
  }

  /**
   * Truncated to the microsecond here rather than rounded by the driver, so that an entry appended at an instant is
   * found by a range starting at that same instant, and the stored time is the hashed time.
   */
  private static OffsetDateTime storedForm(Instant instant) {
    return OffsetDateTime.ofInstant(instant.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC);
  }

  private static Instant readInstant(ResultSet result, int column) throws SQLException {
    return result.getObject(column, OffsetDateTime.class).toInstant();
  }

  /** Runs the work in the caller's transaction, or in one of its own when the connection is in autocommit. */
  private static <T> T inTransaction(Connection connection, Jdbc.Work<T> work) throws SQLException {
    if (!connection.getAutoCommit()) return work.apply(connection);
    connection.setAutoCommit(false);
    try {
      T result = work.apply(connection);
      connection.commit();
      return result;
    } catch (SQLException | RuntimeException e) {
      try {
        connection.rollback();
      } catch (SQLException rollbackFailure) {
        e.addSuppressed(rollbackFailure);
      }
      throw e;
    } finally {
      connection.setAutoCommit(true);
    }
  }
}
