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
        "flexoraa.abuse.tenant.restrictions-refresh", "100ms",
        // an intake spike at the 4th new lead of an hour (20 x a floor of 0.15 = 3), so the test needs a handful
        "flexoraa.abuse.tenant.intake-spike.min-baseline", "0.15"));
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

  private int post(Tenant tenant, String id, String from, long timestamp) {
    return engine.postWebhook(Payloads.texts(tenant.waba(), tenant.phoneNumberId(),
        List.of(new Payloads.Text(id, from, "Lead " + from, "hello from " + id, timestamp)))).statusCode();
  }

  @Test
  void anIntakeSpikeParksNewLeadsUntilTheAdminReleasesThemAndTheirWorkStartsInOrder() {
    Tenant tenant = tenant("Spike Co");
    // a customer from before the spike keeps being served
    assertThat(post(tenant, "wamid.spike.regular.1", "919822200000", 1_760_000_000L)).isEqualTo(200);
    eventually(() -> engine.server.aiWorkStarted() >= 1, "the regular customer's first message to start");
    for (int i = 1; i <= 3; i++) {
      assertThat(post(tenant, "wamid.spike.new." + i, "91982220000" + i, 1_760_000_000L)).isEqualTo(200);
    }
    eventually(() -> abuse(tenant).path("restrictions").path("intakeParked").asBoolean(), "the intake spike");
    assertThat(abuse(tenant).path("triggers").get(0).path("kind").asText()).isEqualTo("intake-spike");

    // the limiter reads the restriction within its refresh; from then on a new lead's work is parked
    try {
      Thread.sleep(500);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    long startedBefore = engine.server.aiWorkStarted();
    assertThat(post(tenant, "wamid.spike.parked.1", "919822200009", 1_760_000_100L)).isEqualTo(200);
    assertThat(post(tenant, "wamid.spike.parked.2", "919822200009", 1_760_000_130L)).isEqualTo(200);
    assertThat(post(tenant, "wamid.spike.regular.2", "919822200000", 1_760_000_160L)).isEqualTo(200);
    eventually(() -> abuse(tenant).path("parkedMessages").asInt() == 2, "both messages of the new lead parked");
    eventually(() -> engine.server.aiWorkStarted() - startedBefore >= 1, "the regular customer's work");
    long startedWhileParked = engine.server.aiWorkStarted() - startedBefore;
    assertThat(startedWhileParked).as("only the regular customer's message started").isEqualTo(1);
    assertThat(abuse(tenant).path("parkedLeads").asInt()).isEqualTo(1);

    // the messages themselves are stored and readable while parked
    String leads = "/api/v1/tenants/" + tenant.id() + "/leads";
    eventually(() -> json(engine.get(leads, tenant.admin())).path("total").asInt() == 5, "all five leads stored");

    HttpResponse<String> managerRelease = engine.post("/api/v1/tenants/" + tenant.id() + "/abuse/release",
        engine.createApiKey(tenant.id(), "Manager"), "{\"kind\": \"intake-spike\"}");
    assertThat(managerRelease.statusCode()).isEqualTo(403);
    long beforeRelease = engine.server.aiWorkStarted();
    HttpResponse<String> released = engine.post("/api/v1/tenants/" + tenant.id() + "/abuse/release", tenant.admin(),
        "{\"kind\": \"intake-spike\"}");
    assertThat(released.statusCode()).as(released.body()).isEqualTo(200);
    assertThat(json(released).path("leadsStarted").asInt()).isEqualTo(1);
    assertThat(json(released).path("messagesStarted").asInt()).isEqualTo(2);
    eventually(() -> engine.server.aiWorkStarted() - beforeRelease == 2, "the parked work to start");
    JsonNode after = abuse(tenant);
    assertThat(after.path("parkedMessages").asInt()).isZero();
    assertThat(after.path("restrictions").path("intakeParked").asBoolean()).isFalse();
    assertThat(after.path("triggers").get(0).path("releasedBy").asText()).isNotBlank();
  }
}
