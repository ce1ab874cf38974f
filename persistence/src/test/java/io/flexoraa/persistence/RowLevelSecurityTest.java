package io.flexoraa.persistence;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flexoraa.persistence.crypto.MasterKey;
import io.flexoraa.persistence.crypto.TinkPiiCipher;
import io.flexoraa.persistence.readmodel.LeadQueries;
import io.flexoraa.persistence.readmodel.LeadViews.LeadView;
import io.flexoraa.persistence.readmodel.LeadViews.MessageView;
import io.flexoraa.persistence.readmodel.LeadViews.Page;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The proof that tenant isolation holds in PostgreSQL itself: rows of tenants A and B written as the owner,
 * read through the API's pool (a role without BYPASSRLS), with and without {@code app.tenant_id}. The API's pool has a
 * single connection here, so "the same pooled connection" is certain rather than likely.
 */
class RowLevelSecurityTest {
  private static final String TENANT_A = "rls-tenant-a";
  private static final String TENANT_B = "rls-tenant-b";
  private static final String INSUFFICIENT_PRIVILEGE = "42501";

  @TempDir static Path directory;
  @TempDir static Path masterKeyDirectory;

  private static TestDatabase db;
  private static ExecutorService blocking;
  private static TenantJdbc tenantJdbc;
  private static TinkPiiCipher cipher;

  @BeforeAll
  static void start() throws Exception {
    db = TestDatabase.open(directory, 1);
    blocking = Executors.newFixedThreadPool(4);
    tenantJdbc = new TenantJdbc(db.database().apiDataSource(), blocking);
    cipher = new TinkPiiCipher(
        db.dataSource(), MasterKey.load(Optional.empty(), masterKeyDirectory).aead(), blocking, 100);
    String nameOfA1 = cipher.leadCipher(TENANT_A, "a1").toCompletableFuture().get(10, TimeUnit.SECONDS)
        .encrypt("Asha");
    String textOfA1 = cipher.leadCipher(TENANT_A, "a1").toCompletableFuture().get(10, TimeUnit.SECONDS)
        .encrypt("hello from A");
    try (Connection owner = db.dataSource().getConnection()) {
      insertLead(owner, TENANT_A, "a1", nameOfA1);
      insertLead(owner, TENANT_A, "a2", null);
      insertLead(owner, TENANT_B, "b1", null);
      insertMessage(owner, TENANT_A, "a1", "wamid.a1-1", textOfA1);
      insertMessage(owner, TENANT_A, "a1", "wamid.a1-2", null);
      insertMessage(owner, TENANT_B, "b1", "wamid.b1-1", null);
    }
  }

  @AfterAll
  static void stop() {
    blocking.shutdownNow();
    db.close();
  }

  @Test
  void withoutATenantTheApiRoleSeesNoRowsWhileTheOwnerSeesAll() throws SQLException {
    try (Connection api = db.database().apiDataSource().getConnection()) {
      assertThat(count(api, "SELECT count(*) FROM leads")).isZero();
      assertThat(count(api, "SELECT count(*) FROM lead_messages")).isZero();
      assertThat(count(api, "SELECT count(*) FROM leads WHERE tenant_id = '" + TENANT_B + "'")).isZero();
    }
    assertThat(db.queryLong("SELECT count(*) FROM leads WHERE tenant_id IN (?, ?)", TENANT_A, TENANT_B)).isEqualTo(3);
    assertThat(db.queryLong("SELECT count(*) FROM lead_messages WHERE tenant_id IN (?, ?)", TENANT_A, TENANT_B))
        .isEqualTo(3);
  }

  @Test
  void aTenantSeesOnlyItsOwnRowsEvenWhenItAsksForAnothersOrForAll() {
    List<String> leadsOfA =
        tenantJdbc.run(TENANT_A, connection -> rows(connection, "SELECT tenant_id, lead_id FROM leads"));
    assertThat(leadsOfA).containsExactlyInAnyOrder(TENANT_A + "/a1", TENANT_A + "/a2");
    List<String> messagesOfA = tenantJdbc.run(TENANT_A,
        connection -> rows(connection, "SELECT tenant_id, platform_message_id FROM lead_messages"));
    assertThat(messagesOfA).containsExactlyInAnyOrder(TENANT_A + "/wamid.a1-1", TENANT_A + "/wamid.a1-2");
    long leadsOfBAskedForByA = tenantJdbc.run(TENANT_A,
        connection -> count(connection, "SELECT count(*) FROM leads WHERE tenant_id = '" + TENANT_B + "'"));
    assertThat(leadsOfBAskedForByA).isZero();
    long messagesOfBAskedForByA = tenantJdbc.run(TENANT_A,
        connection -> count(connection, "SELECT count(*) FROM lead_messages WHERE lead_id = 'b1'"));
    assertThat(messagesOfBAskedForByA).isZero();
    List<String> leadsOfB =
        tenantJdbc.run(TENANT_B, connection -> rows(connection, "SELECT tenant_id, lead_id FROM leads"));
    assertThat(leadsOfB).containsExactly(TENANT_B + "/b1");
  }

