package io.flexoraa.engine.ai;

import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** Where tenants' AI profiles are kept (a port: PostgreSQL in production). */
public interface AiProfiles {

  /** The tenant's profile, empty when it never wrote one. */
  CompletionStage<Optional<AiProfile>> get(String tenantId);

  /** Replaces the tenant's profile; completes with the stored profile (its {@code updatedAt} set). */
  CompletionStage<AiProfile> put(String tenantId, AiProfile profile);
}
