package io.flexoraa.engine.ai;

import java.util.concurrent.CompletionStage;

/**
 * The reply stage the lead's agent calls: tenant FAQ answers and the per-tenant semantic cache first (no AI call),
 * then the provider, then the built-in wording; never a fact the tenant's profile does not hold.
 */
public interface Replies {
  CompletionStage<ReplyDraft> reply(ReplyRequest request);
}
