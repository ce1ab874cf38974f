package io.flexoraa.http.ai;

import com.openai.client.OpenAIClientAsync;
import com.typesafe.config.Config;
import io.flexoraa.engine.ai.AiProvider;
import io.flexoraa.engine.ai.BuiltInProvider;
import io.flexoraa.engine.ai.Embedder;
import io.flexoraa.engine.ai.FallbackProvider;
import io.flexoraa.engine.ai.builtin.UsdRates;
import io.flexoraa.engine.limits.BackpressureSignal;
import io.flexoraa.engine.ports.CostLog;
import io.flexoraa.engine.ports.EngineMetrics;
import java.time.Clock;
import org.apache.pekko.actor.typed.ActorSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's AI provider and embedder, as configuration says: with {@code OPENAI_API_KEY}, OpenAI with the built-in
 * engine behind it ({@link FallbackProvider}) and OpenAI's embeddings; without, the built-in engine alone and no
 * embedder (the reply stage brings its own).
 *
 * @param embedder null when OpenAI is not configured
 */
public record AiProviders(AiProvider provider, Embedder embedder) {
  private static final Logger log = LoggerFactory.getLogger(AiProviders.class);

  public static AiProviders fromConfig(Config config, ActorSystem<?> system, BuiltInProvider builtIn, CostLog costLog,
      BackpressureSignal backpressure, EngineMetrics metrics, Clock clock) {
    OpenAiSettings settings = OpenAiSettings.fromConfig(config);
    if (!settings.configured()) {
      log.info("OPENAI_API_KEY is not set: the built-in AI engine answers alone");
      return new AiProviders(builtIn, null);
    }
    FallbackProvider.Settings fallback = OpenAiSettings.fallbackFromConfig(config);
    Prompts prompts = Prompts.load(settings.promptVersion());
    OpenAIClientAsync client = OpenAiProvider.client(settings);
    system.getWhenTerminated().thenRun(client::close);
    CostRecorder costs = new CostRecorder(costLog, settings, clock);
    OpenAiProvider openAi = new OpenAiProvider(client, settings, prompts, UsdRates.fromConfig(config), costs);
    log.info("AI provider: OpenAI {} (prompts {}) at {}, the built-in engine when it fails{}", settings.model(),
        prompts.version(), settings.baseUrl(), fallback.templateOnly() ? "; configured template-only: not asked" : "");
    return new AiProviders(
        new FallbackProvider(openAi, builtIn, fallback, system.classicSystem().scheduler(), backpressure::mode, metrics),
        new OpenAiEmbedder(client, settings, costs,
            () -> !fallback.templateOnly() && backpressure.mode().aiCallsAllowed()));
  }
}
