package io.flexoraa.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import io.flexoraa.engine.limits.Admission;
import io.flexoraa.engine.limits.Admission.Deferred;
import io.flexoraa.engine.limits.Admission.Reason;
import io.flexoraa.engine.limits.MessageAdmission;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The admission directive on a small route of our own, over real HTTP: an admitted call reaches the route, a call
 * over a limit gets 429 problem+json with Retry-After and never reaches it, a limiter that cannot answer gives 503.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdmissionDirectiveTest {
  ActorSystem<Void> system;
  ServerBinding binding;
  final AtomicInteger reachedTheRoute = new AtomicInteger();
  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  /** What the limiters would say, by tenant id. */
  static final MessageAdmission ADMISSION = (tenantId, permits) -> switch (tenantId) {
    case "calm" -> CompletableFuture.completedFuture(Admission.ADMITTED);
    case "busy" -> CompletableFuture.completedFuture(new Deferred(Duration.ofMillis(200), Reason.TENANT_LIMIT));
    case "crowded" -> CompletableFuture.completedFuture(new Deferred(Duration.ofMillis(3), Reason.CLUSTER_LIMIT));
    case "slow-plan" -> CompletableFuture.completedFuture(new Deferred(Duration.ofMillis(2500), Reason.TENANT_LIMIT));
    case "unreachable" -> CompletableFuture.completedFuture(
        new Deferred(Duration.ofSeconds(1), Reason.LIMITER_UNAVAILABLE));
    default -> CompletableFuture.failedFuture(new IllegalStateException("limiter crashed"));
  };

  @BeforeAll
  void start() throws Exception {
    system = ActorSystem.create(Behaviors.empty(), "admission-directive-test",
        ConfigFactory.parseMap(Map.of("pekko.actor.provider", "local")).withFallback(ConfigFactory.load()));
    AdmissionDirective admission = new AdmissionDirective(ADMISSION);
    AllDirectives directives = new AllDirectives() {};
    Route route = directives.path(PathMatchers.segment("tenants").slash(PathMatchers.segment()).slash("messages"),
        tenantId -> directives.post(() -> admission.admit(tenantId, 1, () -> {
          reachedTheRoute.incrementAndGet();
          return directives.complete(StatusCodes.ACCEPTED, "queued");
        })));
    binding = Http.get(system).newServerAt("127.0.0.1", 0).bind(EdgeErrors.seal(route))
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @AfterAll
  void stop() throws Exception {
    binding.unbind().toCompletableFuture().get(10, TimeUnit.SECONDS);
    system.terminate();
    system.getWhenTerminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void anAdmittedCallReachesTheRoute() throws Exception {
    int before = reachedTheRoute.get();

    HttpResponse<String> response = post("calm");

    assertThat(response.statusCode()).isEqualTo(202);
    assertThat(reachedTheRoute.get()).isEqualTo(before + 1);
  }

  @Test
  void overTheTenantOrClusterLimitTheAnswerIs429WithRetryAfterOneAndTheRouteDoesNotRun() throws Exception {
    int before = reachedTheRoute.get();

    for (String tenant : new String[] {"busy", "crowded"}) {
      HttpResponse<String> response = post(tenant);

      assertThat(response.statusCode()).as(tenant).isEqualTo(429);
      assertThat(response.headers().firstValue("Retry-After")).as(tenant).hasValue("1");
      assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
      JsonNode problem = Json.MAPPER.readTree(response.body());
      assertThat(problem.path("status").asInt()).isEqualTo(429);
      assertThat(problem.path("title").asText()).isEqualTo("Too many requests");
    }
    assertThat(reachedTheRoute.get()).isEqualTo(before);
  }

  @Test
  void aLongerAdviceIsRoundedUpToWholeSeconds() throws Exception {
    assertThat(post("slow-plan").headers().firstValue("Retry-After")).hasValue("3");
    assertThat(AdmissionDirective.retryAfterSeconds(Duration.ZERO)).isEqualTo(1);
    assertThat(AdmissionDirective.retryAfterSeconds(Duration.ofMillis(1001))).isEqualTo(2);
  }

  @Test
  void aLimiterThatCannotAnswerGives503WithRetryAfter() throws Exception {
    int before = reachedTheRoute.get();

    for (String tenant : new String[] {"unreachable", "crashed"}) {
      HttpResponse<String> response = post(tenant);

      assertThat(response.statusCode()).as(tenant).isEqualTo(503);
      assertThat(response.headers().firstValue("Retry-After")).as(tenant).hasValue("1");
      assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    }
    assertThat(reachedTheRoute.get()).isEqualTo(before);
  }

  private HttpResponse<String> post(String tenantId) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + binding.localAddress().getPort() + "/tenants/" + tenantId + "/messages"))
            .POST(HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
