package io.flexoraa.engine.ai;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** The built-in engine as a provider: deterministic analysis and approved wording, computed on the caller's thread. */
public final class BuiltInProvider implements AiProvider {
  private final Analyzer analyzer;
  private final ReplyComposer composer;

  public BuiltInProvider(Analyzer analyzer, ReplyComposer composer) {
    this.analyzer = analyzer;
    this.composer = composer;
  }

  @Override
  public String name() {
    return Analysis.PROVIDER_BUILTIN;
  }

  @Override
  public CompletionStage<Analysis> analyze(AnalysisRequest request, Call call) {
    try {
      return CompletableFuture.completedFuture(analyzer.analyze(request));
    } catch (RuntimeException failure) {
      return CompletableFuture.failedFuture(failure);
    }
  }

  @Override
  public CompletionStage<ReplyDraft> compose(ReplyRequest request) {
    try {
      return CompletableFuture.completedFuture(composer.compose(request));
    } catch (RuntimeException failure) {
      return CompletableFuture.failedFuture(failure);
    }
  }

  public Analyzer analyzer() {
    return analyzer;
  }

  public ReplyComposer composer() {
    return composer;
  }
}