  @Test
  void asyncUnitsOfWorkAreScopedLikeSynchronousOnes() throws Exception {
    List<String> leads =
        await(tenantJdbc.async(TENANT_B, connection -> rows(connection, "SELECT tenant_id, lead_id FROM leads")));
    assertThat(leads).containsExactly(TENANT_B + "/b1");
  }

  @Test
  void writingAnotherTenantsRowsIsRefused() {
    assertInsufficientPrivilege(() -> tenantJdbc.run(TENANT_A, connection -> update(connection,
        "INSERT INTO leads (tenant_id, lead_id, channel, created_at, updated_at)"
            + " VALUES ('" + TENANT_B + "', 'planted', 'whatsapp', now(), now())")));
    assertInsufficientPrivilege(() -> tenantJdbc.run(TENANT_A, connection -> update(connection,
        "UPDATE leads SET last_status = 'tampered' WHERE tenant_id = '" + TENANT_B + "'")));
    assertInsufficientPrivilege(() -> tenantJdbc.run(TENANT_A, connection -> update(connection,
        "INSERT INTO lead_messages (tenant_id, lead_id, platform_message_id, direction, channel)"
            + " VALUES ('" + TENANT_B + "', 'b1', 'wamid.planted', 'inbound', 'whatsapp')")));
    assertInsufficientPrivilege(() -> tenantJdbc.run(TENANT_A, connection -> update(connection,
        "DELETE FROM lead_messages WHERE tenant_id = '" + TENANT_B + "'")));

    assertThat(db.queryLong("SELECT count(*) FROM leads WHERE tenant_id = ?", TENANT_B)).isEqualTo(1);
    assertThat(db.queryString("SELECT last_status FROM leads WHERE tenant_id = ?", TENANT_B)).isNull();
    assertThat(db.queryLong("SELECT count(*) FROM lead_messages WHERE tenant_id = ?", TENANT_B)).isEqualTo(1);
  }

  @Test
  void theApplicationRoleCannotBypassRowSecurityAndOwnsNothing() throws SQLException {
    String role = db.database().apiUser();
    assertThat(role).isEqualTo("flexoraa_api");
    assertThat(db.queryString("SELECT rolbypassrls::text FROM pg_roles WHERE rolname = ?", role)).isEqualTo("false");
    assertThat(db.queryString("SELECT rolsuper::text FROM pg_roles WHERE rolname = ?", role)).isEqualTo("false");
    assertThat(db.queryString("SELECT rolcreaterole::text FROM pg_roles WHERE rolname = ?", role)).isEqualTo("false");
    assertThat(db.queryString("SELECT rolcreatedb::text FROM pg_roles WHERE rolname = ?", role)).isEqualTo("false");
    assertThat(db.queryString("SELECT rolcanlogin::text FROM pg_roles WHERE rolname = ?", role)).isEqualTo("true");
    assertThat(db.queryString("SELECT pg_has_role(?, 'flexoraa_app', 'MEMBER')::text", role)).isEqualTo("true");
    assertThat(db.queryLong(
            "SELECT count(*) FROM pg_class WHERE relowner = (SELECT oid FROM pg_roles WHERE rolname = ?)", role))
        .isZero();
    try (Connection api = db.database().apiDataSource().getConnection();
        Statement statement = api.createStatement();
        ResultSet row = statement.executeQuery("SELECT current_user")) {
      row.next();
      assertThat(row.getString(1)).isEqualTo(role);
    }
  }

  @Test
  void aPooledConnectionForgetsTheTenantAfterEachUnitOfWork() throws SQLException {
    int backend = tenantJdbc.run(TENANT_A, RowLevelSecurityTest::backendPid);
    assertUnscoped(backend);

    RuntimeException failure = new IllegalStateException("the request failed half-way");
    assertThatThrownBy(() -> tenantJdbc.run(TENANT_A, connection -> {
          assertThat(count(connection, "SELECT count(*) FROM leads")).isEqualTo(2);
          throw failure;
        }))
        .isSameAs(failure);
    assertUnscoped(backend);

    assertThatThrownBy(() -> tenantJdbc.run(TENANT_A, connection -> update(connection, "SELECT 1/0")))
        .isInstanceOf(Jdbc.DatabaseException.class);
    assertUnscoped(backend);
  }

