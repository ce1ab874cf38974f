package io.flexoraa.persistence;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection pools the engine's own SQL uses (read models, directory, identity index, keys), with the schema
 * migrated by Flyway before anything else touches it. The Pekko journal uses its own Slick pool on the same URL.
 *
 * <p>Two pools log in as the schema owner; the API's pool logs in as the application role instead, so that
 * PostgreSQL's row-level security applies to everything the API reads (docs/decisions/0008-row-level-security.md).
 */
public final class Database implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Database.class);

  private final String jdbcUrl;
  private final String user;
  private final String password;
  private final HikariDataSource dataSource;
  private final HikariDataSource projectionDataSource;
  private final HikariDataSource apiDataSource;
  private final String apiUser;
  private final EmbeddedDatabaseServer embedded;

  private Database(String jdbcUrl, String user, String password, HikariDataSource dataSource,
      HikariDataSource projectionDataSource, HikariDataSource apiDataSource, String apiUser,
      EmbeddedDatabaseServer embedded) {
    this.jdbcUrl = jdbcUrl;
    this.user = user;
    this.password = password;
    this.dataSource = dataSource;
    this.projectionDataSource = projectionDataSource;
    this.apiDataSource = apiDataSource;
    this.apiUser = apiUser;
    this.embedded = embedded;
  }

  private static HikariDataSource pool(String jdbcUrl, String user, String password, String name, int size) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(jdbcUrl);
    config.setUsername(user);
    config.setPassword(password);
    config.setMaximumPoolSize(size);
    config.setPoolName(name);
    return new HikariDataSource(config);
  }

  /**
   * Starts the embedded server when no URL is configured, migrates the schema, then sets up the API's role and pool.
   * Whatever fails on the way closes what was already open, so a refused start leaves no server or pool behind.
   */
  public static Database open(DatabaseSettings settings) {
    EmbeddedDatabaseServer embedded =
        settings.url().isPresent() ? null : EmbeddedDatabaseServer.start(settings.dataDirectory());
    String jdbcUrl = embedded == null ? settings.url().get() : embedded.jdbcUrl();
    String user = embedded == null ? settings.user() : "postgres";
    String password = embedded == null ? settings.password() : "postgres";
    HikariDataSource dataSource = null;
    HikariDataSource projectionDataSource = null;
    HikariDataSource apiDataSource = null;
    try {
      dataSource = pool(jdbcUrl, user, password, "flexoraa", settings.poolSize());
      Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
      ApplicationRole.Credentials api = ApplicationRole.ensure(dataSource, settings, embedded != null);
      apiDataSource = apiPool(DatabaseSettings.withoutCredentials(jdbcUrl), api, settings.apiPoolSize());
      ApplicationRole.verify(apiDataSource, api.user());
      projectionDataSource = pool(jdbcUrl, user, password, "flexoraa-projections", settings.projectionPoolSize());
      log.info("API connections log in as database role {}, subject to row-level security", api.user());
      return new Database(
          jdbcUrl, user, password, dataSource, projectionDataSource, apiDataSource, api.user(), embedded);
    } catch (RuntimeException e) {
      try {
        closeAll(apiDataSource, projectionDataSource, dataSource, embedded);
      } catch (RuntimeException closing) {
        e.addSuppressed(closing);
      }
      throw e;
    }
  }

  private static HikariDataSource apiPool(String jdbcUrl, ApplicationRole.Credentials api, int size) {
    try {
      return pool(jdbcUrl, api.user(), api.password(), "flexoraa-api", size);
    } catch (RuntimeException e) {
      throw new IllegalStateException("The API could not log in to the database as " + api.user()
          + " (check DATABASE_APP_PASSWORD and pg_hba.conf): " + e.getMessage(), e);
    }
  }

  /** The hot path's pool: identity index, keys, directory, unrouted store. Logged in as the owner. */
  public DataSource dataSource() {
    return dataSource;
  }

  /** The projections' own pool: their long group transactions never take a connection the hot path needs. */
  public DataSource projectionDataSource() {
    return projectionDataSource;
  }

  /**
   * The API's pool, logged in as {@link #apiUser()}: row-level security applies, so use it through {@link TenantJdbc},
   * which scopes each transaction to one tenant; without that scope its queries see no tenant rows at all.
   */
  public DataSource apiDataSource() {
    return apiDataSource;
  }

  /** The role the API's pool logs in as (flexoraa.database.app-user). */
  public String apiUser() {
    return apiUser;
  }

  public String jdbcUrl() {
    return jdbcUrl;
  }

  public String user() {
    return user;
  }

  public String password() {
    return password;
  }

  public boolean isEmbedded() {
    return embedded != null;
  }

  @Override
  public void close() {
    closeAll(apiDataSource, projectionDataSource, dataSource, embedded);
  }

  private static void closeAll(AutoCloseable... resources) {
    RuntimeException failure = null;
    for (AutoCloseable resource : resources) {
      if (resource == null) continue;
      try {
        resource.close();
      } catch (Exception e) {
        if (failure == null) failure = new IllegalStateException("Could not close the database cleanly", e);
        else failure.addSuppressed(e);
      }
    }
    if (failure != null) throw failure;
  }
}
