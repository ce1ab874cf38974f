package io.flexoraa.http.meta;

import com.fasterxml.jackson.databind.JsonNode;
import io.flexoraa.engine.ports.MetaSender.Outcome;
import java.util.Set;

/**
 * What an error answer of the Graph API means for the engine: its {@link Outcome}, and whether the same request may
 * simply be sent again. Meta's error object is {@code {"error": {"code", "error_subcode", "message", "error_data":
 * {"details"}}}}; the code decides, the HTTP status only when there is no code the engine knows. Every error answer
 * is a refusal (Meta did not take the message), which is what makes retrying one safe.
 */
final class GraphErrors {
  /** Throughput limits: Cloud API 130429 and 80007, Graph API 4 (application), 17 (user), 32 (Page), 613. */
  private static final Set<Integer> RATE_LIMITS = Set.of(130429, 80007, 4, 17, 32, 613);
  /**
   * Meta-side failures worth another try: 1 (unknown), 2 (temporary, service), 1200 (Messenger: temporary send
   * failure), 131000 (something went wrong), 131016 (service unavailable), 133004 (server temporarily unavailable).
   */
  private static final Set<Integer> TEMPORARY = Set.of(1, 2, 1200, 131000, 131016, 133004);
  /**
   * The token is invalid, expired or lacks a permission: 190 (invalid / expired token), 102 (session), 10 and
   * 200-299 (permission), 2500 (no active token), 131005 (access denied), 0 (WhatsApp: authentication failed).
   * Retrying cannot help; the tenant must reconnect the account.
   */
  private static final Set<Integer> AUTHORIZATION = Set.of(190, 102, 10, 2500, 131005, 0);
  /** Messenger and Instagram answer code 10 with these subcodes when the customer-service window is closed. */
  private static final Set<Integer> OUTSIDE_WINDOW_SUBCODES = Set.of(2018278, 2018065, 2534022);
  /** Messenger: "no matching user found". */
  private static final int NO_MATCHING_USER_SUBCODE = 2018001;
  /** Messenger: the minimum delay between two marketing messages to one person. */
  private static final int MARKETING_FREQUENCY_SUBCODE = 2018354;
  private static final int DETAIL_LIMIT = 300;

  private GraphErrors() {}

  /** What one error answer means; {@code errorCode} is Meta's code, null when the answer had none. */
  record Verdict(Outcome outcome, boolean retry, Integer errorCode, String detail) {}

  static Verdict of(int status, JsonNode answer) {
    JsonNode error = answer == null ? null : answer.path("error");
    Integer code = error != null && error.path("code").canConvertToInt() ? error.path("code").asInt() : null;
    Integer subcode = error != null && error.path("error_subcode").canConvertToInt()
        ? error.path("error_subcode").asInt() : null;
    String detail = detail(status, code, error);
    if (code != null) {
      Outcome known = byCode(code, subcode);
      if (known != null) {
        boolean retry = known == Outcome.RATE_LIMITED || known == Outcome.SERVER_ERROR;
        return new Verdict(known, retry, code, detail);
      }
    }
    if (status == 429) return new Verdict(Outcome.RATE_LIMITED, true, code, detail);
    if (status >= 500) return new Verdict(Outcome.SERVER_ERROR, true, code, detail);
    if (code == null && (status == 401 || status == 403)) return new Verdict(Outcome.TOKEN_INVALID, false, null, detail);
    return new Verdict(Outcome.REJECTED, false, code, detail);
  }

  private static Outcome byCode(int code, Integer subcode) {
    switch (code) {
      case 131047:
        return Outcome.WINDOW_CLOSED;
      case 131049:
        return Outcome.USER_BACKOFF;
      case 131056:
        return Outcome.PAIR_RATE;
      case 131026:
      case 551:
        return Outcome.UNDELIVERABLE;
      default:
        break;
    }
    if (code == 10 && subcode != null && OUTSIDE_WINDOW_SUBCODES.contains(subcode)) return Outcome.WINDOW_CLOSED;
    if (code == 100 && subcode != null && subcode == NO_MATCHING_USER_SUBCODE) return Outcome.UNDELIVERABLE;
    if (code == 4 && subcode != null && subcode == MARKETING_FREQUENCY_SUBCODE) return Outcome.USER_BACKOFF;
    if (RATE_LIMITS.contains(code)) return Outcome.RATE_LIMITED;
    if (TEMPORARY.contains(code)) return Outcome.SERVER_ERROR;
    if (AUTHORIZATION.contains(code) || code >= 200 && code <= 299) return Outcome.TOKEN_INVALID;
    return null;
  }

  /** Meta's own words (they name fields and rules, not people), bounded, for the caller's record. */
  private static String detail(int status, Integer code, JsonNode error) {
    StringBuilder text = new StringBuilder("HTTP ").append(status);
    if (code != null) text.append(", code ").append(code);
    if (error != null && error.path("message").isTextual()) text.append(": ").append(error.path("message").asText());
    if (error != null && error.path("error_data").path("details").isTextual()) {
      text.append(" (").append(error.path("error_data").path("details").asText()).append(')');
    }
    return text.length() > DETAIL_LIMIT ? text.substring(0, DETAIL_LIMIT) : text.toString();
  }
}