  @Test
  void aMissingTenantIsRejectedBeforeAnyQuery() {
    for (String missing : new String[] {null, "", "  "}) {
      assertThatThrownBy(() -> tenantJdbc.run(missing, connection -> 1)).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> tenantJdbc.async(missing, connection -> 1))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void leadQueriesOnTheApiPoolReadTheirTenantAndNothingElse() throws Exception {
    LeadQueries queries = new LeadQueries(tenantJdbc, cipher);

    Page<LeadView> leadsOfA = await(queries.list(TENANT_A, 50, 0, Optional.empty()));
    assertThat(leadsOfA.total()).isEqualTo(2);
    assertThat(leadsOfA.items()).extracting(LeadView::id).containsExactlyInAnyOrder("a1", "a2");
    assertThat(await(queries.list(TENANT_A, 50, 0, Optional.of("no-such-phone"))).total()).isZero();

    Optional<LeadView> a1 = await(queries.get(TENANT_A, "a1"));
    assertThat(a1).isPresent();
    assertThat(a1.get().name()).isEqualTo("Asha");
    assertThat(await(queries.get(TENANT_A, "b1"))).isEmpty();

    Page<MessageView> messagesOfA1 = await(queries.messages(TENANT_A, "a1", 50, 0));
    assertThat(messagesOfA1.total()).isEqualTo(2);
    assertThat(messagesOfA1.items()).extracting(MessageView::text).contains("hello from A");
    assertThat(await(queries.messages(TENANT_A, "b1", 50, 0)).items()).isEmpty();
    assertThat(await(queries.list(TENANT_B, 50, 0, Optional.empty())).items()).extracting(LeadView::id)
        .containsExactly("b1");
  }

  @Test
  void aRestartReusesTheStoredPassword(@TempDir Path restarted) throws Exception {
    Path file = restarted.resolve(ApplicationRole.PASSWORD_FILE);
    String first;
    try (TestDatabase once = TestDatabase.open(restarted)) {
      first = Files.readString(file).trim();
      assertThat(first).hasSizeGreaterThanOrEqualTo(40);
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
      assertThat(scramVerifierMatches(once, "flexoraa_api", first)).isTrue();
    }
    try (TestDatabase twice = TestDatabase.open(restarted)) {
      assertThat(Files.readString(file).trim()).isEqualTo(first);
      assertThat(scramVerifierMatches(twice, "flexoraa_api", first)).isTrue();
      assertThat(count(twice.database().apiDataSource(), "SELECT count(*) FROM leads")).isZero();
    }
  }

  /**
   * An external database whose owner may not create roles: the start names the statements an administrator must run,
   * works once they have, and refuses a role that could bypass the policies.
   */
  @Test
  void anOwnerWithoutCreateRoleIsToldWhatToRunAndAPrivilegedRoleIsRefused(@TempDir Path nodeDirectory) {
    db.execute(
        "CREATE ROLE rls_limited_owner LOGIN NOSUPERUSER NOCREATEROLE NOCREATEDB",
        "CREATE DATABASE rls_limited OWNER rls_limited_owner");
    String url = db.database().jdbcUrl().replaceFirst("/postgres\\?.*$", "/rls_limited");
    DatabaseSettings settings = new DatabaseSettings(Optional.of(url), "rls_limited_owner", "unused-with-trust",
        nodeDirectory, 2, 1, "rls_limited_api", Optional.of("chosen-by-the-operator"), 1);

    assertThatThrownBy(() -> Database.open(settings))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("CREATE ROLE rls_limited_api LOGIN PASSWORD '<password>' NOSUPERUSER NOBYPASSRLS"
            + " NOCREATEROLE NOCREATEDB;")
        .hasMessageContaining("GRANT flexoraa_app TO rls_limited_api;")
        .hasMessageContaining("DATABASE_APP_PASSWORD");

    db.execute(
        "CREATE ROLE rls_limited_api LOGIN PASSWORD 'chosen-by-the-operator' NOSUPERUSER NOBYPASSRLS NOCREATEROLE"
            + " NOCREATEDB",
        "GRANT flexoraa_app TO rls_limited_api");
    try (Database database = Database.open(settings)) {
      assertThat(database.apiUser()).isEqualTo("rls_limited_api");
      assertThat(count(database.apiDataSource(), "SELECT count(*) FROM leads")).isZero();
    }

    db.execute("ALTER ROLE rls_limited_api BYPASSRLS");
    assertThatThrownBy(() -> Database.open(settings))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("BYPASSRLS");
    db.execute("ALTER ROLE rls_limited_api NOBYPASSRLS SUPERUSER");
    assertThatThrownBy(() -> Database.open(settings))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("SUPERUSER");
    db.execute("ALTER ROLE rls_limited_api NOSUPERUSER");

    DatabaseSettings asOwner = new DatabaseSettings(Optional.of(url), "rls_limited_owner", "unused-with-trust",
        nodeDirectory, 2, 1, "rls_limited_owner", Optional.of("chosen-by-the-operator"), 1);
    assertThatThrownBy(() -> Database.open(asOwner))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("owns the schema");
  }

  // ---- helpers ----

  private static void insertLead(Connection owner, String tenant, String lead, String nameEnc) throws SQLException {
    try (PreparedStatement insert = owner.prepareStatement(
        "INSERT INTO leads (tenant_id, lead_id, channel, name_enc, last_inbound_at, created_at, updated_at)"
            + " VALUES (?, ?, 'whatsapp', ?, now(), now(), now())")) {
      insert.setString(1, tenant);
      insert.setString(2, lead);
      insert.setString(3, nameEnc);
      insert.executeUpdate();
    }
  }

  private static void insertMessage(Connection owner, String tenant, String lead, String messageId, String textEnc)
      throws SQLException {
    try (PreparedStatement insert = owner.prepareStatement(
        "INSERT INTO lead_messages (tenant_id, lead_id, platform_message_id, direction, channel, text_enc, sent_at)"
            + " VALUES (?, ?, ?, 'inbound', 'whatsapp', ?, now())")) {
      insert.setString(1, tenant);
      insert.setString(2, lead);
      insert.setString(3, messageId);
      insert.setString(4, textEnc);
      insert.executeUpdate();
    }
  }

  private static long count(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(sql)) {
      row.next();
      return row.getLong(1);
    }
  }

