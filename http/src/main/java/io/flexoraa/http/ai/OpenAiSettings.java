package io.flexoraa.http.ai;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigObject;
import io.flexoraa.engine.ai.FallbackProvider;
import io.flexoraa.engine.ports.CostLog;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * {@code flexoraa.ai.openai}: the key (OPENAI_API_KEY; empty = not configured, the built-in engine alone answers),
 * where the API is (OPENAI_BASE_URL; a local stub in tests), the models, the prompt version, the limits of a call and
 * the per-model prices the cost log's money comes from.
 */
public record OpenAiSettings(
    String apiKey, URI baseUrl, String model, String embeddingModel, String promptVersion, Generation analysis,
    Generation reply, Duration requestTimeout, int maxRetries, Map<String, Price> prices) {

  /** How one kind of answer is generated. */
  public record Generation(long maxTokens, double temperature) {
    static Generation fromConfig(Config config) {
      return new Generation(config.getLong("max-tokens"), config.getDouble("temperature"));
    }
  }

  /** USD per million prompt (input) and completion (output) tokens. */
  public record Price(BigDecimal inputPerMillion, BigDecimal outputPerMillion) {
    private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);

    /** Exact to the cost log's scale (a call costs millionths of a dollar). */
    public BigDecimal cost(long promptTokens, long completionTokens) {
      return inputPerMillion.multiply(BigDecimal.valueOf(promptTokens))
          .add(outputPerMillion.multiply(BigDecimal.valueOf(completionTokens)))
          .divide(MILLION, CostLog.MONEY_SCALE, RoundingMode.HALF_UP);
    }
  }

  public OpenAiSettings {
    if (!"https".equals(baseUrl.getScheme()) && !"http".equals(baseUrl.getScheme()) || baseUrl.getHost() == null
        || baseUrl.getRawQuery() != null) {
      throw new IllegalArgumentException(
          "flexoraa.ai.openai.base-url (OPENAI_BASE_URL) must be an http(s) URL without a query: " + baseUrl);
    }
    if (model.isBlank() || embeddingModel.isBlank()) throw new IllegalArgumentException("flexoraa.ai.openai models must be named");
    if (!promptVersion.matches("[A-Za-z0-9_.-]+")) {
      throw new IllegalArgumentException("flexoraa.ai.openai.prompt-version must be a folder name, was " + promptVersion);
    }
    if (maxRetries < 0) throw new IllegalArgumentException("flexoraa.ai.openai.max-retries must be >= 0");
    prices = Map.copyOf(prices);
  }

  public static OpenAiSettings fromConfig(Config config) {
    Config openAi = config.getConfig("flexoraa.ai.openai");
    Map<String, Price> prices = new TreeMap<>();
    ConfigObject table = openAi.getObject("prices");
    for (String model : table.keySet()) {
      Config price = ((ConfigObject) table.get(model)).toConfig();
      prices.put(model, new Price(new BigDecimal(price.getString("input-per-million")),
          new BigDecimal(price.getString("output-per-million"))));
    }
    return new OpenAiSettings(
        openAi.hasPath("api-key") ? openAi.getString("api-key").trim() : "",
        URI.create(openAi.getString("base-url").trim()),
        openAi.getString("model").trim(),
        openAi.getString("embedding-model").trim(),
        openAi.getString("prompt-version").trim(),
        Generation.fromConfig(openAi.getConfig("analysis")),
        Generation.fromConfig(openAi.getConfig("reply")),
        openAi.getDuration("request-timeout"),
        openAi.getInt("max-retries"),
        prices);
  }

  /** {@code flexoraa.ai.provider}: whether and how long the provider is asked before the built-in engine answers. */
  public static FallbackProvider.Settings fallbackFromConfig(Config config) {
    Config provider = config.getConfig("flexoraa.ai.provider");
    String mode = provider.getString("mode").trim();
    if (!mode.equals("auto") && !mode.equals("template-only")) {
      throw new IllegalArgumentException("flexoraa.ai.provider.mode must be auto or template-only, was " + mode);
    }
    return new FallbackProvider.Settings(mode.equals("template-only"), provider.getInt("breaker.max-failures"),
        provider.getDuration("breaker.call-timeout"), provider.getDuration("breaker.reset-timeout"));
  }

  public boolean configured() {
    return !apiKey.isEmpty();
  }

  public Optional<Price> price(String model) {
    return Optional.ofNullable(prices.get(model));
  }

  /** Never the key, whatever logs the settings. */
  @Override
  public String toString() {
    return "OpenAiSettings[baseUrl=" + baseUrl + ", model=" + model + ", embeddingModel=" + embeddingModel
        + ", promptVersion=" + promptVersion + ", apiKey=" + (apiKey.isEmpty() ? "unset" : "set") + "]";
  }
}
