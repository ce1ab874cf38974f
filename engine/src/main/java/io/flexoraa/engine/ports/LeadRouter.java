package io.flexoraa.engine.ports;

import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Who works a lead, for the parts of the engine that act on a lead but do not own routing (cold recovery,
 * appointments). Routing implements it with the tenant's routing desk (PRODUCT §4.4).
 */
public interface LeadRouter {

  /** The user id of the SDR the lead is assigned to now, if any. */
  CompletionStage<Optional<String>> assignee(String tenantId, String leadId);

  /**
   * AI recovery of a COLD lead ended without winning it back: give it to the junior pool (or queue it when no junior
   * is free). Idempotent per lead.
   */
  CompletionStage<Void> routeToJuniors(String tenantId, String leadId, String reason);
}
