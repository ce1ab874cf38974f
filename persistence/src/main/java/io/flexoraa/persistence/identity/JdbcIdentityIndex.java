package io.flexoraa.persistence.identity;

import io.flexoraa.persistence.LruCache;
import io.flexoraa.engine.ports.IdentityIndex;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/**
 * The identity index on PostgreSQL. The primary key (tenant_id, identifier_index) decides every race: claims are
 * INSERT ... ON CONFLICT DO NOTHING, and the answer is always read back from the table, never assumed.
 *
 * <p>Ownership rule, the same on every path: the lead owning the first identifier of the request wins; when that
 * one is new, the owner of the first later identifier that has one; when none has, the candidate.
 */
public final class JdbcIdentityIndex implements IdentityIndex {
  /** Retries are for lost races and deadlock victims; a handful is plenty because each retry sees the winner. */
  private static final int ATTEMPTS = 5;

  private static final String SELECT_OWNERS =
      "SELECT identifier_index, lead_id FROM lead_identities WHERE tenant_id = ? AND identifier_index = ANY(?)";
  /** Rows go in sorted by key so that two transactions claiming overlapping identifiers lock them in one order. */
  private static final String CLAIM =
      "INSERT INTO lead_identities (tenant_id, identifier_index, kind, lead_id)"
          + " SELECT ?, claimed.identifier_index, claimed.kind, ?"
          + " FROM unnest(?::text[], ?::text[]) AS claimed(identifier_index, kind)"
          + " ORDER BY claimed.identifier_index"
          + " ON CONFLICT DO NOTHING RETURNING identifier_index";
  private static final String REASSIGN =
      "INSERT INTO lead_identities (tenant_id, identifier_index, kind, lead_id)"
          + " SELECT ?, claimed.identifier_index, claimed.kind, ?"
          + " FROM unnest(?::text[], ?::text[]) AS claimed(identifier_index, kind)"
          + " ORDER BY claimed.identifier_index"
          + " ON CONFLICT (tenant_id, identifier_index) DO UPDATE SET lead_id = EXCLUDED.lead_id";
  private static final String FIND =
      "SELECT lead_id FROM lead_identities WHERE tenant_id = ? AND identifier_index = ?";
  /**
   * One statement, so one transaction: the lead's rows leave lead_identities and land in erased_identifiers together.
   * Counts what was deleted; a repeat deletes nothing and counts 0.
   */
  private static final String RETIRE =
      "WITH retired AS ("
          + " DELETE FROM lead_identities WHERE tenant_id = ? AND lead_id = ? RETURNING identifier_index, kind),"
          + " erased AS ("
          + " INSERT INTO erased_identifiers (tenant_id, identifier_index, kind, lead_id, erased_at)"
          + " SELECT ?, identifier_index, kind, ?, now() FROM retired ON CONFLICT DO NOTHING)"
          + " SELECT count(*) FROM retired";
  private static final String WAS_ERASED =
      "SELECT EXISTS (SELECT 1 FROM erased_identifiers WHERE tenant_id = ? AND identifier_index = ?)";

  private final DataSource dataSource;
  private final Executor blockingExecutor;
  private final LruCache<IdentityId, String> owners;
  /** Bumped by every reassign and retirement so that a read which started before it does not cache the old owner. */
  private final AtomicLong reassignments = new AtomicLong();

  public JdbcIdentityIndex(DataSource dataSource, Executor blockingExecutor, int cacheSize) {
    if (cacheSize < 1) throw new IllegalArgumentException("cacheSize must be positive, was " + cacheSize);
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    this.blockingExecutor = Objects.requireNonNull(blockingExecutor, "blockingExecutor");
    this.owners = new LruCache<>(cacheSize);
  }

  @Override
  public CompletionStage<Resolution> resolve(
      String tenantId, List<IdentityKey> identifiers, String candidateLeadId) {
    if (identifiers.isEmpty()) {
      return CompletableFuture.failedFuture(new IllegalArgumentException("resolve needs at least one identifier"));
    }
    Objects.requireNonNull(candidateLeadId, "candidateLeadId");
    String cached = ownerFromCache(tenantId, identifiers);
    if (cached != null) return CompletableFuture.completedStage(new Resolution(cached, false));
    long generation = reassignments.get();
    return CompletableFuture.supplyAsync(
        () -> resolveInStore(tenantId, distinct(identifiers), candidateLeadId, generation), blockingExecutor);
  }

