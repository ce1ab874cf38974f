package io.flexoraa.http;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.flexoraa.http.RoutingApiTest.Desk;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A routing deadline that falls due while the engine is down still fires: a HOT lead is assigned on one engine,
 * which stops before its SDR opens it; on a new engine over the same database nothing runs the desk, so its keeper
 * reads the deadline read model and wakes the desk, which re-arms its timers from its events: the unseen lead leaks,
 * the AI re-engages it and the SLA breach is recorded.
 */
class RoutingRestartTest {
  private static final Duration DEADLINE = Duration.ofSeconds(20);

  private static Map<String, Object> settings(String graphUrl) {
    return settings(graphUrl, DEADLINE);
  }

  /** Routing with the SLAs and the unseen lead's deadline at {@code deadline}; no unanswered leak in a test's time. */
  static Map<String, Object> settings(String graphUrl, Duration deadline) {
    Map<String, Object> settings = RoutingApiTest.settings(graphUrl);
    settings.put("flexoraa.routing.sla.hot", deadline.toSeconds() + "s");
    settings.put("flexoraa.routing.sla.warm", deadline.toSeconds() + "s");
    settings.put("flexoraa.routing.leakage.unseen-after", deadline.toSeconds() + "s");
    settings.put("flexoraa.routing.leakage.unanswered-after", "1h");
    return settings;
  }

  @Test
  void anUnseenLeadWhoseDeadlinePassedWhileTheEngineWasDownLeaksAfterTheRestart(@TempDir Path dataDirectory) {
    WireMockServer graph = RoutingApiTest.graph();
    try {
      Desk desk;
      String leadId;
      Instant assignedBy;
      try (TestEngine first = TestEngine.start(dataDirectory, settings(graph.baseUrl()))) {
        desk = RoutingApiTest.desk(first, "online");
        String from = RoutingApiTest.say(first, desk, RoutingApiTest.newSender(),
            "Can we book a site visit this Saturday?");
        leadId = RoutingApiTest.leadOf(first, desk, from);
        String lead = leadId;
        TestEngine.eventually(() -> first.count("SELECT count(*) FROM routing_deadlines WHERE tenant_id = ?"
            + " AND lead_id = ? AND kind = 'unseen' AND due_at > now()", desk.tenantId(), lead) == 1,
            "the unseen deadline recorded");
        assignedBy = Instant.now();
        assertThat(first.count("SELECT count(*) FROM routing_leakage WHERE tenant_id = ?", desk.tenantId()))
            .as("nothing leaked before the stop").isZero();
      }
      try (TestEngine second = TestEngine.start(dataDirectory, settings(graph.baseUrl()))) {
        ColdRecoveryTest.sleep(Math.max(0, Duration.between(Instant.now(), assignedBy.plus(DEADLINE)).toMillis()));
        TestEngine.eventually(() -> second.count("SELECT count(*) FROM routing_leakage WHERE tenant_id = ?"
            + " AND lead_id = ? AND kind = 'unseen' AND action = 're-engaged' AND user_id = ?", desk.tenantId(), leadId,
            desk.sdrId()) == 1, "the leak detected after the restart");
        TestEngine.eventually(() -> !graph.findAll(postRequestedFor(urlPathMatching("/v21.0/" + desk.phoneNumberId()
            + "/messages")).withRequestBody(containing("lock it in"))).isEmpty(), "the AI's re-engagement sent");
        TestEngine.eventually(() -> second.count("SELECT count(*) FROM sla_records WHERE tenant_id = ?"
            + " AND lead_id = ? AND breached_at IS NOT NULL", desk.tenantId(), leadId) == 1, "the SLA breach");
        assertThat(second.count("SELECT count(*) FROM routing_deadlines WHERE tenant_id = ? AND lead_id = ?"
            + " AND kind IN ('sla', 'unseen')", desk.tenantId(), leadId)).as("acted on: the clocks stopped").isZero();
      }
    } finally {
      graph.stop();
    }
  }
}
