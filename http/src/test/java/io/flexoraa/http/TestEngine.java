package io.flexoraa.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * A real engine node for end-to-end tests: embedded PostgreSQL in a temporary data directory, a one-node Pekko
 * cluster on a free port, the HTTP edge on a free port. Requests go over real HTTP with real HMAC signatures.
 */
final class TestEngine implements AutoCloseable {
  static final String APP_SECRET = "test-app-secret";
  static final String OPERATOR_KEY = "op_test_operator_key";
  static final String GLOBAL_VERIFY_TOKEN = "global-verify-token";

  final EngineServer server;
  final Path dataDirectory;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final WebhookSignature signature = new WebhookSignature(APP_SECRET);

  private TestEngine(EngineServer server, Path dataDirectory) {
    this.server = server;
    this.dataDirectory = dataDirectory;
  }

  static TestEngine start(Path dataDirectory) {
    return start(dataDirectory, Map.of());
  }

  static TestEngine start(Path dataDirectory, Map<String, Object> overrides) {
    // null: the engine's own Graph API client checks a suspended account (at flexoraa.meta.graph.base-url)
    return start(dataDirectory, overrides, null);
  }

  /** {@code accountProbe}: stands in for Meta's Graph API when a suspended account's recovery is checked. */
  static TestEngine start(Path dataDirectory, Map<String, Object> overrides,
      io.flexoraa.engine.ports.MetaAccountProbe accountProbe) {
    Map<String, Object> settings = new java.util.HashMap<>(Map.of(
        "flexoraa.data-dir", dataDirectory.toString(),
        "flexoraa.http.host", "127.0.0.1",
        "flexoraa.http.port", 0,
        "pekko.remote.artery.canonical.port", 0,
        "flexoraa.meta.app-secret", APP_SECRET,
        "flexoraa.meta.verify-token", GLOBAL_VERIFY_TOKEN,
        "flexoraa.operator-key", OPERATOR_KEY,
        "flexoraa.database.url", ""));
    // the fixtures' messages are dated 2025: a scheduled retention run would mask them in the middle of a test, so
    // tests run retention only on demand (POST /api/v1/ops/retention/run)
    settings.put("flexoraa.retention.interval", "200d");
    // ...and their messages would all be stale replays, kept from AI work; tests of staleness set their own age
    settings.put("flexoraa.ingest.stale-after", "36500d");
    // the lead agent spends tokens on and replies to every message: tests of other features would see their
    // balances and conversations change under them. Tests of the AI turn it on (flexoraa.ai.agent.enabled).
    settings.put("flexoraa.ai.agent.enabled", false);
    settings.putAll(overrides);
    Config config = ConfigFactory.parseMap(settings).withFallback(ConfigFactory.load());
    return new TestEngine(EngineServer.start(config, Clock.systemUTC(), accountProbe), dataDirectory);
  }

  /**
   * A second node in this JVM that joins {@code first}'s cluster and uses its database and data directory: nodes of
   * one deployment share the database, the master key, the operator key and the API role's password (a node with
   * its own stored password would reset the role's password under the other's pool).
   */
  static TestEngine join(TestEngine first, Map<String, Object> overrides) {
    org.apache.pekko.actor.Address seed =
        org.apache.pekko.cluster.typed.Cluster.get(first.server.system()).selfMember().address();
    Map<String, Object> settings = new java.util.HashMap<>(overrides);
    settings.put("flexoraa.seed-nodes", seed.toString());
    settings.put("flexoraa.database.url", first.server.database().jdbcUrl());
    settings.put("flexoraa.database.user", first.server.database().user());
    settings.put("flexoraa.database.password", first.server.database().password());
    settings.put("pekko.cluster.jmx.multi-mbeans-in-same-jvm", "on");
    return start(first.dataDirectory, settings);
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.port();
  }

  // ---- HTTP ----

  HttpResponse<String> postWebhook(String body) {
    return postWebhook(body.getBytes(StandardCharsets.UTF_8), signature.sign(body.getBytes(StandardCharsets.UTF_8)));
  }

