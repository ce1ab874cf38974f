package io.flexoraa.load.tokens;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.flexoraa.engine.tenant.Tenant;
import io.flexoraa.engine.tenant.TenantEntity;
import io.flexoraa.engine.tenant.TokenBudget;
import io.flexoraa.engine.tenant.Tokens;
import io.flexoraa.http.EngineServer;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * Token debits against ONE tenant on a real one-node engine (embedded PostgreSQL 17, the real journal, the
 * projections running): an open-model driver offers {@code rate} debits a second through the node's
 * {@link TokenBudget} for {@code seconds}, after an unmeasured warm-up, and reports the achieved rate, the latency
 * of the debit's answer (measured from when it was due to be sent, so a stalled engine cannot hide its queue), the
 * events persisted, and whether the books balance to the cent.
 *
 * <p>Run from the repository root after {@code mvn -o -q install -DskipTests}:
 * {@code load-tests/run-token-benchmark.sh} (settings: RATE, DURATION_SECONDS, WARMUP_SECONDS, OPERATION).
 */
public final class TokenDebitBenchmark {
  private static final String PLAN = "benchmark";

  private TokenDebitBenchmark() {}

  public static void main(String[] args) throws Exception {
    int rate = Integer.getInteger("rate", 1000);
    int seconds = Integer.getInteger("seconds", 30);
    int warmupSeconds = Integer.getInteger("warmupSeconds", 10);
    String operation = System.getProperty("operation", "scoring");
    Path dataDirectory = Files.createTempDirectory("flexoraa-token-bench");

    Map<String, Object> settings = new HashMap<>();
    settings.put("flexoraa.data-dir", dataDirectory.toString());
    settings.put("flexoraa.http.host", "127.0.0.1");
    settings.put("flexoraa.http.port", 0);
    settings.put("pekko.remote.artery.canonical.port", 0);
    settings.put("flexoraa.meta.app-secret", "bench");
    settings.put("flexoraa.operator-key", "bench-" + UUID.randomUUID());
    settings.put("flexoraa.database.url", "");
    // a plan big enough that neither the month nor the day runs out during the run: the debit path is measured,
    // not the refusals
    settings.put("flexoraa.billing.plans." + PLAN + ".monthly-tokens", "100000000");
    settings.put("flexoraa.billing.plans." + PLAN + ".daily-burn-limit", "100000000");
    settings.put("flexoraa.billing.plans." + PLAN + ".price-usd", "0");
    Config config = ConfigFactory.parseMap(settings).withFallback(ConfigFactory.load());

    EngineServer server = null;
    boolean exact = false;
    try {
      server = EngineServer.start(config, Clock.systemUTC());
      String tenantId = "bench-" + UUID.randomUUID();
      ClusterSharding.get(server.system()).entityRefFor(TenantEntity.TYPE_KEY, tenantId)
          .<Tenant.View>askWithStatus(replyTo -> new Tenant.Create(tenantId, "Benchmark Co", PLAN, "IN", replyTo),
              Duration.ofSeconds(30))
          .toCompletableFuture().get(30, TimeUnit.SECONDS);

      TokenBudget tokens = server.tokens();
      System.out.printf("warm-up: %d debits/s for %d s (not measured)%n", rate, warmupSeconds);
      drive(tokens, tenantId, operation, rate, warmupSeconds);
      long eventsBefore = journalRows(server, tenantId);
      Tokens.TokenView before = view(server, tenantId);

      System.out.printf("measured: %d debits/s of %s for %d s against tenant %s%n", rate, operation, seconds, tenantId);
      Run run = drive(tokens, tenantId, operation, rate, seconds);
      long events = journalRows(server, tenantId) - eventsBefore;
      Tokens.TokenView after = view(server, tenantId);
      BigDecimal cost = after.balance().subtract(before.balance()).negate();
      BigDecimal expected = config.getConfig("flexoraa.billing.rate-card").hasPath(operation)
          ? new BigDecimal(config.getString("flexoraa.billing.rate-card." + operation))
              .multiply(BigDecimal.valueOf(run.debited)).setScale(2)
          : null;
      long ledgerDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      long ledgerRows;
      while ((ledgerRows = ledgerRows(server, tenantId)) < after.ledgerPosition() && System.nanoTime() < ledgerDeadline) {
        Thread.sleep(100);
      }
      long ledgerWaitMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - run.endNanos);

      System.out.println();
      System.out.println("offered        " + rate + " debits/s for " + seconds + " s = " + run.sent + " debits");
      System.out.printf("sent           %.1f debits/s%n", run.sent / (run.sendWindowNanos / 1e9));
      System.out.printf("answered       %.1f debits/s (%d answered in %.2f s; %d debited, %d refused, %d failed)%n",
          run.answered() / (run.answerWindowNanos / 1e9), run.answered(), run.answerWindowNanos / 1e9, run.debited,
          run.refused, run.failed);
      System.out.printf("latency ms     p50 %.2f   p95 %.2f   p99 %.2f   max %.2f%n",
          run.percentile(50), run.percentile(95), run.percentile(99), run.percentile(100));
      System.out.printf("events         %d persisted for %d debits (%.1f debits per event, %.1f events/s)%n",
          events, run.debited, events == 0 ? 0 : (double) run.debited / events, events / (run.answerWindowNanos / 1e9));
      System.out.println("balance        " + before.balance() + " -> " + after.balance() + " (debited " + cost
          + (expected == null ? "" : ", expected " + expected + (cost.compareTo(expected) == 0 ? ": exact" : ": MISMATCH"))
          + ")");
      System.out.println("ledger         " + ledgerRows + " of " + after.ledgerPosition() + " entries projected, "
          + ledgerWaitMs + " ms after the last answer");
      exact = expected == null || cost.compareTo(expected) == 0;
    } finally {
      if (server != null) server.close();
      deleteRecursively(dataDirectory);
    }
    System.exit(exact ? 0 : 1);
  }

  /** One run of the open-model driver. */
  private static final class Run {
    final long[] latencyNanos;
    final AtomicInteger recorded = new AtomicInteger();
    long sent;
    long debited;
    long refused;
    long failed;
    long sendWindowNanos;
    long answerWindowNanos;
    long endNanos;

    Run(int capacity) {
      latencyNanos = new long[capacity];
    }

    long answered() {
      return debited + refused;
    }

    double percentile(int percentile) {
      int count = recorded.get();
      if (count == 0) return Double.NaN;
      long[] sorted = Arrays.copyOf(latencyNanos, count);
      Arrays.sort(sorted);
      int index = Math.min(count - 1, (int) Math.ceil(percentile / 100.0 * count) - 1);
      return sorted[Math.max(0, index)] / 1e6;
    }
  }

  /**
   * Offers {@code rate} debits a second for {@code seconds}: a 1 ms tick sends whatever is due by then, and each
   * debit's latency runs from the instant it was due, not from when the driver got round to it.
   */
  private static Run drive(TokenBudget tokens, String tenantId, String operation, int rate, int seconds)
      throws InterruptedException {
    long total = (long) rate * seconds;
    Run run = new Run((int) total);
    AtomicLong debited = new AtomicLong();
    AtomicLong refused = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    AtomicLong lastAnswer = new AtomicLong();
    CountDownLatch answered = new CountDownLatch((int) total);
    ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(task -> {
      Thread thread = new Thread(task, "token-bench-driver");
      thread.setDaemon(true);
      return thread;
    });
    long start = System.nanoTime();
    long[] next = {0};
    CountDownLatch sentAll = new CountDownLatch(1);
    ticker.scheduleAtFixedRate(() -> {
      long now = System.nanoTime();
      long due = Math.min(total, (now - start) * rate / 1_000_000_000L + 1);
      for (; next[0] < due; next[0]++) {
        long i = next[0];
        long dueAt = start + i * 1_000_000_000L / rate;
        tokens.debit(tenantId, operation, "lead-" + (i % 5000), "bench-" + i).whenComplete((outcome, failure) -> {
          long done = System.nanoTime();
          if (failure != null) {
            failed.incrementAndGet();
          } else {
            if (outcome instanceof Tokens.Debited) debited.incrementAndGet();
            else refused.incrementAndGet();
            run.latencyNanos[run.recorded.getAndIncrement()] = done - dueAt;
          }
          lastAnswer.accumulateAndGet(done, Math::max);
          answered.countDown();
        });
      }
      if (next[0] >= total) sentAll.countDown();
    }, 0, 1, TimeUnit.MILLISECONDS);
    sentAll.await();
    run.sendWindowNanos = System.nanoTime() - start;
    ticker.shutdownNow();
    if (!answered.await(60, TimeUnit.SECONDS)) System.out.println("not every debit was answered within 60 s");
    run.sent = total;
    run.debited = debited.get();
    run.refused = refused.get();
    run.failed = failed.get();
    run.endNanos = lastAnswer.get();
    run.answerWindowNanos = lastAnswer.get() - start;
    return run;
  }

  private static Tokens.TokenView view(EngineServer server, String tenantId) throws Exception {
    return ClusterSharding.get(server.system()).entityRefFor(TenantEntity.TYPE_KEY, tenantId)
        .<Tokens.TokenView>askWithStatus(Tokens.GetTokens::new, Duration.ofSeconds(30))
        .toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private static long journalRows(EngineServer server, String tenantId) throws Exception {
    return count(server, "SELECT count(*) FROM event_journal WHERE persistence_id = ?", "Tenant|" + tenantId);
  }

  private static long ledgerRows(EngineServer server, String tenantId) throws Exception {
    return count(server, "SELECT count(*) FROM token_ledger WHERE tenant_id = ?", tenantId);
  }

  private static long count(EngineServer server, String sql, String parameter) throws Exception {
    try (Connection connection = server.database().dataSource().getConnection();
         PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setString(1, parameter);
      try (ResultSet result = statement.executeQuery()) {
        result.next();
        return result.getLong(1);
      }
    }
  }

  private static void deleteRecursively(Path root) {
    try (var paths = Files.walk(root)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (Exception e) {
      System.out.println("could not delete " + root + ": " + e);
    }
  }
}
