package io.flexoraa.http;

import static io.flexoraa.http.TestEngine.OPERATOR_KEY;
import static io.flexoraa.http.TestEngine.eventually;
import static io.flexoraa.http.TestEngine.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import kamon.Kamon;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Provisioning, keys, tenant isolation, validation and the operational endpoints, over real HTTP. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiTest {
  TestEngine engine;
  String tenantA;
  String tenantB;
  String keyA;
  String keyB;

  @BeforeAll
  void start(@TempDir Path dataDirectory) {
    // Kamon's registry without bytecode instrumentation (that is Main's job); a short tick so /metrics is fresh
    Kamon.initWithoutAttaching(ConfigFactory.parseString("kamon.metric.tick-interval = 500ms").withFallback(ConfigFactory.load()));
    engine = TestEngine.start(dataDirectory);
    tenantA = engine.createTenant("Tenant A", "IN");
    tenantB = engine.createTenant("Tenant B", "AE");
    engine.registerWhatsApp(tenantA, "810000000000001", "710000000000001");
    engine.registerWhatsApp(tenantB, "810000000000002", "710000000000002");
    keyA = engine.createApiKey(tenantA);
    keyB = engine.createApiKey(tenantB);
  }

  @AfterAll
  void stop() {
    engine.close();
  }

  @Test
  void aTenantKeySeesOnlyItsTenant() {
    // the same person writes to both businesses: two tenants, two leads, no leakage
    String phone = "919812345678";
    engine.postWebhook(Payloads.text("710000000000001", "810000000000001", "wamid.iso.a", phone, "to A"));
    engine.postWebhook(Payloads.text("710000000000002", "810000000000002", "wamid.iso.b", phone, "to B"));
    eventually(() -> engine.count("SELECT count(*) FROM lead_messages WHERE platform_message_id LIKE 'wamid.iso.%'") == 2,
        "both messages");

    JsonNode leadsOfA = json(engine.get("/api/v1/tenants/" + tenantA + "/leads?phone=%2B" + phone, keyA));
    assertThat(leadsOfA.get("total").asInt()).isEqualTo(1);
    String leadOfA = leadsOfA.get("items").get(0).get("id").asText();
    JsonNode leadsOfB = json(engine.get("/api/v1/tenants/" + tenantB + "/leads?phone=%2B" + phone, keyB));
    assertThat(leadsOfB.get("total").asInt()).isEqualTo(1);
    assertThat(leadsOfB.get("items").get(0).get("id").asText()).isNotEqualTo(leadOfA);
    JsonNode messagesOfA = json(engine.get("/api/v1/tenants/" + tenantA + "/leads/" + leadOfA + "/messages", keyA));
    assertThat(messagesOfA.get("items").get(0).get("text").asText()).isEqualTo("to A");

    assertThat(engine.get("/api/v1/tenants/" + tenantB + "/leads", keyA).statusCode()).isEqualTo(403);
    assertThat(engine.get("/api/v1/tenants/" + tenantB + "/leads/" + leadOfA, keyA).statusCode()).isEqualTo(403);
    assertThat(engine.get("/api/v1/tenants/" + tenantB, keyA).statusCode()).isEqualTo(403);
    // B's key cannot reach A's lead through B's own path either: the lead is not B's
    assertThat(engine.get("/api/v1/tenants/" + tenantB + "/leads/" + leadOfA, keyB).statusCode()).isEqualTo(404);
    assertThat(engine.post("/api/v1/tenants", keyA, "{\"name\":\"x\",\"plan\":\"full-os\",\"defaultRegion\":\"IN\"}")
        .statusCode()).isEqualTo(403);
  }

  @Test
  void requestsWithoutAValidKeyAreRefused() {
    HttpResponse<String> none = engine.get("/api/v1/tenants/" + tenantA + "/leads", null);
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.headers().firstValue("WWW-Authenticate")).isPresent();
    assertThat(engine.get("/api/v1/tenants/" + tenantA + "/leads", "flx." + tenantA + ".nokey.nosecret").statusCode())
        .isEqualTo(401);
    String tampered = keyA.substring(0, keyA.length() - 2) + (keyA.endsWith("AA") ? "BB" : "AA");
    assertThat(engine.get("/api/v1/tenants/" + tenantA + "/leads", tampered).statusCode()).isEqualTo(401);
  }

  @Test
  void aRevokedKeyStopsWorking() {
    String key = engine.createApiKey(tenantA);
    assertThat(engine.get("/api/v1/tenants/" + tenantA + "/leads", key).statusCode()).isEqualTo(200);
    String keyId = key.split("\\.")[2];
    HttpResponse<String> revoked = engine.send(HttpRequest.newBuilder(
        URI.create(engine.baseUrl() + "/api/v1/tenants/" + tenantA + "/api-keys/" + keyId))
        .header("Authorization", "Bearer " + OPERATOR_KEY).DELETE().build());
    assertThat(revoked.statusCode()).isEqualTo(204);
    assertThat(engine.get("/api/v1/tenants/" + tenantA + "/leads", key).statusCode()).isEqualTo(401);

    // listed with its role and revocation time, never with its secret or hash
    HttpResponse<String> listed = engine.get("/api/v1/tenants/" + tenantA + "/api-keys", OPERATOR_KEY);
    assertThat(listed.statusCode()).isEqualTo(200);
    JsonNode entry = null;
    for (JsonNode item : json(listed).get("items")) {
      if (item.get("id").asText().equals(keyId)) entry = item;
    }
    assertThat(entry).as(listed.body()).isNotNull();
    assertThat(entry.get("role").asText()).isEqualTo("Admin");
    assertThat(entry.get("revokedAt").isNull()).isFalse();
    assertThat(listed.body()).doesNotContain(key.split("\\.")[3]).doesNotContain("secretHash");
  }

  @Test
  void invalidInputIs400ProblemJsonNamingTheField() {
    assertProblem(engine.post("/api/v1/tenants", OPERATOR_KEY, "{\"plan\":\"leados-pro\",\"defaultRegion\":\"IN\"}"), 400, "name");
    assertProblem(engine.post("/api/v1/tenants", OPERATOR_KEY, "{\"name\":\"x\",\"plan\":\"platinum\",\"defaultRegion\":\"IN\"}"), 400, "plan");
    assertProblem(engine.post("/api/v1/tenants", OPERATOR_KEY, "{\"name\":\"x\",\"plan\":\"leados-pro\",\"defaultRegion\":\"XX\"}"), 400, "defaultRegion");
    assertProblem(engine.post("/api/v1/tenants", OPERATOR_KEY, "{\"name\":42,\"plan\":\"leados-pro\",\"defaultRegion\":\"IN\"}"), 400, "name");
    assertProblem(engine.post("/api/v1/tenants", OPERATOR_KEY, "not json"), 400, "body");
    assertProblem(engine.post("/api/v1/tenants/" + tenantA + "/channel-accounts", OPERATOR_KEY,
        "{\"channel\":\"telegram\",\"externalId\":\"1\",\"displayName\":\"x\",\"verifyToken\":\"t\"}"), 400, "channel");
    assertProblem(engine.post("/api/v1/tenants/" + tenantA + "/channel-accounts", OPERATOR_KEY,
        "{\"channel\":\"whatsapp\",\"externalId\":\"has spaces\",\"displayName\":\"x\",\"verifyToken\":\"t\"}"), 400, "externalId");
    assertProblem(engine.post("/api/v1/tenants/" + tenantA + "/api-keys", OPERATOR_KEY, "{}"), 400, "name");
    assertProblem(engine.get("/api/v1/tenants/" + tenantA + "/leads?limit=0", keyA), 400, "limit");
    assertProblem(engine.get("/api/v1/tenants/" + tenantA + "/leads?limit=abc", keyA), 400, "limit");
    assertProblem(engine.get("/api/v1/tenants/" + tenantA + "/leads?phone=call-me", keyA), 400, "phone");
  }

  @Test
  void unknownIdsAre404AndAChannelAccountBelongsToOneTenant() {
    assertThat(engine.get("/api/v1/tenants/00000000-0000-0000-0000-000000000000/leads", OPERATOR_KEY).statusCode()).isEqualTo(404);
    assertThat(engine.get("/api/v1/tenants/" + tenantA + "/leads/no-such-lead", keyA).statusCode()).isEqualTo(404);
    assertThat(engine.get("/api/v1/tenants/" + tenantA + "/leads/no-such-lead/messages", keyA).statusCode()).isEqualTo(404);
    assertThat(engine.get("/api/v1/nowhere", keyA).statusCode()).isEqualTo(404);
    HttpResponse<String> taken = engine.post("/api/v1/tenants/" + tenantB + "/channel-accounts", OPERATOR_KEY,
        "{\"channel\":\"whatsapp\",\"externalId\":\"810000000000001\",\"displayName\":\"x\",\"verifyToken\":\"t\"}");
    assertThat(taken.statusCode()).isEqualTo(409);
    JsonNode accounts = json(engine.get("/api/v1/tenants/" + tenantA + "/channel-accounts", keyA));
    assertThat(accounts.get("total").asInt()).isEqualTo(1);
    assertThat(accounts.get("items").get(0).get("externalId").asText()).isEqualTo("810000000000001");
  }

  @Test
  void leadsArePagedWithATotalAndFoundByPhoneInAnyNotation() {
    for (int i = 0; i < 5; i++) {
      engine.postWebhook(Payloads.text("710000000000002", "810000000000002", "wamid.page." + i, "97150123456" + i, "hi"));
    }
    eventually(() -> engine.count("SELECT count(*) FROM lead_messages WHERE platform_message_id LIKE 'wamid.page.%'") == 5,
        "five leads");
    JsonNode page = json(engine.get("/api/v1/tenants/" + tenantB + "/leads?limit=2&offset=1", keyB));
    assertThat(page.get("items").size()).isEqualTo(2);
    assertThat(page.get("total").asInt()).isGreaterThanOrEqualTo(5);
    // tenant B's default region is AE: a local number finds the lead stored in E.164
    JsonNode byLocal = json(engine.get("/api/v1/tenants/" + tenantB + "/leads?phone=050%20123%204563", keyB));
    assertThat(byLocal.get("total").asInt()).isEqualTo(1);
    assertThat(byLocal.get("items").get(0).get("phone").asText()).isEqualTo("+971501234563");
  }

  @Test
  void probesAndMetrics() {
    assertThat(engine.get("/live", null).statusCode()).isEqualTo(200);
    assertThat(engine.get("/ready", null).statusCode()).isEqualTo(200);
    assertThat(json(engine.get("/health", null)).get("ready").asBoolean()).isTrue();
    engine.postWebhook(Payloads.text("710000000000001", "810000000000001", "wamid.metrics.1", "919800000001", "m"));
    eventually(() -> engine.get("/metrics", null).body().contains("flexoraa_webhooks_total{outcome=\"accepted\"}"),
        "the webhook counter in /metrics");
    String metrics = engine.get("/metrics", null).body();
    assertThat(metrics).contains("flexoraa_webhook_ack_latency_seconds_bucket");
    assertThat(metrics).contains("flexoraa_events_persisted_total{entity=\"lead\"}");
    eventually(() -> engine.get("/metrics", null).body().contains("flexoraa_live_entities{entity=\"lead\"}"),
        "the live entity gauge");
  }

  private static void assertProblem(HttpResponse<String> response, int status, String field) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(json(response).get("field").asText()).isEqualTo(field);
  }
}
