package io.flexoraa.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A COLD lead whose AI recovery lapses without a reply goes to the junior pool (PRODUCT §4.4; decisions 30 and 31):
 * with a senior and a junior SDR both online, the lapsed lead is assigned to the junior, never the senior.
 */
class ColdLapseRoutingTest {
  private static final String PASSWORD = "correct horse battery staple";

  @Test
  void aColdLeadWhoseRecoveryLapsesIsAssignedToTheJuniorNotTheSenior(@TempDir Path dataDirectory) {
    WireMockServer graph = RoutingApiTest.graph();
    Map<String, Object> settings = ColdRecoveryTest.settings(graph.baseUrl(), 1, 2, 3);
    settings.put("flexoraa.routing.keeper-interval", "1s");
    try (TestEngine engine = TestEngine.start(dataDirectory, settings)) {
      String tenantId = engine.createTenant("Lapse Realty", "IN");
      String admin = engine.createApiKey(tenantId, "Admin");
      ColdRecoveryTest.connect(engine, tenantId, admin);
      String senior = sdr(engine, tenantId, admin, "senior@lapse.test", "senior");
      String junior = sdr(engine, tenantId, admin, "junior@lapse.test", "junior");

      String from = "919655500077";
      ColdRecoveryTest.say(engine, from, ColdRecoveryTest.VAGUE, Instant.now());
      String leadId = ColdRecoveryTest.leadOf(engine, tenantId, admin, from);
      // COLD: not routed on its score; the recovery runs first
      TestEngine.eventually(() -> "COLD".equals(TestEngine.json(engine.get("/api/v1/tenants/" + tenantId
          + "/leads/" + leadId, admin)).path("band").asText()), "the lead scored COLD");
      assertThat(TestEngine.json(engine.get("/api/v1/tenants/" + tenantId + "/leads/" + leadId, admin))
          .path("assignedTo").isNull()).as("not routed while the recovery runs").isTrue();

      ColdRecoveryTest.sleep(5000);
      TestEngine.eventually(() -> junior.equals(TestEngine.json(engine.get("/api/v1/tenants/" + tenantId + "/leads/"
          + leadId, admin)).path("assignedTo").asText()), "the lapsed lead assigned to the junior");
      JsonNode history = TestEngine.json(engine.get("/api/v1/tenants/" + tenantId + "/leads/" + leadId + "/routing",
          admin)).path("assignments");
      assertThat(history).hasSize(1);
      assertThat(history.get(0).path("reason").asText()).isEqualTo("juniors");
      assertThat(history.get(0).path("band").asText()).isEqualTo("COLD");
      assertThat(history.findValuesAsText("userId")).doesNotContain(senior);
    } finally {
      graph.stop();
    }
  }

  private static String sdr(TestEngine engine, String tenantId, String admin, String email, String seniority) {
    String userId = engine.createUser(tenantId, email, "SDR", PASSWORD);
    HttpResponse<String> added = engine.post("/api/v1/tenants/" + tenantId + "/sdrs", admin, "{\"userId\":\""
        + userId + "\",\"seniority\":\"" + seniority + "\",\"capacity\":5,\"workingHours\":" + RoutingApiTest.ALWAYS
        + ",\"presence\":\"online\"}");
    assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
    return userId;
  }
}
