package io.flexoraa.engine.limits;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Asks whether {@code permits} messages of a tenant may be processed now, under both the tenant's rate and the
 * cluster's. The stage never fails: a limiter that cannot answer in time yields a deferral. The REST edge answers a
 * deferral with 429; webhook intake defers the messages' AI work instead (their messages are already stored).
 */
public interface MessageAdmission {

  CompletionStage<Admission> admit(String tenantId, int permits);

  /** Admits everything: for tests and tools that must not be limited. */
  MessageAdmission UNLIMITED = (tenantId, permits) -> CompletableFuture.completedFuture(Admission.ADMITTED);
}
