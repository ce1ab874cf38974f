package io.flexoraa.engine.ai;

import com.typesafe.config.Config;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The "3 most relevant older memories" of the AI's context (PRODUCT §5): of a lead's messages older than the last
 * ten, the ones closest in meaning to what it just wrote, by the cosine of their embeddings. Messages below
 * {@code minSimilarity} are not recalled at all, so an unrelated old message never crowds the context.
 */
public final class MemoryRecall {
  private final Embedder embedder;
  private final double minSimilarity;

  public MemoryRecall(Embedder embedder, double minSimilarity) {
    this.embedder = embedder;
    this.minSimilarity = minSimilarity;
  }

  /** {@code flexoraa.ai.replies.memory.min-similarity}. */
  public static MemoryRecall fromConfig(Embedder embedder, Config config) {
    return new MemoryRecall(embedder, config.getDouble("flexoraa.ai.replies.memory.min-similarity"));
  }

  private record Scored(String text, int position, double similarity) {}

  /**
   * Up to {@code k} of {@code older} (oldest first), most relevant first; between equally relevant ones the more
   * recent wins.
   */
  public CompletionStage<List<String>> recall(String tenantId, String inbound, List<String> older, int k) {
    if (k <= 0 || older == null || older.isEmpty() || inbound == null || inbound.isBlank()) {
      return CompletableFuture.completedFuture(List.of());
    }
    CompletableFuture<float[]> query = embedder.embed(tenantId, inbound).toCompletableFuture();
    List<CompletableFuture<float[]>> candidates = new ArrayList<>();
    for (String text : older) candidates.add(embedder.embed(tenantId, text == null ? "" : text).toCompletableFuture());
    List<CompletableFuture<?>> all = new ArrayList<>(candidates);
    all.add(query);
    return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).thenApply(done -> {
      List<Scored> scored = new ArrayList<>();
      for (int i = 0; i < older.size(); i++) {
        double similarity = Embedder.cosine(query.join(), candidates.get(i).join());
        if (similarity >= minSimilarity) scored.add(new Scored(older.get(i), i, similarity));
      }
      scored.sort(Comparator.comparingDouble(Scored::similarity).reversed()
          .thenComparing(Comparator.comparingInt(Scored::position).reversed()));
      return scored.stream().limit(k).map(Scored::text).toList();
    });
  }
}
