package io.flexoraa.http.ai;

import com.openai.client.OpenAIClientAsync;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import io.flexoraa.engine.ai.AiOperations;
import io.flexoraa.engine.ai.Embedder;
import io.flexoraa.engine.ai.MalformedAnswer;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BooleanSupplier;

/**
 * OpenAI's embeddings (model {@code flexoraa.ai.openai.embedding-model}) for the semantic cache. Each call is written
 * to the cost log as operation {@code embedding} under a reference of its own, since it serves no single lead
 * message. A failed call fails the stage: the cache then simply misses. While AI calls are off (configured
 * template-only, or the node's backpressure mode) it calls nothing and fails at once, like a miss.
 */
public final class OpenAiEmbedder implements Embedder {
  private final OpenAIClientAsync client;
  private final OpenAiSettings settings;
  private final CostRecorder costs;
  private final BooleanSupplier callsAllowed;

  OpenAiEmbedder(OpenAIClientAsync client, OpenAiSettings settings, CostRecorder costs, BooleanSupplier callsAllowed) {
    this.client = client;
    this.settings = settings;
    this.costs = costs;
    this.callsAllowed = callsAllowed;
  }

  @Override
  public String name() {
    return "openai:" + settings.embeddingModel();
  }

  @Override
  public CompletionStage<float[]> embed(String tenantId, String text) {
    if (!callsAllowed.getAsBoolean()) {
      return CompletableFuture.failedFuture(new IllegalStateException("AI calls are off: template-only"));
    }
    EmbeddingCreateParams params = EmbeddingCreateParams.builder().model(settings.embeddingModel()).input(text).build();
    return costs.call(
        new CostRecorder.Entry(tenantId, "embedding:" + UUID.randomUUID(), null, AiOperations.EMBEDDING,
            settings.embeddingModel()),
        () -> client.embeddings().create(params),
        response -> new CostRecorder.Usage(response.usage().promptTokens(), 0),
        OpenAiEmbedder::vector);
  }

  private static float[] vector(CreateEmbeddingResponse response) {
    if (response.data().isEmpty()) throw new MalformedAnswer("the embeddings answer holds no vector");
    List<Float> values = response.data().get(0).embedding();
    if (values.isEmpty()) throw new MalformedAnswer("the embeddings answer holds an empty vector");
    float[] vector = new float[values.size()];
    for (int i = 0; i < vector.length; i++) vector[i] = values.get(i);
    return vector;
  }
}
