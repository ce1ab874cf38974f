package io.flexoraa.engine.ports;

import java.time.Instant;
import java.util.concurrent.atomic.LongAdder;

/**
 * The AI stage (language, intent, extraction, scoring; issue 6) as seen from intake: told, once per new inbound
 * message, that its AI work may start now — in arrival order per lead, after the message is stored and admitted by
 * the rate limits. {@link #start} is called on an actor's thread and must hand the work off, not do it.
 */
public interface AiWork {

  void start(Item item);

  /**
   * A stored inbound message whose AI work may start; the AI stage reads its content from the lead. {@code opensLead}:
   * the message created its lead (what a tenant's parked intake holds back).
   */
  record Item(String tenantId, String leadId, String platformMessageId, Instant receivedAt, boolean opensLead) {
    public Item(String tenantId, String leadId, String platformMessageId, Instant receivedAt) {
      this(tenantId, leadId, platformMessageId, receivedAt, false);
    }
  }

  /** Until the AI stage exists: counts what would have started, so admission and ordering can be observed. */
  final class Counting implements AiWork {
    private final LongAdder started = new LongAdder();

    @Override
    public void start(Item item) {
      started.increment();
    }

    public long started() {
      return started.sum();
    }
  }
}
