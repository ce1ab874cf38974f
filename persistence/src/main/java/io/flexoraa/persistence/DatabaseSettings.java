package io.flexoraa.persistence;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Where the database is: an external PostgreSQL when {@code url} is set (DATABASE_URL), otherwise an embedded
 * server whose files live under {@code dataDirectory} so that a restart keeps everything.
 *
 * <p>{@code user} is the schema owner (migrations, projections, the hot path); {@code appUser} is the login role of the
 * API's connections, which row-level security applies to (docs/decisions/0008-row-level-security.md). Without an
 * {@code appPassword} one is generated and kept in the data directory.
 */
public record DatabaseSettings(
    Optional<String> url,
    String user,
    String password,
    Path dataDirectory,
    int poolSize,
    int projectionPoolSize,
    String appUser,
    Optional<String> appPassword,
    int apiPoolSize) {
  public static final String DEFAULT_APP_USER = "flexoraa_api";
  public static final int DEFAULT_API_POOL_SIZE = 4;

  public DatabaseSettings {
    if (appUser == null || appUser.isBlank()) {
      throw new IllegalArgumentException("flexoraa.database.app-user must name a database role");
    }
    appPassword = appPassword.filter(value -> !value.isBlank());
  }

  public DatabaseSettings(Optional<String> url, String user, String password, Path dataDirectory, int poolSize) {
    this(url, user, password, dataDirectory, poolSize, 2);
  }

  public DatabaseSettings(
      Optional<String> url, String user, String password, Path dataDirectory, int poolSize, int projectionPoolSize) {
    this(url, user, password, dataDirectory, poolSize, projectionPoolSize, DEFAULT_APP_USER, Optional.empty(),
        DEFAULT_API_POOL_SIZE);
  }

  public static DatabaseSettings fromConfig(Config config, Path dataDirectory) {
    Config db = config.getConfig("flexoraa.database");
    String url = db.hasPath("url") ? db.getString("url").trim() : "";
    return new DatabaseSettings(
        url.isEmpty() ? Optional.empty() : Optional.of(withBatchedInserts(toJdbcUrl(url))),
        db.getString("user"),
        db.getString("password"),
        dataDirectory,
        db.getInt("pool-size"),
        db.getInt("projection-pool-size"),
        db.getString("app-user").trim(),
        Optional.of(db.getString("app-password")),
        db.getInt("api-pool-size"));
  }

  /** A record prints every component; these hold two passwords, which must never reach a log. */
  @Override
  public String toString() {
    return "DatabaseSettings[url=" + url.map(DatabaseSettings::withoutCredentials) + ", user=" + user
        + ", dataDirectory=" + dataDirectory + ", poolSize=" + poolSize + ", projectionPoolSize=" + projectionPoolSize
        + ", appUser=" + appUser + ", appPassword=" + (appPassword.isPresent() ? "(configured)" : "(generated)")
        + ", apiPoolSize=" + apiPoolSize + "]";
  }

  /** Accepts both JDBC URLs and the postgres:// form most platforms hand out. */
  static String toJdbcUrl(String url) {
    if (url.startsWith("jdbc:")) return url;
    if (url.startsWith("postgres://")) return "jdbc:postgresql://" + url.substring("postgres://".length());
    if (url.startsWith("postgresql://")) return "jdbc:" + url;
    throw new IllegalArgumentException("DATABASE_URL must be a jdbc:postgresql:// or postgres:// URL");
  }

  /** The journal and the read models write in batches; the driver only sends them as one statement with this. */
  static String withBatchedInserts(String jdbcUrl) {
    if (jdbcUrl.contains("reWriteBatchedInserts")) return jdbcUrl;
    return jdbcUrl + (jdbcUrl.contains("?") ? "&" : "?") + "reWriteBatchedInserts=true";
  }

  /**
   * The URL without {@code user} and {@code password} parameters. The driver lets those override the credentials a
   * pool passes, so a URL carrying the owner's name (the embedded server's does) would log the API pool in as the
   * owner, which bypasses row-level security.
   */
  static String withoutCredentials(String jdbcUrl) {
    int query = jdbcUrl.indexOf('?');
    if (query < 0) return jdbcUrl;
    String kept = Arrays.stream(jdbcUrl.substring(query + 1).split("&"))
        .filter(parameter -> !parameter.startsWith("user=") && !parameter.startsWith("password="))
        .collect(Collectors.joining("&"));
    return jdbcUrl.substring(0, query) + (kept.isEmpty() ? "" : "?" + kept);
  }
}
