package io.flexoraa.load;

import static io.gatling.javaapi.core.CoreDsl.ByteArrayBody;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The AI reply benchmark's load (docs/benchmarks/ai-replies.md): leads write to their tenants' WhatsApp numbers
 * through signed Cloud API webhooks, at {@code rate} messages per second (open model), each message a turn of a
 * sales conversation (need, budget, timeline, authority, objection, next step...) in English, Hinglish or Hindi. The
 * engine analyses each one and answers it through the compliance gate and the Graph API (a local {@link GraphStub}).
 *
 * <p>Leads take turns in a fixed rotation, so a lead writes again only after every other lead has: at most once
 * every {@code tenants x leadsPerTenant / rate} seconds (30 s with the defaults), which must be at least
 * {@code minLeadGapSeconds} (10). Each message is therefore its own burst and WhatsApp's pair rate (one message to a
 * user per 6 s) never holds a reply back. Tenants take turns too, so each gets {@code rate / tenants} messages per
 * second (3.3 with the defaults), under the default per-tenant rate of 5.
 *
 * <p>{@code before()} provisions through the API with the operator key: the tenants (plan leados-pro) and their
 * numbers, each number's Graph API access token, and a token grant per tenant. The engine's own limits (daily burn
 * limit, abuse baselines) are lifted on its command line by load-tests/run-ai-benchmark.sh.
 *
 * <p>System properties (defaults): baseUrl (http://127.0.0.1:8080), appSecret (env META_APP_SECRET, else
 * load-test-secret), operatorKey (env FLEXORAA_OPERATOR_KEY), runId (now; phone-number ids derive from it), tenants
 * (60), leadsPerTenant (100), rate (200 messages/s), durationSeconds (60), rampSeconds (10), minLeadGapSeconds (10),
 * grantTokens (20000 per tenant), minSuccessPercent (99), provisionSettleMillis (2000), tenantsFile (none: where to
 * write {@code tenant_id,phone_number_id} per tenant), sendsFile (none: where to write {@code
 * phone_number_id,wa_id,message_id,sent_ms,status} per message, sent_ms the wall clock in epoch milliseconds just
 * before the POST).
 */
public class AiReplySimulation extends Simulation {

  // ---- parameters -------------------------------------------------------------------------------------------

  private static final String BASE_URL =
      WhatsAppIngestSimulation.stripSlash(System.getProperty("baseUrl", "http://127.0.0.1:8080"));
  private static final String OPERATOR_KEY =
      System.getProperty("operatorKey", WhatsAppIngestSimulation.envOr("FLEXORAA_OPERATOR_KEY", ""));
  private static final int TENANTS = Integer.getInteger("tenants", 60);
  private static final int LEADS_PER_TENANT = Integer.getInteger("leadsPerTenant", 100);
  private static final double RATE = Double.parseDouble(System.getProperty("rate", "200"));
  private static final int DURATION_SECONDS = Integer.getInteger("durationSeconds", 60);
  private static final int RAMP_SECONDS = Integer.getInteger("rampSeconds", 10);
  private static final double MIN_LEAD_GAP_SECONDS =
      Double.parseDouble(System.getProperty("minLeadGapSeconds", "10"));
  private static final String GRANT_TOKENS = System.getProperty("grantTokens", "20000");
  private static final double MIN_SUCCESS_PERCENT =
      Double.parseDouble(System.getProperty("minSuccessPercent", "99"));
  private static final long PROVISION_SETTLE_MILLIS = Long.getLong("provisionSettleMillis", 2000L);
  /** SDRs put on each tenant's roster (online, all week, capacity 500): escalated leads are routed to them. */
  private static final int SDRS_PER_TENANT = Integer.getInteger("sdrsPerTenant", 0);
  private static final String TENANTS_FILE = System.getProperty("tenantsFile", "");
  private static final String SENDS_FILE = System.getProperty("sendsFile", "");

