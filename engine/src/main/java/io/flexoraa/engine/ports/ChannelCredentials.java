package io.flexoraa.engine.ports;

import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The access token Meta gave each channel account (a WhatsApp phone number, a Page, an Instagram account), kept
 * encrypted under its tenant's key. Only the sender ever reads a token in clear; nothing hands one back to a client.
 */
public interface ChannelCredentials {

  /**
   * Stores (or replaces) the account's token. Fails with {@link AccountNotRegistered} when the account is not
   * registered to the tenant: a token must never be attached to another tenant's number.
   */
  CompletionStage<Void> store(String tenantId, String channel, String externalId, String accessToken);

  /** The account's token in clear, or empty when none is stored. */
  CompletionStage<Optional<String>> accessToken(String tenantId, String channel, String externalId);

  /** The account is not registered to the tenant (or not at all). */
  final class AccountNotRegistered extends RuntimeException {
    public AccountNotRegistered(String channel, String externalId) {
      super("the " + channel + " account " + externalId + " is not registered to this tenant", null, false, false);
    }
  }
}
