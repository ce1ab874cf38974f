package io.flexoraa.load.intake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.flexoraa.http.EngineServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Latency of a verified lead submission (PRODUCT §4.1: verification P90 < 500 ms) on a real one-node engine: the
 * embedded PostgreSQL 17, the journal, the projections and the HTTP edge in this process, and a driver sending
 * {@code POST /api/v1/tenants/{t}/leads} over real HTTP, one at a time, each timed from just before the request is
 * sent to the last byte of the answer. Every tenth submission repeats an earlier phone (the duplicate path); every
 * submission has a name, e-mail, message and UTM fields, so the whole verification runs (E.164, type, duplicates,
 * erased identifiers, gibberish, disposable domain, burst, the 0.5-token debit, both lead events).
 *
 * <p>The tenant's rate limit is raised for the run (a sequential driver would otherwise measure 429s, not
 * verification) and its plan is big enough that verification is never skipped for want of tokens.
 *
 * <p>Run from the repository root after {@code mvn -o -q install -DskipTests}:
 * {@code load-tests/run-lead-intake-benchmark.sh} (settings: SUBMISSIONS, WARMUP).
 */
public final class LeadIntakeBenchmark {
  private static final String PLAN = "benchmark";
  private static final ObjectMapper JSON = new ObjectMapper();

  private LeadIntakeBenchmark() {}

  public static void main(String[] args) throws Exception {
    int submissions = Integer.getInteger("submissions", 500);
    int warmup = Integer.getInteger("warmup", 100);
    Path dataDirectory = Files.createTempDirectory("flexoraa-intake-bench");
    String operatorKey = "bench-" + UUID.randomUUID();

    Map<String, Object> settings = new HashMap<>();
    settings.put("flexoraa.data-dir", dataDirectory.toString());
    settings.put("flexoraa.http.host", "127.0.0.1");
    settings.put("flexoraa.http.port", 0);
    settings.put("pekko.remote.artery.canonical.port", 0);
    settings.put("flexoraa.meta.app-secret", "bench");
    settings.put("flexoraa.operator-key", operatorKey);
    settings.put("flexoraa.database.url", "");
    settings.put("flexoraa.retention.interval", "200d");
    settings.put("flexoraa.billing.plans." + PLAN + ".monthly-tokens", "100000000");
    settings.put("flexoraa.billing.plans." + PLAN + ".daily-burn-limit", "100000000");
    settings.put("flexoraa.billing.plans." + PLAN + ".price-usd", "0");
    settings.put("flexoraa.limits.tenant-messages-per-second", 1000);
    settings.put("flexoraa.limits.tenant-burst", 1000);
    Config config = ConfigFactory.parseMap(settings).withFallback(ConfigFactory.load());

    EngineServer server = null;
    boolean met = false;
    try {
      server = EngineServer.start(config, Clock.systemUTC());
      Driver driver = new Driver("http://127.0.0.1:" + server.port());
      JsonNode tenant = driver.post("/api/v1/tenants", operatorKey,
          "{\"name\":\"Benchmark Realty\",\"plan\":\"" + PLAN + "\",\"defaultRegion\":\"IN\"}", 201);
      String tenantId = tenant.get("id").asText();
      String key = driver.post("/api/v1/tenants/" + tenantId + "/api-keys", operatorKey,
          "{\"name\":\"crm\",\"role\":\"Manager\"}", 201).get("key").asText();
      String path = "/api/v1/tenants/" + tenantId + "/leads";

      System.out.printf("warm-up: %d submissions (not measured)%n", warmup);
      for (int i = 0; i < warmup; i++) driver.timed(path, key, body(1_000_000 + i));

      System.out.printf("measured: %d sequential submissions over HTTP against tenant %s%n", submissions, tenantId);
      long[] latencies = new long[submissions];
      Map<String, Integer> outcomes = new TreeMap<>();
      long start = System.nanoTime();
      for (int i = 0; i < submissions; i++) {
        int person = i % 10 == 9 ? i - 5 : i; // every tenth: a phone submitted a moment ago
        Driver.Timed timed = driver.timed(path, key, body(person));
        latencies[i] = timed.nanos();
        String outcome = timed.status() + " " + timed.body().path("verification").path("status").asText()
            + (timed.body().path("created").asBoolean() ? " created" : " existing");
        outcomes.merge(outcome, 1, Integer::sum);
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      Arrays.sort(latencies);
      System.out.println();
      System.out.printf("submissions    %d in %.1f s (%.1f/s, one at a time)%n", submissions, seconds, submissions / seconds);
      System.out.println("outcomes       " + outcomes);
      System.out.printf("latency ms     p50 %.1f   p90 %.1f   p99 %.1f   max %.1f%n",
          percentile(latencies, 50), percentile(latencies, 90), percentile(latencies, 99), percentile(latencies, 100));
      JsonNode tokens = driver.get("/api/v1/tenants/" + tenantId + "/tokens", key);
      System.out.println("tokens         consumed " + tokens.get("consumed").asText() + " for "
          + (submissions + warmup) + " verifications");
      met = percentile(latencies, 90) < 500 && outcomes.keySet().stream().allMatch(outcome -> outcome.contains("verified"));
      System.out.println("target         P90 < 500 ms: " + (met ? "met" : "NOT MET"));
    } finally {
      if (server != null) server.close();
      deleteRecursively(dataDirectory);
    }
    System.exit(met ? 0 : 1);
  }

  /** A distinct Indian mobile per person, with a name, an e-mail, a message and UTM fields. */
  private static String body(int person) {
    return "{\"name\":\"Lead " + person + " Sharma\",\"phone\":\"+91 98" + String.format("%08d", person) + "\","
        + "\"email\":\"lead" + person + "@example.com\",\"source\":\"website\",\"message\":\"Looking for a 2BHK"
        + " apartment near Whitefield, budget around 80 lakh\",\"utm_source\":\"google\",\"utm_medium\":\"cpc\","
        + "\"utm_campaign\":\"campaign-" + (person % 7) + "\"}";
  }

  private static double percentile(long[] sorted, int percentile) {
    int index = Math.min(sorted.length - 1, (int) Math.ceil(percentile / 100.0 * sorted.length) - 1);
    return sorted[Math.max(0, index)] / 1e6;
  }

  private static final class Driver {
    private final HttpClient http = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    private final String baseUrl;

    Driver(String baseUrl) {
      this.baseUrl = baseUrl;
    }

    record Timed(long nanos, int status, JsonNode body) {}

    Timed timed(String path, String key, String json) throws IOException, InterruptedException {
      HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + path))
          .header("Content-Type", "application/json").header("Authorization", "Bearer " + key)
          .POST(HttpRequest.BodyPublishers.ofString(json)).build();
      long start = System.nanoTime();
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      long nanos = System.nanoTime() - start;
      return new Timed(nanos, response.statusCode(), JSON.readTree(response.body()));
    }

    JsonNode post(String path, String key, String json, int expected) throws IOException, InterruptedException {
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(baseUrl + path))
          .header("Content-Type", "application/json").header("Authorization", "Bearer " + key)
          .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != expected) throw new IllegalStateException(path + ": " + response.body());
      return JSON.readTree(response.body());
    }

    JsonNode get(String path, String key) throws IOException, InterruptedException {
      return JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(baseUrl + path))
          .header("Authorization", "Bearer " + key).GET().build(), HttpResponse.BodyHandlers.ofString()).body());
    }
  }

  private static void deleteRecursively(Path directory) throws IOException {
    if (!Files.exists(directory)) return;
    try (Stream<Path> paths = Files.walk(directory)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(path);
    }
  }
}