  @Override
  public CompletionStage<Void> reassign(String tenantId, String leadId, List<IdentityKey> identifiers) {
    Objects.requireNonNull(leadId, "leadId");
    if (identifiers.isEmpty()) return CompletableFuture.completedStage(null);
    Map<String, String> kinds = distinct(identifiers);
    return CompletableFuture.runAsync(
        () -> {
          try (Connection connection = dataSource.getConnection()) {
            write(connection, REASSIGN, tenantId, leadId, kinds).close();
          } catch (SQLException e) {
            throw new IllegalStateException("Could not reassign identifiers of tenant " + tenantId, e);
          }
          owners.invalidate(keysOf(tenantId, kinds.keySet()), reassignments);
        },
        blockingExecutor);
  }

  @Override
  public CompletionStage<Optional<String>> find(String tenantId, IdentityKey identifier) {
    String cached = owners.get(new IdentityId(tenantId, identifier.index()));
    if (cached != null) return CompletableFuture.completedStage(Optional.of(cached));
    long generation = reassignments.get();
    return CompletableFuture.supplyAsync(
        () -> {
          try (Connection connection = dataSource.getConnection();
              PreparedStatement select = connection.prepareStatement(FIND)) {
            select.setString(1, tenantId);
            select.setString(2, identifier.index());
            try (ResultSet rows = select.executeQuery()) {
              if (!rows.next()) return Optional.empty();
              String owner = rows.getString(1);
              owners.putAllUnlessChanged(Map.of(new IdentityId(tenantId, identifier.index()), owner), reassignments, generation);
              return Optional.of(owner);
            }
          } catch (SQLException e) {
            throw new IllegalStateException("Could not look up an identifier of tenant " + tenantId, e);
          }
        },
        blockingExecutor);
  }

  @Override
  public CompletionStage<Integer> retireLead(String tenantId, String leadId) {
    Objects.requireNonNull(leadId, "leadId");
    return CompletableFuture.supplyAsync(
        () -> {
          int retired;
          try (Connection connection = dataSource.getConnection();
              PreparedStatement retire = connection.prepareStatement(RETIRE)) {
            retire.setString(1, tenantId);
            retire.setString(2, leadId);
            retire.setString(3, tenantId);
            retire.setString(4, leadId);
            try (ResultSet rows = retire.executeQuery()) {
              rows.next();
              retired = rows.getInt(1);
            }
          } catch (SQLException e) {
            throw new IllegalStateException("Could not retire the identifiers of a lead of tenant " + tenantId, e);
          }
          // after the commit, so that a resolve racing this one cannot cache the old owner again
          evictLead(tenantId, leadId);
          return retired;
        },
        blockingExecutor);
  }

  @Override
  public void evictLead(String tenantId, String leadId) {
    owners.invalidateWhere(
        (identity, owner) -> identity.tenantId().equals(tenantId) && owner.equals(leadId), reassignments);
  }

  @Override
  public CompletionStage<Boolean> wasErased(String tenantId, String identifierIndex) {
    return CompletableFuture.supplyAsync(
        () -> {
          try (Connection connection = dataSource.getConnection();
              PreparedStatement select = connection.prepareStatement(WAS_ERASED)) {
            select.setString(1, tenantId);
            select.setString(2, identifierIndex);
            try (ResultSet rows = select.executeQuery()) {
              rows.next();
              return rows.getBoolean(1);
            }
          } catch (SQLException e) {
            throw new IllegalStateException("Could not look up an erased identifier of tenant " + tenantId, e);
          }
        },
        blockingExecutor);
  }

  /**
   * Answers only when the first identifier's owner is known (it wins by the rule) and every other identifier is
   * known too (so there is nothing to attach). Anything less goes to the store, which applies the same rule.
   */
  private String ownerFromCache(String tenantId, List<IdentityKey> identifiers) {
    String owner = owners.get(new IdentityId(tenantId, identifiers.get(0).index()));
    if (owner == null) return null;
    for (int i = 1; i < identifiers.size(); i++) {
      if (owners.get(new IdentityId(tenantId, identifiers.get(i).index())) == null) return null;
    }
    return owner;
  }

