package io.flexoraa.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A reminder due while the engine is down reaches the lead's WhatsApp (the Graph API stub) after the restart: nothing
 * wakes the calendar entity but the keeper reading the pending deliveries' read model. Durations in seconds.
 */
class AppointmentReminderRestartTest {
  private static final String WABA = "305000000000001";
  private static final String PHONE_NUMBER_ID = "405000000000001";
  private static final String VERSION = "v21.0";

  private static Map<String, Object> settings(String graphUrl) {
    return Map.of(
        "flexoraa.meta.graph.base-url", graphUrl,
        "flexoraa.meta.graph.api-version", VERSION,
        "flexoraa.appointments.lead-time", "1s",
        "flexoraa.appointments.reminders", List.of("8s"),
        "flexoraa.appointments.slot-length", "3s",
        "flexoraa.appointments.keeper-interval", "1s");
  }

  @Test
  void aReminderFiresAfterARestart(@TempDir Path dataDirectory) {
    WireMockServer graph = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    graph.start();
    graph.stubFor(post(urlPathEqualTo("/" + VERSION + "/" + PHONE_NUMBER_ID + "/messages"))
        .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
            .withBody("{\"messaging_product\":\"whatsapp\",\"messages\":[{\"id\":\"wamid.out-appt\"}]}")));
    String from = "919655511111";
    Instant[] reminderDue = new Instant[1];
    try {
      try (TestEngine first = TestEngine.start(dataDirectory, settings(graph.baseUrl()))) {
        String tenantId = first.createTenant("Reminder Realty", "IN");
        String admin = first.createApiKey(tenantId, "Admin");
        String sdrId = first.createUser(tenantId, "s1@example.com", "SDR", "correct horse battery staple");
        HttpResponse<String> rostered = first.post("/api/v1/tenants/" + tenantId + "/sdrs", admin, "{\"userId\":\""
            + sdrId + "\",\"seniority\":\"junior\",\"capacity\":5,\"workingHours\":" + RoutingApiTest.ALWAYS
            + ",\"presence\":\"online\"}");
        assertThat(rostered.statusCode()).as(rostered.body()).isEqualTo(201);
        first.registerWhatsApp(tenantId, PHONE_NUMBER_ID, WABA);
        assertThat(first.request("PUT", "/api/v1/tenants/" + tenantId + "/channel-accounts/whatsapp/"
            + PHONE_NUMBER_ID + "/credentials", admin, "{\"accessToken\":\"EAAG-a\"}").statusCode()).isEqualTo(204);
        assertThat(first.postWebhook(Payloads.texts(WABA, PHONE_NUMBER_ID, List.of(new Payloads.Text(
            "wamid.appt-1", from, "Ravi", "Can we talk tomorrow?", Instant.now().getEpochSecond())))).statusCode())
            .isEqualTo(200);
        JsonNode[] lead = new JsonNode[1];
        TestEngine.eventually(() -> {
          JsonNode page = TestEngine.json(first.get("/api/v1/tenants/" + tenantId + "/leads?phone=%2B" + from, admin));
          lead[0] = page.path("items").size() == 1 ? page.path("items").get(0) : null;
          return lead[0] != null;
        }, "the lead");
        // the reminder falls due 10 s after booking: after this engine is closed, before the next one is up
        Instant startsAt = Instant.now().plus(Duration.ofSeconds(18)).truncatedTo(ChronoUnit.SECONDS);
        reminderDue[0] = startsAt.minus(Duration.ofSeconds(8));
        HttpResponse<String> booked = first.post("/api/v1/tenants/" + tenantId + "/appointments", admin,
            "{\"leadId\":\"" + lead[0].path("id").asText() + "\",\"userId\":\"" + sdrId + "\",\"startsAt\":\"" + startsAt
                + "\"}");
        assertThat(booked.statusCode()).as(booked.body()).isEqualTo(201);
        TestEngine.eventually(() -> !graph.findAll(postRequestedFor(urlPathEqualTo("/" + VERSION + "/"
            + PHONE_NUMBER_ID + "/messages")).withRequestBody(containing("booked"))).isEmpty(), "the confirmation");
        TestEngine.eventually(() -> first.count("SELECT count(*) FROM appointment_deadlines WHERE kind = 'REMINDER'")
            == 1, "the reminder's deadline in the read model");
      }
      assertThat(Instant.now()).as("closed before the reminder was due").isBefore(reminderDue[0]);
      assertThat(reminders(graph)).isZero();
      sleepUntilPast(reminderDue[0]);
      try (TestEngine second = TestEngine.start(dataDirectory, settings(graph.baseUrl()))) {
        TestEngine.eventually(() -> reminders(graph) == 1, "the reminder after the restart");
        TestEngine.eventually(() -> second.count("SELECT count(*) FROM appointment_deadlines WHERE kind = 'REMINDER'")
            == 0, "the reminder done");
      }
    } finally {
      graph.stop();
    }
  }

  private static int reminders(WireMockServer graph) {
    return graph.findAll(postRequestedFor(urlPathEqualTo("/" + VERSION + "/" + PHONE_NUMBER_ID + "/messages"))
        .withRequestBody(containing("Reminder"))).size();
  }

  private static void sleepUntilPast(Instant at) {
    long millis = Duration.between(Instant.now(), at).toMillis();
    if (millis <= 0) return;
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
