package io.flexoraa.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpCharsets;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;

/** RFC 9457 problem details: every error the API gives is one of these, never a stack trace. */
public final class Problems {
  public static final ContentType.WithFixedCharset PROBLEM_JSON =
      ContentTypes.create(MediaTypes.applicationWithFixedCharset("problem+json", HttpCharsets.UTF_8));
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private Problems() {}

  public static HttpResponse of(StatusCode status, String title, String detail) {
    return of(status, title, detail, null);
  }

  /** {@code field} names the offending input, so a client can point at it. */
  public static HttpResponse of(StatusCode status, String title, String detail, String field) {
    ObjectNode body = MAPPER.createObjectNode();
    body.put("type", "about:blank");
    body.put("title", title);
    body.put("status", status.intValue());
    if (detail != null) body.put("detail", detail);
    if (field != null) body.put("field", field);
    return HttpResponse.create().withStatus(status).withEntity(HttpEntities.create(PROBLEM_JSON, body.toString()));
  }

  public static HttpResponse badRequest(String field, String detail) {
    return of(StatusCodes.BAD_REQUEST, "Invalid request", detail, field);
  }

  public static HttpResponse notFound(String detail) {
    return of(StatusCodes.NOT_FOUND, "Not found", detail);
  }

  public static HttpResponse forbidden(String detail) {
    return of(StatusCodes.FORBIDDEN, "Forbidden", detail);
  }

  public static HttpResponse unavailable(String detail) {
    return of(StatusCodes.SERVICE_UNAVAILABLE, "Service unavailable", detail);
  }

  /** Request input that failed validation; the route turns it into a 400 naming the field. */
  public static final class InvalidInput extends RuntimeException {
    private final String field;

    public InvalidInput(String field, String message) {
      super(message, null, false, false);
      this.field = field;
    }

    public String field() {
      return field;
    }
  }
}
