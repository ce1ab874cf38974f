package io.flexoraa.engine.routing;

import io.flexoraa.engine.ports.EngineMetrics;
import io.flexoraa.engine.ports.Notifier;
import io.flexoraa.engine.tenant.TokenBudget;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * What a routing desk does outside itself once its events are persisted: tells people (the notifier), debits the
 * routing decision, has the AI re-engage a leaking HOT lead, writes audit entries, and counts. Side effects run after
 * the events and are not retried: a node stopping in between loses a notice, never a decision.
 */
public record DeskEffects(
    Notifier notifier, TokenBudget tokens, Reengager reengager, Auditor auditor, EngineMetrics metrics) {

  /** The AI writes to a leaking HOT lead (approved wording; a template outside the 24 h window). */
  @FunctionalInterface
  public interface Reengager {
    /** Completes with the outbound decision (send, template, defer, block). */
    CompletionStage<String> reengage(String tenantId, String leadId, String messageId, String language);
  }

  @FunctionalInterface
  public interface Auditor {
    CompletionStage<?> audit(String tenantId, String actor, String action, String subject, Map<String, ?> details);
  }
}
