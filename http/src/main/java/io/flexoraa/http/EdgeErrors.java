package io.flexoraa.http;

import static org.apache.pekko.http.javadsl.server.Directives.complete;

import io.flexoraa.http.Problems.InvalidInput;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.ExceptionHandler;
import org.apache.pekko.http.javadsl.server.RejectionHandler;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.pattern.AskTimeoutException;
import org.apache.pekko.pattern.StatusReply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every failure leaves as problem+json: validation → 400 naming the field, an entity's refusal → 409, a timeout →
 * 503, Pekko's own rejections keep their status (404, 405, 413...) with a problem body. Nothing leaks a stack trace.
 */
public final class EdgeErrors {
  private static final Logger log = LoggerFactory.getLogger(EdgeErrors.class);

  private EdgeErrors() {}

  public static Route seal(Route route) {
    return route.seal(rejections(), exceptions());
  }

  static RejectionHandler rejections() {
    return RejectionHandler.defaultHandler().mapRejectionResponse(response -> {
      if (response.entity().getContentType().equals(Problems.PROBLEM_JSON)) return response;
      String detail = response.entity() instanceof HttpEntity.Strict strict ? strict.getData().utf8String() : null;
      HttpResponse problem = Problems.of(response.status(), response.status().reason(), detail);
      return problem.addHeaders(response.getHeaders());
    });
  }

  static ExceptionHandler exceptions() {
    return ExceptionHandler.newBuilder()
        .matchAny(failure -> {
          Throwable cause = unwrap(failure);
          if (cause instanceof InvalidInput invalid) {
            return complete(
                Problems.badRequest(invalid.field(), invalid.getMessage()));
          }
          if (cause instanceof io.flexoraa.engine.outbound.OutboundService.Refused refused) {
            return complete(refused.notFound()
                ? Problems.notFound(refused.getMessage())
                : Problems.of(StatusCodes.UNPROCESSABLE_ENTITY, "Cannot send", refused.getMessage()));
          }
          if (cause instanceof StatusReply.ErrorMessage refused) {
            return complete(
                Problems.of(StatusCodes.CONFLICT, "Refused", refused.getMessage()));
          }
          if (cause instanceof AskTimeoutException || cause instanceof TimeoutException) {
            return complete(
                Problems.unavailable("the engine did not answer in time; retry"));
          }
          // the stack, not the message: messages quote the input (see LogRedaction)
          log.error("Unexpected failure while handling a request", LogRedaction.withoutMessages(cause));
          return complete(
              Problems.of(StatusCodes.INTERNAL_SERVER_ERROR, "Internal error", "the request failed; it has been logged"));
        })
        .build();
  }

  private static Throwable unwrap(Throwable failure) {
    Throwable cause = failure;
    while (cause instanceof CompletionException && cause.getCause() != null) cause = cause.getCause();
    return cause;
  }
}
