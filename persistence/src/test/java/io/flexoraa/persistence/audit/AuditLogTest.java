package io.flexoraa.persistence.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flexoraa.persistence.Jdbc.Work;
import io.flexoraa.persistence.TestDatabase;
import io.flexoraa.persistence.audit.AuditLog.Entry;
import io.flexoraa.persistence.audit.AuditLog.NewEntry;
import io.flexoraa.persistence.audit.AuditLog.Verification;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class AuditLogTest {
  private static final Instant START = Instant.parse("2025-03-01T10:00:00.123456789Z");
  private static TestDatabase db;

  @BeforeAll
  static void start() {
    db = TestDatabase.open();
  }

  @AfterAll
  static void stop() {
    db.close();
  }

  private static String tenant() {
    return "tenant-" + UUID.randomUUID();
  }

  private static Entry append(String tenant, String action, String subject, Instant at, Map<String, ?> details)
      throws SQLException {
    try (Connection connection = db.dataSource().getConnection()) {
      return AuditLog.append(connection, new NewEntry(tenant, "user-1", action, subject, details), at);
    }
  }

  private static List<Entry> chain(String tenant, int length) throws SQLException {
    List<Entry> entries = new ArrayList<>();
    for (int i = 0; i < length; i++) {
      entries.add(append(tenant, "lead.updated", "lead-" + i, START.plusSeconds(i), Map.of("step", i)));
    }
    return entries;
  }

  private static Verification verify(String tenant) throws SQLException {
    try (Connection connection = db.dataSource().getConnection()) {
      return AuditLog.verify(connection, tenant);
    }
  }

  private static List<Entry> listAll(String tenant) throws SQLException {
    try (Connection connection = db.dataSource().getConnection()) {
      return AuditLog.list(connection, tenant, null, null, null, null, 0, Integer.MAX_VALUE);
    }
  }

  /** Changes rows the way a DBA could: as superuser, with triggers switched off for this transaction only. */
  private static void tamperAsDba(String sql, Object... parameters) throws SQLException {
    try (Connection connection = db.dataSource().getConnection()) {
      connection.setAutoCommit(false);
      try (Statement replica = connection.createStatement()) {
        replica.execute("SET LOCAL session_replication_role = replica");
      }
      try (PreparedStatement change = connection.prepareStatement(sql)) {
        for (int i = 0; i < parameters.length; i++) change.setObject(i + 1, parameters[i]);
        assertThat(change.executeUpdate()).isEqualTo(1);
      }
      connection.commit();
      connection.setAutoCommit(true);
    }
  }

  private static String sha256(String text) throws Exception {
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    return HexFormat.of().formatHex(sha.digest(text.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void aChainOfEntriesVerifiesWithItsLength() throws Exception {
    String tenant = tenant();

    List<Entry> entries = chain(tenant, 5);

    assertThat(entries).extracting(Entry::seq).containsExactly(1L, 2L, 3L, 4L, 5L);
    assertThat(entries.get(0).prevHash()).isEqualTo(AuditLog.GENESIS_HASH);
    for (int i = 1; i < entries.size(); i++) {
      assertThat(entries.get(i).prevHash()).isEqualTo(entries.get(i - 1).hash());
    }
    assertThat(entries).extracting(Entry::hash).allMatch(hash -> hash.matches("[0-9a-f]{64}")).doesNotHaveDuplicates();
    assertThat(verify(tenant)).isEqualTo(new Verification(true, 5, null));
    assertThat(listAll(tenant)).isEqualTo(entries);
  }

  @Test
  void anEmptyChainIsValid() throws Exception {
    assertThat(verify(tenant())).isEqualTo(new Verification(true, 0, null));
  }

  @Test
  void seqIsContiguousPerTenantAndTenantsAreIndependent() throws Exception {
    String tenantA = tenant();
    String tenantB = tenant();

    append(tenantA, "lead.created", "a1", START, Map.of());
    append(tenantB, "lead.created", "b1", START, Map.of());
    append(tenantA, "lead.updated", "a1", START.plusSeconds(1), Map.of());
    append(tenantA, "lead.updated", "a1", START.plusSeconds(2), Map.of());
    append(tenantB, "lead.updated", "b1", START.plusSeconds(3), Map.of());

    assertThat(listAll(tenantA)).extracting(Entry::seq).containsExactly(1L, 2L, 3L);
    assertThat(listAll(tenantB)).extracting(Entry::seq).containsExactly(1L, 2L);
    assertThat(listAll(tenantB).get(0).prevHash()).isEqualTo(AuditLog.GENESIS_HASH);
    assertThat(verify(tenantA)).isEqualTo(new Verification(true, 3, null));
    assertThat(verify(tenantB)).isEqualTo(new Verification(true, 2, null));
  }

  @Test
  void anEntryInTheCallersTransactionRollsBackWithIt() throws Exception {
    String tenant = tenant();
    chain(tenant, 2);

    try (Connection connection = db.dataSource().getConnection()) {
      connection.setAutoCommit(false);
      Entry inside = AuditLog.append(connection, new NewEntry(tenant, "user-1", "lead.deleted", "lead-9", Map.of()),
          START.plusSeconds(10));
      assertThat(inside.seq()).isEqualTo(3);
      assertThat(AuditLog.verify(connection, tenant)).isEqualTo(new Verification(true, 3, null));
      connection.rollback();
      connection.setAutoCommit(true);
    }

    assertThat(append(tenant, "lead.updated", "lead-9", START.plusSeconds(11), Map.of()).seq()).isEqualTo(3);
    assertThat(verify(tenant)).isEqualTo(new Verification(true, 3, null));
  }

  @Test
  void eightThreadsAppendingConcurrentlyForOneTenantKeepOneUnbrokenChain() throws Exception {
    String tenant = tenant();
    int threads = 8;
    int appendsPerThread = 25;
    ExecutorService callers = Executors.newFixedThreadPool(threads);
    CountDownLatch go = new CountDownLatch(1);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int thread = 0; thread < threads; thread++) {
        int caller = thread;
        done.add(callers.submit(() -> {
          // A connection of its own outside the pool, whose size is below the number of threads.
          try (Connection connection =
              DriverManager.getConnection(db.database().jdbcUrl(), db.database().user(), db.database().password())) {
            go.await();
            for (int i = 0; i < appendsPerThread; i++) {
              // Half the callers append in a transaction of their own making, as a write would.
              boolean ownTransaction = caller % 2 == 0;
              connection.setAutoCommit(!ownTransaction);
              AuditLog.append(connection,
                  new NewEntry(tenant, "caller-" + caller, "lead.updated", "lead-" + i, Map.of("i", i)),
                  Instant.now());
              if (ownTransaction) connection.commit();
            }
          }
          return null;
        }));
      }
      go.countDown();
      for (Future<?> future : done) future.get(120, TimeUnit.SECONDS);
    } finally {
      callers.shutdownNow();
    }

    long total = (long) threads * appendsPerThread;
    assertThat(listAll(tenant)).extracting(Entry::seq).containsExactlyElementsOf(
        LongStream.rangeClosed(1, total).boxed().toList());
    assertThat(verify(tenant)).isEqualTo(new Verification(true, total, null));
  }

  @Test
  void updateDeleteAndTruncateAreRejectedByTheTriggers() throws Exception {
    String tenant = tenant();
    chain(tenant, 3);

    try (Connection connection = db.dataSource().getConnection(); Statement statement = connection.createStatement()) {
      assertThatThrownBy(() -> statement.executeUpdate(
              "UPDATE audit_log SET actor = 'someone-else' WHERE tenant_id = '" + tenant + "' AND seq = 2"))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("audit_log is append-only: UPDATE is not allowed");
      assertThatThrownBy(() -> statement.executeUpdate(
              "DELETE FROM audit_log WHERE tenant_id = '" + tenant + "' AND seq = 2"))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("audit_log is append-only: DELETE is not allowed");
      assertThatThrownBy(() -> statement.executeUpdate("TRUNCATE audit_log"))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("audit_log is append-only: TRUNCATE is not allowed");
    }

    assertThat(verify(tenant)).isEqualTo(new Verification(true, 3, null));
  }

  @Test
  void changedDetailsBreakTheChainAtThatEntry() throws Exception {
    String tenant = tenant();
    chain(tenant, 5);

    tamperAsDba("UPDATE audit_log SET details = '{\"step\":99}' WHERE tenant_id = ? AND seq = 3", tenant);

    assertThat(verify(tenant)).isEqualTo(new Verification(false, 5, 3L));
  }

  @Test
  void aDeletedEntryIsTheFirstBrokenLink() throws Exception {
    String tenant = tenant();
    chain(tenant, 5);

    tamperAsDba("DELETE FROM audit_log WHERE tenant_id = ? AND seq = 3", tenant);

    assertThat(verify(tenant)).isEqualTo(new Verification(false, 4, 3L));
  }

  @Test
  void aDeletedFirstEntryIsDetected() throws Exception {
    String tenant = tenant();
    chain(tenant, 3);

    tamperAsDba("DELETE FROM audit_log WHERE tenant_id = ? AND seq = 1", tenant);

    assertThat(verify(tenant)).isEqualTo(new Verification(false, 2, 1L));
  }

  @Test
  void changedTimeOrActorIsDetected() throws Exception {
    String timeTenant = tenant();
    String actorTenant = tenant();
    chain(timeTenant, 5);
    chain(actorTenant, 5);

    tamperAsDba("UPDATE audit_log SET at = at - interval '1 microsecond' WHERE tenant_id = ? AND seq = 2",
        timeTenant);
    tamperAsDba("UPDATE audit_log SET actor = 'someone-else' WHERE tenant_id = ? AND seq = 4", actorTenant);

    assertThat(verify(timeTenant)).isEqualTo(new Verification(false, 5, 2L));
    assertThat(verify(actorTenant)).isEqualTo(new Verification(false, 5, 4L));
  }

  @Test
  void aRewrittenEntryWithAFreshHashBreaksTheLinkFromTheNextOne() throws Exception {
    String tenant = tenant();
    List<Entry> entries = chain(tenant, 5);
    Entry third = entries.get(2);
    String forgedDetails = "{\"step\":99}";
    String forgedHash = AuditLog.hash(AuditLog.canonicalForm(tenant, 3, third.at(), third.actor(), third.action(),
        third.subject(), forgedDetails, third.prevHash()));

    tamperAsDba("UPDATE audit_log SET details = ?, hash = ? WHERE tenant_id = ? AND seq = 3", forgedDetails,
        forgedHash, tenant);

    assertThat(verify(tenant)).isEqualTo(new Verification(false, 5, 4L));
  }

  @Test
  void listFiltersByTimeActionAndSubjectAndPagesBySeq() throws Exception {
    String tenant = tenant();
    append(tenant, "lead.created", "lead-1", START, Map.of());
    append(tenant, "lead.updated", "lead-1", START.plus(Duration.ofMinutes(1)), Map.of());
    append(tenant, "lead.created", "lead-2", START.plus(Duration.ofMinutes(2)), Map.of());
    append(tenant, "lead.updated", "lead-2", START.plus(Duration.ofMinutes(3)), Map.of());
    append(tenant, "key.rotated", null, START.plus(Duration.ofMinutes(4)), Map.of());
    append(tenant(), "lead.created", "lead-1", START, Map.of());

    try (Connection connection = db.dataSource().getConnection()) {
      Instant from = START.plus(Duration.ofMinutes(1));
      Instant to = START.plus(Duration.ofMinutes(3));
      assertThat(AuditLog.list(connection, tenant, from, to, null, null, 0, 10))
          .extracting(Entry::seq).containsExactly(2L, 3L);
      assertThat(AuditLog.list(connection, tenant, from, null, null, null, 0, 10))
          .extracting(Entry::seq).containsExactly(2L, 3L, 4L, 5L);
      assertThat(AuditLog.list(connection, tenant, null, null, "lead.created", null, 0, 10))
          .extracting(Entry::subject).containsExactly("lead-1", "lead-2");
      assertThat(AuditLog.list(connection, tenant, null, null, "lead.", null, 0, 10)).isEmpty();
      assertThat(AuditLog.list(connection, tenant, null, null, null, "lead-2", 0, 10))
          .extracting(Entry::action).containsExactly("lead.created", "lead.updated");
      assertThat(AuditLog.list(connection, tenant, null, to, "lead.updated", "lead-1", 0, 10))
          .extracting(Entry::seq).containsExactly(2L);
      assertThat(AuditLog.list(connection, tenant, null, null, null, null, 0, 2))
          .extracting(Entry::seq).containsExactly(1L, 2L);
      assertThat(AuditLog.list(connection, tenant, null, null, null, null, 2, 2))
          .extracting(Entry::seq).containsExactly(3L, 4L);
      assertThat(AuditLog.list(connection, tenant, null, null, null, null, 4, 2))
          .extracting(Entry::seq).containsExactly(5L);
      assertThatThrownBy(() -> AuditLog.list(connection, tenant, null, null, null, null, 0, 0))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void theCanonicalFormIsCompactSortedJsonAndDetailsInAnyOrderHashAlike() throws Exception {
    String tenant = tenant();
    Map<String, Object> nestedOneWay = new LinkedHashMap<>();
    nestedOneWay.put("b", 2);
    nestedOneWay.put("a", List.of(3, "x", true));
    Map<String, Object> oneWay = new LinkedHashMap<>();
    oneWay.put("zeta", "last");
    oneWay.put("alpha", nestedOneWay);
    oneWay.put("empty", null);
    oneWay.put("ratio", 0.5);
    Map<String, Object> nestedOtherWay = new LinkedHashMap<>();
    nestedOtherWay.put("a", List.of(3, "x", true));
    nestedOtherWay.put("b", 2);
    Map<String, Object> otherWay = new LinkedHashMap<>();
    otherWay.put("ratio", 0.5);
    otherWay.put("empty", null);
    otherWay.put("alpha", nestedOtherWay);
    otherWay.put("zeta", "last");

    Entry stored = append(tenant, "lead.updated", "lead-1", START, oneWay);

    String details = "{\"alpha\":{\"a\":[3,\"x\",true],\"b\":2},\"empty\":null,\"ratio\":0.5,\"zeta\":\"last\"}";
    assertThat(AuditLog.canonicalJson(oneWay)).isEqualTo(details);
    assertThat(AuditLog.canonicalJson(otherWay)).isEqualTo(details);
    assertThat(db.queryString("SELECT details FROM audit_log WHERE tenant_id = ?", tenant)).isEqualTo(details);
    String canonical = "{\"action\":\"lead.updated\",\"actor\":\"user-1\",\"at\":\"2025-03-01T10:00:00.123456Z\","
        + "\"details\":" + details + ",\"prevHash\":\"" + AuditLog.GENESIS_HASH + "\",\"seq\":1,"
        + "\"subject\":\"lead-1\",\"tenant\":\"" + tenant + "\"}";
    assertThat(stored.at()).isEqualTo(Instant.parse("2025-03-01T10:00:00.123456Z"));
    assertThat(stored.hash()).isEqualTo(sha256(canonical));
    assertThat(AuditLog.hash(AuditLog.canonicalForm(tenant, 1, START, "user-1", "lead.updated", "lead-1",
            AuditLog.canonicalJson(otherWay), AuditLog.GENESIS_HASH)))
        .isEqualTo(stored.hash());
    assertThat(stored.details().toString()).isEqualTo(details);
  }

  @Test
  void aMissingSubjectAndWholeSecondsHaveOneCanonicalSpelling() throws Exception {
    String tenant = tenant();
    Instant wholeSecond = Instant.parse("2025-03-01T10:00:00Z");

    Entry stored = append(tenant, "key.rotated", null, wholeSecond, Map.of());

    assertThat(AuditLog.canonicalForm(tenant, 1, wholeSecond, "user-1", "key.rotated", null, "{}",
            AuditLog.GENESIS_HASH))
        .isEqualTo("{\"action\":\"key.rotated\",\"actor\":\"user-1\",\"at\":\"2025-03-01T10:00:00.000000Z\","
            + "\"details\":{},\"prevHash\":\"" + AuditLog.GENESIS_HASH + "\",\"seq\":1,\"subject\":null,"
            + "\"tenant\":\"" + tenant + "\"}");
    assertThat(verify(tenant)).isEqualTo(new Verification(true, 1, null));
    assertThat(stored.subject()).isNull();
  }

  @Test
  void theApplicationRoleSeesAndAppendsOnlyItsTenantsEntries() throws Exception {
    String tenantA = tenant();
    String tenantB = tenant();
    chain(tenantA, 3);
    chain(tenantB, 2);

    try (Connection connection = db.dataSource().getConnection()) {
      connection.setAutoCommit(false);
      try (Statement statement = connection.createStatement()) {
        statement.execute("SET LOCAL ROLE flexoraa_app");
        assertThat(count(connection, "SELECT count(*) FROM audit_log")).isZero();

        setTenant(connection, tenantA);
        assertThat(count(connection, "SELECT count(*) FROM audit_log")).isEqualTo(3);
        assertThat(count(connection, "SELECT count(*) FROM audit_log WHERE tenant_id <> '" + tenantA + "'")).isZero();

        Entry appended = AuditLog.append(connection,
            new NewEntry(tenantA, "api-key-1", "lead.exported", null, Map.of()), START.plusSeconds(60));
        assertThat(appended.seq()).isEqualTo(4);
        assertThat(AuditLog.verify(connection, tenantA)).isEqualTo(new Verification(true, 4, null));
        assertThat(AuditLog.verify(connection, tenantB)).isEqualTo(new Verification(true, 0, null));
      }
      connection.commit();

      // Outside its tenant the role may not write, and inside it may not change what is written.
      assertRejectedAsApplication(connection, tenantA, con -> AuditLog.append(con,
          new NewEntry(tenantB, "api-key-1", "lead.exported", null, Map.of()), START), "row-level security");
      assertRejectedAsApplication(connection, tenantA, con -> {
        try (Statement update = con.createStatement()) {
          update.executeUpdate("UPDATE audit_log SET actor = 'x'");
        }
        return null;
      }, "permission denied");
      connection.setAutoCommit(true);
    }

    assertThat(verify(tenantA)).isEqualTo(new Verification(true, 4, null));
    assertThat(verify(tenantB)).isEqualTo(new Verification(true, 2, null));
  }

  private static void assertRejectedAsApplication(
      Connection connection, String tenant, Work<?> work, String message)
      throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute("SET LOCAL ROLE flexoraa_app");
    }
    setTenant(connection, tenant);
    assertThatThrownBy(() -> work.apply(connection)).isInstanceOf(SQLException.class).hasMessageContaining(message);
    connection.rollback();
  }

  private static void setTenant(Connection connection, String tenant) throws SQLException {
    try (PreparedStatement set = connection.prepareStatement("SELECT set_config('app.tenant_id', ?, true)")) {
      set.setString(1, tenant);
      set.executeQuery().close();
    }
  }

  private static long count(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(sql)) {
      result.next();
      return result.getLong(1);
    }
  }
}
