package io.flexoraa.load;

import static io.gatling.javaapi.core.CoreDsl.ByteArrayBody;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.rampUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatling.javaapi.core.OpenInjectionStep;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Open-model load on the WhatsApp Cloud API webhook: every virtual user POSTs one signed {@code messages} webhook
 * to {@code /webhooks/meta} and expects 200.
 *
 * <p>Run (gatling:test does not compile, so test-compile comes first):
 *
 * <pre>
 * mvn -pl load-tests test-compile gatling:test -Dgatling.simulationClass=io.flexoraa.load.WhatsAppIngestSimulation \
 *     -DbaseUrl=http://127.0.0.1:8080 -DoperatorKey=... -Drate=500 -DdurationSeconds=30
 * </pre>
 *
 * <p>System properties (defaults): baseUrl (http://127.0.0.1:8080), appSecret (env META_APP_SECRET, else
 * load-test-secret), tenants (20), leadsPerTenant (200), rate (500 users/s), durationSeconds (30), rampSeconds (5),
 * provision (true), operatorKey (env FLEXORAA_OPERATOR_KEY), runId (now in millis; phone-number ids derive from it),
 * minSuccessPercent (99), shareConnections (true: one keep-alive pool like a webhook sender, rather than one TCP
 * connection per virtual user), provisionSettleMillis (1000).
 */
public class WhatsAppIngestSimulation extends Simulation {

  // ---- parameters -------------------------------------------------------------------------------------------

  private static final String BASE_URL = stripSlash(System.getProperty("baseUrl", "http://127.0.0.1:8080"));
  private static final String APP_SECRET =
      System.getProperty("appSecret", envOr("META_APP_SECRET", "load-test-secret"));
  private static final int TENANTS = Integer.getInteger("tenants", 20);
  private static final int LEADS_PER_TENANT = Integer.getInteger("leadsPerTenant", 200);
  private static final double RATE = Double.parseDouble(System.getProperty("rate", "500"));
  private static final int DURATION_SECONDS = Integer.getInteger("durationSeconds", 30);
  private static final int RAMP_SECONDS = Integer.getInteger("rampSeconds", 5);
  private static final boolean PROVISION = Boolean.parseBoolean(System.getProperty("provision", "true"));
  private static final String OPERATOR_KEY =
      System.getProperty("operatorKey", envOr("FLEXORAA_OPERATOR_KEY", ""));
  private static final long RUN_ID = Long.getLong("runId", System.currentTimeMillis());
  private static final double MIN_SUCCESS_PERCENT =
      Double.parseDouble(System.getProperty("minSuccessPercent", "99"));
  private static final boolean SHARE_CONNECTIONS =
      Boolean.parseBoolean(System.getProperty("shareConnections", "true"));
  private static final long PROVISION_SETTLE_MILLIS = Long.getLong("provisionSettleMillis", 1000L);

  static {
    if (TENANTS < 1 || TENANTS > 9999) {
      throw new IllegalArgumentException("tenants must be in 1..9999, was " + TENANTS);
    }
    if (LEADS_PER_TENANT < 1 || (long) TENANTS * LEADS_PER_TENANT > 99_999_999L) {
      throw new IllegalArgumentException("leadsPerTenant must be >= 1 and tenants * leadsPerTenant < 10^8");
    }
    if (RATE <= 0 || DURATION_SECONDS < 1 || RAMP_SECONDS < 0) {
      throw new IllegalArgumentException("rate > 0, durationSeconds >= 1 and rampSeconds >= 0 are required");
    }
  }

  // ---- deterministic identities ------------------------------------------------------------------------------

  /** Phone-number id of tenant i: numeric like Meta's, unique per runId so that re-runs never clash. */
  static String phoneNumberId(int tenant) {
    return "1" + RUN_ID + String.format("%04d", tenant);
  }

  /** WhatsApp Business Account id of tenant i. */
  static String businessAccountId(int tenant) {
    return "2" + RUN_ID + String.format("%04d", tenant);
  }

  /** Display number of tenant i's business phone (91 80 xxxx xxxx, Bengaluru landline-like). */
  static String displayPhoneNumber(int tenant) {
    return "9180" + String.format("%08d", 40_000_000 + tenant);
  }

  /** wa_id of lead l of tenant t: a valid-looking Indian mobile, 91 98xxxxxxxx, distinct across all tenants. */
  static String leadWaId(int tenant, int lead) {
    return "9198" + String.format("%08d", tenant * LEADS_PER_TENANT + lead);
  }

  // ---- request bodies ----------------------------------------------------------------------------------------