  private static long count(DataSource dataSource, String sql) {
    try (Connection connection = dataSource.getConnection()) {
      return count(connection, sql);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Two text columns joined as "first/second", so that a stray row of the other tenant shows in the failure. */
  private static List<String> rows(Connection connection, String sql) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(sql)) {
      while (row.next()) rows.add(row.getString(1) + "/" + row.getString(2));
    }
    return rows;
  }

  private static int update(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(sql);
      return statement.getUpdateCount();
    }
  }

  private static int backendPid(Connection connection) throws SQLException {
    return (int) count(connection, "SELECT pg_backend_pid()");
  }

  /** The pool's only connection, used outside TenantJdbc: no tenant setting left over, so no rows. */
  private static void assertUnscoped(int expectedBackend) throws SQLException {
    try (Connection api = db.database().apiDataSource().getConnection()) {
      assertThat(backendPid(api)).as("the pool's single connection").isEqualTo(expectedBackend);
      try (Statement statement = api.createStatement();
          ResultSet row = statement.executeQuery("SELECT current_setting('app.tenant_id', true)")) {
        row.next();
        assertThat(row.getString(1)).isNullOrEmpty();
      }
      assertThat(count(api, "SELECT count(*) FROM leads")).isZero();
      assertThat(count(api, "SELECT count(*) FROM lead_messages")).isZero();
    }
  }

  private static void assertInsufficientPrivilege(Runnable write) {
    assertThatThrownBy(write::run)
        .isInstanceOf(Jdbc.DatabaseException.class)
        .cause()
        .isInstanceOf(SQLException.class)
        .satisfies(cause -> assertThat(((SQLException) cause).getSQLState()).isEqualTo(INSUFFICIENT_PRIVILEGE));
  }

  private static <T> T await(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /**
   * Whether the role's stored SCRAM verifier was made from {@code password}. The embedded server trusts local
   * connections, so logging in proves nothing about the password; the verifier does.
   */
  private static boolean scramVerifierMatches(TestDatabase database, String role, String password) throws Exception {
    String verifier = database.queryString("SELECT rolpassword FROM pg_authid WHERE rolname = ?", role);
    assertThat(verifier).startsWith("SCRAM-SHA-256$");
    // SCRAM-SHA-256$<iterations>:<salt>$<stored key>:<server key>
    String[] parts = verifier.split("[$:]");
    int iterations = Integer.parseInt(parts[1]);
    byte[] salt = Base64.getDecoder().decode(parts[2]);
    byte[] storedKey = Base64.getDecoder().decode(parts[3]);
    byte[] saltedPassword = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
        .generateSecret(new PBEKeySpec(password.toCharArray(), salt, iterations, 256))
        .getEncoded();
    Mac hmac = Mac.getInstance("HmacSHA256");
    hmac.init(new SecretKeySpec(saltedPassword, "HmacSHA256"));
    byte[] clientKey = hmac.doFinal("Client Key".getBytes(UTF_8));
    return MessageDigest.isEqual(MessageDigest.getInstance("SHA-256").digest(clientKey), storedKey);
  }
}
