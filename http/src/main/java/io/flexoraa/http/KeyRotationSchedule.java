package io.flexoraa.http;

import io.flexoraa.persistence.crypto.KeyRotation;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.typed.ActorSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rotates tenant keys once they reach {@code flexoraa.crypto.tenant-key-rotation-interval} (PRODUCT §9). Every node
 * runs it, so no singleton has to be kept alive for a job that runs once per tenant every 90 days; nodes that find
 * the same tenant due at the same time rotate it once, because the age is checked again under the tenant's row lock.
 * Each rotation is announced so that every node's cache forgets the tenant's previous keyset.
 */
public final class KeyRotationSchedule {
  private static final Logger log = LoggerFactory.getLogger(KeyRotationSchedule.class);
  /** Tenants listed per query; more due than this are taken page by page within the same check. */
  private static final int PAGE_SIZE = 100;

  private final KeyRotation rotation;
  private final KeyEventsBroadcast broadcast;
  private final Duration rotationInterval;
  private final Clock clock;
  /** A check that outlives the interval (many tenants, a slow database) is not started a second time beside itself. */
  private final AtomicBoolean running = new AtomicBoolean();

  private KeyRotationSchedule(
      KeyRotation rotation, KeyEventsBroadcast broadcast, Duration rotationInterval, Clock clock) {
    this.rotation = rotation;
    this.broadcast = broadcast;
    this.rotationInterval = rotationInterval;
    this.clock = clock;
  }

  /**
   * Checks every {@code settings.rotationCheckInterval()}, the first time after a random part of it so that nodes
   * started together do not query together.
   */
  public static Cancellable start(
      ActorSystem<?> system,
      KeyRotation rotation,
      KeyEventsBroadcast broadcast,
      KeyRotation.Settings settings,
      Clock clock) {
    KeyRotationSchedule schedule =
        new KeyRotationSchedule(rotation, broadcast, settings.rotationInterval(), clock);
    Duration every = settings.rotationCheckInterval();
    Duration first = Duration.ofMillis(ThreadLocalRandom.current().nextLong(Math.max(1, every.toMillis())));
    return system.scheduler().scheduleWithFixedDelay(first, every, schedule::check, system.executionContext());
  }

  private void check() {
    if (!running.compareAndSet(false, true)) return;
    rotateDuePage()
        .whenComplete(
            (ignored, failure) -> {
              running.set(false);
              if (failure != null) log.warn("Tenant key rotation check failed; retrying at the next check", failure);
            });
  }

  /** One page of due tenants, one after the other (no burst on a 2-core node), then the next page if it was full. */
  private CompletionStage<Void> rotateDuePage() {
    return rotation
        .tenantsDueForRotation(rotationInterval, clock.instant(), PAGE_SIZE)
        .thenCompose(
            due -> rotateEach(due, 0).thenCompose(
                allRotated -> due.size() == PAGE_SIZE && allRotated
                    ? rotateDuePage()
                    : CompletableFuture.completedStage(null)));
  }

  /**
   * True when no rotation failed. A failure is logged and the rest of the page goes on; the page loop then stops, so a
   * tenant that keeps failing is retried at the next check rather than in a tight loop.
   */
  private CompletionStage<Boolean> rotateEach(List<String> tenants, int index) {
    if (index == tenants.size()) return CompletableFuture.completedStage(true);
    String tenantId = tenants.get(index);
    return rotation
        .rotateTenantKeyIfDue(tenantId, rotationInterval)
        .handle(
            (rotated, failure) -> {
              if (failure != null) {
                log.error("Could not rotate the key of tenant {}", tenantId, failure);
                return false;
              }
              rotated.ifPresent(done -> broadcast.tenantKeyRotated(done.tenantId()));
              return true;
            })
        .thenCompose(succeeded -> rotateEach(tenants, index + 1).thenApply(rest -> succeeded && rest));
  }
}
