package io.flexoraa.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stop does not lose AI work: a message analysed but not yet answered when the engine stops is answered after
 * the restart, by the agent woken at start-up from its own events — not when the lead happens to write again.
 */
class LeadAgentRestartTest {
  private static final String WABA = "303000000000001";
  private static final String PHONE_NUMBER_ID = "403000000000001";
  private static final String VERSION = "v21.0";

  private static Map<String, Object> settings(String graphUrl, String burstQuiet) {
    Map<String, Object> settings = new HashMap<>(Map.of(
        "flexoraa.ai.agent.enabled", true,
        "flexoraa.ai.agent.burst-quiet", burstQuiet,
        "flexoraa.ai.agent.burst-max-wait", "60s",
        "flexoraa.ai.agent.confidence-floor", 0.0,
        "flexoraa.meta.graph.base-url", graphUrl,
        "flexoraa.meta.graph.api-version", VERSION,
        "flexoraa.billing.plans.leados-pro.daily-burn-limit", 1000));
    settings.put("flexoraa.abuse.tenant.burn-spike.min-baseline", 10000);
    return settings;
  }

  @Test
  void anUnansweredMessageIsAnsweredAfterARestart(@TempDir Path dataDirectory) {
    WireMockServer graph = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    graph.start();
    graph.stubFor(post(urlPathEqualTo("/" + VERSION + "/" + PHONE_NUMBER_ID + "/messages"))
        .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
            .withBody("{\"messaging_product\":\"whatsapp\",\"messages\":[{\"id\":\"wamid.out-restart\"}]}")));
    try {
      String tenantId;
      String from = "919655500001";
      // the first run waits a minute for the lead to finish typing: it stops before it replies
      try (TestEngine first = TestEngine.start(dataDirectory, settings(graph.baseUrl(), "60s"))) {
        tenantId = first.createTenant("Restart Realty", "IN");
        String admin = first.createApiKey(tenantId, "Admin");
        first.connectWhatsApp(tenantId, admin, PHONE_NUMBER_ID, WABA, "EAAG-r");
        HttpResponse<String> received = first.postWebhook(Payloads.texts(WABA, PHONE_NUMBER_ID, List.of(
            new Payloads.Text("wamid.restart-1", from, "Ravi", "Looking for a 3BHK in Whitefield",
                Instant.now().getEpochSecond()))));
        assertThat(received.statusCode()).isEqualTo(200);
        TestEngine.eventually(() -> first.count("SELECT count(*) FROM ai_message_analyses WHERE tenant_id = ?",
            tenantId) == 1, "the message analysed");
        assertThat(graph.findAll(postRequestedFor(urlPathEqualTo("/" + VERSION + "/" + PHONE_NUMBER_ID
            + "/messages")))).isEmpty();
      }
      // the second run is woken at start-up and answers at once
      try (TestEngine second = TestEngine.start(dataDirectory, settings(graph.baseUrl(), "300ms"))) {
        TestEngine.eventually(() -> graph.findAll(postRequestedFor(urlPathEqualTo("/" + VERSION + "/"
            + PHONE_NUMBER_ID + "/messages"))).size() == 1, "the reply after the restart");
        TestEngine.eventually(() -> second.count("SELECT count(*) FROM ai_replies WHERE tenant_id = ?"
            + " AND decision = 'send'", tenantId) == 1, "the reply recorded once");
        assertThat(second.count("SELECT count(*) FROM token_ledger WHERE tenant_id = ? AND operation = ?",
            tenantId, "intent-classification")).isEqualTo(1);
      }
    } finally {
      graph.stop();
    }
  }
}
