package io.flexoraa.engine.ai;

/** Analyses a message synchronously and deterministically: the built-in engine, no network. */
public interface Analyzer {
  Analysis analyze(AnalysisRequest request);
}
