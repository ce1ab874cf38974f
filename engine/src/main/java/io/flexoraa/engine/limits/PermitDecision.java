package io.flexoraa.engine.limits;

import io.flexoraa.engine.CborSerializable;
import java.time.Duration;

/** A limiter's answer to a request for permits: granted, or throttled with when to ask again. */
public sealed interface PermitDecision extends CborSerializable {

  /** {@code intakeParked}: the tenant's new leads are parked (abuse protection); its work must ask the tenant. */
  record Granted(int permits, boolean intakeParked) implements PermitDecision {
    public Granted(int permits) {
      this(permits, false);
    }
  }

  record Throttled(Duration retryAfter) implements PermitDecision {}
}
