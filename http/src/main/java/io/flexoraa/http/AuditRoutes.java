package io.flexoraa.http;

import io.flexoraa.http.Problems.InvalidInput;
import io.flexoraa.persistence.audit.AuditTrail;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The audit trail for auditors: entries filtered by time, action and subject, paged by sequence number, and the
 * verification that recomputes the tenant's whole hash chain.
 */
final class AuditRoutes extends AllDirectives {
  private static final int MAX_LIMIT = 1000;

  private final AuditTrail trail;

  AuditRoutes(AuditTrail trail) {
    this.trail = trail;
  }

  Map<Endpoint, ApiRouter.Handler> handlers() {
    Map<Endpoint, ApiRouter.Handler> handlers = new EnumMap<>(Endpoint.class);
    handlers.put(Endpoint.LIST_AUDIT, this::list);
    handlers.put(Endpoint.VERIFY_AUDIT, call -> onSuccess(trail.verify(call.tenant().id()), verification -> {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("valid", verification.valid());
      body.put("entries", verification.entries());
      if (!verification.valid()) body.put("firstBrokenSeq", verification.firstBrokenSeq());
      return complete(Json.response(StatusCodes.OK, body));
    }));
    return handlers;
  }

  private Route list(ApiRouter.Call call) {
    return parameterMap(parameters -> {
      Instant from = instant(parameters, "from");
      Instant to = instant(parameters, "to");
      if (from != null && to != null && !from.isBefore(to)) throw new InvalidInput("to", "to must be after from");
      long after = whole(parameters, "after", 0, Long.MAX_VALUE, 0);
      int limit = (int) whole(parameters, "limit", 1, MAX_LIMIT, 100);
      String action = text(parameters, "action");
      String subject = text(parameters, "subject");
      return onSuccess(trail.list(call.tenant().id(), from, to, action, subject, after, limit), entries -> {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("items", entries);
        body.put("nextAfter", entries.size() == limit ? entries.get(entries.size() - 1).seq() : null);
        return complete(Json.response(StatusCodes.OK, body));
      });
    });
  }

  /** An optional ISO-8601 instant query parameter (also read by the cold recovery figures). */
  static Instant instant(Map<String, String> parameters, String name) {
    String raw = parameters.get(name);
    if (raw == null || raw.isBlank()) return null;
    try {
      return Instant.parse(raw.trim());
    } catch (DateTimeParseException e) {
      throw new InvalidInput(name, name + " must be an ISO-8601 instant such as 2026-11-01T00:00:00Z");
    }
  }

  private static long whole(Map<String, String> parameters, String name, long min, long max, long fallback) {
    String raw = parameters.get(name);
    if (raw == null || raw.isBlank()) return fallback;
    try {
      long value = Long.parseLong(raw.trim());
      if (value < min || value > max) throw new InvalidInput(name, name + " must be between " + min + " and " + max);
      return value;
    } catch (NumberFormatException e) {
      throw new InvalidInput(name, name + " must be a whole number");
    }
  }

  private static String text(Map<String, String> parameters, String name) {
    String raw = parameters.get(name);
    if (raw == null || raw.isBlank()) return null;
    if (raw.length() > 200) throw new InvalidInput(name, name + " must be at most 200 characters");
    return raw.trim();
  }

}
