package io.flexoraa.http;

import static io.flexoraa.http.TestEngine.eventually;
import static io.flexoraa.http.TestEngine.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Metered lead intake end to end on a real node: a lead from a form or CRM is the lead a WhatsApp message from its
 * phone reaches, verification costs 0.5 tokens once per submission (and is skipped, not refused, when AI is paused),
 * the tenant's rate applies (429 for single submissions, paced rows for imports), and a CSV import reports every
 * row and stores nothing twice when imported again. Each test has a tenant of its own (rates and budgets are per
 * tenant); the credential is an API key with the Manager role, as a CRM would hold.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LeadIntakeTest {
  private static final String WABA = "waba-intake";
  private static final String PHONE_NUMBER_ID = "106540352242922";
  private static final int IMPORT_LIMIT = 256 * 1024;

  private TestEngine engine;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeAll
  void start(@TempDir Path dataDirectory) {
    engine = TestEngine.start(dataDirectory, Map.of("flexoraa.http.lead-import.max-body-bytes", IMPORT_LIMIT));
    // the cluster's rate budget grants nothing for one lease after it starts (decision 14): until then every
    // submission is a 429 for the cluster limit, which is not what these tests are about
    Tenant warmUp = tenant("Warm-up Co");
    int[] attempt = {0};
    eventually(() -> submit(warmUp, "{\"email\": \"warm-up" + attempt[0]++ + "@example.com\"}", null)
        .statusCode() == 201, "the cluster rate budget to grant");
  }

  @AfterAll
  void stop() {
    if (engine != null) engine.close();
  }

  /** A tenant of its own (region IN) and a Manager key for it. */
  private record Tenant(String id, String key) {}

  private Tenant tenant(String name) {
    String id = engine.createTenant(name, "IN");
    return new Tenant(id, engine.createApiKey(id, "Manager"));
  }

  private HttpResponse<String> submit(Tenant tenant, String json, String idempotencyKey) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(engine.baseUrl() + "/api/v1/tenants/" + tenant.id() + "/leads"))
        .header("Content-Type", "application/json")
        .header("Authorization", "Bearer " + tenant.key())
        .POST(HttpRequest.BodyPublishers.ofString(json));
    if (idempotencyKey != null) request.header("Idempotency-Key", idempotencyKey);
    return engine.send(request.build());
  }

  private HttpResponse<String> importCsv(Tenant tenant, String csv, String contentType) {
    return engine.send(HttpRequest.newBuilder(URI.create(engine.baseUrl() + "/api/v1/tenants/" + tenant.id() + "/leads/import"))
        .header("Content-Type", contentType)
        .header("Authorization", "Bearer " + tenant.key())
        .timeout(Duration.ofSeconds(60))
        .POST(HttpRequest.BodyPublishers.ofString(csv))
        .build());
  }

  private JsonNode lead(Tenant tenant, String leadId) {
    HttpResponse<String> response = engine.get("/api/v1/tenants/" + tenant.id() + "/leads/" + leadId, tenant.key());
    return response.statusCode() == 200 ? json(response) : null;
  }

  private JsonNode tokens(Tenant tenant) {
    return json(engine.get("/api/v1/tenants/" + tenant.id() + "/tokens", tenant.key()));
  }

  private static JsonNode created(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    return json(response);
  }

  @Test
  void aLeadSubmittedByApiIsTheLeadAWhatsAppMessageFromItsPhoneReaches() {
    Tenant tenant = tenant("Acme Realty");
    engine.registerWhatsApp(tenant.id(), PHONE_NUMBER_ID, WABA);

    JsonNode submitted = created(submit(tenant, """
        {"name": "Priya Sharma", "phone": "98123 45678", "email": "Priya@Example.com", "source": "website-contact",
         "message": "Looking for a 2BHK near Whitefield", "utm_source": "google", "utmMedium": "cpc",
         "utm_campaign": "diwali-2026", "ignored": "forms send more than we need"}""", null));

    String leadId = submitted.get("leadId").asText();
    assertThat(submitted.get("created").asBoolean()).isTrue();
    assertThat(submitted.get("replayed").asBoolean()).isFalse();
    JsonNode verification = submitted.get("verification");
    assertThat(verification.get("status").asText()).isEqualTo("verified");
    assertThat(verification.get("e164").asText()).isEqualTo("+919812345678");
    assertThat(verification.get("valid").asBoolean()).isTrue();
    assertThat(verification.get("mobileCapable").asBoolean()).isTrue();
    assertThat(verification.get("duplicateOf").isNull()).isTrue();
    assertThat(verification.get("fraudScore").decimalValue()).isEqualByComparingTo("0");
    assertThat(verification.get("signals")).isEmpty();
    assertThat(verification.get("tokensDebited").asText()).isEqualTo("0.50");

    HttpResponse<String> webhook = engine.postWebhook(
        Payloads.text(WABA, PHONE_NUMBER_ID, "wamid.intake-1", "919812345678", "Is it still available?"));
    assertThat(webhook.statusCode()).isEqualTo(200);

    eventually(() -> {
      JsonNode view = lead(tenant, leadId);
      return view != null && view.get("inboundCount").asInt() == 2 && view.get("verification") != null
          && !view.get("verification").isNull();
    }, "the form message and the WhatsApp message on one lead");
    JsonNode byPhone = json(engine.get("/api/v1/tenants/" + tenant.id() + "/leads?phone=%2B919812345678", tenant.key()));
    assertThat(byPhone.get("total").asLong()).isEqualTo(1);
    assertThat(byPhone.get("items").get(0).get("id").asText()).isEqualTo(leadId);
    JsonNode view = lead(tenant, leadId);
    assertThat(view.get("channel").asText()).isEqualTo("api");
    assertThat(view.get("name").asText()).isEqualTo("Priya Sharma");
    assertThat(view.get("email").asText()).isEqualTo("priya@example.com");
    assertThat(view.get("phone").asText()).isEqualTo("+919812345678");
    assertThat(view.get("waId").asText()).isEqualTo("919812345678");
    assertThat(view.get("submissions").asInt()).isEqualTo(1);
    assertThat(view.get("attribution").get("source").asText()).isEqualTo("website-contact");
    assertThat(view.get("attribution").get("utmMedium").asText()).isEqualTo("cpc");
    assertThat(view.get("attribution").get("utmCampaign").asText()).isEqualTo("diwali-2026");
    assertThat(view.get("verification").get("status").asText()).isEqualTo("verified");
    assertThat(view.get("verification").get("mobileCapable").asBoolean()).isTrue();
    JsonNode messages = json(engine.get("/api/v1/tenants/" + tenant.id() + "/leads/" + leadId + "/messages", tenant.key()));
    assertThat(messages.get("items").findValuesAsText("text"))
        .containsExactlyInAnyOrder("Looking for a 2BHK near Whitefield", "Is it still available?");
  }

  @Test
  void aSecondSubmissionWithTheSamePhoneIsADuplicateOfTheFirstLead() {
    Tenant tenant = tenant("Duplicates Co");
    String first = created(submit(tenant, "{\"name\": \"Omar\", \"phone\": \"+971 50 123 4567\"}", null))
        .get("leadId").asText();

    JsonNode second = created(submit(tenant,
        "{\"name\": \"Omar K\", \"phone\": \"00971501234567\", \"email\": \"omar@example.ae\"}", null));

    assertThat(second.get("leadId").asText()).isEqualTo(first);
    assertThat(second.get("created").asBoolean()).isFalse();
    assertThat(second.get("verification").get("duplicateOf").asText()).isEqualTo(first);
    // the e-mail now belongs to that lead too: a third submission by e-mail alone finds it
    JsonNode third = created(submit(tenant, "{\"email\": \"OMAR@example.ae\"}", null));
    assertThat(third.get("leadId").asText()).isEqualTo(first);
    assertThat(third.get("verification").get("e164").isNull()).isTrue();
    eventually(() -> lead(tenant, first) != null && lead(tenant, first).get("submissions").asInt() == 3,
        "three submissions on the lead");
    assertThat(lead(tenant, first).get("name").asText()).as("the first name stays").isEqualTo("Omar");
  }

  @Test
  void anIdempotencyKeyMakesARetryCreateAndChargeNothing() {
    Tenant tenant = tenant("Retry Co");
    String body = "{\"name\": \"Tan Wei Ming\", \"phone\": \"+65 9123 4567\", \"email\": \"tan@mailinator.com\"}";

    HttpResponse<String> first = submit(tenant, body, "crm-lead-0042");
    HttpResponse<String> retry = submit(tenant, body, "crm-lead-0042");
    created(submit(tenant, "{\"phone\": \"+65 8123 4567\"}", "crm-lead-0043"));

    JsonNode original = created(first);
    assertThat(retry.statusCode()).isEqualTo(200);
    JsonNode replayed = json(retry);
    assertThat(replayed.get("replayed").asBoolean()).isTrue();
    assertThat(replayed.get("leadId").asText()).isEqualTo(original.get("leadId").asText());
    assertThat(replayed.get("created").asBoolean()).as("the first outcome, again").isTrue();
    assertThat(replayed.get("verification")).isEqualTo(original.get("verification"));
    assertThat(original.get("verification").get("signals").get(0).asText()).isEqualTo("disposable-email");
    assertThat(original.get("verification").get("fraudScore").decimalValue()).isEqualByComparingTo("0.30");

    JsonNode account = tokens(tenant);
    assertThat(account.get("consumed").asText()).as("two verifications at 0.5, the retry free").isEqualTo("1.00");
    assertThat(account.get("balance").asText()).isEqualTo("749.00");
    eventually(() -> json(engine.get("/api/v1/tenants/" + tenant.id() + "/tokens/ledger", tenant.key()))
        .get("total").asLong() == 3, "two debits in the ledger");
    JsonNode debit = json(engine.get("/api/v1/tenants/" + tenant.id() + "/tokens/ledger", tenant.key())).get("items").get(0);
    assertThat(debit.get("operation").asText()).isEqualTo("verification");
    assertThat(debit.get("tokens").asText()).isEqualTo("0.50");
    assertThat(debit.get("reference").asText()).isEqualTo("submission:api:crm-lead-0043");
  }

  @Test
  void aTenantWithAiPausedStillGetsItsLeadStoredWithVerificationSkipped() throws Exception {
    Tenant tenant = tenant("Paused Co");
    engine.server.tokens().debit(tenant.id(), "test-burn", new BigDecimal("24"), null, null)
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertThat(tokens(tenant).get("aiPaused").asBoolean()).isTrue();

    JsonNode submitted = created(submit(tenant, "{\"name\": \"Ravi\", \"phone\": \"+91 99000 11223\"}", null));

    JsonNode verification = submitted.get("verification");
    assertThat(verification.get("status").asText()).isEqualTo("skipped");
    assertThat(verification.get("skippedReason").asText()).isEqualTo("ai-paused");
    assertThat(verification.get("tokensDebited").asText()).isEqualTo("0.00");
    assertThat(verification.get("fraudScore").isNull()).isTrue();
    assertThat(verification.get("e164").asText()).isEqualTo("+919900011223");
    String leadId = submitted.get("leadId").asText();
    eventually(() -> lead(tenant, leadId) != null && !lead(tenant, leadId).get("verification").isNull(),
        "the lead in the read model");
    assertThat(lead(tenant, leadId).get("verification").get("status").asText()).isEqualTo("skipped");
    assertThat(lead(tenant, leadId).get("verification").get("skippedReason").asText()).isEqualTo("ai-paused");
    assertThat(tokens(tenant).get("consumed").asText()).isEqualTo("24.00");
  }

  @Test
  void moreThanFiveSubmissionsASecondAreRefusedWith429() throws Exception {
    Tenant tenant = tenant("Busy Co");
    List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      responses.add(http.sendAsync(HttpRequest.newBuilder(
              URI.create(engine.baseUrl() + "/api/v1/tenants/" + tenant.id() + "/leads"))
          .header("Content-Type", "application/json")
          .header("Authorization", "Bearer " + tenant.key())
          .POST(HttpRequest.BodyPublishers.ofString("{\"email\": \"lead" + i + "@example.com\"}"))
          .build(), HttpResponse.BodyHandlers.ofString()));
    }
    List<HttpResponse<String>> done = new ArrayList<>();
    for (CompletableFuture<HttpResponse<String>> response : responses) done.add(response.get(30, TimeUnit.SECONDS));

    List<HttpResponse<String>> refused = done.stream().filter(response -> response.statusCode() == 429).toList();
    assertThat(done).allMatch(response -> response.statusCode() == 201 || response.statusCode() == 429);
    assertThat(done.stream().filter(response -> response.statusCode() == 201).count()).isBetween(5L, 7L);
    assertThat(refused).isNotEmpty();
    assertThat(refused.get(0).headers().firstValue("Retry-After")).hasValue("1");
    assertThat(refused.get(0).headers().firstValue("Content-Type")).hasValue("application/problem+json");
  }

  @Test
  void invalidInputIsA400NamingTheField() {
    Tenant tenant = tenant("Validation Co");
    assertProblem(submit(tenant, "{\"name\": \"No Contact\"}", null), "phone", "phone or email is required");
    assertProblem(submit(tenant, "{\"email\": \"priya.example.com\"}", null), "email", "email is not an e-mail address");
    assertProblem(submit(tenant, "{\"phone\": \"call me maybe\"}", null), "phone", "phone is not a phone number");
    assertProblem(submit(tenant, "{\"phone\": 919812345678}", null), "phone", "phone must be a string");
    assertProblem(submit(tenant, "{\"email\": \"a@b.example\", \"name\": \"" + "x".repeat(201) + "\"}", null), "name",
        "name must be at most 200 characters");
    assertProblem(submit(tenant, "{\"email\": \"a@b.example\", \"utm_source\": \"" + "x".repeat(201) + "\"}", null),
        "utm_source", "utm_source must be at most 200 characters");
    assertProblem(submit(tenant, "[1, 2]", null), "body", "request body must be a JSON object");
    assertProblem(submit(tenant, "{\"email\": \"a@b.example\"}", "has spaces"), "Idempotency-Key",
        "Idempotency-Key must be 1 to 100 letters, digits or . _ : -");
    assertThat(tokens(tenant).get("consumed").asText()).as("nothing refused was charged").isEqualTo("0.00");
  }

  private static void assertProblem(HttpResponse<String> response, String field, String detail) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(json(response).get("field").asText()).isEqualTo(field);
    assertThat(json(response).get("detail").asText()).isEqualTo(detail);
  }

  // ---- CSV ----

  /** 30 rows: 25 new people, one of them twice (row 30), and four bad rows (5, 12, 18, 25). */
  private static String thirtyRows() {
    String longMessage = "We are a family of four looking for a flat. ".repeat(70);
    StringBuilder csv = new StringBuilder("Name,Phone,Email,Source,Message,utm_source,UTM Campaign\r\n");
    for (int row = 1; row <= 30; row++) {
      String phone = "+91 98765 " + String.format("%05d", row);
      String line = switch (row) {
        case 5 -> "\"Nobody, Really\",,,expo-2026,,,";
        case 12 -> "Bad Email " + row + "," + phone + ",not-an-email,expo-2026,,,";
        case 18 -> "No Number," + "call me later" + ",,expo-2026,,,";
        case 25 -> "Too Few Fields," + phone;
        case 30 -> "Lead One Again,+91 98765 00001,,expo-2026,\"second visit, asked for \"\"floor plans\"\"\",,";
        default -> "Lead " + row + "," + phone + ",lead" + row + "@example.com,expo-2026,\"" + longMessage
            + "\",facebook,expo";
      };
      csv.append(line).append("\r\n");
    }
    return csv.toString();
  }

  @Test
  void aCsvImportReportsEveryRowAndAReImportCreatesNothingNew() {
    Tenant tenant = tenant("Import Co");
    String csv = thirtyRows();
    assertThat(csv.length()).as("bigger than the API's 64 KiB, within the import's limit").isBetween(65_537, IMPORT_LIMIT);

    HttpResponse<String> response = importCsv(tenant, csv, "text/csv");

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode report = json(response);
    assertThat(report.get("rows").asInt()).isEqualTo(30);
    assertThat(report.get("created").asInt()).isEqualTo(25);
    assertThat(report.get("existing").asInt()).isEqualTo(1);
    assertThat(report.get("repeated").asInt()).isZero();
    assertThat(report.get("rejected").asInt()).isEqualTo(4);
    assertThat(report.get("complete").asBoolean()).isTrue();
    JsonNode items = report.get("items");
    assertThat(items).hasSize(30);
    for (int row = 1; row <= 30; row++) assertThat(items.get(row - 1).get("row").asInt()).isEqualTo(row);
    assertRejected(items.get(4), "phone", "phone or email is required");
    assertRejected(items.get(11), "email", "email is not an e-mail address");
    assertRejected(items.get(17), "phone", "phone is not a phone number");
    assertRejected(items.get(24), null, "the row has 2 fields; the header has 7");
    JsonNode firstLead = items.get(0);
    assertThat(firstLead.get("status").asText()).isEqualTo("created");
    assertThat(firstLead.get("verification").asText()).isEqualTo("verified");
    assertThat(firstLead.get("fraudScore").decimalValue()).isEqualByComparingTo("0");
    JsonNode again = items.get(29);
    assertThat(again.get("status").asText()).isEqualTo("existing");
    assertThat(again.get("leadId").asText()).isEqualTo(firstLead.get("leadId").asText());
    assertThat(again.get("duplicateOf").asText()).isEqualTo(firstLead.get("leadId").asText());
    assertThat(tokens(tenant).get("consumed").asText()).as("26 verifications").isEqualTo("13.00");

    JsonNode reimport = json(importCsv(tenant, csv, "text/csv; charset=UTF-8"));

    assertThat(reimport.get("created").asInt()).isZero();
    assertThat(reimport.get("existing").asInt()).isEqualTo(26);
    assertThat(reimport.get("repeated").asInt()).isEqualTo(26);
    assertThat(reimport.get("rejected").asInt()).isEqualTo(4);
    for (int row = 0; row < 30; row++) {
      assertThat(reimport.get("items").get(row).path("leadId").asText())
          .isEqualTo(items.get(row).path("leadId").asText());
    }
    assertThat(tokens(tenant).get("consumed").asText()).as("a repeated row is not verified again").isEqualTo("13.00");
    eventually(() -> json(engine.get("/api/v1/tenants/" + tenant.id() + "/leads", tenant.key())).get("total").asLong() == 25,
        "25 leads in the read model");
    eventually(() -> lead(tenant, firstLead.get("leadId").asText()).get("submissions").asInt() == 2, "two submissions");
    JsonNode imported = lead(tenant, firstLead.get("leadId").asText());
    assertThat(imported.get("attribution").get("utmCampaign").asText()).isEqualTo("expo");
    assertThat(imported.get("name").asText()).isEqualTo("Lead 1");
  }

  private static void assertRejected(JsonNode item, String field, String error) {
    assertThat(item.get("status").asText()).isEqualTo("rejected");
    assertThat(item.has("leadId")).isFalse();
    assertThat(item.get("error").asText()).isEqualTo(error);
    if (field == null) assertThat(item.has("field")).isFalse();
    else assertThat(item.get("field").asText()).isEqualTo(field);
  }

  @Test
  void anImportNeedsCsvWithAUsableHeaderAndWithinItsSize() {
    Tenant tenant = tenant("Bad Files Co");
    HttpResponse<String> notCsv = importCsv(tenant, "{\"phone\": \"+919812345678\"}", "application/json");
    assertThat(notCsv.statusCode()).isEqualTo(415);

    HttpResponse<String> noIdentifier = importCsv(tenant, "name,company\nPriya,Acme\n", "text/csv");
    assertThat(noIdentifier.statusCode()).isEqualTo(400);
    assertThat(json(noIdentifier).get("field").asText()).isEqualTo("header");

    HttpResponse<String> empty = importCsv(tenant, "", "text/csv");
    assertThat(empty.statusCode()).isEqualTo(400);

    HttpResponse<String> unclosed = importCsv(tenant, "name,phone\n\"Priya,+919812345678\n", "text/csv");
    assertThat(unclosed.statusCode()).as("the only row breaks before the answer starts").isEqualTo(200);
    JsonNode report = json(unclosed);
    assertThat(report.get("complete").asBoolean()).isFalse();
    assertThat(report.get("error").get("status").asInt()).isEqualTo(400);
    assertThat(report.get("error").get("detail").asText()).contains("never closed");

    HttpResponse<String> tooLarge = importCsv(tenant, "phone\n" + "+919812345678\n".repeat(IMPORT_LIMIT / 14 + 1), "text/csv");
    assertThat(tooLarge.statusCode()).isEqualTo(413);
    assertThat(tokens(tenant).get("consumed").asText()).isEqualTo("0.00");
  }
}