  HttpResponse<String> postWebhook(byte[] body, String signatureHeader) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl() + "/webhooks/meta"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (signatureHeader != null) request.header("X-Hub-Signature-256", signatureHeader);
    return send(request.build());
  }

  HttpResponse<String> get(String path, String key) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl() + path)).GET();
    if (key != null) request.header("Authorization", "Bearer " + key);
    return send(request.build());
  }

  HttpResponse<String> post(String path, String key, String json) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl() + path))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json));
    if (key != null) request.header("Authorization", "Bearer " + key);
    return send(request.build());
  }

  /** Any method, with an optional JSON body. */
  HttpResponse<String> request(String method, String path, String key, String json) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl() + path))
        .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
    if (json != null) request.header("Content-Type", "application/json");
    if (key != null) request.header("Authorization", "Bearer " + key);
    return send(request.build());
  }

  HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  static JsonNode json(String body) {
    try {
      return Json.MAPPER.readTree(body);
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + body, e);
    }
  }

  static JsonNode json(HttpResponse<String> response) {
    try {
      return Json.MAPPER.readTree(response.body());
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + response.body(), e);
    }
  }

  // ---- provisioning ----

  /** Creates a tenant and returns its id. */
  String createTenant(String name, String region) {
    HttpResponse<String> response = post("/api/v1/tenants", OPERATOR_KEY,
        "{\"name\":\"" + name + "\",\"plan\":\"leados-pro\",\"defaultRegion\":\"" + region + "\"}");
    if (response.statusCode() != 201) throw new AssertionError("tenant not created: " + response.body());
    return json(response).get("id").asText();
  }

  void registerWhatsApp(String tenantId, String phoneNumberId, String businessAccountId) {
    HttpResponse<String> response = post("/api/v1/tenants/" + tenantId + "/channel-accounts", OPERATOR_KEY,
        "{\"channel\":\"whatsapp\",\"externalId\":\"" + phoneNumberId + "\",\"displayName\":\"Sales line\","
            + "\"verifyToken\":\"vt-" + phoneNumberId + "\",\"businessAccountId\":\"" + businessAccountId + "\"}");
    if (response.statusCode() != 201) throw new AssertionError("account not registered: " + response.body());
  }

  /** Registers a WhatsApp number and stores its Graph API access token, so the engine can send from it. */
  void connectWhatsApp(String tenantId, String adminKey, String phoneNumberId, String businessAccountId,
      String accessToken) {
    registerWhatsApp(tenantId, phoneNumberId, businessAccountId);
    HttpResponse<String> stored = request("PUT", "/api/v1/tenants/" + tenantId + "/channel-accounts/whatsapp/"
        + phoneNumberId + "/credentials", adminKey, "{\"accessToken\":\"" + accessToken + "\"}");
    if (stored.statusCode() != 204) throw new AssertionError("credentials not stored: " + stored.body());
  }

  String createApiKey(String tenantId) {
    return createApiKey(tenantId, "Admin");
  }

  String createApiKey(String tenantId, String role) {
    HttpResponse<String> response = post("/api/v1/tenants/" + tenantId + "/api-keys", OPERATOR_KEY,
        "{\"name\":\"crm\",\"role\":\"" + role + "\"}");
    if (response.statusCode() != 201) throw new AssertionError("key not created: " + response.body());
    return json(response).get("key").asText();
  }

  /** Creates an API key and returns its id and the key itself. */
  String[] createApiKeyWithId(String tenantId, String role) {
    HttpResponse<String> response = post("/api/v1/tenants/" + tenantId + "/api-keys", OPERATOR_KEY,
        "{\"name\":\"crm\",\"role\":\"" + role + "\"}");
    if (response.statusCode() != 201) throw new AssertionError("key not created: " + response.body());
    JsonNode body = json(response);
    return new String[] {body.get("id").asText(), body.get("key").asText()};
  }

  // ---- people ----

  /** Creates a user as the operator and returns the user's id. */
  String createUser(String tenantId, String email, String role, String password) {
    HttpResponse<String> response = post("/api/v1/tenants/" + tenantId + "/users", OPERATOR_KEY,
        "{\"email\":\"" + email + "\",\"name\":\"" + role + " Person\",\"role\":\"" + role + "\",\"password\":\""
            + password + "\"}");
    if (response.statusCode() != 201) throw new AssertionError("user not created: " + response.body());
    return json(response).get("id").asText();
  }

  HttpResponse<String> login(String email, String password, String totp) {
    return post("/api/v1/auth/login", null, "{\"email\":\"" + email + "\",\"password\":\"" + password + "\""
        + (totp == null ? "" : ",\"totp\":\"" + totp + "\"") + "}");
  }

  /** Signs in and returns a full token; roles that need a second factor enrol a TOTP authenticator first. */
  String signIn(String email, String password) {
    HttpResponse<String> login = login(email, password, null);
    if (login.statusCode() != 200) throw new AssertionError("sign-in refused: " + login.body());
    JsonNode body = json(login);
    if (!"enrolment-required".equals(body.get("secondFactor").asText())) return body.get("token").asText();
    String partial = body.get("token").asText();
    HttpResponse<String> enrolment = post("/api/v1/auth/mfa/enroll", partial, "{}");
    if (enrolment.statusCode() != 200) throw new AssertionError("enrolment refused: " + enrolment.body());
    String secret = json(enrolment).get("secret").asText();
    HttpResponse<String> verified = post("/api/v1/auth/mfa/verify", partial,
        "{\"code\":\"" + totp(secret, totpStep()) + "\"}");
    if (verified.statusCode() != 200) throw new AssertionError("code refused: " + verified.body());
    return json(verified).get("token").asText();
  }

  /**
   * Enrols a TOTP authenticator for a user whose role needs one (Admin, Manager) and returns its secret, so a browser
   * test can sign in through the form with the code an app would show ({@link #totp}). The enrolment's own code uses
   * the previous time step, so the sign-in's code (this step) is not refused as a replay.
   */
  String enrolSecondFactor(String email, String password) {
    HttpResponse<String> login = login(email, password, null);
    if (login.statusCode() != 200) throw new AssertionError("sign-in refused: " + login.body());
    JsonNode body = json(login);
    if (!"enrolment-required".equals(body.get("secondFactor").asText())) {
      throw new AssertionError("no enrolment asked for " + email + ": " + login.body());
    }
    String partial = body.get("token").asText();
    HttpResponse<String> enrolment = post("/api/v1/auth/mfa/enroll", partial, "{}");
    if (enrolment.statusCode() != 200) throw new AssertionError("enrolment refused: " + enrolment.body());
    String secret = json(enrolment).get("secret").asText();
    HttpResponse<String> verified = post("/api/v1/auth/mfa/verify", partial,
        "{\"code\":\"" + totp(secret, totpStep() - 1) + "\"}");
    if (verified.statusCode() != 200) throw new AssertionError("code refused: " + verified.body());
    return secret;
  }

  /** The TOTP time step now (30-second steps since the epoch), as the engine's clock sees it. */
  static long totpStep() {
    return System.currentTimeMillis() / 1000 / 30;
  }

  /** What an authenticator app shows for {@code step}. */
  static String totp(String secret, long step) {
    try {
      return new dev.samstevens.totp.code.DefaultCodeGenerator().generate(secret, step);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  // ---- database ----

  /** Changes rows as the database owner (moving timestamps back to simulate time passing, assigning leads). */
  int update(String sql, Object... parameters) {
    try (Connection connection = server.database().dataSource().getConnection();
         PreparedStatement statement = connection.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) statement.setObject(i + 1, parameters[i]);
      return statement.executeUpdate();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  long count(String sql, Object... parameters) {
    try (Connection connection = server.database().dataSource().getConnection();
         PreparedStatement statement = connection.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) statement.setObject(i + 1, parameters[i]);
      try (ResultSet result = statement.executeQuery()) {
        result.next();
        return result.getLong(1);
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Waits for the read model (projections trail the journal by a fraction of a second). */
  static void eventually(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what);
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  @Override
  public void close() {
    server.close();
  }
}
