package io.flexoraa.load.baseline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.pekko.Done;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.stream.ActorAttributes;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.QueueOfferResult;
import org.apache.pekko.stream.Supervision;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The raw baseline: the least a server can do for a WhatsApp webhook while still being honest, i.e. verify the
 * {@code X-Hub-Signature-256} HMAC over the raw body and make every message durable in PostgreSQL before answering
 * 200. Requests are funnelled through one Pekko Streams queue, grouped within a few milliseconds, and each group is
 * one JDBC batch insert (one commit) on a small HikariCP pool. The engine is measured against this ceiling.
 *
 * <p>Usage: {@code java -jar load-tests/target/raw-ingest-baseline.jar [host] [port]}. Environment:
 *
 * <ul>
 *   <li>{@code BASELINE_HOST} (127.0.0.1), {@code BASELINE_PORT} (8090) when not given as arguments;
 *   <li>{@code META_APP_SECRET} (load-test-secret): the HMAC key;
 *   <li>{@code BASELINE_DATABASE_URL} (jdbc:postgresql://127.0.0.1:5432/baseline), {@code BASELINE_DATABASE_USER}
 *       (baseline), {@code BASELINE_DATABASE_PASSWORD} (baseline);
 *   <li>tuning: {@code BASELINE_POOL_SIZE} (4), {@code BASELINE_BATCH_MAX} (256 requests), {@code
 *       BASELINE_BATCH_WINDOW_MS} (3), {@code BASELINE_QUEUE_SIZE} (8192 requests; beyond that: 503), {@code BASELINE_TICK_MS} (1: Pekko's scheduler
 *       tick, which is the resolution of the batching window).
 * </ul>
 *
 * <p>Routes: {@code POST /webhooks/meta} (200 "OK", 401 bad signature, 400 not JSON, 4xx over 3 MB, 503 queue full,
 * 500 insert failed) and {@code GET /ready}.
 */
public final class RawIngestBaseline extends AllDirectives {

  private static final Logger log = LoggerFactory.getLogger(RawIngestBaseline.class);

  static final long MAX_BODY_BYTES = 3L * 1024 * 1024;
  private static final String SIGNATURE_HEADER = "X-Hub-Signature-256";
  private static final String SIGNATURE_PREFIX = "sha256=";
  private static final String INSERT_SQL =
      "INSERT INTO baseline_messages(id, body) VALUES (?, ?) ON CONFLICT (id) DO NOTHING";
  private static final String CREATE_SQL =
      "CREATE TABLE IF NOT EXISTS baseline_messages("
          + "id text primary key, body text, received_at timestamptz default now())";

  private static final HttpResponse OK =
      HttpResponse.create().withStatus(StatusCodes.OK).withEntity(ContentTypes.TEXT_PLAIN_UTF8, "OK");
  private static final HttpResponse INSERT_FAILED =
      HttpResponse.create()
          .withStatus(StatusCodes.INTERNAL_SERVER_ERROR)
          .withEntity(ContentTypes.TEXT_PLAIN_UTF8, "insert failed");
  private static final HttpResponse OVERLOADED =
      HttpResponse.create()
          .withStatus(StatusCodes.SERVICE_UNAVAILABLE)
          .withEntity(ContentTypes.TEXT_PLAIN_UTF8, "queue full");

  private static final ObjectMapper JSON = new ObjectMapper();

  /** One webhook POST waiting for its rows to commit. */
  record Pending(List<String> ids, String body, CompletableFuture<Done> committed) {}

  private final byte[] appSecret;
  private final ThreadLocal<Mac> macs;
  private final BoundedSourceQueue<Pending> queue;
  private final AtomicLong accepted = new AtomicLong();
  private final AtomicLong rejected = new AtomicLong();

  RawIngestBaseline(byte[] appSecret, BoundedSourceQueue<Pending> queue) {
    this.appSecret = appSecret.clone();
    this.queue = queue;
    this.macs = ThreadLocal.withInitial(this::newMac);
  }

  public static void main(String[] args) throws Exception {
    String host = args.length > 0 ? args[0] : env("BASELINE_HOST", "127.0.0.1");
    int port = Integer.parseInt(args.length > 1 ? args[1] : env("BASELINE_PORT", "8090"));
    byte[] secret = env("META_APP_SECRET", "load-test-secret").getBytes(StandardCharsets.UTF_8);
    int poolSize = Integer.parseInt(env("BASELINE_POOL_SIZE", "4"));
    int batchMax = Integer.parseInt(env("BASELINE_BATCH_MAX", "256"));
    long batchWindowMs = Long.parseLong(env("BASELINE_BATCH_WINDOW_MS", "3"));
    int queueSize = Integer.parseInt(env("BASELINE_QUEUE_SIZE", "8192"));
    int tickMs = Integer.parseInt(env("BASELINE_TICK_MS", "1"));

    HikariDataSource dataSource = dataSource(poolSize);
    createTable(dataSource);

    Config config =
        ConfigFactory.parseString(
                String.join(
                    "\n",
                    "pekko.loglevel = INFO",
                    // groupedWithin's window is a scheduler timer: with the default 10 ms tick a 3 ms window
                    // becomes 10-20 ms of added latency. 1 ms is the finest tick Pekko supports.
                    "pekko.scheduler.tick-duration = " + tickMs + "ms",
                    "pekko.http.server.parsing.max-content-length = " + MAX_BODY_BYTES,
                    "pekko.http.server.request-timeout = 30s",
                    "pekko.http.server.idle-timeout = 120s",
                    "pekko.http.server.max-connections = 4096",
                    "pekko.http.server.backlog = 1024"))
            .withFallback(ConfigFactory.load());
    ActorSystem system = ActorSystem.create("raw-ingest-baseline", config);

    AtomicInteger threadNo = new AtomicInteger();
    ExecutorService jdbcExecutor =
        Executors.newFixedThreadPool(
            poolSize,
            r -> {
              Thread t = new Thread(r, "baseline-jdbc-" + threadNo.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    BatchWriter writer = new BatchWriter(dataSource, jdbcExecutor);

    BoundedSourceQueue<Pending> queue =
        Source.<Pending>queue(queueSize)
            .groupedWithin(batchMax, Duration.ofMillis(batchWindowMs))
            .mapAsyncUnordered(poolSize, writer::write)
            .withAttributes(ActorAttributes.withSupervisionStrategy(Supervision.getResumingDecider()))
            .to(Sink.ignore())
            .run(system);

    RawIngestBaseline server = new RawIngestBaseline(secret, queue);
    ServerBinding binding =
        Http.get(system)
            .newServerAt(host, port)
            .bind(server.routes())
            .toCompletableFuture()
            .get();
    binding.addToCoordinatedShutdown(Duration.ofSeconds(10), system);

    CoordinatedShutdown.get(system)
        .addTask(
            CoordinatedShutdown.PhaseBeforeActorSystemTerminate(),
            "close-jdbc",
            () -> {
              queue.complete();
              jdbcExecutor.shutdown();
              dataSource.close();
              log.info(
                  "RawIngestBaseline stopped: {} requests accepted, {} rejected",
                  server.accepted.get(),
                  server.rejected.get());
              return CompletableFuture.completedFuture(Done.getInstance());
            });

    log.info(
        "RawIngestBaseline listening on http://{}:{} (pool {}, batch <= {} within {} ms, queue {}, tick {} ms)",
        binding.localAddress().getHostString(),
        binding.localAddress().getPort(),
        poolSize,
        batchMax,
        batchWindowMs,
        queueSize,
        tickMs);
  }

  Route routes() {
    return concat(
        path(
            PathMatchers.segment("webhooks").slash("meta"),
            () ->
                post(
                    () ->
                        optionalHeaderValueByName(
                            SIGNATURE_HEADER,
                            signature ->
                                withSizeLimit(
                                    MAX_BODY_BYTES,
                                    () ->
                                        extractStrictEntity(
                                            Duration.ofSeconds(10),
                                            MAX_BODY_BYTES,
                                            entity -> ingest(signature.orElse(null), entity)))))),
        path("ready", () -> get(() -> complete(OK))));
  }

  private Route ingest(String signature, HttpEntity.Strict entity) {
    byte[] body = entity.getData().toArray();
    if (!signatureValid(signature, body)) {
      return complete(StatusCodes.UNAUTHORIZED, "bad signature");
    }
    List<String> ids;
    try {
      ids = messageIds(JSON.readTree(body));
    } catch (Exception e) {
      return complete(StatusCodes.BAD_REQUEST, "body is not JSON");
    }
    if (ids.isEmpty()) {
      return complete(OK); // statuses or account changes: nothing this baseline stores
    }
    Pending pending =
        new Pending(ids, new String(body, StandardCharsets.UTF_8), new CompletableFuture<>());
    QueueOfferResult offered = queue.offer(pending);
    if (!QueueOfferResult.enqueued().equals(offered)) {
      rejected.incrementAndGet();
      return complete(OVERLOADED);
    }
    accepted.incrementAndGet();
    CompletionStage<HttpResponse> response =
        pending.committed().handle((done, failure) -> failure == null ? OK : INSERT_FAILED);
    return completeWithFuture(response);
  }

  /** {@code entry[].changes[].value.messages[].id}, in order. */
  static List<String> messageIds(JsonNode root) {
    List<String> ids = new ArrayList<>(1);
    for (JsonNode entry : root.path("entry")) {
      for (JsonNode change : entry.path("changes")) {
        for (JsonNode message : change.path("value").path("messages")) {
          JsonNode id = message.get("id");
          if (id != null && id.isTextual()) {
            ids.add(id.asText());
          }
        }
      }
    }
    return ids;
  }

  /** Constant-time check of {@code sha256=<hex>} against HMAC-SHA256(raw body, app secret). */
  boolean signatureValid(String header, byte[] body) {
    if (header == null || !header.startsWith(SIGNATURE_PREFIX)) {
      return false;
    }
    byte[] provided = hexToBytes(header, SIGNATURE_PREFIX.length());
    if (provided == null) {
      return false;
    }
    Mac mac = macs.get();
    byte[] expected = mac.doFinal(body); // doFinal resets the Mac for the next request on this thread
    return MessageDigest.isEqual(expected, provided);
  }

  private static byte[] hexToBytes(String s, int from) {
    int len = s.length() - from;
    if (len != 64) {
      return null;
    }
    byte[] out = new byte[len / 2];
    for (int i = 0; i < out.length; i++) {
      int hi = Character.digit(s.charAt(from + 2 * i), 16);
      int lo = Character.digit(s.charAt(from + 2 * i + 1), 16);
      if (hi < 0 || lo < 0) {
        return null;
      }
      out[i] = (byte) ((hi << 4) | lo);
    }
    return out;
  }

  private Mac newMac() {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(appSecret, "HmacSHA256"));
      return mac;
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException(e);
    }
  }

  /** One group of pending requests = one JDBC batch, one commit; completes each request's future after it. */
  static final class BatchWriter {
    private final HikariDataSource dataSource;
    private final ExecutorService executor;

    BatchWriter(HikariDataSource dataSource, ExecutorService executor) {
      this.dataSource = dataSource;
      this.executor = executor;
    }

    CompletionStage<Done> write(List<Pending> group) {
      return CompletableFuture.supplyAsync(
          () -> {
            try {
              insert(group);
              for (Pending p : group) {
                p.committed().complete(Done.getInstance());
              }
            } catch (Exception e) {
              log.warn("batch of {} requests failed: {}", group.size(), e.toString());
              for (Pending p : group) {
                p.committed().completeExceptionally(e);
              }
            }
            return Done.getInstance(); // never fails: the stream must outlive a bad batch
          },
          executor);
    }

    private void insert(List<Pending> group) throws SQLException {
      try (Connection c = dataSource.getConnection();
          PreparedStatement ps = c.prepareStatement(INSERT_SQL)) {
        for (Pending p : group) {
          for (String id : p.ids()) {
            ps.setString(1, id);
            ps.setString(2, p.body());
            ps.addBatch();
          }
        }
        ps.executeBatch();
        c.commit();
      }
    }
  }

  private static HikariDataSource dataSource(int poolSize) {
    String url = env("BASELINE_DATABASE_URL", "jdbc:postgresql://127.0.0.1:5432/baseline");
    if (!url.contains("reWriteBatchedInserts")) {
      url += (url.contains("?") ? "&" : "?") + "reWriteBatchedInserts=true";
    }
    HikariConfig hc = new HikariConfig();
    hc.setPoolName("baseline");
    hc.setJdbcUrl(url);
    hc.setUsername(env("BASELINE_DATABASE_USER", "baseline"));
    hc.setPassword(env("BASELINE_DATABASE_PASSWORD", "baseline"));
    hc.setMaximumPoolSize(poolSize);
    hc.setMinimumIdle(poolSize);
    hc.setAutoCommit(false);
    hc.setConnectionTimeout(10_000);
    return new HikariDataSource(hc);
  }

  private static void createTable(HikariDataSource ds) throws SQLException {
    try (Connection c = ds.getConnection();
        Statement st = c.createStatement()) {
      st.execute(CREATE_SQL);
      c.commit();
    }
  }

  private static String env(String name, String fallback) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? fallback : v;
  }
}
