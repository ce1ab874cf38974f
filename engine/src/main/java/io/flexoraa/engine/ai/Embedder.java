package io.flexoraa.engine.ai;

import java.util.concurrent.CompletionStage;

/** Turns text into a vector whose cosine similarity says how alike two texts mean (the semantic cache's key). */
public interface Embedder {

  /** A name for the vector space: vectors of different embedders are never compared. */
  String name();

  CompletionStage<float[]> embed(String tenantId, String text);
}