  static {
    if (TENANTS < 1 || TENANTS > 9999 || LEADS_PER_TENANT < 1 || (long) TENANTS * LEADS_PER_TENANT > 99_999_999L) {
      throw new IllegalArgumentException("tenants in 1..9999, leadsPerTenant >= 1, tenants * leadsPerTenant < 10^8");
    }
    if (RATE <= 0 || DURATION_SECONDS < 1 || RAMP_SECONDS < 0) {
      throw new IllegalArgumentException("rate > 0, durationSeconds >= 1 and rampSeconds >= 0 are required");
    }
    double gap = TENANTS * (double) LEADS_PER_TENANT / RATE;
    if (gap < MIN_LEAD_GAP_SECONDS) {
      throw new IllegalArgumentException(String.format(
          "with %d tenants x %d leads at %.0f/s a lead writes every %.1f s, less than minLeadGapSeconds=%.0f:"
              + " raise tenants or leadsPerTenant", TENANTS, LEADS_PER_TENANT, RATE, gap, MIN_LEAD_GAP_SECONDS));
    }
  }

  // ---- the conversation ----------------------------------------------------------------------------------------

  /**
   * What a lead says on its n-th message, per language: a qualification conversation that answers the interview's
   * questions in order, then asks and hesitates. No message asks for a visit or a person (that would hand the lead
   * to a human and end the AI's replies), and none is high risk.
   */
  static final List<List<String>> TURNS = List.of(
      List.of(
          "Hi, I saw your ad for the 2BHK flats in Whitefield. Looking for one for my family",
          "Our budget is around 80 lakh",
          "We want to move in within 3 months",
          "I will decide together with my wife",
          "The price feels a bit high compared to other projects nearby",
          "Please share the brochure and the payment plan",
          "Is there any discount for early booking?",
          "Okay, thank you. I will discuss it at home and get back"),
      List.of(
          "Hello, maine aapka ad dekha. Whitefield mein 2BHK flat chahiye family ke liye",
          "Hamara budget 70 se 80 lakh tak hai",
          "Agle 2 mahine mein shift karna hai",
          "Final decision main aur meri wife milke lenge",
          "Price thoda zyada lag raha hai dusre projects se",
          "Brochure aur payment plan bhej dijiye please",
          "Early booking pe koi discount milega kya?",
          "Theek hai, ghar pe baat karke batata hoon"),
      List.of(
          "नमस्ते, मैंने आपका विज्ञापन देखा। व्हाइटफील्ड में परिवार के लिए 2BHK फ्लैट चाहिए",
          "हमारा बजट लगभग 80 लाख है",
          "हम 3 महीने के अंदर शिफ्ट करना चाहते हैं",
          "फैसला मैं और मेरी पत्नी मिलकर करेंगे",
          "कीमत दूसरे प्रोजेक्ट्स से थोड़ी ज़्यादा लग रही है",
          "कृपया ब्रोशर और पेमेंट प्लान भेज दीजिए",
          "क्या जल्दी बुकिंग पर कोई छूट मिलेगी?",
          "ठीक है, धन्यवाद। घर पर बात करके बताता हूँ"));

  static {
    for (List<String> language : TURNS) {
      for (String text : language) {
        if (text.contains("\"") || text.contains("\\")) throw new IllegalStateException("unquoted JSON: " + text);
      }
    }
  }

  /** Six leads in ten write English, three Hinglish, one Hindi. */
  static List<String> languageOf(int lead) {
    int slot = lead % 10;
    return TURNS.get(slot < 6 ? 0 : slot < 9 ? 1 : 2);
  }

  /** wa_id of lead l of tenant t: 91 97xxxxxxxx, distinct across the run's tenants. */
  static String leadWaId(int tenant, int lead) {
    return "9197" + String.format("%08d", tenant * LEADS_PER_TENANT + lead);
  }

  /** The n-th message of the run (0-based): which tenant, lead and turn; tenants alternate, then leads. */
  record Turn(int tenant, int lead, int turn, String messageId) {
    static Turn of(long n) {
      int tenant = (int) (n % TENANTS);
      int lead = (int) ((n / TENANTS) % LEADS_PER_TENANT);
      int turn = (int) (n / ((long) TENANTS * LEADS_PER_TENANT));
      return new Turn(tenant, lead, turn, "wamid.AI" + WhatsAppIngestSimulation.phoneNumberId(tenant) + "." + n);
    }

