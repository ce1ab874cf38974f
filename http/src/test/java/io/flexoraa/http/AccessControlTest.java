package io.flexoraa.http;

import static io.flexoraa.http.TestEngine.OPERATOR_KEY;
import static io.flexoraa.http.TestEngine.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.samstevens.totp.code.DefaultCodeGenerator;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Walks every endpoint of the API with every role, as a signed-in person and as an API key, and checks allow or
 * deny against PRODUCT §9 as written here — independently of the policy table in the code. An endpoint added to
 * {@link Endpoint} without a row below fails this test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AccessControlTest {
  private static final String PASSWORD = "correct horse battery staple";

  enum R { Admin, Manager, SDR, Product, DevOps, Auditor, ReadOnly }

  private static final Set<R> EVERYONE = EnumSet.allOf(R.class);
  private static final Set<R> LEAD_READERS = EnumSet.of(R.Admin, R.Manager, R.SDR, R.Product, R.Auditor, R.ReadOnly);

  /** Who may call each tenant endpoint, straight from PRODUCT §9. */
  private static final Map<Endpoint, Set<R>> ALLOWED = new EnumMap<>(Endpoint.class);

  static {
    ALLOWED.put(Endpoint.GET_TENANT, EVERYONE);
    ALLOWED.put(Endpoint.LIST_CHANNEL_ACCOUNTS, EnumSet.of(R.Admin, R.Manager, R.Product, R.DevOps));
    ALLOWED.put(Endpoint.REGISTER_CHANNEL_ACCOUNT, EnumSet.of(R.Admin, R.Product, R.DevOps));
    ALLOWED.put(Endpoint.STORE_CHANNEL_CREDENTIALS, EnumSet.of(R.Admin, R.Product, R.DevOps));
    ALLOWED.put(Endpoint.LIST_API_KEYS, EnumSet.of(R.Admin));
    ALLOWED.put(Endpoint.CREATE_API_KEY, EnumSet.of(R.Admin));
    ALLOWED.put(Endpoint.REVOKE_API_KEY, EnumSet.of(R.Admin));
    ALLOWED.put(Endpoint.LIST_USERS, EnumSet.of(R.Admin, R.Manager));
    ALLOWED.put(Endpoint.GET_USER, EnumSet.of(R.Admin, R.Manager));
    ALLOWED.put(Endpoint.CREATE_USER, EnumSet.of(R.Admin));
    ALLOWED.put(Endpoint.UPDATE_USER, EnumSet.of(R.Admin));
    ALLOWED.put(Endpoint.REMOVE_USER, EnumSet.of(R.Admin));
    ALLOWED.put(Endpoint.LIST_LEADS, LEAD_READERS);
    ALLOWED.put(Endpoint.SUBMIT_LEAD, EnumSet.of(R.Admin, R.Manager, R.SDR));
    ALLOWED.put(Endpoint.IMPORT_LEADS, EnumSet.of(R.Admin, R.Manager, R.SDR));
    ALLOWED.put(Endpoint.GET_LEAD, LEAD_READERS);
    ALLOWED.put(Endpoint.LIST_MESSAGES, LEAD_READERS);
    ALLOWED.put(Endpoint.SEND_MESSAGE, EnumSet.of(R.Admin, R.Manager, R.SDR));
    ALLOWED.put(Endpoint.LIST_CONSENTS, LEAD_READERS);
    ALLOWED.put(Endpoint.RECORD_CONSENT, EnumSet.of(R.Admin, R.Manager, R.SDR));
    ALLOWED.put(Endpoint.MERGE_LEADS, EnumSet.of(R.Admin, R.Manager, R.SDR));
    ALLOWED.put(Endpoint.EXPORT_LEAD, EnumSet.of(R.Admin, R.Manager));
    ALLOWED.put(Endpoint.CREATE_DELETION_REQUEST, EnumSet.of(R.Admin, R.Manager, R.SDR));
    ALLOWED.put(Endpoint.LIST_DELETION_REQUESTS, EnumSet.of(R.Admin, R.Manager, R.Auditor));
    ALLOWED.put(Endpoint.GET_DELETION_REQUEST, EnumSet.of(R.Admin, R.Manager, R.Auditor));
    ALLOWED.put(Endpoint.APPROVE_DELETION_REQUEST, EnumSet.of(R.Admin, R.Manager));
    ALLOWED.put(Endpoint.REJECT_DELETION_REQUEST, EnumSet.of(R.Admin, R.Manager));
    ALLOWED.put(Endpoint.LIST_AUDIT, EnumSet.of(R.Admin, R.Manager, R.Product, R.Auditor));
    ALLOWED.put(Endpoint.VERIFY_AUDIT, EnumSet.of(R.Admin, R.Manager, R.Auditor));
    ALLOWED.put(Endpoint.GET_ENCRYPTION_KEYS, EnumSet.of(R.Admin, R.DevOps));
    ALLOWED.put(Endpoint.ROTATE_ENCRYPTION_KEYS, EnumSet.of(R.Admin, R.DevOps));
    ALLOWED.put(Endpoint.GET_TOKENS, EnumSet.of(R.Admin, R.Manager));
    ALLOWED.put(Endpoint.LIST_TOKEN_LEDGER, EnumSet.of(R.Admin, R.Manager));
    ALLOWED.put(Endpoint.LIST_TOKEN_NOTIFICATIONS, EnumSet.of(R.Admin, R.Manager));
    ALLOWED.put(Endpoint.GET_ABUSE, EnumSet.of(R.Admin, R.Manager));
    ALLOWED.put(Endpoint.LIST_TEMPLATES, EnumSet.of(R.Admin, R.Manager, R.Product, R.DevOps));
    ALLOWED.put(Endpoint.REGISTER_TEMPLATE, EnumSet.of(R.Admin, R.Product, R.DevOps));
    ALLOWED.put(Endpoint.LIST_COMPLIANCE_DECISIONS, EnumSet.of(R.Admin, R.Manager));
    ALLOWED.put(Endpoint.GET_COMPLIANCE_SUMMARY, EnumSet.of(R.Admin, R.Manager));
    ALLOWED.put(Endpoint.GET_LEAD_AI, LEAD_READERS);
    ALLOWED.put(Endpoint.TAKE_OVER_LEAD, EnumSet.of(R.Admin, R.Manager, R.SDR));
    ALLOWED.put(Endpoint.HAND_BACK_LEAD, EnumSet.of(R.Admin, R.Manager, R.SDR));
    ALLOWED.put(Endpoint.LIST_AI_REVIEW_TASKS, LEAD_READERS);
    ALLOWED.put(Endpoint.LIST_AI_NOTIFICATIONS, LEAD_READERS);
    ALLOWED.put(Endpoint.GET_COLD_RECOVERY_STATS, EnumSet.of(R.Admin, R.Manager, R.Auditor));
    ALLOWED.put(Endpoint.GET_LEAD_COLD_RECOVERY, LEAD_READERS);
    ALLOWED.put(Endpoint.RELEASE_ABUSE, EnumSet.of(R.Admin));
    ALLOWED.put(Endpoint.GET_USAGE, EnumSet.of(R.Admin, R.Manager));
    ALLOWED.put(Endpoint.LIST_TOP_UPS, EnumSet.of(R.Admin, R.Manager));
    ALLOWED.put(Endpoint.LIST_TOP_UP_PACKS, EnumSet.of(R.Admin, R.Manager));
    ALLOWED.put(Endpoint.CREATE_TOP_UP, EnumSet.of(R.Admin));
    ALLOWED.put(Endpoint.CONFIRM_TOP_UP, EnumSet.of(R.Admin));
    ALLOWED.put(Endpoint.ANALYZE_MESSAGE, EnumSet.of(R.Admin, R.Manager, R.SDR, R.Product));
    ALLOWED.put(Endpoint.GET_AI_PROFILE, EnumSet.of(R.Admin, R.Manager, R.SDR, R.Product));
    ALLOWED.put(Endpoint.PUT_AI_PROFILE, EnumSet.of(R.Admin, R.Manager, R.Product));
    ALLOWED.put(Endpoint.LIST_APPOINTMENT_SLOTS, LEAD_READERS);
    ALLOWED.put(Endpoint.OFFER_APPOINTMENT, EnumSet.of(R.Admin, R.Manager, R.SDR));
    ALLOWED.put(Endpoint.BOOK_APPOINTMENT, EnumSet.of(R.Admin, R.Manager, R.SDR));
    ALLOWED.put(Endpoint.LIST_APPOINTMENTS, LEAD_READERS);
    ALLOWED.put(Endpoint.GET_APPOINTMENT, LEAD_READERS);
    ALLOWED.put(Endpoint.LIST_APPOINTMENT_TASKS, LEAD_READERS);
    ALLOWED.put(Endpoint.RESCHEDULE_APPOINTMENT, EnumSet.of(R.Admin, R.Manager, R.SDR));
    ALLOWED.put(Endpoint.CANCEL_APPOINTMENT, EnumSet.of(R.Admin, R.Manager, R.SDR));
    ALLOWED.put(Endpoint.CONNECT_SDR_CALENDAR, EnumSet.of(R.Admin, R.Manager));
    // every member reads their own notifications (another user's: NotificationApiTest)
    ALLOWED.put(Endpoint.LIST_NOTIFICATIONS, EVERYONE);
    ALLOWED.put(Endpoint.STREAM_NOTIFICATIONS, EVERYONE);
    ALLOWED.put(Endpoint.READ_NOTIFICATION, EVERYONE);
    ALLOWED.put(Endpoint.STREAM_LIVE, LEAD_READERS);
    ALLOWED.put(Endpoint.LIST_SDRS, EnumSet.of(R.Admin, R.Manager, R.Auditor));
    ALLOWED.put(Endpoint.ADD_SDR, EnumSet.of(R.Admin, R.Manager));
    // everyone who reads leads may ask; without routing read only their own (another's reads as absent, 404)
    ALLOWED.put(Endpoint.GET_SDR, LEAD_READERS);
    ALLOWED.put(Endpoint.UPDATE_SDR, EnumSet.of(R.Admin, R.Manager));
    ALLOWED.put(Endpoint.REMOVE_SDR, EnumSet.of(R.Admin, R.Manager));
    ALLOWED.put(Endpoint.SET_SDR_PRESENCE, EnumSet.of(R.Admin, R.Manager, R.SDR));
    // without routing read: the queue's size, bands and waiting times only (decision 36)
    ALLOWED.put(Endpoint.GET_ROUTING_QUEUE, LEAD_READERS);
    ALLOWED.put(Endpoint.ASSIGN_LEAD, EnumSet.of(R.Admin, R.Manager));
    ALLOWED.put(Endpoint.MARK_LEAD_SEEN, EnumSet.of(R.Admin, R.Manager, R.SDR));
    ALLOWED.put(Endpoint.CLOSE_ASSIGNMENT, EnumSet.of(R.Admin, R.Manager, R.SDR));
    ALLOWED.put(Endpoint.GET_LEAD_ROUTING, LEAD_READERS);
    ALLOWED.put(Endpoint.GET_SLA, EnumSet.of(R.Admin, R.Manager, R.Auditor));
  }

  /** Endpoints outside the role table, and how they are guarded. */
  private static final Set<Endpoint> OPERATOR_ONLY = EnumSet.of(
      Endpoint.CREATE_TENANT, Endpoint.LIST_UNROUTED, Endpoint.RUN_RETENTION, Endpoint.GET_BACKPRESSURE,
      Endpoint.GRANT_TOKENS, Endpoint.GET_OPS_OVERVIEW);
  private static final Set<Endpoint> SELF_SERVICE = EnumSet.of(
      Endpoint.ENROL_SECOND_FACTOR, Endpoint.VERIFY_SECOND_FACTOR, Endpoint.LOGOUT, Endpoint.CURRENT_USER,
      Endpoint.CHANGE_PASSWORD);
  private static final Set<Endpoint> PUBLIC = EnumSet.of(Endpoint.LOGIN);

  private TestEngine engine;
  private String tenantA;
  private String tenantB;
  private final Map<R, String> userTokens = new EnumMap<>(R.class);
  private final Map<R, String> apiKeys = new EnumMap<>(R.class);
  private final Map<R, String> userIds = new EnumMap<>(R.class);

  @BeforeAll
  void start(@TempDir Path dataDirectory) {
    // a notification or live stream allowed here ends at once rather than staying open (their own tests read them)
    engine = TestEngine.start(dataDirectory, Map.of("flexoraa.notifications.stream-max-age", "100ms",
        "flexoraa.live.stream-max-age", "100ms"));
    tenantA = engine.createTenant("Acme Realty", "IN");
    tenantB = engine.createTenant("Other Co", "AE");
    for (R role : R.values()) {
      String email = role.name().toLowerCase() + "@acme.example";
      userIds.put(role, createUser(tenantA, email, role));
      userTokens.put(role, signIn(email));
      apiKeys.put(role, engine.createApiKey(tenantA, role.name()));
    }
  }

  @AfterAll
  void stop() {
    if (engine != null) engine.close();
  }

  @Test
  void everyEndpointHasARowInThisTable() {
    Set<Endpoint> covered = EnumSet.noneOf(Endpoint.class);
    covered.addAll(ALLOWED.keySet());
    covered.addAll(OPERATOR_ONLY);
    covered.addAll(SELF_SERVICE);
    covered.addAll(PUBLIC);
    assertThat(covered).as("endpoints without an expected access rule in this test")
        .containsExactlyInAnyOrderElementsOf(EnumSet.allOf(Endpoint.class));
  }

  @Test
  void everyRoleGetsExactlyWhatProductSectionNineSays() {
    List<String> wrong = new ArrayList<>();
    for (Map.Entry<Endpoint, Set<R>> row : ALLOWED.entrySet()) {
      for (R role : R.values()) {
        boolean expected = row.getValue().contains(role);
        for (Map.Entry<String, String> credential : Map.of("user", userTokens.get(role), "api key", apiKeys.get(role)).entrySet()) {
          int status = call(row.getKey(), tenantA, credential.getValue()).statusCode();
          boolean allowed = status != 403 && status != 401;
          if (allowed != expected) {
            wrong.add(row.getKey() + " as " + role + " " + credential.getKey() + ": got " + status + ", expected "
                + (expected ? "allowed" : "403"));
          }
        }
      }
    }
    assertThat(wrong).isEmpty();
  }

  @Test
  void noRoleReachesAnotherTenant() {
    List<String> leaks = new ArrayList<>();
    for (Endpoint endpoint : ALLOWED.keySet()) {
      for (R role : R.values()) {
        for (String credential : List.of(userTokens.get(role), apiKeys.get(role))) {
          int status = call(endpoint, tenantB, credential).statusCode();
          if (status != 403) leaks.add(endpoint + " as " + role + " on tenant B: " + status);
        }
      }
    }
    assertThat(leaks).isEmpty();
  }

  @Test
  void operatorEndpointsRefuseEveryTenantRoleAndTheOperatorPasses() {
    for (Endpoint endpoint : OPERATOR_ONLY) {
      for (R role : R.values()) {
        assertThat(call(endpoint, tenantA, userTokens.get(role)).statusCode()).as(endpoint + " as " + role).isEqualTo(403);
        assertThat(call(endpoint, tenantA, apiKeys.get(role)).statusCode()).as(endpoint + " as key " + role).isEqualTo(403);
      }
      assertThat(call(endpoint, tenantA, OPERATOR_KEY).statusCode()).as(endpoint + " as operator").isNotIn(401, 403);
    }
    for (Endpoint endpoint : ALLOWED.keySet()) {
      assertThat(call(endpoint, tenantA, OPERATOR_KEY).statusCode()).as(endpoint + " as operator").isNotIn(401, 403);
    }
  }

  @Test
  void withoutCredentialsEverythingButSignInIs401() {
    for (Endpoint endpoint : Endpoint.values()) {
      int status = call(endpoint, tenantA, null).statusCode();
      if (PUBLIC.contains(endpoint)) {
        assertThat(status).as(endpoint.name()).isNotIn(401, 403);
      } else {
        assertThat(status).as(endpoint.name()).isEqualTo(401);
      }
    }
  }

  @Test
  void selfServiceIsForPeopleNotKeys() {
    for (R role : R.values()) {
      HttpResponse<String> me = engine.get("/api/v1/auth/me", userTokens.get(role));
      assertThat(me.statusCode()).isEqualTo(200);
      assertThat(json(me).get("role").asText()).isEqualTo(role.name());
      assertThat(json(me).get("tenantId").asText()).isEqualTo(tenantA);
      assertThat(engine.get("/api/v1/auth/me", apiKeys.get(role)).statusCode()).isEqualTo(403);
    }
  }

  @Test
  void adminsAndManagersCanDoNothingBeforeTheirSecondFactor() {
    for (R role : List.of(R.Admin, R.Manager)) {
      String email = "fresh-" + role.name().toLowerCase() + "@acme.example";
      createUser(tenantA, email, role);
      HttpResponse<String> login = engine.post("/api/v1/auth/login", null,
          "{\"email\":\"" + email + "\",\"password\":\"" + PASSWORD + "\"}");
      assertThat(login.statusCode()).isEqualTo(200);
      assertThat(json(login).get("secondFactor").asText()).isEqualTo("enrolment-required");
      String partial = json(login).get("token").asText();
      for (Endpoint endpoint : ALLOWED.keySet()) {
        HttpResponse<String> response = call(endpoint, tenantA, partial);
        assertThat(response.statusCode()).as(endpoint + " before TOTP as " + role).isEqualTo(403);
        assertThat(json(response).get("title").asText()).isEqualTo("Second factor required");
      }
      assertThat(engine.get("/api/v1/auth/me", partial).statusCode()).isEqualTo(403);
      assertThat(engine.post("/api/v1/auth/mfa/enroll", partial, "{}").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void aSignedOutSessionStopsWorking() {
    String email = "leaving@acme.example";
    createUser(tenantA, email, R.ReadOnly);
    String token = signIn(email);
    assertThat(engine.get("/api/v1/tenants/" + tenantA + "/leads", token).statusCode()).isEqualTo(200);
    assertThat(engine.post("/api/v1/auth/logout", token, "{}").statusCode()).isEqualTo(204);
    assertThat(engine.get("/api/v1/tenants/" + tenantA + "/leads", token).statusCode()).isEqualTo(401);
  }

  // ---- helpers ----

  private HttpResponse<String> call(Endpoint endpoint, String tenantId, String credential) {
    Map<String, String> variables = new LinkedHashMap<>();
    variables.put("tenant", tenantId);
    variables.put("lead", "no-such-lead");
    variables.put("user", userIds.getOrDefault(R.ReadOnly, "no-such-user"));
    variables.put("key", "no-such-key");
    variables.put("request", "no-such-request");
    variables.put("order", "order_none");
    variables.put("channel", "whatsapp");
    variables.put("account", "no-such-account");
    variables.put("externalId", "no-such-account");
    variables.put("appointment", "no-such-appointment");
    variables.put("notification", "1");
    String path = endpoint.template();
    for (Map.Entry<String, String> variable : variables.entrySet()) {
      path = path.replace("{" + variable.getKey() + "}", variable.getValue());
    }
    String body = switch (endpoint.method()) {
      case "POST", "PATCH", "PUT" -> "{}";
      default -> null;
    };
    if (endpoint == Endpoint.REMOVE_USER || endpoint == Endpoint.UPDATE_USER) {
      path = path.replace(userIds.getOrDefault(R.ReadOnly, "no-such-user"), "no-such-user");
    }
    return engine.request(endpoint.method(), "/api/v1/" + path, credential, body);
  }

  private String createUser(String tenantId, String email, R role) {
    HttpResponse<String> response = engine.post("/api/v1/tenants/" + tenantId + "/users", OPERATOR_KEY,
        "{\"email\":\"" + email + "\",\"name\":\"" + role + " Person\",\"role\":\"" + role.name() + "\",\"password\":\""
            + PASSWORD + "\"}");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    return json(response).get("id").asText();
  }

  /** Signs in; admins and managers enrol a TOTP authenticator first, as the product requires. */
  private String signIn(String email) {
    HttpResponse<String> login = engine.post("/api/v1/auth/login", null,
        "{\"email\":\"" + email + "\",\"password\":\"" + PASSWORD + "\"}");
    assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
    JsonNode body = json(login);
    if (!"enrolment-required".equals(body.get("secondFactor").asText())) return body.get("token").asText();
    String partial = body.get("token").asText();
    HttpResponse<String> enrolment = engine.post("/api/v1/auth/mfa/enroll", partial, "{}");
    assertThat(enrolment.statusCode()).as(enrolment.body()).isEqualTo(200);
    String secret = secretOf(json(enrolment).get("otpauthUri").asText());
    HttpResponse<String> verified = engine.post("/api/v1/auth/mfa/verify", partial,
        "{\"code\":\"" + totp(secret) + "\"}");
    assertThat(verified.statusCode()).as(verified.body()).isEqualTo(200);
    return json(verified).get("token").asText();
  }

  static String secretOf(String otpauthUri) {
    String query = URI.create(otpauthUri).getRawQuery();
    for (String pair : query.split("&")) {
      if (pair.startsWith("secret=")) return pair.substring("secret=".length());
    }
    throw new AssertionError("no secret in " + otpauthUri);
  }

  static String totp(String secret) {
    try {
      return new DefaultCodeGenerator().generate(secret, System.currentTimeMillis() / 1000 / 30);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
