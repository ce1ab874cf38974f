package io.flexoraa.engine.ports;

import io.flexoraa.engine.limits.BackpressureMode;

/** What the engine reports about itself; the edge binds it to Kamon. */
public interface EngineMetrics {
  void eventsPersisted(String entityType, int count);

  /**
   * A limiter's decision on a request for {@code permits}: {@code scope} is {@code tenant} or {@code cluster} (a
   * request the tenant admitted goes on to the cluster), or {@code unavailable} when a limiter did not answer.
   */
  default void admission(String scope, boolean admitted, int permits) {}

  /** Messages on this node whose AI work waits for admission (deferred by a limit, released in order per lead). */
  default void aiWorkDeferred(long waiting) {}

  /**
   * An abuse rule fired: {@code scope} {@code customer} (a message kept from AI work) or {@code tenant} (a tenant
   * restriction), {@code kind} the rule ({@code rapid-fire}, {@code burn-spike}...).
   */
  default void abuseTriggered(String scope, String kind) {}

  /**
   * Intake kept a stored message from AI work for a reason of its own, not abuse: {@code stale-replay} (it arrived
   * older than {@code flexoraa.ingest.stale-after}) or {@code standby} (another app owns the conversation).
   */
  default void intakeScreened(String channel, String reason) {}

  /** This node's backpressure mode: reported when the node's AI work queue starts and on every change. */
  default void backpressureMode(BackpressureMode mode) {}

  /** One change of this node's backpressure mode. */
  default void backpressureTransition(BackpressureMode from, BackpressureMode to) {}

  /**
   * A new compliance-gate decision for an outbound message: {@code verdict} send, template, defer or block,
   * {@code rule} the rule's wire name (null for a plain send).
   */
  default void complianceDecision(String channel, String verdict, String rule) {}

  /**
   * One call to an AI provider ({@code openai}, {@code builtin}) for a rate-card {@code operation}, by
   * {@code outcome}: ok, error, timeout or malformed (it answered, but not in a shape the engine can use).
   */
  default void aiCall(String provider, String operation, String outcome) {}

  /**
   * The built-in engine answered instead of the configured provider, and why: error, timeout, malformed,
   * breaker-open, backpressure (the node is template-only) or template-only (configured so).
   */
  default void aiFallback(String reason) {}

  /** One AI reply served, by where it came from: {@code faq}, {@code cache}, {@code provider} or {@code template}. */
  default void aiReplySource(String source) {}

  /** A generated reply stated a fact the tenant's profile does not hold and was replaced by the approved wording. */
  default void aiHallucinationPrevented() {}

  EngineMetrics NONE = (entityType, count) -> {};

  /** One message analysed by {@code provider} (or skipped: "skipped:<reason>") in {@code latency}. */
  default void aiAnalysis(String provider, java.time.Duration latency) {}

  /**
   * One AI reply of {@code kind} handed to the outbound flow with the gate's {@code decision} ("failed:<reason>" when
   * none went out); {@code latency} from the burst's last message being stored to the hand-over, null when failed.
   */
  default void aiReply(String kind, String decision, java.time.Duration latency) {}

  /** A cold recovery's milestone: started, replied, lapsed, stopped, step-sent, step-skipped. */
  default void coldRecovery(String outcome) {}
  /** Routing (issue 7): a first-response SLA breached, by band. */
  default void routingSlaBreached(String band) {}

  /** Routing: from assignment to the SDR's first answer. */
  default void routingFirstResponse(java.time.Duration latency) {}

  /** Routing: how many leads wait in a tenant's queue. */
  default void routingQueueDepth(String tenantId, int depth) {}

  /** Routing: a lead leaked ({@code kind} unanswered or unseen), by band. */
  default void routingLeakage(String band, String kind) {}
}
