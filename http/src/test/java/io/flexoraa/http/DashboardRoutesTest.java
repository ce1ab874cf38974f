package io.flexoraa.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The dashboard's files as the node serves them, over real HTTP, inside the same hardening and error layers as in
 * {@link EngineServer}, behind a stand-in API route: types, caching, the pages' Content-Security-Policy, the
 * single-page fallback, and what the fallback must never swallow or expose.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardRoutesTest {
  private static final String FILES = "dashboard/app/";

  ActorSystem<Void> system;
  ServerBinding binding;
  Config config;
  final HttpClient http = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5))
      .build();

  @BeforeAll
  void start() throws Exception {
    config = ConfigFactory.parseMap(Map.of("pekko.actor.provider", "local")).withFallback(ConfigFactory.load());
    system = ActorSystem.create(Behaviors.empty(), "dashboard-routes-test", config);
    AllDirectives directives = new AllDirectives() {};
    Route api = directives.path(org.apache.pekko.http.javadsl.server.PathMatchers.segment("api").slash("v1").slash("ok"), () -> directives.get(() ->
        directives.complete(Json.response(StatusCodes.OK, Map.of("ok", true)))));
    Route route = EdgeHardening.fromConfig(config).wrap(EdgeErrors.seal(
        directives.concat(api, DashboardRoutes.fromConfig(config).route())));
    binding = Http.get(system).newServerAt("127.0.0.1", 0).bind(route).toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @AfterAll
  void stop() throws Exception {
    binding.unbind().toCompletableFuture().get(10, TimeUnit.SECONDS);
    system.terminate();
    system.getWhenTerminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void theRootIsTheDashboardPageUnderAStrictSameOriginPolicy() {
    HttpResponse<String> page = get("/");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
    assertThat(page.body()).contains("<script type=\"module\" src=\"/app/main.js\"></script>");
    String policy = page.headers().firstValue("Content-Security-Policy").orElseThrow();
    assertThat(page.headers().allValues("Content-Security-Policy")).hasSize(1);
    assertThat(policy).isEqualTo(config.getString("flexoraa.http.dashboard.content-security-policy"))
        .contains("default-src 'self'", "script-src 'self'", "frame-ancestors 'none'", "object-src 'none'")
        .doesNotContain("unsafe-inline", "unsafe-eval", "*", "http:");
    // the only other origins are Razorpay Checkout's (token top-ups, decision 37)
    assertThat(java.util.regex.Pattern.compile("https://[^ ;]+").matcher(policy).results().map(m -> m.group())
        .distinct()).containsExactlyInAnyOrder("https://checkout.razorpay.com", "https://api.razorpay.com");
    assertThat(policy).contains("frame-src https://api.razorpay.com https://checkout.razorpay.com");
    // the other security headers still come from the hardening layer; the page is revalidated, not stored blind
    assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    assertThat(page.headers().firstValue("X-Frame-Options")).hasValue("DENY");
    assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-cache");
  }

  @Test
  void theFrontEndLibraryComesFromItsWebJarWithItsTypeAndALongCacheLife() {
    HttpResponse<String> vendor = get("/app/vendor.js");
    assertThat(vendor.statusCode()).isEqualTo(200);
    assertThat(vendor.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).contains("javascript"));
    Matcher webjar = Pattern.compile("'(/webjars/preact/[0-9][^/']*/dist/preact\\.module\\.js)'").matcher(vendor.body());
    assertThat(webjar.find()).as("vendor.js names the WebJar's versioned file: " + vendor.body()).isTrue();

    HttpResponse<String> library = get(webjar.group(1));
    assertThat(library.statusCode()).isEqualTo(200);
    assertThat(library.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).contains("javascript"));
    assertThat(library.headers().firstValue("Cache-Control")).hasValueSatisfying(cache ->
        assertThat(cache).contains("public", "max-age=31536000", "immutable"));
    assertThat(library.body()).contains("export");

    // the tokens page's charts: Chart.js's UMD build from its WebJar, the path filled in the same way
    Matcher charts = Pattern.compile("'(/webjars/chart\\.js/[0-9][^/']*/dist/chart\\.umd\\.js)'")
        .matcher(get("/app/tokens-chart.js").body());
    assertThat(charts.find()).as("tokens-chart.js names Chart.js's versioned UMD file").isTrue();
    HttpResponse<String> chart = get(charts.group(1));
    assertThat(chart.statusCode()).isEqualTo(200);
    assertThat(chart.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).contains("javascript"));
  }

  @Test
  void theDashboardsOwnFilesHaveTheirTypes() {
    assertType("/app/main.js", "javascript");
    assertType("/styles.css", "text/css");
    assertType("/i18n/en.json", "application/json");
  }

  @Test
  void pagePathsGetTheSinglePageApp() {
    for (String path : new String[] {"/leads", "/inbox/lead-42", "/queue/"}) {
      HttpResponse<String> page = get(path);
      assertThat(page.statusCode()).as(path).isEqualTo(200);
      assertThat(page.body()).as(path).contains("/app/main.js");
      assertThat(page.headers().firstValue("Content-Security-Policy")).as(path).hasValueSatisfying(policy ->
          assertThat(policy).startsWith("default-src 'self'"));
    }
  }

  @Test
  void theApiIsNeverSwallowedByTheFallback() {
    HttpResponse<String> known = get("/api/v1/ok");
    assertThat(known.statusCode()).isEqualTo(200);
    assertThat(known.headers().firstValue("Content-Security-Policy")).hasValue("default-src 'none'; frame-ancestors 'none'");

    for (String path : new String[] {"/api/v1/nothing-here", "/api", "/webhooks/nothing", "/webjars/nothing/1.0/x.js",
        "/app/missing.js", "/favicon.ico", "/i18n/xx.json"}) {
      HttpResponse<String> missing = get(path);
      assertThat(missing.statusCode()).as(path).isEqualTo(404);
      assertThat(missing.body()).as(path).doesNotContain("<html");
      assertThat(missing.headers().firstValue("Content-Type")).as(path).hasValue("application/problem+json");
    }
    // another method on an unknown API path is still "not found", not "GET only"
    HttpResponse<String> posted = send(HttpRequest.newBuilder(uri("/api/v1/nothing-here"))
        .POST(HttpRequest.BodyPublishers.ofString("{}")).header("Content-Type", "application/json").build());
    assertThat(posted.statusCode()).isEqualTo(404);
  }

  @Test
  void pathsThatClimbOutOfTheirFolderAreNotFound() {
    for (String path : new String[] {"/..%2f", "/..%2fapplication.conf", "/app/..%2f..%2fapplication.conf",
        "/webjars/..%2f..%2fMETA-INF%2fMANIFEST.MF", "/webjars/preact/..%2f..%2f..%2flogback.xml", "/app/%2e%2e%2f%2e%2e%2fapplication.conf"}) {
      HttpResponse<String> response = get(path);
      assertThat(response.statusCode()).as(path).isEqualTo(404);
      assertThat(response.body()).as(path).doesNotContain("pekko", "<html");
    }
    // encoded dots are plain dots to the URI parser, which removes the dot segments before any route sees them:
    // what is left is the page path /etc/passwd, answered with the page, never with a file
    HttpResponse<String> dotted = get("/%2e%2e/%2e%2e/etc/passwd");
    assertThat(dotted.body()).contains("/app/main.js").doesNotContain("root:");
  }

  /** Every key the scripts ask for by name is in the English strings, so no page shows a raw key. */
  @Test
  void everyStringTheScriptsNameIsInTheEnglishFile() throws IOException {
    JsonNode strings = Json.MAPPER.readTree(resource("dashboard/i18n/en.json"));
    Pattern literalKey = Pattern.compile("\\bt\\('([a-zA-Z.]+)'");
    for (String script : new String[] {"main.js", "signin.js", "leads-board.js", "api.js", "i18n.js"}) {
      Matcher key = literalKey.matcher(resource(FILES + script));
      while (key.find()) assertThat(strings.has(key.group(1))).as(script + " names " + key.group(1)).isTrue();
    }
    for (String page : new String[] {"inbox", "leads", "queue", "tokens", "compliance", "audit", "ops"}) {
      assertThat(strings.has("nav." + page)).as("nav." + page).isTrue();
    }
  }

  private void assertType(String path, String type) {
    HttpResponse<String> response = get(path);
    assertThat(response.statusCode()).as(path).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).as(path).hasValueSatisfying(value ->
        assertThat(value).contains(type));
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = DashboardRoutesTest.class.getClassLoader().getResourceAsStream(name)) {
      assertThat(in).as(name).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + binding.localAddress().getPort() + path);
  }

  private HttpResponse<String> get(String path) {
    return send(HttpRequest.newBuilder(uri(path)).GET().build());
  }

  private HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }
}
