package io.flexoraa.engine.ai;

import java.util.concurrent.CompletionStage;

/**
 * An AI provider as the pipeline uses it: the built-in engine, OpenAI, or OpenAI falling back to the built-in
 * engine. Every stage completes (a provider that cannot answer fails its stage; the fallback provider never does).
 */
public interface AiProvider {

  /** "builtin", "openai" or "openai+builtin". */
  String name();

  /** Analyses one message; {@code call} names it in the cost log. */
  CompletionStage<Analysis> analyze(AnalysisRequest request, Call call);

  /** Writes a reply; the request's {@code reference} names it in the cost log. */
  CompletionStage<ReplyDraft> compose(ReplyRequest request);

  /**
   * Who a call is for, so that a paid call can be written to the cost log: {@code operation} is the rate-card
   * operation it serves (intent-classification, qualification-message, persuasion-message...).
   */
  record Call(String tenantId, String leadId, String reference, String operation) {}
}
