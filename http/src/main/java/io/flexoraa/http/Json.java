package io.flexoraa.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.flexoraa.http.Problems.InvalidInput;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCode;
import java.util.regex.Pattern;

/** JSON in and out of the API: camelCase, ISO-8601 instants, strict field validation with named fields. */
public final class Json {
  public static final ObjectMapper MAPPER =
      new ObjectMapper().registerModule(new JavaTimeModule()).disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

  private Json() {}

  public static HttpResponse response(StatusCode status, Object body) {
    try {
      return HttpResponse.create()
          .withStatus(status)
          .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, MAPPER.writeValueAsBytes(body)));
    } catch (Exception e) {
      throw new IllegalStateException("response not serializable", e);
    }
  }

  /** The request body as a JSON object, or a 400 saying why not. */
  public static JsonNode object(String body) {
    JsonNode node;
    try {
      node = MAPPER.readTree(body);
    } catch (Exception e) {
      throw new InvalidInput("body", "request body is not valid JSON");
    }
    if (node == null || !node.isObject()) throw new InvalidInput("body", "request body must be a JSON object");
    return node;
  }

  public static String requiredText(JsonNode body, String field, int maxLength) {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) throw new InvalidInput(field, field + " is required");
    if (!value.isTextual()) throw new InvalidInput(field, field + " must be a string");
    String text = value.asText().trim();
    if (text.isEmpty()) throw new InvalidInput(field, field + " must not be empty");
    if (text.length() > maxLength) throw new InvalidInput(field, field + " must be at most " + maxLength + " characters");
    return text;
  }

  public static String optionalText(JsonNode body, String field, int maxLength) {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) return null;
    return requiredText(body, field, maxLength);
  }

  public static String matching(String field, String value, Pattern pattern, String expectation) {
    if (!pattern.matcher(value).matches()) throw new InvalidInput(field, field + " " + expectation);
    return value;
  }

  /** A required role by its PRODUCT §9 name ("Admin", "SDR", "ReadOnly"...), case-insensitively. */
  public static io.flexoraa.engine.access.Role role(JsonNode body, String field) {
    String name = requiredText(body, field, 32);
    return io.flexoraa.engine.access.Role.parse(name).orElseThrow(() -> new InvalidInput(field, field + " must be one of "
        + java.util.Arrays.stream(io.flexoraa.engine.access.Role.values()).map(io.flexoraa.engine.access.Role::displayName).toList()));
  }
}