    String text() {
      List<String> script = languageOf(lead);
      return script.get(turn % script.size());
    }

    byte[] webhook() {
      return WhatsAppIngestSimulation.textWebhook(tenant, leadWaId(tenant, lead), "Lead " + tenant + "-" + lead,
          messageId, text(), System.currentTimeMillis() / 1000L).getBytes(StandardCharsets.UTF_8);
    }
  }

  private static final AtomicLong MESSAGES = new AtomicLong();
  /** {@code phone_number_id,wa_id,message_id,sent_ms,status} per message sent. */
  private static final ConcurrentLinkedQueue<String> SENDS = new ConcurrentLinkedQueue<>();

  // ---- scenario ----------------------------------------------------------------------------------------------

  private final ScenarioBuilder scenario =
      scenario("AI conversation turn")
          .exec(session -> {
            Turn turn = Turn.of(MESSAGES.getAndIncrement());
            byte[] body = turn.webhook();
            return session.set("body", body).set("signature", WhatsAppIngestSimulation.signature(body))
                .set("phoneNumberId", WhatsAppIngestSimulation.phoneNumberId(turn.tenant()))
                .set("waId", leadWaId(turn.tenant(), turn.lead())).set("messageId", turn.messageId())
                .set("sentMillis", System.currentTimeMillis());
          })
          .exec(http("POST /webhooks/meta")
              .post("/webhooks/meta")
              .header("X-Hub-Signature-256", "#{signature}")
              .body(ByteArrayBody(session -> session.<byte[]>get("body")))
              .check(status().saveAs("status"), status().is(200)))
          .exec(session -> {
            SENDS.add(session.getString("phoneNumberId") + "," + session.getString("waId") + ","
                + session.getString("messageId") + "," + session.getLong("sentMillis") + ","
                + (session.contains("status") ? session.getInt("status") : 0));
            return session;
          });

  {
    System.out.printf(
        "AiReplySimulation: baseUrl=%s rate=%.1f/s duration=%ds ramp=%ds tenants=%d leadsPerTenant=%d"
            + " (a lead writes every %.1f s) runId=%s%n",
        BASE_URL, RATE, DURATION_SECONDS, RAMP_SECONDS, TENANTS, LEADS_PER_TENANT,
        TENANTS * (double) LEADS_PER_TENANT / RATE, WhatsAppIngestSimulation.phoneNumberId(0));
    setUp(scenario.injectOpen(
            WhatsAppIngestSimulation.injection(RATE, RAMP_SECONDS, DURATION_SECONDS)))
        .protocols(http.baseUrl(BASE_URL).contentTypeHeader("application/json")
            .userAgentHeader("facebookexternalua").disableWarmUp().shareConnections())
        .maxDuration(Duration.ofSeconds(RAMP_SECONDS + DURATION_SECONDS + 90L))
        .assertions(global().successfulRequests().percent().gt(MIN_SUCCESS_PERCENT));
  }

  // ---- provisioning and records ------------------------------------------------------------------------------

