package io.flexoraa.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The hardening layer around a small route of our own, served over real HTTP: headers on every kind of answer, CORS
 * exactly as configured, body limits whichever way the body is framed, and failures that tell a client nothing
 * about the code.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EdgeHardeningTest {
  private static final String ALLOWED = "https://app.example.com";
  private static final String OTHER = "https://evil.example.net";
  private static final int LIMIT = 1024;
  private static final String SECRET_DETAIL = "lookup failed for +919812398765";

  ActorSystem<Void> system;
  ServerBinding binding;
  final HttpClient http = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5))
      .build();

  @BeforeAll
  void start() throws Exception {
    Config config = ConfigFactory.parseMap(Map.of(
            "pekko.actor.provider", "local",
            "flexoraa.http.cors.allowed-origins", List.of(ALLOWED),
            "flexoraa.http.api-max-body-bytes", LIMIT))
        .withFallback(ConfigFactory.load());
    system = ActorSystem.create(Behaviors.empty(), "edge-hardening-test", config);
    Route hardened = EdgeHardening.fromConfig(config).wrap(EdgeErrors.seal(new Routes().route()));
    binding = Http.get(system).newServerAt("127.0.0.1", 0).bind(hardened).toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @AfterAll
  void stop() throws Exception {
    binding.unbind().toCompletableFuture().get(10, TimeUnit.SECONDS);
    system.terminate();
    system.getWhenTerminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** Just enough routes to produce each kind of answer. */
  private static final class Routes extends AllDirectives {
    Route route() {
      return concat(
          path(segment("api").slash("v1").slash("ok"), () -> get(() ->
              complete(Json.response(StatusCodes.OK, Map.of("ok", true))))),
          path(segment("api").slash("v1").slash("echo"), () -> post(() ->
              entity(Unmarshaller.entityToString(), body -> complete(Json.response(StatusCodes.OK, Map.of("length", body.length())))))),
          path(segment("api").slash("v1").slash("boom"), () -> get(() -> {
            throw new IllegalStateException(SECRET_DETAIL);
          })),
          path("page", () -> get(() -> respondWithHeader(
              RawHeader.create("Content-Security-Policy", "default-src 'self'"),
              () -> complete(HttpEntities.create(ContentTypes.TEXT_HTML_UTF8, "<p>dashboard</p>"))))),
          path(segment("webhooks").slash("meta"), () -> post(() ->
              entity(Unmarshaller.entityToString(), body -> complete("received " + body.length())))));
    }

    private static org.apache.pekko.http.javadsl.server.PathMatcher0 segment(String name) {
      return org.apache.pekko.http.javadsl.server.PathMatchers.segment(name);
    }
  }

  // ---- security headers ----

  @Test
  void everyAnswerCarriesTheSecurityHeadersAndNoServerVersion() {
    HttpResponse<String> ok = send(get("/api/v1/ok"));
    HttpResponse<String> notFound = send(get("/nowhere"));
    HttpResponse<String> apiNotFound = send(get("/api/v1/nowhere"));
    HttpResponse<String> failed = send(get("/api/v1/boom"));
    HttpResponse<String> notAllowed = send(request("/api/v1/ok").DELETE().build());
    HttpResponse<String> tooLarge = send(request("/api/v1/echo").POST(HttpRequest.BodyPublishers.ofByteArray(new byte[LIMIT + 1])).build());
    assertThat(List.of(ok.statusCode(), notFound.statusCode(), apiNotFound.statusCode(), failed.statusCode(),
        notAllowed.statusCode(), tooLarge.statusCode())).containsExactly(200, 404, 404, 500, 405, 413);

    for (HttpResponse<String> response : List.of(ok, notFound, apiNotFound, failed, notAllowed, tooLarge)) {
      var headers = response.headers();
      assertThat(headers.firstValue("X-Content-Type-Options")).as(response.uri().getPath()).hasValue("nosniff");
      assertThat(headers.firstValue("X-Frame-Options")).hasValue("DENY");
      assertThat(headers.firstValue("Referrer-Policy")).hasValue("no-referrer");
      assertThat(headers.firstValue("Content-Security-Policy")).hasValue("default-src 'none'; frame-ancestors 'none'");
      assertThat(headers.firstValue("Strict-Transport-Security")).hasValue("max-age=31536000; includeSubDomains");
      assertThat(headers.firstValue("Permissions-Policy")).hasValueSatisfying(value -> assertThat(value).contains("camera=()"));
      assertThat(headers.firstValue("Server")).isEmpty();
      assertThat(headers.allValues("Content-Security-Policy")).hasSize(1);
    }
    for (HttpResponse<String> api : List.of(ok, apiNotFound, failed, notAllowed, tooLarge)) {
      assertThat(api.headers().firstValue("Cache-Control")).as(api.uri().getPath()).hasValue("no-store");
    }
    assertThat(notFound.headers().firstValue("Cache-Control")).isEmpty();
  }

  @Test
  void aRouteThatSetsItsOwnPolicyKeepsIt() {
    HttpResponse<String> page = send(get("/page"));
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().allValues("Content-Security-Policy")).containsExactly("default-src 'self'");
    assertThat(page.headers().firstValue("X-Frame-Options")).hasValue("DENY");
  }

  @Test
  void anUnknownExceptionIsAProblemWithoutStackTraceClassOrMessage() {
    try (CapturedLogs logs = CapturedLogs.attach()) {
      HttpResponse<String> failed = send(get("/api/v1/boom"));
      assertThat(failed.statusCode()).isEqualTo(500);
      assertThat(failed.headers().firstValue("Content-Type")).hasValue("application/problem+json");
      assertThat(json(failed).get("status").asInt()).isEqualTo(500);
      assertThat(failed.body())
          .doesNotContain("IllegalStateException").doesNotContain("Exception").doesNotContain("java.")
          .doesNotContain("at io.flexoraa").doesNotContain("EdgeHardeningTest").doesNotContain(SECRET_DETAIL);

      // operators still learn what failed and where, but not the message, which quoted the input
      List<String> logged = logs.mentioning("java.lang.IllegalStateException");
      assertThat(logged).hasSize(1);
      assertThat(logs.events().stream().filter(event -> event.getThrowableProxy() != null))
          .allSatisfy(event -> assertThat(event.getThrowableProxy().getStackTraceElementProxyArray()).isNotEmpty());
      assertThat(logs.mentioning("+919812398765")).isEmpty();
    }
  }

  // ---- CORS ----

  @Test
  void aPreflightFromAnAllowedOriginIsAnsweredWithTheConfiguredPolicy() {
    HttpResponse<String> preflight = send(preflight(ALLOWED, "POST", "authorization,content-type,idempotency-key"));
    assertThat(preflight.statusCode()).isEqualTo(200);
    var headers = preflight.headers();
    assertThat(headers.firstValue("Access-Control-Allow-Origin")).hasValue(ALLOWED);
    assertThat(String.join(",", headers.allValues("Access-Control-Allow-Methods"))).contains("GET", "POST", "PUT", "DELETE");
    assertThat(String.join(",", headers.allValues("Access-Control-Allow-Headers")).toLowerCase())
        .contains("authorization", "content-type", "idempotency-key");
    assertThat(headers.firstValue("Access-Control-Max-Age")).hasValue("600");
    assertThat(headers.firstValue("Access-Control-Allow-Credentials")).isEmpty();
    assertThat(headers.firstValue("X-Content-Type-Options")).hasValue("nosniff");
  }

  @Test
  void aPreflightFromAnyOtherOriginOrForAnotherMethodOrHeaderIs403Problem() {
    for (HttpResponse<String> refused : List.of(
        send(preflight(OTHER, "POST", "authorization")),
        send(preflight(ALLOWED, "TRACE", "authorization")),
        send(preflight(ALLOWED, "POST", "x-something-else")))) {
      assertThat(refused.statusCode()).isEqualTo(403);
      assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
      assertThat(json(refused).get("detail").asText()).startsWith("cross-origin request refused");
      assertThat(refused.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
      assertThat(refused.headers().firstValue("X-Frame-Options")).hasValue("DENY");
    }
  }

  @Test
  void aSimpleRequestGetsCorsHeadersOnlyFromAnAllowedOrigin() {
    HttpResponse<String> allowed = send(request("/api/v1/ok").header("Origin", ALLOWED).GET().build());
    assertThat(allowed.statusCode()).isEqualTo(200);
    assertThat(allowed.headers().firstValue("Access-Control-Allow-Origin")).hasValue(ALLOWED);

    HttpResponse<String> other = send(request("/api/v1/ok").header("Origin", OTHER).GET().build());
    assertThat(other.statusCode()).isEqualTo(200);
    assertThat(other.headers().map().keySet()).noneMatch(name -> name.toLowerCase().startsWith("access-control-"));

    HttpResponse<String> sameSite = send(get("/api/v1/ok"));
    assertThat(sameSite.headers().map().keySet()).noneMatch(name -> name.toLowerCase().startsWith("access-control-"));
  }

  @Test
  void withNoAllowedOriginEveryPreflightIsRefused() throws Exception {
    Config config = ConfigFactory.parseMap(Map.of("pekko.actor.provider", "local")).withFallback(ConfigFactory.load());
    assertThat(EdgeHardening.Settings.fromConfig(config).allowedOrigins()).isEmpty();
    Route closed = EdgeHardening.fromConfig(config).wrap(EdgeErrors.seal(new Routes().route()));
    ServerBinding closedBinding =
        Http.get(system).newServerAt("127.0.0.1", 0).bind(closed).toCompletableFuture().get(10, TimeUnit.SECONDS);
    try {
      HttpResponse<String> refused = http.send(HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + closedBinding.localAddress().getPort() + "/api/v1/ok"))
          .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
          .header("Origin", ALLOWED).header("Access-Control-Request-Method", "GET").build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(refused.statusCode()).isEqualTo(403);
      assertThat(refused.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    } finally {
      closedBinding.unbind().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void originsAreValidatedAtStart() {
    Config base = ConfigFactory.load();
    assertThatThrownBy(() -> settings(base, Map.of("flexoraa.http.cors.allowed-origins", List.of("*"),
        "flexoraa.http.cors.allow-credentials", true)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("allow-credentials");
    assertThatThrownBy(() -> settings(base, Map.of("flexoraa.http.cors.allowed-origins", List.of("https://app.example.com/"))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not an origin");
    assertThatThrownBy(() -> settings(base, Map.of("flexoraa.http.cors.allowed-origins", List.of("app.example.com"))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not an origin");
    assertThatThrownBy(() -> settings(base, Map.of("flexoraa.http.cors.allowed-methods", List.of("FETCH"))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown method");
    // the environment variable gives a comma-separated string
    assertThat(settings(base, Map.of("flexoraa.http.cors.allowed-origins", "https://a.example.com, http://localhost:5173"))
        .allowedOrigins()).containsExactly("https://a.example.com", "http://localhost:5173");
    assertThat(settings(base, Map.of("flexoraa.http.cors.allowed-origins", List.of("*"))).allowedOrigins())
        .containsExactly("*");
  }

  private static EdgeHardening.Settings settings(Config base, Map<String, Object> overrides) {
    return EdgeHardening.Settings.fromConfig(ConfigFactory.parseMap(overrides).withFallback(base));
  }

  // ---- body limits ----

  @Test
  void aDeclaredOversizeBodyIs413BeforeItIsRead() {
    HttpResponse<String> response = send(request("/api/v1/echo")
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[LIMIT + 1])).build());
    assertTooLarge(response);
  }

  @Test
  void aChunkedOversizeBodyIs413WhenItPassesTheLimit() {
    // ofInputStream has no length: the client sends Transfer-Encoding: chunked
    byte[] body = new byte[LIMIT * 4];
    HttpResponse<String> response = send(request("/api/v1/echo")
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build());
    assertTooLarge(response);
  }

  @Test
  void bodiesWithinTheLimitReachTheRouteWholeHoweverFramed() {
    byte[] body = "x".repeat(LIMIT).getBytes();
    HttpResponse<String> declared = send(request("/api/v1/echo").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    HttpResponse<String> chunked = send(request("/api/v1/echo")
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build());
    for (HttpResponse<String> response : List.of(declared, chunked)) {
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      assertThat(json(response).get("length").asInt()).isEqualTo(LIMIT);
    }
  }

  @Test
  void webhookBodiesKeepTheirOwnLimit() {
    byte[] body = "x".repeat(LIMIT * 8).getBytes();
    HttpResponse<String> response = send(request("/webhooks/meta").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("received " + LIMIT * 8);
  }

  private static void assertTooLarge(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(413);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    JsonNode problem = json(response);
    assertThat(problem.get("status").asInt()).isEqualTo(413);
    assertThat(problem.get("detail").asText()).contains(String.valueOf(LIMIT));
    assertThat(response.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
  }

  // ---- HTTP ----

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + binding.localAddress().getPort() + path))
        .timeout(Duration.ofSeconds(10));
  }

  private HttpRequest get(String path) {
    return request(path).GET().build();
  }

  private HttpRequest preflight(String origin, String method, String headers) {
    return request("/api/v1/echo")
        .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
        .header("Origin", origin)
        .header("Access-Control-Request-Method", method)
        .header("Access-Control-Request-Headers", headers)
        .build();
  }

  private HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode json(HttpResponse<String> response) {
    return TestEngine.json(response);
  }
}
