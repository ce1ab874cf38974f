package io.flexoraa.http;

import static io.flexoraa.http.TestEngine.eventually;
import static io.flexoraa.http.TestEngine.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Abuse protection end to end on a real node (PRODUCT §6, §7): a customer's rapid fire is stored but kept from AI
 * work and recorded on the message, in /metrics and in the tenant's abuse view; a tenant whose requests keep failing
 * is throttled (429s at the lowered rate), told, audited, and released by its Admin. Each test has a tenant of its
 * own; reports and restriction refreshes are shortened so the test waits milliseconds, not seconds.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AbuseProtectionTest {
  private static final AtomicInteger ACCOUNTS = new AtomicInteger();
  private TestEngine engine;

  @BeforeAll
  void start(@TempDir Path dataDirectory) {
    // Kamon's registry without bytecode instrumentation (that is Main's job); a short tick so /metrics is fresh
    kamon.Kamon.initWithoutAttaching(com.typesafe.config.ConfigFactory.parseString("kamon.metric.tick-interval = 500ms")
        .withFallback(com.typesafe.config.ConfigFactory.load()));
    engine = TestEngine.start(dataDirectory, Map.of(
        "flexoraa.abuse.tenant.report-every", "100ms",
        "flexoraa.abuse.tenant.restrictions-refresh", "100ms"));
  }

  @AfterAll
  void stop() {
    if (engine != null) engine.close();
  }

  private record Tenant(String id, String admin, String waba, String phoneNumberId) {}

  private Tenant tenant(String name) {
    String id = engine.createTenant(name, "IN");
    int n = ACCOUNTS.incrementAndGet();
    String waba = "7300000000100" + n;
    String phoneNumberId = "8300000000100" + n;
    engine.registerWhatsApp(id, phoneNumberId, waba);
    return new Tenant(id, engine.createApiKey(id, "Admin"), waba, phoneNumberId);
  }

  private JsonNode abuse(Tenant tenant) {
    HttpResponse<String> response = engine.get("/api/v1/tenants/" + tenant.id() + "/abuse", tenant.admin());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return json(response);
  }

  @Test
  void rapidFireIsStoredButCostsNoAiWorkAndIsRecordedOnTheMessage() {
    Tenant tenant = tenant("Rapid Co");
    List<Payloads.Text> burst = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      burst.add(new Payloads.Text("wamid.rapid." + i, "919811100001", "Ravi", "question number " + i,
          1_760_000_000L + i));
    }
    assertThat(engine.postWebhook(Payloads.texts(tenant.waba(), tenant.phoneNumberId(), burst)).statusCode())
        .isEqualTo(200);

    String leads = "/api/v1/tenants/" + tenant.id() + "/leads";
    eventually(() -> json(engine.get(leads, tenant.admin())).path("items").size() == 1, "the lead in the read model");
    String leadId = json(engine.get(leads, tenant.admin())).path("items").get(0).path("id").asText();
    eventually(() -> json(engine.get(leads + "/" + leadId + "/messages", tenant.admin())).path("items").size() == 7,
        "all seven messages stored");
    List<String> screens = new ArrayList<>();
    json(engine.get(leads + "/" + leadId + "/messages", tenant.admin())).path("items")
        .forEach(message -> screens.add(message.path("aiScreen").isNull() ? "-" : message.path("aiScreen").asText()));
    assertThat(screens).containsExactly("-", "-", "-", "-", "-", "rapid-fire", "rapid-fire");

    assertThat(abuse(tenant).path("screenedMessages").path("byReason").path("rapid-fire").asLong()).isEqualTo(2);
    eventually(() -> engine.get("/metrics", null).body().lines().anyMatch(line ->
            line.startsWith("flexoraa_abuse_triggers_total{") && line.contains("kind=\"rapid-fire\"")
                && line.contains("scope=\"customer\"")),
        "the customer screen's counter in /metrics");
  }

  @Test
  void aTenantWhoseRequestsKeepFailingIsThrottledToldAuditedAndReleasedByItsAdmin() {
    Tenant tenant = tenant("Flood Co");
    String leads = "/api/v1/tenants/" + tenant.id() + "/leads";
    for (int i = 0; i < 101; i++) {
      HttpResponse<String> refused = engine.post(leads, tenant.admin(), "{\"name\": \"no way to reach " + i + "\"}");
      assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
    }
    eventually(() -> abuse(tenant).path("restrictions").path("throttledMessagesPerSecond").asText().equals("1"),
        "the failure flood to throttle the tenant");
    JsonNode view = abuse(tenant);
    assertThat(view.path("currentHour").path("failures").asLong()).isEqualTo(101);
    assertThat(view.path("triggers")).singleElement().satisfies(trigger -> {
      assertThat(trigger.path("kind").asText()).isEqualTo("failure-flood");
      assertThat(trigger.path("observed").asText()).isEqualTo("101");
      assertThat(trigger.path("active").asBoolean()).isTrue();
    });

    // one submission a second now: two at once cannot both pass (the tenant's own rate would allow five)
    AtomicInteger attempt = new AtomicInteger();
    eventually(() -> {
      int statusA = engine.post(leads, tenant.admin(), "{\"email\": \"a" + attempt.incrementAndGet() + "@example.com\"}")
          .statusCode();
      HttpResponse<String> second =
          engine.post(leads, tenant.admin(), "{\"email\": \"b" + attempt.incrementAndGet() + "@example.com\"}");
      return statusA == 201 && second.statusCode() == 429
          && second.headers().firstValue("Retry-After").orElse("").equals("1");
    }, "the throttled rate to apply");

    eventually(() -> json(engine.get("/api/v1/tenants/" + tenant.id() + "/tokens/notifications", tenant.admin()))
        .path("items").toString().contains("abuse.failure-flood"), "the tenant to be told");
    eventually(() -> json(engine.get("/api/v1/tenants/" + tenant.id() + "/audit", tenant.admin()))
        .path("items").toString().contains("abuse.triggered"), "the trigger in the audit trail");

    HttpResponse<String> badKind = engine.post("/api/v1/tenants/" + tenant.id() + "/abuse/release", tenant.admin(),
        "{\"kind\": \"everything\"}");
    assertThat(badKind.statusCode()).isEqualTo(400);
    assertThat(json(badKind).path("field").asText()).isEqualTo("kind");

    HttpResponse<String> released = engine.post("/api/v1/tenants/" + tenant.id() + "/abuse/release", tenant.admin(),
        "{\"kind\": \"failure-flood\"}");
    assertThat(released.statusCode()).as(released.body()).isEqualTo(200);
    assertThat(json(released).path("released").asBoolean()).isTrue();
    assertThat(abuse(tenant).path("restrictions").path("throttledMessagesPerSecond").isNull()).isTrue();
    eventually(() -> json(engine.get("/api/v1/tenants/" + tenant.id() + "/audit", tenant.admin()))
        .path("items").toString().contains("abuse.released"), "the release in the audit trail");
  }
}
