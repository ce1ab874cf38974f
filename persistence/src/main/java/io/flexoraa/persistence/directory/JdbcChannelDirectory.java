package io.flexoraa.persistence.directory;

import io.flexoraa.engine.ports.ChannelDirectory;
import io.flexoraa.persistence.Jdbc;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The channel-account directory in PostgreSQL. Routing a webhook needs it on every POST, so found routes are
 * cached (an account never changes tenant); misses are not, so a just-registered account routes at once.
 */
public final class JdbcChannelDirectory implements ChannelDirectory {
  private static final String COLUMNS =
      "tenant_id, channel, external_id, business_account_id, display_name, default_region";

  private final Jdbc jdbc;
  private final Map<String, ChannelRoute> byExternalId = new ConcurrentHashMap<>();

  public JdbcChannelDirectory(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public CompletionStage<RegisterOutcome> register(ChannelRoute route, String verifyTokenHash) {
    return jdbc.async(connection -> {
      try (PreparedStatement insert = connection.prepareStatement(
          "INSERT INTO channel_accounts (" + COLUMNS + ", verify_token_hash) VALUES (?, ?, ?, ?, ?, ?, ?)"
              + " ON CONFLICT (channel, external_id) DO NOTHING")) {
        insert.setString(1, route.tenantId());
        insert.setString(2, route.channel());
        insert.setString(3, route.externalId());
        insert.setString(4, route.businessAccountId());
        insert.setString(5, route.displayName());
        insert.setString(6, route.defaultRegion());
        insert.setString(7, verifyTokenHash);
        return insert.executeUpdate() == 1 ? RegisterOutcome.CREATED : RegisterOutcome.ALREADY_REGISTERED;
      }
    });
  }

  @Override
  public CompletionStage<Optional<ChannelRoute>> byExternalId(String channel, String externalId) {
    ChannelRoute cached = byExternalId.get(channel + ":" + externalId);
    if (cached != null) return CompletableFuture.completedFuture(Optional.of(cached));
    return jdbc.async(connection -> {
      try (PreparedStatement select = connection.prepareStatement(
          "SELECT " + COLUMNS + " FROM channel_accounts WHERE channel = ? AND external_id = ?")) {
        select.setString(1, channel);
        select.setString(2, externalId);
        List<ChannelRoute> routes = read(select);
        routes.forEach(route -> byExternalId.put(route.accountKey(), route));
        return routes.stream().findFirst();
      }
    });
  }

  @Override
  public CompletionStage<List<ChannelRoute>> byBusinessAccount(String businessAccountId) {
    return query("SELECT " + COLUMNS + " FROM channel_accounts WHERE business_account_id = ? ORDER BY created_at",
        businessAccountId);
  }

  @Override
  public CompletionStage<List<ChannelRoute>> ofTenant(String tenantId) {
    return query("SELECT " + COLUMNS + " FROM channel_accounts WHERE tenant_id = ? ORDER BY created_at", tenantId);
  }

  @Override
  public CompletionStage<Boolean> anyAccountHasVerifyTokenHash(String verifyTokenHash) {
    return jdbc.async(connection -> {
      try (PreparedStatement select =
          connection.prepareStatement("SELECT 1 FROM channel_accounts WHERE verify_token_hash = ? LIMIT 1")) {
        select.setString(1, verifyTokenHash);
        try (ResultSet rows = select.executeQuery()) {
          return rows.next();
        }
      }
    });
  }

  private CompletionStage<List<ChannelRoute>> query(String sql, String parameter) {
    return jdbc.async(connection -> {
      try (PreparedStatement select = connection.prepareStatement(sql)) {
        select.setString(1, parameter);
        return read(select);
      }
    });
  }

  private static List<ChannelRoute> read(PreparedStatement select) throws SQLException {
    List<ChannelRoute> routes = new ArrayList<>();
    try (ResultSet rows = select.executeQuery()) {
      while (rows.next()) {
        routes.add(new ChannelRoute(
            rows.getString(1), rows.getString(2), rows.getString(3), rows.getString(4), rows.getString(5),
            rows.getString(6)));
      }
    }
    return routes;
  }
}
