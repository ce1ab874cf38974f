package io.flexoraa.engine.ai;

import java.util.concurrent.CompletionStage;

/** Turns text into a vector whose cosine similarity says how alike two texts mean (the semantic cache's key). */
public interface Embedder {

  /** A name for the vector space: vectors of different embedders are never compared. */
  String name();

  CompletionStage<float[]> embed(String tenantId, String text);

  /** The cosine of two vectors of one space: 1 same direction, 0 unrelated (also when either is all zeros or their sizes differ). */
  static double cosine(float[] a, float[] b) {
    if (a == null || b == null || a.length != b.length) return 0;
    double dot = 0;
    double normA = 0;
    double normB = 0;
    for (int i = 0; i < a.length; i++) {
      dot += (double) a[i] * b[i];
      normA += (double) a[i] * a[i];
      normB += (double) b[i] * b[i];
    }
    return normA == 0 || normB == 0 ? 0 : dot / Math.sqrt(normA * normB);
  }
}
