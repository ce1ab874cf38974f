package io.flexoraa.persistence;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The connection pools the engine's own SQL uses (read models, directory, identity index, keys), with the schema
 * migrated by Flyway before anything else touches it. The Pekko journal uses its own Slick pool on the same URL.
 */
public final class Database implements AutoCloseable {
  private final String jdbcUrl;
  private final String user;
  private final String password;
  private final HikariDataSource dataSource;
  private final HikariDataSource projectionDataSource;
  private final EmbeddedDatabaseServer embedded;

  private Database(String jdbcUrl, String user, String password, DatabaseSettings settings, EmbeddedDatabaseServer embedded) {
    this.jdbcUrl = jdbcUrl;
    this.user = user;
    this.password = password;
    this.embedded = embedded;
    this.dataSource = pool("flexoraa", settings.poolSize());
    this.projectionDataSource = pool("flexoraa-projections", settings.projectionPoolSize());
  }

  private HikariDataSource pool(String name, int size) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(jdbcUrl);
    config.setUsername(user);
    config.setPassword(password);
    config.setMaximumPoolSize(size);
    config.setPoolName(name);
    return new HikariDataSource(config);
  }

  /** Starts the embedded server when no URL is configured, then migrates the schema. */
  public static Database open(DatabaseSettings settings) {
    Database database;
    if (settings.url().isPresent()) {
      database = new Database(settings.url().get(), settings.user(), settings.password(), settings, null);
    } else {
      EmbeddedDatabaseServer server = EmbeddedDatabaseServer.start(settings.dataDirectory());
      database = new Database(server.jdbcUrl(), "postgres", "postgres", settings, server);
    }
    database.migrate();
    return database;
  }

  private void migrate() {
    Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
  }

  /** The hot path's pool: identity index, keys, directory, unrouted store, API queries. */
  public DataSource dataSource() {
    return dataSource;
  }

  /** The projections' own pool: their long group transactions never take a connection the hot path needs. */
  public DataSource projectionDataSource() {
    return projectionDataSource;
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
    projectionDataSource.close();
    dataSource.close();
    if (embedded != null) embedded.close();
  }
}
