package io.flexoraa.persistence;

import io.flexoraa.persistence.Jdbc.DatabaseException;
import io.flexoraa.persistence.Jdbc.Work;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import javax.sql.DataSource;

/**
 * Like {@link Jdbc}, but every unit of work is one transaction scoped to one tenant: it first sets
 * {@code app.tenant_id}, which the row-level security policies compare each row's tenant with. Meant for
 * {@link Database#apiDataSource()}, whose role those policies apply to.
 *
 * <p>The setting is transaction-local ({@code set_config(..., true)}): it ends with the commit or rollback, so a
 * pooled connection handed to the next request never carries the previous tenant's scope, even when a unit of work
 * fails half-way. A session-wide {@code SET} would survive into whichever request borrows the connection next.
 */
public final class TenantJdbc {
  private final DataSource dataSource;
  private final Executor executor;

  public TenantJdbc(DataSource dataSource, Executor executor) {
    this.dataSource = dataSource;
    this.executor = executor;
  }

  /**
   * Runs {@code work} on the executor in a transaction scoped to {@code tenantId}; SQL failures fail the stage.
   *
   * @throws IllegalArgumentException at once when {@code tenantId} is null or blank: an unscoped query is a bug in the
   *     caller, not something to find out later as an empty result
   */
  public <T> CompletionStage<T> async(String tenantId, Work<T> work) {
    requireTenant(tenantId);
    return CompletableFuture.supplyAsync(() -> run(tenantId, work), executor);
  }

  /**
   * Runs {@code work} on the calling thread in a transaction scoped to {@code tenantId}: committed when it returns,
   * rolled back when it throws.
   *
   * @throws IllegalArgumentException when {@code tenantId} is null or blank
   * @throws DatabaseException when the database fails
   */
  public <T> T run(String tenantId, Work<T> work) {
    requireTenant(tenantId);
    try (Connection connection = dataSource.getConnection()) {
      // the pool restores auto-commit (and rolls back anything left open) when the connection goes back to it
      connection.setAutoCommit(false);
      try {
        try (PreparedStatement scope = connection.prepareStatement("SELECT set_config('app.tenant_id', ?, true)")) {
          scope.setString(1, tenantId);
          scope.execute();
        }
        T result = work.apply(connection);
        connection.commit();
        return result;
      } catch (SQLException | RuntimeException | Error failure) {
        rollback(connection, failure);
        throw failure;
      }
    } catch (SQLException e) {
      throw new DatabaseException(e);
    }
  }

  public DataSource dataSource() {
    return dataSource;
  }

  private static void requireTenant(String tenantId) {
    if (tenantId == null || tenantId.isBlank()) {
      throw new IllegalArgumentException("a tenant-scoped query needs a tenant id");
    }
  }

  /** A failed rollback must not hide why the work failed; the connection is broken then and the pool drops it. */
  private static void rollback(Connection connection, Throwable failure) {
    try {
      connection.rollback();
    } catch (SQLException rollbackFailure) {
      failure.addSuppressed(rollbackFailure);
    }
  }
}
