package io.flexoraa.http;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A recovery step fires after a restart: the sequence starts on one engine, which stops before the first step is
 * due; a new engine on the same database has no running entity, and its keeper wakes the sequence from the
 * deadline read model, so the step still reaches the lead.
 */
class ColdRecoveryRestartTest {

  @Test
  void aStepDueWhileTheEngineWasDownIsSentAfterTheRestart(@TempDir Path dataDirectory) {
    WireMockServer graph = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort().templatingEnabled(true));
    graph.start();
    ColdRecoveryTest.stubGraph(graph);
    String from = "919655500031";
    try {
      String tenantId;
      String admin;
      String leadId;
      try (TestEngine first = TestEngine.start(dataDirectory, ColdRecoveryTest.settings(graph.baseUrl(), 12, 14, 16))) {
        tenantId = first.createTenant("Restart Recovery", "IN");
        admin = first.createApiKey(tenantId, "Admin");
        ColdRecoveryTest.connect(first, tenantId, admin);
        ColdRecoveryTest.say(first, from, ColdRecoveryTest.VAGUE, Instant.now());
        leadId = ColdRecoveryTest.leadOf(first, tenantId, admin, from);
        String lead = leadId;
        TestEngine.eventually(() -> first.count("SELECT count(*) FROM recovery_deadlines WHERE tenant_id = ?"
            + " AND lead_id = ?", tenantId, lead) == 1, "the sequence's deadline recorded");
      }
      assertThat(ColdRecoveryTest.stepSends(graph, from, 0)).as("nothing sent before the restart").isZero();
      try (TestEngine second = TestEngine.start(dataDirectory, ColdRecoveryTest.settings(graph.baseUrl(), 12, 14, 16))) {
        TestEngine.eventually(() -> ColdRecoveryTest.stepSends(graph, from, 0) == 1,
            "the first step sent after the restart");
        TestEngine.eventually(() -> second.count("SELECT count(*) FROM cold_recoveries WHERE tenant_id = ?"
            + " AND lead_id = ? AND steps_sent >= 1", tenantId, leadId) == 1, "the step in the read model");
      }
    } finally {
      graph.stop();
    }
  }
}
