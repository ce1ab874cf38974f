package io.flexoraa.engine.ports;

import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Envelope encryption of personal data: a data key per lead, wrapped by a key per tenant, wrapped by the master key.
 * Deleting a lead's key ("crypto-shredding") leaves its events in the append-only journal but makes them unreadable.
 */
public interface PiiCipher {

  /** The lead's cipher, creating (and durably storing) its data key on first use. */
  CompletionStage<FieldCipher> leadCipher(String tenantId, String leadId);

  /** The lead's cipher if its key still exists; empty once the lead has been shredded. */
  CompletionStage<Optional<FieldCipher>> existingLeadCipher(String tenantId, String leadId);

  /** Keyed, deterministic digest for looking up an identifier (phone, wa_id) without storing it in clear. */
  CompletionStage<BlindIndex> blindIndex(String tenantId);

  /** Destroys the lead's data key. Returns true when a key was deleted. */
  CompletionStage<Boolean> shredLead(String tenantId, String leadId);

  /** Encrypts and decrypts single text fields; ciphertext is URL-safe base64. */
  interface FieldCipher {
    String encrypt(String plaintext);

    /** @throws IllegalArgumentException when the ciphertext was not produced by this key or was altered */
    String decrypt(String ciphertext);
  }

  interface BlindIndex {
    /** Stable lowercase hex digest of {@code kind + ":" + value} under the tenant's MAC key. */
    String of(String kind, String value);
  }
}