  private static final AtomicLong MESSAGE_COUNTER = new AtomicLong();
  private static final String MESSAGE_ID_PREFIX = "wamid.LT" + RUN_ID + ".";
  private static final char[] HEX = "0123456789abcdef".toCharArray();
  private static final ThreadLocal<Mac> MACS =
      ThreadLocal.withInitial(
          () -> {
            try {
              Mac mac = Mac.getInstance("HmacSHA256");
              mac.init(new SecretKeySpec(APP_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
              return mac;
            } catch (GeneralSecurityException e) {
              throw new IllegalStateException(e);
            }
          });

  /** One Cloud API {@code messages} webhook from a random lead to a random tenant, as raw UTF-8 bytes. */
  static byte[] webhookBody() {
    ThreadLocalRandom rnd = ThreadLocalRandom.current();
    int tenant = rnd.nextInt(TENANTS);
    int lead = rnd.nextInt(LEADS_PER_TENANT);
    long seq = MESSAGE_COUNTER.incrementAndGet();
    return textWebhook(tenant, leadWaId(tenant, lead), "Lead " + tenant + "-" + lead, MESSAGE_ID_PREFIX + seq,
        "Hi, I saw your ad. Is the 2BHK still available? (load message " + seq + ")",
        System.currentTimeMillis() / 1000L).getBytes(StandardCharsets.UTF_8);
  }

  /**
   * A Cloud API {@code messages} webhook carrying one text message from {@code waId} to tenant {@code tenant}'s
   * number. {@code name} and {@code text} are put in as they are: no quotes or backslashes.
   */
  static String textWebhook(int tenant, String waId, String name, String messageId, String text, long epochSecond) {
    return "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\""
        + businessAccountId(tenant)
        + "\",\"changes\":[{\"value\":{\"messaging_product\":\"whatsapp\",\"metadata\":{\"display_phone_number\":\""
        + displayPhoneNumber(tenant)
        + "\",\"phone_number_id\":\""
        + phoneNumberId(tenant)
        + "\"},\"contacts\":[{\"profile\":{\"name\":\""
        + name
        + "\"},\"wa_id\":\""
        + waId
        + "\"}],\"messages\":[{\"from\":\""
        + waId
        + "\",\"id\":\""
        + messageId
        + "\",\"timestamp\":\""
        + epochSecond
        + "\",\"text\":{\"body\":\""
        + text
        + "\"},\"type\":\"text\"}]},\"field\":\"messages\"}]}]}";
  }

  /** {@code sha256=} + lowercase hex HMAC-SHA256 of exactly these bytes. */
  static String signature(byte[] body) {
    byte[] digest = MACS.get().doFinal(body);
    char[] out = new char[7 + digest.length * 2];
    "sha256=".getChars(0, 7, out, 0);
    for (int i = 0; i < digest.length; i++) {
      out[7 + 2 * i] = HEX[(digest[i] >> 4) & 0xf];
      out[8 + 2 * i] = HEX[digest[i] & 0xf];
    }
    return new String(out);
  }

  // ---- scenario ----------------------------------------------------------------------------------------------

  private final HttpProtocolBuilder httpProtocol = protocol();

  private static HttpProtocolBuilder protocol() {
    HttpProtocolBuilder p =
        http.baseUrl(BASE_URL)
            .contentTypeHeader("application/json")
            .userAgentHeader("facebookexternalua")
            .disableWarmUp();
    return SHARE_CONNECTIONS ? p.shareConnections() : p;
  }

  private final ScenarioBuilder scenario =
      scenario("WhatsApp webhook ingest")
          .exec(
              session -> {
                byte[] body = webhookBody();
                return session.set("body", body).set("signature", signature(body));
              })
          .exec(
              http("POST /webhooks/meta")
                  .post("/webhooks/meta")
                  .header("X-Hub-Signature-256", "#{signature}")
                  .body(ByteArrayBody(session -> session.<byte[]>get("body")))
                  .check(status().is(200)));

  /** A linear ramp from 1/s to {@code rate} (when rampSeconds > 0), then {@code rate} new users a second. */
  static List<OpenInjectionStep> injection(double rate, int rampSeconds, int durationSeconds) {
    List<OpenInjectionStep> steps = new ArrayList<>();
    if (rampSeconds > 0) {
      steps.add(rampUsersPerSec(Math.min(1.0, rate)).to(rate).during(Duration.ofSeconds(rampSeconds)));
    }
    steps.add(constantUsersPerSec(rate).during(Duration.ofSeconds(durationSeconds)));
    return steps;
  }

  {
    System.out.printf(
        "WhatsAppIngestSimulation: baseUrl=%s rate=%.1f/s duration=%ds ramp=%ds tenants=%d leadsPerTenant=%d"
            + " provision=%s runId=%d shareConnections=%s minSuccessPercent=%.2f%n",
        BASE_URL, RATE, DURATION_SECONDS, RAMP_SECONDS, TENANTS, LEADS_PER_TENANT, PROVISION, RUN_ID,
        SHARE_CONNECTIONS, MIN_SUCCESS_PERCENT);
    setUp(scenario.injectOpen(injection(RATE, RAMP_SECONDS, DURATION_SECONDS)))
        .protocols(httpProtocol)
        // a hard stop, so that a stuck server cannot keep the run going for ever
        .maxDuration(Duration.ofSeconds(RAMP_SECONDS + DURATION_SECONDS + 90L))
        .assertions(global().successfulRequests().percent().gt(MIN_SUCCESS_PERCENT));
  }

  // ---- provisioning ------------------------------------------------------------------------------------------

  @Override
  public void before() {
    if (!PROVISION) {
      System.out.println("WhatsAppIngestSimulation: provision=false, no tenant is created");
      return;
    }
    if (OPERATOR_KEY.isBlank()) {
      throw new IllegalStateException(
          "provision=true needs -DoperatorKey=... or FLEXORAA_OPERATOR_KEY (or pass -Dprovision=false)");
    }
    new Provisioner(BASE_URL, OPERATOR_KEY).provision(TENANTS);
    if (PROVISION_SETTLE_MILLIS > 0) {
      try {
        Thread.sleep(PROVISION_SETTLE_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Creates the tenants and registers one WhatsApp number each through the operator API. */
  static final class Provisioner {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final String baseUrl;
    private final String operatorKey;
    private final HttpClient client =
        HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).version(HttpClient.Version.HTTP_1_1).build();

    Provisioner(String baseUrl, String operatorKey) {
      this.baseUrl = baseUrl;
      this.operatorKey = operatorKey;
    }

    /** Creates {@code tenants} tenants with one number each; the i-th element is tenant i's id. */
    List<String> provision(int tenants) {
      long started = System.nanoTime();
      List<String> ids = new ArrayList<>();
      int alreadyRegistered = 0;
      for (int i = 0; i < tenants; i++) {
        String tenantJson =
            "{\"name\":\"Load tenant " + i + "\",\"plan\":\"leados-pro\",\"defaultRegion\":\"IN\"}";
        HttpResponse<String> created = post("/api/v1/tenants", tenantJson);
        if (created.statusCode() != 201) {
          throw failure("POST /api/v1/tenants (tenant " + i + ")", created);
        }
        String tenantId;
        try {
          JsonNode id = JSON.readTree(created.body()).get("id");
          if (id == null || id.asText().isBlank()) {
            throw new IllegalStateException("no id in " + created.body());
          }
          tenantId = id.asText();
        } catch (Exception e) {
          throw new IllegalStateException("tenant " + i + ": cannot read the created tenant's id: " + e.getMessage(), e);
        }
        ids.add(tenantId);
        String accountJson =
            "{\"channel\":\"whatsapp\",\"externalId\":\""
                + phoneNumberId(i)
                + "\",\"displayName\":\"Load number "
                + i
                + "\",\"verifyToken\":\"vt-"
                + i
                + "\",\"businessAccountId\":\""
                + businessAccountId(i)
                + "\"}";
        HttpResponse<String> registered =
            post("/api/v1/tenants/" + tenantId + "/channel-accounts", accountJson);
        if (registered.statusCode() == 409) {
          alreadyRegistered++; // same runId as an earlier run: the number is there already
        } else if (registered.statusCode() != 201) {
          throw failure("POST /api/v1/tenants/" + tenantId + "/channel-accounts (tenant " + i + ")", registered);
        }
      }
      System.out.printf(
          "WhatsAppIngestSimulation: provisioned %d tenants (%d numbers already registered) in %d ms%n",
          tenants, alreadyRegistered, (System.nanoTime() - started) / 1_000_000);
      return ids;
    }

    HttpResponse<String> post(String path, String json) {
      return send("POST", path, json, null);
    }

    /** One API request with the operator key; {@code json} may be null (no body). */
    HttpResponse<String> send(String method, String path, String json, String idempotencyKey) {
      HttpRequest.Builder builder =
          HttpRequest.newBuilder(URI.create(baseUrl + path))
              .timeout(Duration.ofSeconds(30))
              .header("Authorization", "Bearer " + operatorKey)
              .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                  : HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
      if (json != null) builder.header("Content-Type", "application/json");
      if (idempotencyKey != null) builder.header("Idempotency-Key", idempotencyKey);
      HttpRequest request = builder.build();
      try {
        return client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted during provisioning", e);
      } catch (java.io.IOException e) {
        throw new IllegalStateException("POST " + baseUrl + path + " failed: " + e, e);
      }
    }

    static IllegalStateException failure(String what, HttpResponse<String> response) {
      String body = response.body() == null ? "" : response.body();
      if (body.length() > 500) {
        body = body.substring(0, 500) + "...";
      }
      return new IllegalStateException(what + " answered " + response.statusCode() + ": " + body);
    }
  }

  static String envOr(String name, String fallback) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? fallback : v;
  }

  static String stripSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }
}
