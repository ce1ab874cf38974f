package io.flexoraa.http;

import io.flexoraa.persistence.privacy.Retention;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import kamon.Kamon;
import kamon.metric.Counter;
import kamon.metric.Gauge;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.typed.ActorSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link Retention} every {@code flexoraa.retention.interval} on every node (the job is idempotent and works in
 * small batches, so two nodes running it at once only share the work), and on demand. One run at a time per node:
 * a request while a run is going joins that run. Counts go to Kamon as {@code flexoraa_retention_*}.
 */
final class RetentionSchedule {
  private static final Logger log = LoggerFactory.getLogger(RetentionSchedule.class);

  private final Retention retention;
  private final Executor executor;
  private final AtomicReference<CompletableFuture<Retention.Report>> running = new AtomicReference<>();
  private final Counter messagesDeleted = Kamon.counter("flexoraa_retention_messages_deleted").withoutTags();
  private final Counter conversationsExpired = Kamon.counter("flexoraa_retention_conversations_expired").withoutTags();
  private final Counter leadsMasked = Kamon.counter("flexoraa_retention_leads_masked").withoutTags();
  private final Gauge lastRun = Kamon.gauge("flexoraa_retention_last_run_seconds").withoutTags();

  RetentionSchedule(Retention retention, Executor executor) {
    this.retention = retention;
    this.executor = executor;
  }

  Cancellable start(ActorSystem<?> system, Duration every) {
    Duration first = Duration.ofMillis(ThreadLocalRandom.current().nextLong(Math.max(1, every.toMillis())));
    return system.scheduler().scheduleWithFixedDelay(first, every, () -> runNow().whenComplete((report, failure) -> {
      if (failure != null) log.warn("Retention run failed; retrying at the next interval", failure);
    }), system.executionContext());
  }

  CompletionStage<Retention.Report> runNow() {
    CompletableFuture<Retention.Report> fresh = new CompletableFuture<>();
    CompletableFuture<Retention.Report> current = running.compareAndExchange(null, fresh);
    if (current != null) return current;
    CompletableFuture.supplyAsync(retention::run, executor).whenComplete((report, failure) -> {
      running.set(null);
      if (failure != null) {
        fresh.completeExceptionally(failure);
        return;
      }
      messagesDeleted.increment(report.total().messagesDeleted());
      conversationsExpired.increment(report.total().conversationsExpired());
      leadsMasked.increment(report.total().leadsMasked());
      lastRun.update(report.ranAt().getEpochSecond());
      log.info("Retention run: {} messages deleted, {} conversations expired, {} leads masked across {} tenants",
          report.total().messagesDeleted(), report.total().conversationsExpired(), report.total().leadsMasked(),
          report.byTenant().size());
      fresh.complete(report);
    });
    return fresh;
  }
}
