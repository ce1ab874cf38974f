package io.flexoraa.persistence;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;
import javax.sql.DataSource;

/**
 * A real, migrated PostgreSQL for tests: a fresh embedded server in its own temporary directory, so that test classes
 * never see each other's rows and the schema is exactly what Flyway builds in production. Starting one takes about a
 * second, so open it once per test class ({@code @BeforeAll}) and keep tests apart with distinct tenant ids.
 */
public final class TestDatabase implements AutoCloseable {
  private final Database database;
  private final Path directory;
  private final boolean ownsDirectory;

  private TestDatabase(Database database, Path directory, boolean ownsDirectory) {
    this.database = database;
    this.directory = directory;
    this.ownsDirectory = ownsDirectory;
  }

  /** In a temporary directory of its own, deleted again by {@link #close()}. */
  public static TestDatabase open() {
    try {
      return open(Files.createTempDirectory("flexoraa-test-db"), true);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** In a directory the caller manages, for example a JUnit {@code @TempDir}. */
  public static TestDatabase open(Path directory) {
    return open(directory, false, DatabaseSettings.DEFAULT_API_POOL_SIZE);
  }

  /**
   * In a directory the caller manages, with the API's pool at {@code apiPoolSize}: at 1, consecutive units of work
   * on it certainly share one connection.
   */
  public static TestDatabase open(Path directory, int apiPoolSize) {
    return open(directory, false, apiPoolSize);
  }

  private static TestDatabase open(Path directory, boolean ownsDirectory) {
    return open(directory, ownsDirectory, DatabaseSettings.DEFAULT_API_POOL_SIZE);
  }

  private static TestDatabase open(Path directory, boolean ownsDirectory, int apiPoolSize) {
    Database database = Database.open(new DatabaseSettings(Optional.empty(), "postgres", "postgres", directory, 4, 2,
        DatabaseSettings.DEFAULT_APP_USER, Optional.empty(), apiPoolSize));
    return new TestDatabase(database, directory, ownsDirectory);
  }

  public Database database() {
    return database;
  }

  public DataSource dataSource() {
    return database.dataSource();
  }

  /** Runs statements as the owner (a superuser on the embedded server), for example to set up other roles. */
  public void execute(String... statements) {
    try (Connection connection = dataSource().getConnection();
        Statement statement = connection.createStatement()) {
      for (String sql : statements) statement.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException("Statement failed: " + e.getMessage(), e);
    }
  }

  /** The first column of the first row as a long, for assertions such as row counts. */
  public long queryLong(String sql, Object... parameters) {
    try (Connection connection = dataSource().getConnection();
        PreparedStatement statement = connection.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) statement.setObject(i + 1, parameters[i]);
      try (ResultSet rows = statement.executeQuery()) {
        if (!rows.next()) throw new IllegalStateException("No row for: " + sql);
        return rows.getLong(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("Query failed: " + sql, e);
    }
  }

  /** The first column of the first row as text, or null when there is no row. */
  public String queryString(String sql, Object... parameters) {
    try (Connection connection = dataSource().getConnection();
        PreparedStatement statement = connection.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) statement.setObject(i + 1, parameters[i]);
      try (ResultSet rows = statement.executeQuery()) {
        return rows.next() ? rows.getString(1) : null;
      }
    } catch (SQLException e) {
      throw new IllegalStateException("Query failed: " + sql, e);
    }
  }

  @Override
  public void close() {
    database.close();
    if (ownsDirectory) deleteRecursively(directory);
  }

  private static void deleteRecursively(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException("Could not delete the test database in " + root, e);
    }
  }
}
