package io.flexoraa.http;

import static io.flexoraa.http.TestEngine.OPERATOR_KEY;
import static io.flexoraa.http.TestEngine.eventually;
import static io.flexoraa.http.TestEngine.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import kamon.Kamon;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backpressure end to end on a real node with low thresholds (5 / 10 / 20, released at 4 / 8 / 16, 1 s dwell): one
 * webhook carrying 40 messages of one tenant, over its 5 messages/s, fills the AI work queue; the operator sees the
 * node go template-only on GET /api/v1/ops/backpressure and in /metrics, and sees it come back to normal, step by
 * step and without flapping, as the queue drains at the tenant's rate.
 */
class BackpressureApiTest {
  private static final int MESSAGES = 40;

  @Test
  void aFloodedQueueGoesTemplateOnlyAndComesBackWhenItDrains(@TempDir Path dataDirectory) {
    // Kamon's registry without bytecode instrumentation; a short tick so /metrics is fresh
    Kamon.initWithoutAttaching(
        ConfigFactory.parseString("kamon.metric.tick-interval = 500ms").withFallback(ConfigFactory.load()));
    try (TestEngine engine = TestEngine.start(dataDirectory, Map.of(
        "flexoraa.limits.backpressure.defer-analytics-above", 5,
        "flexoraa.limits.backpressure.default-persuasion-above", 10,
        "flexoraa.limits.backpressure.template-only-above", 20,
        "flexoraa.limits.backpressure.minimum-dwell", "1s",
        "flexoraa.limits.backpressure.evaluation-interval", "200ms",
        // one customer's burst is the load here; the customer screen would keep most of it from AI work
        "flexoraa.abuse.customer.rapid-fire.messages", 1000))) {
      String tenantId = engine.createTenant("Flooded", "IN");
      engine.registerWhatsApp(tenantId, "840000000000001", "740000000000001");
      String tenantKey = engine.createApiKey(tenantId);
      assertThat(mode(engine)).isEqualTo("normal");

      List<Payloads.Text> flood = new ArrayList<>();
      for (int i = 0; i < MESSAGES; i++) {
        flood.add(new Payloads.Text("wamid.flood." + i, "919866666666", "Asha Rao", "message " + i, 1_760_000_000L + i));
      }
      assertThat(engine.postWebhook(Payloads.texts("740000000000001", "840000000000001", flood)).statusCode())
          .isEqualTo(200);

      eventually(() -> "template-only".equals(mode(engine)), "template-only on GET /api/v1/ops/backpressure");
      JsonNode flooded = backpressure(engine);
      assertThat(flooded.get("allows").get("aiCalls").asBoolean()).isFalse();
      assertThat(flooded.get("allows").get("analytics").asBoolean()).isFalse();
      assertThat(flooded.get("thresholds").get("template-only").get("above").asLong()).isEqualTo(20);
      assertThat(flooded.get("thresholds").get("template-only").get("releasedAtOrBelow").asLong()).isEqualTo(16);
      assertThat(flooded.get("thresholds").get("minimumDwell").asText()).isEqualTo("PT1S");
      JsonNode node = flooded.get("nodes").get(0);
      assertThat(flooded.get("nodes")).hasSize(1);
      assertThat(node.get("available").asBoolean()).isTrue();
      assertThat(node.get("address").asText()).startsWith("pekko://flexoraa@127.0.0.1:");
      assertThat(node.get("mode").asText()).isEqualTo("template-only");
      assertThat(node.get("level").asInt()).isEqualTo(3);
      assertThat(node.get("depth").asLong()).isGreaterThan(16);
      assertThat(node.get("leads").asInt()).isEqualTo(1);
      JsonNode rise = flooded.get("recentTransitions").get(0);
      assertThat(rise.get("from").asText()).isEqualTo("normal");
      assertThat(rise.get("to").asText()).as("past every threshold at once").isEqualTo("template-only");
      assertThat(rise.get("depth").asLong()).isGreaterThan(20);
      assertThat(rise.get("node").asText()).isEqualTo(node.get("address").asText());

      eventually(() -> {
        String metrics = engine.get("/metrics", null).body();
        return metrics.contains("flexoraa_backpressure_level 3.0")
            && metrics.contains("flexoraa_backpressure_mode{mode=\"template-only\"} 1.0")
            && metrics.contains("flexoraa_backpressure_mode{mode=\"normal\"} 0.0");
      }, "template-only in /metrics");

      assertThat(engine.get("/api/v1/ops/backpressure", tenantKey).statusCode()).as("operators only").isEqualTo(403);

      // 5 admitted at once, then 5 a second: the queue is empty about 7 s after the webhook
      eventually(() -> {
        JsonNode view = backpressure(engine);
        return "normal".equals(view.get("mode").asText()) && view.get("nodes").get(0).get("depth").asLong() == 0;
      }, "normal again once the queue has drained");
      JsonNode drained = backpressure(engine);
      assertThat(drained.get("allows").get("aiCalls").asBoolean()).isTrue();
      List<Integer> levels = new ArrayList<>();
      List<JsonNode> transitions = new ArrayList<>();
      drained.get("recentTransitions").forEach(transitions::add);
      // newest first: read them oldest first
      for (int i = transitions.size() - 1; i >= 0; i--) levels.add(level(transitions.get(i).get("to").asText()));
      assertThat(levels).as("one rise, then only falls, ending at normal").startsWith(3).endsWith(0);
      assertThat(levels.subList(1, levels.size())).isSortedAccordingTo((a, b) -> Integer.compare(b, a))
          .doesNotHaveDuplicates();
      assertThat(drained.get("nodes").get(0).get("transitions").asLong()).isEqualTo(levels.size());

      eventually(() -> {
        String metrics = engine.get("/metrics", null).body();
        return metrics.contains("flexoraa_backpressure_level 0.0")
            && metrics.contains("flexoraa_backpressure_mode{mode=\"normal\"} 1.0")
            // Kamon orders tags as it likes
            && metrics.lines().anyMatch(line -> line.startsWith("flexoraa_backpressure_transitions_total{")
                && line.contains("from=\"normal\"") && line.contains("to=\"template-only\"") && line.endsWith("} 1.0"))
            && metrics.contains("flexoraa_ai_work_deferred 0.0");
      }, "normal in /metrics");
    }
  }

  private static JsonNode backpressure(TestEngine engine) {
    HttpResponse<String> response = engine.get("/api/v1/ops/backpressure", OPERATOR_KEY);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return json(response);
  }

  private static String mode(TestEngine engine) {
    return backpressure(engine).get("mode").asText();
  }

  private static int level(String mode) {
    return List.of("normal", "defer-analytics", "default-persuasion", "template-only").indexOf(mode);
  }
}
