package io.flexoraa.http.ai;

import io.flexoraa.persistence.Database;
import io.flexoraa.persistence.DatabaseSettings;
import io.flexoraa.persistence.Jdbc;
import io.flexoraa.persistence.costs.JdbcCostLog;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** A real, migrated embedded PostgreSQL holding the cost log the provider writes, and a way to read its rows. */
final class CostLogDatabase implements AutoCloseable {
  private final Database database;
  private final ExecutorService blocking = Executors.newFixedThreadPool(2);
  final JdbcCostLog costLog;

  CostLogDatabase(Path directory) {
    database = Database.open(new DatabaseSettings(Optional.empty(), "postgres", "postgres", directory, 4));
    costLog = new JdbcCostLog(new Jdbc(database.dataSource(), blocking));
  }

  /** The tenant's ai_call row for {@code reference}, every column as text; empty when there is none. */
  Map<String, String> row(String tenantId, String reference) {
    try (Connection connection = database.dataSource().getConnection();
         PreparedStatement query = connection.prepareStatement(
             "SELECT * FROM cost_log WHERE tenant_id = ? AND kind = 'ai_call' AND reference = ?")) {
      query.setString(1, tenantId);
      query.setString(2, reference);
      try (ResultSet result = query.executeQuery()) {
        Map<String, String> row = new LinkedHashMap<>();
        if (!result.next()) return row;
        ResultSetMetaData columns = result.getMetaData();
        for (int i = 1; i <= columns.getColumnCount(); i++) row.put(columns.getColumnName(i), result.getString(i));
        return row;
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  long rows(String tenantId) {
    try (Connection connection = database.dataSource().getConnection();
         PreparedStatement query = connection.prepareStatement("SELECT count(*) FROM cost_log WHERE tenant_id = ?")) {
      query.setString(1, tenantId);
      try (ResultSet result = query.executeQuery()) {
        result.next();
        return result.getLong(1);
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    blocking.shutdownNow();
    database.close();
  }
}
