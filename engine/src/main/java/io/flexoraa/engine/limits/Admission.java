package io.flexoraa.engine.limits;

import java.time.Duration;

/** Whether messages may be processed now: admitted, or deferred with when to try again and which limit said no. */
public sealed interface Admission {

  Admission ADMITTED = new Admitted(false);

  /** {@code intakeParked}: the tenant's new leads are parked (abuse protection): ask the tenant before starting. */
  record Admitted(boolean intakeParked) implements Admission {}

  record Deferred(Duration retryAfter, Reason reason) implements Admission {}

  enum Reason {
    /** The tenant's own rate (5 messages/s unless overridden). */
    TENANT_LIMIT("tenant"),
    /** The whole cluster's rate (1,000 messages/s). */
    CLUSTER_LIMIT("cluster"),
    /** A limiter did not answer in time (a shard or the singleton moving between nodes). */
    LIMITER_UNAVAILABLE("unavailable");

    private final String scope;

    Reason(String scope) {
      this.scope = scope;
    }

    /** The metric tag and problem detail for this reason. */
    public String scope() {
      return scope;
    }
  }
}
