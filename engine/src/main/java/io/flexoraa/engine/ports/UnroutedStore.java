package io.flexoraa.engine.ports;

import java.time.Instant;
import java.util.concurrent.CompletionStage;

/**
 * Keeps whatever reached a webhook but could not be routed to a tenant (unknown account, shape not understood),
 * so nothing Meta delivered is ever dropped. Operators list it and replay it once the account is registered.
 */
public interface UnroutedStore {
  CompletionStage<Void> store(UnroutedItem item);

  record UnroutedItem(String source, String reason, String accountRef, String payloadJson, Instant receivedAt) {}
}
