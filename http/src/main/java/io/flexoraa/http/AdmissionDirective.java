package io.flexoraa.http;

import io.flexoraa.engine.limits.Admission;
import io.flexoraa.engine.limits.Admission.Deferred;
import io.flexoraa.engine.limits.Admission.Reason;
import io.flexoraa.engine.limits.MessageAdmission;
import java.time.Duration;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RetryAfter;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The rate limits of PRODUCT §7 for REST routes that carry messages or leads: the inner route runs only when the
 * tenant's messages are admitted. Over a limit the answer is 429 problem+json with {@code Retry-After} in whole
 * seconds (1 with the default rates); when a limiter could not answer in time it is 503 with the same header, since
 * the client did nothing wrong. Webhooks do not use this: their messages are stored and only their AI work waits.
 *
 * <pre>{@code
 * path("messages", () -> post(() -> admission.admit(tenantId, messages.size(), () -> ...)))
 * }</pre>
 */
public final class AdmissionDirective extends AllDirectives {
  private final MessageAdmission admission;

  public AdmissionDirective(MessageAdmission admission) {
    this.admission = admission;
  }

  /** Runs {@code inner} when {@code permits} messages of the tenant are admitted, else answers the refusal. */
  public Route admit(String tenantId, int permits, Supplier<Route> inner) {
    return onComplete(admission.admit(tenantId, permits), result -> {
      Admission answer = result.isSuccess()
          ? result.get()
          : new Deferred(Duration.ofSeconds(1), Reason.LIMITER_UNAVAILABLE);
      if (answer instanceof Deferred deferred) return complete(refusal(deferred));
      return inner.get();
    });
  }

  static HttpResponse refusal(Deferred deferred) {
    HttpResponse response = switch (deferred.reason()) {
      case TENANT_LIMIT -> Problems.of(StatusCodes.TOO_MANY_REQUESTS, "Too many requests",
          "this tenant's message rate limit is reached; retry later");
      case CLUSTER_LIMIT -> Problems.of(StatusCodes.TOO_MANY_REQUESTS, "Too many requests",
          "the service's overall message rate limit is reached; retry later");
      case LIMITER_UNAVAILABLE -> Problems.unavailable("the rate limiter did not answer in time; retry later");
    };
    return response.addHeader(RetryAfter.create(retryAfterSeconds(deferred.retryAfter())));
  }

  /** Whole seconds, rounded up, at least 1: a client told 0 would retry at once. */
  static long retryAfterSeconds(Duration retryAfter) {
    long millis = Math.max(0, retryAfter.toMillis());
    return Math.max(1, (millis + 999) / 1000);
  }
}
