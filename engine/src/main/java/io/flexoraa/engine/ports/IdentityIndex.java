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

  /**
   * Retires an anonymized lead's identifiers, in one transaction: they stop pointing at it, so the person's next
   * message starts a fresh lead (with fresh consent), and their blind indexes are kept as erased, so a returning or
   * duplicate person can be recognised as previously erased. Evicts this node's cached entries for the lead; other
   * nodes must be told through {@link #evictLead}. Returns how many identifiers were retired (0 on a repeat).
   */
  CompletionStage<Integer> retireLead(String tenantId, String leadId);

  /** Forgets this node's cached identifiers of the lead, for a node told that another one retired it. */
  void evictLead(String tenantId, String leadId);

  /** Whether the identifier (its blind index) belonged to a lead that was erased. */
  CompletionStage<Boolean> wasErased(String tenantId, String identifierIndex);

  record IdentityKey(String kind, String index) {}

  record Resolution(String leadId, boolean created) {}
}
