package io.flexoraa.engine.limits;

import io.flexoraa.engine.CborSerializable;
import java.time.Duration;

/** A limiter's answer to a request for permits: granted, or throttled with when to ask again. */
public sealed interface PermitDecision extends CborSerializable {

  record Granted(int permits) implements PermitDecision {}

  record Throttled(Duration retryAfter) implements PermitDecision {}
}
