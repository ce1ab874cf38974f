package io.flexoraa.http;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A bound on webhooks being persisted at once. Past it a node answers 503 at once (Meta retries later) instead of
 * queueing work that will time out anyway: overload then costs a refusal, not a collapse of everyone's latency.
 */
final class InFlightLimit {
  private final int limit;
  private final AtomicInteger inFlight = new AtomicInteger();

  InFlightLimit(int limit) {
    if (limit < 1) throw new IllegalArgumentException("the in-flight limit must be at least 1");
    this.limit = limit;
  }

  /** Takes a slot, or returns false when all are taken; a taken slot must be given back with {@link #release}. */
  boolean tryAcquire() {
    while (true) {
      int current = inFlight.get();
      if (current >= limit) return false;
      if (inFlight.compareAndSet(current, current + 1)) return true;
    }
  }

  void release() {
    inFlight.decrementAndGet();
  }

  int inFlight() {
    return inFlight.get();
  }
}
