package io.flexoraa.http.meta;

import com.typesafe.config.Config;
import java.net.URI;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * {@code flexoraa.meta.graph}: where Meta's Graph API is (META_GRAPH_URL; a local stub in tests and staging), which
 * version of it the requests name, how long a call may take, how failed calls are retried, how many sent message ids
 * are remembered against duplicates, and how long a decrypted access token is kept in memory.
 */
public record GraphSettings(
    URI baseUrl, String apiVersion, Duration connectTimeout, Duration requestTimeout, int maxAttempts,
    Duration initialBackoff, Duration maxBackoff, int rememberedSends, Duration credentialsCacheTtl,
    int credentialsCacheSize) {
  private static final Pattern VERSION = Pattern.compile("v\\d+\\.\\d+");

  public GraphSettings {
    String scheme = baseUrl.getScheme();
    if (!"https".equals(scheme) && !"http".equals(scheme) || baseUrl.getHost() == null
        || baseUrl.getRawQuery() != null) {
      throw new IllegalArgumentException(
          "flexoraa.meta.graph.base-url (META_GRAPH_URL) must be an http(s) URL without a query: " + baseUrl);
    }
    if (!VERSION.matcher(apiVersion).matches()) {
      throw new IllegalArgumentException("flexoraa.meta.graph.api-version must look like v21.0, was " + apiVersion);
    }
    if (maxAttempts < 1) throw new IllegalArgumentException("retry.max-attempts must be at least 1, was " + maxAttempts);
    if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException("retry backoffs must satisfy 0 <= initial-backoff <= max-backoff");
    }
    if (rememberedSends < 1) throw new IllegalArgumentException("remembered-sends must be positive");
  }

  public static GraphSettings fromConfig(Config config) {
    Config graph = config.getConfig("flexoraa.meta.graph");
    return new GraphSettings(
        URI.create(graph.getString("base-url").trim()),
        graph.getString("api-version").trim(),
        graph.getDuration("connect-timeout"),
        graph.getDuration("request-timeout"),
        graph.getInt("retry.max-attempts"),
        graph.getDuration("retry.initial-backoff"),
        graph.getDuration("retry.max-backoff"),
        graph.getInt("remembered-sends"),
        graph.getDuration("credentials-cache-ttl"),
        graph.getInt("credentials-cache-size"));
  }

  /** {@code base-url/version/relativePath}; a base URL with a path of its own (a proxy prefix) keeps it. */
  URI resolve(String relativePath) {
    String base = baseUrl.toString();
    if (base.endsWith("/")) base = base.substring(0, base.length() - 1);
    return URI.create(base + "/" + apiVersion + "/" + relativePath);
  }
}
