package io.flexoraa.persistence;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL server run by the engine itself, so that one command starts the product on a fresh machine.
 * Its cluster directory persists between runs; durability settings are the server's defaults (fsync and
 * synchronous commit on), because an acknowledged webhook must survive a crash.
 */
public final class EmbeddedDatabaseServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabaseServer.class);

  private final EmbeddedPostgres postgres;

  private EmbeddedDatabaseServer(EmbeddedPostgres postgres) {
    this.postgres = postgres;
  }

  public static EmbeddedDatabaseServer start(Path dataDirectory) {
    try {
      Path cluster = dataDirectory.resolve("postgres");
      Files.createDirectories(cluster);
      EmbeddedPostgres postgres =
          EmbeddedPostgres.builder()
              .setDataDirectory(cluster)
              .setCleanDataDirectory(false)
              .setServerConfig("fsync", "on")
              .setServerConfig("synchronous_commit", "on")
              .setServerConfig("full_page_writes", "on")
              .setServerConfig("max_connections", "100")
              .start();
      log.info("Embedded PostgreSQL started on port {} with data in {}", postgres.getPort(), cluster);
      return new EmbeddedDatabaseServer(postgres);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not start the embedded PostgreSQL in " + dataDirectory, e);
    }
  }

  public String jdbcUrl() {
    return DatabaseSettings.withBatchedInserts(postgres.getJdbcUrl("postgres", "postgres"));
  }

  public int port() {
    return postgres.getPort();
  }

  @Override
  public void close() {
    try {
      postgres.close();
    } catch (IOException e) {
      log.warn("Embedded PostgreSQL did not stop cleanly", e);
    }
  }
}