  @Override
  public void before() {
    if (OPERATOR_KEY.isBlank()) {
      throw new IllegalStateException("-DoperatorKey=... or FLEXORAA_OPERATOR_KEY is required");
    }
    long started = System.nanoTime();
    var provisioner = new WhatsAppIngestSimulation.Provisioner(BASE_URL, OPERATOR_KEY);
    List<String> tenantIds = provisioner.provision(TENANTS);
    List<String> rows = new ArrayList<>();
    for (int i = 0; i < tenantIds.size(); i++) {
      String tenantId = tenantIds.get(i);
      String phoneNumberId = WhatsAppIngestSimulation.phoneNumberId(i);
      String credentials = "/api/v1/tenants/" + tenantId + "/channel-accounts/whatsapp/" + phoneNumberId
          + "/credentials";
      expect(provisioner.send("PUT", credentials, "{\"accessToken\":\"EAAG-bench-" + i + "\"}", null), 204,
          "PUT " + credentials);
      String grants = "/api/v1/tenants/" + tenantId + "/tokens/grants";
      expect(provisioner.send("POST", grants, "{\"tokens\":\"" + GRANT_TOKENS
          + "\",\"reason\":\"AI reply benchmark\"}", "ai-bench-" + phoneNumberId), 201, 200, "POST " + grants);
      rows.add(tenantId + "," + phoneNumberId);
      for (int k = 0; k < SDRS_PER_TENANT; k++) rosterSdr(provisioner, tenantId, i, k);
    }
    // what the engine will hold these tenants to: the daily burn limit must have been lifted for the run
    HttpResponse<String> balance = provisioner.send("GET", "/api/v1/tenants/" + tenantIds.get(0) + "/tokens", null,
        null);
    expect(balance, 200, "GET tokens");
    try {
      JsonNode view = new ObjectMapper().readTree(balance.body());
      System.out.printf("AiReplySimulation: tenant 0 balance %s tokens, daily burn limit %s%n",
          view.path("balance").asText(), view.path("dailyBurnLimit").asText());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    write(TENANTS_FILE, "tenant_id,phone_number_id", rows);
    System.out.printf("AiReplySimulation: credentials and %s tokens for %d tenants in %d ms%n", GRANT_TOKENS,
        tenantIds.size(), (System.nanoTime() - started) / 1_000_000);
    try {
      Thread.sleep(PROVISION_SETTLE_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A user with role SDR, then their roster entry: online, working all week, senior first then juniors. */
  private static void rosterSdr(WhatsAppIngestSimulation.Provisioner provisioner, String tenantId, int tenant, int k) {
    String users = "/api/v1/tenants/" + tenantId + "/users";
    // e-mails are unique across tenants: the phone-number id (unique per run) keeps runs and tenants apart
    String email = "sdr-" + WhatsAppIngestSimulation.phoneNumberId(tenant) + "-" + k + "@bench.example";
    HttpResponse<String> created = provisioner.send("POST", users, "{\"email\":\"" + email
        + "\",\"name\":\"Bench SDR " + k + "\",\"role\":\"SDR\",\"password\":\"bench-Pa55word-"
        + tenant + "-" + k + "-routing\"}", null);
    expect(created, 201, "POST " + users);
    String userId;
    try {
      userId = new ObjectMapper().readTree(created.body()).path("id").asText();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String sdrs = "/api/v1/tenants/" + tenantId + "/sdrs";
    expect(provisioner.send("POST", sdrs, "{\"userId\":\"" + userId + "\",\"seniority\":\""
        + (k == 0 ? "senior" : "junior") + "\",\"capacity\":500,\"presence\":\"online\",\"languages\":[\"en\",\"hi\"],"
        + "\"workingHours\":{\"days\":[\"MON\",\"TUE\",\"WED\",\"THU\",\"FRI\",\"SAT\",\"SUN\"],"
        + "\"start\":\"00:00\",\"end\":\"23:59\",\"timeZone\":\"UTC\"}}", null), 201, "POST " + sdrs);
  }

  @Override
  public void after() {
    write(SENDS_FILE, "phone_number_id,wa_id,message_id,sent_ms,status", SENDS);
    System.out.printf("AiReplySimulation: %d messages sent%n", SENDS.size());
  }

  private static void expect(HttpResponse<String> response, int status, String what) {
    expect(response, status, status, what);
  }

  private static void expect(HttpResponse<String> response, int status, int orStatus, String what) {
    if (response.statusCode() != status && response.statusCode() != orStatus) {
      throw WhatsAppIngestSimulation.Provisioner.failure(what, response);
    }
  }

  private static void write(String file, String header, Iterable<String> rows) {
    if (file.isBlank()) return;
    try (Writer out = Files.newBufferedWriter(Path.of(file), StandardCharsets.UTF_8)) {
      out.write(header + "\n");
      for (String row : rows) out.write(row + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
