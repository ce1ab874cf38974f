package io.flexoraa.engine.ports;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Which tenant owns which channel account (WhatsApp phone-number id, page id, Instagram account id).
 * Registration is unique per channel and external id across all tenants; the store's constraint decides.
 */
public interface ChannelDirectory {

  CompletionStage<RegisterOutcome> register(ChannelRoute route, String verifyTokenHash);

  CompletionStage<Optional<ChannelRoute>> byExternalId(String channel, String externalId);

  /** Accounts registered under a WhatsApp Business Account (entry.id of account-level webhooks). */
  CompletionStage<List<ChannelRoute>> byBusinessAccount(String businessAccountId);

  CompletionStage<Boolean> anyAccountHasVerifyTokenHash(String verifyTokenHash);

  CompletionStage<List<ChannelRoute>> ofTenant(String tenantId);

  record ChannelRoute(
      String tenantId,
      String channel,
      String externalId,
      String businessAccountId,
      String displayName,
      String defaultRegion) {
    public String accountKey() {
      return channel + ":" + externalId;
    }
  }

  enum RegisterOutcome { CREATED, ALREADY_REGISTERED }
}
