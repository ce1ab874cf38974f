package io.flexoraa.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The leads list's board filters on real read models (issue 8; decision 36): channel, assignee, source, language,
 * band and phone, alone and together, within an SDR's scope; the SLA each lead carries; bad values as 400 problems
 * naming the parameter; the waiting queue as an SDR may see it, and an SDR's own roster entry.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LeadFiltersApiTest {
  private TestEngine engine;
  private BoardData data;

  @BeforeAll
  void start(@TempDir Path dataDirectory) {
    engine = TestEngine.start(dataDirectory);
    data = BoardData.create(engine);
  }

  @AfterAll
  void stop() {
    if (engine != null) engine.close();
  }

  private JsonNode list(String query, String key) {
    HttpResponse<String> response = engine.get("/api/v1/tenants/" + data.tenant + "/leads?limit=50" + query, key);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return TestEngine.json(response);
  }

  private List<String> ids(String query) {
    List<String> ids = new ArrayList<>();
    JsonNode page = list(query, data.admin);
    page.path("items").forEach(item -> ids.add(item.path("id").asText()));
    assertThat(page.path("total").asLong()).as("total of " + query).isEqualTo(ids.size());
    return ids;
  }

  @Test
  void eachFilterNarrowsTheListAndTheyCombine() {
    assertThat(ids("")).containsExactlyInAnyOrder(data.ravi, data.fatima, data.kiran, data.meera, data.dana, data.imran);
    assertThat(ids("&channel=whatsapp")).containsExactlyInAnyOrder(data.ravi, data.fatima, data.kiran);
    assertThat(ids("&channel=api")).containsExactlyInAnyOrder(data.meera, data.dana, data.imran);
    assertThat(ids("&channel=instagram")).isEmpty();
    assertThat(ids("&assignedTo=" + data.asha)).containsExactlyInAnyOrder(data.ravi, data.meera, data.dana);
    assertThat(ids("&assignedTo=none")).containsExactlyInAnyOrder(data.imran, data.kiran);
    assertThat(ids("&source=website")).containsExactlyInAnyOrder(data.meera, data.imran);
    assertThat(ids("&source=expo")).containsExactly(data.dana);
    assertThat(ids("&language=hi")).containsExactlyInAnyOrder(data.ravi, data.imran);
    assertThat(ids("&language=ar")).containsExactly(data.fatima);
    assertThat(ids("&band=HOT")).containsExactlyInAnyOrder(data.ravi, data.kiran);
    assertThat(ids("&band=warm")).containsExactlyInAnyOrder(data.fatima, data.meera);
    assertThat(ids("&band=NONE")).containsExactly(data.imran);
    assertThat(ids("&channel=whatsapp&band=HOT&language=en")).containsExactly(data.kiran);
    assertThat(ids("&assignedTo=" + data.asha + "&source=website")).containsExactly(data.meera);
    assertThat(ids("&phone=%2B919812300104&channel=api")).containsExactly(data.dana);
    assertThat(ids("&phone=%2B919812300104&channel=whatsapp")).isEmpty();
  }

  @Test
  void eachLeadCarriesItsLanguageSourceAndFirstResponseSla() {
    JsonNode items = list("", data.admin).path("items");
    JsonNode ravi = find(items, data.ravi);
    assertThat(ravi.path("language").asText()).isEqualTo("hi");
    assertThat(ravi.path("assignedTo").asText()).isEqualTo(data.asha);
    // a manual assignment of a lead the desk has no band for runs the WARM SLA (24 h by default)
    Instant due = Instant.parse(ravi.path("slaDueAt").asText());
    assertThat(due).isBetween(Instant.now().plusSeconds(23 * 3600), Instant.now().plusSeconds(24 * 3600 + 60));
    assertThat(ravi.path("slaBreachedAt").isNull()).isTrue();
    assertThat(ravi.path("queuedAt").isNull()).isTrue();
    JsonNode meera = find(items, data.meera);
    assertThat(meera.path("attribution").path("source").asText()).isEqualTo("website");
    assertThat(Instant.parse(meera.path("slaBreachedAt").asText())).isBefore(Instant.now());
    // nobody was online: the lead waits, on the queue's SLA clock
    JsonNode kiran = find(items, data.kiran);
    assertThat(kiran.path("assignedTo").isNull()).isTrue();
    assertThat(kiran.path("queuedAt").isTextual()).isTrue();
    assertThat(kiran.path("slaDueAt").isTextual()).isTrue();
  }

  @Test
  void anSdrFiltersWithinTheirOwnLeads() {
    String token = engine.signIn(BoardData.ASHA_EMAIL, BoardData.PASSWORD);
    JsonNode all = list("", token);
    assertThat(all.path("total").asLong()).isEqualTo(3);
    JsonNode hot = list("&band=HOT", token);
    assertThat(hot.path("items")).hasSize(1);
    assertThat(hot.path("items").get(0).path("id").asText()).isEqualTo(data.ravi);
    // another SDR's leads are not there, whatever the filter asks
    assertThat(list("&assignedTo=" + data.vikram, token).path("total").asLong()).isZero();
  }

  @Test
  void badFilterValuesAreProblemsNamingTheParameter() {
    assertBadRequest("&channel=telegram", "channel");
    assertBadRequest("&band=LUKEWARM", "band");
    assertBadRequest("&language=english!", "language");
    assertBadRequest("&assignedTo=a%20b", "assignedTo");
    assertBadRequest("&source=", "source");
    assertBadRequest("&source=" + "x".repeat(201), "source");
    assertBadRequest("&phone=not-a-phone", "phone");
  }

  private void assertBadRequest(String query, String field) {
    HttpResponse<String> response = engine.get("/api/v1/tenants/" + data.tenant + "/leads?limit=50" + query,
        data.admin);
    assertThat(response.statusCode()).as(query + ": " + response.body()).isEqualTo(400);
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
        assertThat(type).contains("problem+json"));
    assertThat(response.body()).as(query).contains(field);
  }

  @Test
  void anSdrSeesHowManyWaitButNotWhichLeadsAndReadsOnlyTheirOwnRosterEntry() {
    String token = engine.signIn(BoardData.ASHA_EMAIL, BoardData.PASSWORD);
    JsonNode waiting = TestEngine.json(engine.get("/api/v1/tenants/" + data.tenant + "/routing/queue", token))
        .path("items");
    assertThat(waiting).hasSize(2);
    waiting.forEach(item -> {
      assertThat(item.has("leadId")).as(item.toString()).isFalse();
      assertThat(item.path("band").asText()).isNotBlank();
      assertThat(item.path("queuedAt").isTextual()).isTrue();
      assertThat(item.path("slaDue").isTextual()).isTrue();
    });
    JsonNode full = TestEngine.json(engine.get("/api/v1/tenants/" + data.tenant + "/routing/queue", data.admin))
        .path("items");
    List<String> queued = new ArrayList<>();
    full.forEach(item -> queued.add(item.path("leadId").asText()));
    assertThat(queued).containsExactlyInAnyOrder(data.imran, data.kiran);

    HttpResponse<String> own = engine.get("/api/v1/tenants/" + data.tenant + "/sdrs/" + data.asha, token);
    assertThat(own.statusCode()).as(own.body()).isEqualTo(200);
    assertThat(TestEngine.json(own).path("capacity").asInt()).isEqualTo(3);
    assertThat(TestEngine.json(own).path("openLeads").asInt()).isEqualTo(3);
    assertThat(engine.get("/api/v1/tenants/" + data.tenant + "/sdrs/" + data.vikram, token).statusCode())
        .isEqualTo(404);
  }

  private static JsonNode find(JsonNode items, String id) {
    for (JsonNode item : items) {
      if (item.path("id").asText().equals(id)) return item;
    }
    throw new AssertionError("no lead " + id + " in " + items);
  }
}
