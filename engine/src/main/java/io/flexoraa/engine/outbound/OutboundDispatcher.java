package io.flexoraa.engine.outbound;

import io.flexoraa.engine.ports.OutboundQueue;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.typed.ActorSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends deferred messages when they are due: every node polls the {@link OutboundQueue} and hands what it claimed to
 * the {@link OutboundService}, which decides it afresh (a message deferred again is re-scheduled, a sent one removed).
 * One poll at a time per node; the queue's leases keep two nodes from sending the same message at once.
 */
public final class OutboundDispatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(OutboundDispatcher.class);

  private final OutboundQueue queue;
  private final OutboundService service;
  private final Clock clock;
  private final int batch;
  private final Duration lease;
  private final AtomicBoolean polling = new AtomicBoolean();
  private final Cancellable schedule;

  public OutboundDispatcher(
      ActorSystem<?> system, OutboundQueue queue, OutboundService service, Clock clock, Duration every, int batch,
      Duration lease) {
    this.queue = queue;
    this.service = service;
    this.clock = clock;
    this.batch = batch;
    this.lease = lease;
    this.schedule = system.scheduler().scheduleWithFixedDelay(every, every, this::poll, system.executionContext());
  }

  /** Claims the due messages and resumes each; completes when this round is done (tests call it directly). */
  public CompletionStage<Integer> poll() {
    if (!polling.compareAndSet(false, true)) return CompletableFuture.completedFuture(0);
    return queue.claimDue(clock.instant(), batch, lease)
        .thenCompose(this::resumeAll)
        .handle((count, failure) -> {
          polling.set(false);
          if (failure != null) {
            log.warn("Deferred outbound round failed; the claims expire and are retried: {}", failure.toString());
            return 0;
          }
          return count;
        });
  }

  private CompletionStage<Integer> resumeAll(List<OutboundQueue.Item> items) {
    CompletableFuture<?>[] rounds = items.stream()
        .map(item -> service.resume(item).toCompletableFuture().exceptionally(failure -> {
          log.warn("Deferred outbound message could not be resumed; retried when its claim expires: {}",
              failure.toString());
          return null;
        }))
        .toArray(CompletableFuture[]::new);
    return CompletableFuture.allOf(rounds).thenApply(done -> items.size());
  }

  @Override
  public void close() {
    schedule.cancel();
  }
}