  private Resolution resolveInStore(
      String tenantId, Map<String, String> kinds, String candidateLeadId, long generation) {
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      try (Connection connection = dataSource.getConnection()) {
        connection.setAutoCommit(false);
        try {
          Settled settled = settle(connection, tenantId, kinds, candidateLeadId);
          if (settled == null) {
            connection.rollback();
            continue;
          }
          connection.commit();
          owners.putAllUnlessChanged(keyed(tenantId, settled.owners()), reassignments, generation);
          return settled.resolution();
        } catch (SQLException e) {
          connection.rollback();
          if (!isRetryable(e) || attempt == ATTEMPTS) throw e;
        } finally {
          connection.setAutoCommit(true);
        }
      } catch (SQLException e) {
        throw new IllegalStateException("Could not resolve identifiers of tenant " + tenantId, e);
      }
    }
    throw new IllegalStateException(
        "Could not settle the owner of identifiers of tenant " + tenantId + " after " + ATTEMPTS + " attempts");
  }

  /**
   * One short transaction: read the owners, then claim the unowned identifiers. Returns null (roll back, try again)
   * when a new lead's claim lost any identifier to a concurrent resolve: committing would split one person over two
   * leads, while the retry sees the winner's rows and joins its lead, exactly as if the two had run one after the
   * other. An existing lead's claim that loses an identifier is kept; that identifier already has an owner.
   */
  private static Settled settle(
      Connection connection, String tenantId, Map<String, String> kinds, String candidateLeadId)
      throws SQLException {
    Map<String, String> found = selectOwners(connection, tenantId, kinds);
    String target = null;
    for (String index : kinds.keySet()) {
      target = found.get(index);
      if (target != null) break;
    }
    if (target == null) {
      if (claim(connection, tenantId, candidateLeadId, kinds, found) < kinds.size()) return null;
      return new Settled(found, new Resolution(candidateLeadId, true));
    }
    Map<String, String> missing = new LinkedHashMap<>(kinds);
    missing.keySet().removeAll(found.keySet());
    if (!missing.isEmpty() && claim(connection, tenantId, target, missing, found) < missing.size()) {
      found = selectOwners(connection, tenantId, kinds);
    }
    String winner = found.get(kinds.keySet().iterator().next());
    if (winner == null) return null;
    return new Settled(found, new Resolution(winner, false));
  }

  /** Inserts what nobody owns yet, records the rows it won in {@code owners}, and says how many that was. */
  private static int claim(
      Connection connection, String tenantId, String leadId, Map<String, String> kinds, Map<String, String> owners)
      throws SQLException {
    int claimed = 0;
    try (PreparedStatement claim = write(connection, CLAIM, tenantId, leadId, kinds);
        ResultSet rows = claim.getResultSet()) {
      while (rows.next()) {
        owners.put(rows.getString(1), leadId);
        claimed++;
      }
    }
    return claimed;
  }

  private static Map<String, String> selectOwners(Connection connection, String tenantId, Map<String, String> kinds)
      throws SQLException {
    Map<String, String> found = new HashMap<>();
    try (PreparedStatement select = connection.prepareStatement(SELECT_OWNERS)) {
      Array indexes = connection.createArrayOf("text", kinds.keySet().toArray());
      select.setString(1, tenantId);
      select.setArray(2, indexes);
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) found.put(rows.getString(1), rows.getString(2));
      }
      indexes.free();
    }
    return found;
  }

  /** Runs CLAIM or REASSIGN; the statement is returned open so that CLAIM's RETURNING rows can be read. */
  private static PreparedStatement write(
      Connection connection, String sql, String tenantId, String leadId, Map<String, String> kinds)
      throws SQLException {
    List<String> sorted = new ArrayList<>(kinds.keySet());
    sorted.sort(null);
    String[] indexes = sorted.toArray(String[]::new);
    String[] kindsInOrder = sorted.stream().map(kinds::get).toArray(String[]::new);
    PreparedStatement statement = connection.prepareStatement(sql);
    try {
      statement.setString(1, tenantId);
      statement.setString(2, leadId);
      statement.setArray(3, connection.createArrayOf("text", indexes));
      statement.setArray(4, connection.createArrayOf("text", kindsInOrder));
      statement.execute();
      return statement;
    } catch (SQLException e) {
      statement.close();
      throw e;
    }
  }

  /** Deadlock victim or serialization failure: the other transaction finished, so a retry will see its result. */
  private static boolean isRetryable(SQLException e) {
    return "40P01".equals(e.getSQLState()) || "40001".equals(e.getSQLState());
  }

  /** Index to kind, first occurrence wins, request order kept (the order decides the owner). */
  private static Map<String, String> distinct(List<IdentityKey> identifiers) {
    Map<String, String> kinds = new LinkedHashMap<>();
    for (IdentityKey identifier : identifiers) kinds.putIfAbsent(identifier.index(), identifier.kind());
    return kinds;
  }

  private record IdentityId(String tenantId, String index) {}

  private record Settled(Map<String, String> owners, Resolution resolution) {}

  /**
   * Least-recently-used map behind one lock. Every read reorders the map, so reads take the lock too; the critical
   * section is a hash lookup and a relink, far below contention at the engine's message rates.
   */

  private static java.util.List<IdentityId> keysOf(String tenantId, java.util.Collection<String> indexes) {
    return indexes.stream().map(index -> new IdentityId(tenantId, index)).toList();
  }

  private static Map<IdentityId, String> keyed(String tenantId, Map<String, String> ownersByIndex) {
    Map<IdentityId, String> keyed = new java.util.HashMap<>();
    ownersByIndex.forEach((index, leadId) -> keyed.put(new IdentityId(tenantId, index), leadId));
    return keyed;
  }
}
