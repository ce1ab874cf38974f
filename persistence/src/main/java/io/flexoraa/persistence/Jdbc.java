package io.flexoraa.persistence;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import javax.sql.DataSource;

/** Runs blocking JDBC work off the actor dispatchers and hands back a stage; SQL failures fail the stage. */
public final class Jdbc {
  private final DataSource dataSource;
  private final Executor executor;

  public Jdbc(DataSource dataSource, Executor executor) {
    this.dataSource = dataSource;
    this.executor = executor;
  }

  @FunctionalInterface
  public interface Work<T> {
    T apply(Connection connection) throws SQLException;
  }

  public <T> CompletionStage<T> async(Work<T> work) {
    return CompletableFuture.supplyAsync(() -> run(work), executor);
  }

  public <T> T run(Work<T> work) {
    try (Connection connection = dataSource.getConnection()) {
      return work.apply(connection);
    } catch (SQLException e) {
      throw new DatabaseException(e);
    }
  }

  /** Like {@link #async}, in one transaction: a change and its audit entry commit together or not at all. */
  public <T> CompletionStage<T> transaction(Work<T> work) {
    return CompletableFuture.supplyAsync(() -> run(connection -> {
      connection.setAutoCommit(false);
      try {
        T result = work.apply(connection);
        connection.commit();
        return result;
      } catch (SQLException | RuntimeException failure) {
        connection.rollback();
        throw failure;
      }
    }), executor);
  }

  public DataSource dataSource() {
    return dataSource;
  }

  /** Where the blocking work runs, for wrappers such as {@link TenantJdbc} that must not block anywhere else. */
  public Executor executor() {
    return executor;
  }

  public static final class DatabaseException extends RuntimeException {
    DatabaseException(SQLException cause) {
      super("database operation failed: " + cause.getSQLState(), cause);
    }
  }
}
