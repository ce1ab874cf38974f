package io.flexoraa.engine.ports;

import java.util.concurrent.CompletionStage;

/** Whether a suspended or restricted channel account has recovered; asked hourly while it is suspended. */
public interface MetaAccountProbe {
  CompletionStage<AccountHealth> check(String tenantId, String channel, String externalId);

  enum AccountHealth { HEALTHY, RESTRICTED, UNKNOWN }
}
