package io.flexoraa.engine.ports;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Identifier → lead id, per tenant. The unique constraint in the store is the source of truth, so two
 * concurrent first messages from one person end in one lead. Identifiers are blind-indexed, never clear text.
 */
public interface IdentityIndex {

  /**
   * Finds the lead that owns any of {@code identifiers}; if none does, claims them all for {@code candidateLeadId}.
   * Identifiers not yet attached to the found lead are attached to it.
   */
  CompletionStage<Resolution> resolve(String tenantId, List<IdentityKey> identifiers, String candidateLeadId);

  /** Points the identifiers at the lead, overriding an earlier owner (used when a number changes hands). */
  CompletionStage<Void> reassign(String tenantId, String leadId, List<IdentityKey> identifiers);

  /** Lead owning the identifier, if any. */
  CompletionStage<java.util.Optional<String>> find(String tenantId, IdentityKey identifier);

  record IdentityKey(String kind, String index) {}

  record Resolution(String leadId, boolean created) {}
}
