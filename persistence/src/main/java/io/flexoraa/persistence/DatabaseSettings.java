package io.flexoraa.persistence;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the database is: an external PostgreSQL when {@code url} is set (DATABASE_URL), otherwise an embedded
 * server whose files live under {@code dataDirectory} so that a restart keeps everything.
 */
public record DatabaseSettings(
    Optional<String> url, String user, String password, Path dataDirectory, int poolSize, int projectionPoolSize) {

  public DatabaseSettings(Optional<String> url, String user, String password, Path dataDirectory, int poolSize) {
    this(url, user, password, dataDirectory, poolSize, 2);
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
        db.getInt("projection-pool-size"));
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
}
