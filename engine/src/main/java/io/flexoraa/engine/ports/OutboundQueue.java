package io.flexoraa.engine.ports;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Outbound messages the compliance gate deferred, durable until they are sent: a deferral is scheduled, never
 * dropped. Claims are leases, so a node that dies with a claim only delays the message until the lease ends.
 */
public interface OutboundQueue {

  /** Schedules (or re-schedules) the message for {@code notBefore}; the message's earlier claim ends. */
  CompletionStage<Void> schedule(Item item, Instant now);

  /** Up to {@code max} messages due at {@code now} that no other node holds, claimed for {@code lease}. */
  CompletionStage<List<Item>> claimDue(Instant now, int max, Duration lease);

  /** The message is settled (sent, blocked or failed for good). */
  CompletionStage<Void> remove(String tenantId, String messageId);

  /** How many messages wait. */
  CompletionStage<Long> depth();

  record Item(String tenantId, String leadId, String messageId, Instant notBefore, int attempts) {}
}
