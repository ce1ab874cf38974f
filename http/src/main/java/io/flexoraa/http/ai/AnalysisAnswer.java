package io.flexoraa.http.ai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.core.JsonValue;
import com.openai.models.ResponseFormatJsonSchema;
import io.flexoraa.engine.ai.Analysis;
import io.flexoraa.engine.ai.AnalysisRequest;
import io.flexoraa.engine.ai.Budget;
import io.flexoraa.engine.ai.MalformedAnswer;
import io.flexoraa.engine.ai.builtin.UsdRates;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The extraction's contract with the model: a strict JSON schema whose enums are {@link Analysis}'s own lists, and
 * the reading of an answer into an {@link Analysis}. The model reports what the text says; the arithmetic is ours
 * (USD at {@code flexoraa.ai.builtin.usd-rates}, the bucket by {@link Budget#bucketOf}, high risk and escalation
 * derived by {@link Analysis#escalateReasons}). Anything the schema forbids, or a budget text the message does not
 * contain, is a {@link MalformedAnswer}: strict mode makes it rare, but a stub, a proxy or a new model can break it.
 */
final class AnalysisAnswer {
  private static final Logger log = LoggerFactory.getLogger(AnalysisAnswer.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  static final List<String> PERIODS = List.of("total", "monthly", "yearly", "per_person", "per_unit");
  private static final Set<String> ISO_LANGUAGES = Set.of(Locale.getISOLanguages());
  private static final List<String> FIELDS = List.of("language", "is_hinglish", "intent", "category", "tone", "budget",
      "timeline", "authority", "objections", "buying_signals", "competitors", "high_risk_types", "confidence");

  static final ResponseFormatJsonSchema RESPONSE_FORMAT = ResponseFormatJsonSchema.builder()
      .jsonSchema(ResponseFormatJsonSchema.JsonSchema.builder()
          .name("lead_message_analysis")
          .description("What one inbound sales-lead message says")
          .strict(true)
          .schema(ResponseFormatJsonSchema.JsonSchema.Schema.builder()
              .putAllAdditionalProperties(schema())
              .build())
          .build())
      .build();

  private AnalysisAnswer() {}

  private static Map<String, JsonValue> schema() {
    Map<String, Object> properties = new LinkedHashMap<>();
    properties.put("language", Map.of("type", "string", "description", "ISO 639-1 code"));
    properties.put("is_hinglish", Map.of("type", "boolean"));
    properties.put("intent", oneOf(Analysis.INTENTS));
    properties.put("category", oneOf(Analysis.CATEGORIES));
    properties.put("tone", oneOf(Analysis.TONES));
    properties.put("budget", Map.of("anyOf", List.of(object(Map.of(
        "amount", Map.of("type", "number"),
        "currency", Map.of("type", "string", "description", "ISO 4217 code"),
        "period", oneOf(PERIODS),
        "text", Map.of("type", "string", "description", "the exact substring of the message stating the budget"))),
        Map.of("type", "null"))));
    properties.put("timeline", oneOfOrNull(Analysis.TIMELINES));
    properties.put("authority", oneOfOrNull(Analysis.AUTHORITIES));
    properties.put("objections", listOf(oneOf(Analysis.OBJECTIONS)));
    properties.put("buying_signals", listOf(oneOf(Analysis.BUYING_SIGNALS)));
    properties.put("competitors", listOf(Map.of("type", "string")));
    properties.put("high_risk_types", listOf(oneOf(Analysis.HIGH_RISK_TYPES)));
    properties.put("confidence", Map.of("type", "number", "description", "0 to 1"));
    Map<String, JsonValue> root = new LinkedHashMap<>();
    object(properties).forEach((key, value) -> root.put(key, JsonValue.from(value)));
    return root;
  }

  private static Map<String, Object> object(Map<String, Object> properties) {
    return Map.of("type", "object", "properties", properties, "required", List.copyOf(properties.keySet()),
        "additionalProperties", false);
  }

  private static Map<String, Object> oneOf(List<String> values) {
    return Map.of("type", "string", "enum", values);
  }

  private static Map<String, Object> oneOfOrNull(List<String> values) {
    List<Object> allowed = new ArrayList<>(values);
    allowed.add(null);
    return Map.of("type", Arrays.asList("string", "null"), "enum", allowed);
  }

  private static Map<String, Object> listOf(Map<String, Object> item) {
    return Map.of("type", "array", "items", item);
  }

  /** The model's answer as an analysis, or a {@link MalformedAnswer} saying what was wrong (never the lead's text). */
  static Analysis read(String content, AnalysisRequest request, UsdRates rates, String model) {
    JsonNode answer;
    try {
      answer = JSON.readTree(content);
    } catch (Exception notJson) {
      throw new MalformedAnswer("the analysis is not JSON");
    }
    if (answer == null || !answer.isObject()) throw new MalformedAnswer("the analysis is not a JSON object");
    for (String field : FIELDS) {
      if (!answer.has(field)) throw new MalformedAnswer("the analysis has no " + field);
    }
    String language = text(answer, "language").toLowerCase(Locale.ROOT);
    if (!ISO_LANGUAGES.contains(language) || language.length() != 2) {
      throw new MalformedAnswer("language is not an ISO 639-1 code");
    }
    boolean hinglish = bool(answer, "is_hinglish");
    // the convention: Hinglish is Hindi, whatever the model put beside the flag
    if (hinglish) language = "hi";
    String intent = member(answer, "intent", Analysis.INTENTS);
    String category = member(answer, "category", Analysis.CATEGORIES);
    String tone = member(answer, "tone", Analysis.TONES);
    Budget budget = budget(answer.get("budget"), request.text(), rates);
    String timeline = answer.get("timeline").isNull() ? null : member(answer, "timeline", Analysis.TIMELINES);
    String authority = answer.get("authority").isNull() ? null : member(answer, "authority", Analysis.AUTHORITIES);
    List<String> objections = members(answer, "objections", Analysis.OBJECTIONS);
    List<String> buyingSignals = members(answer, "buying_signals", Analysis.BUYING_SIGNALS);
    List<String> competitors = competitors(answer, request);
    List<String> highRiskTypes = members(answer, "high_risk_types", Analysis.HIGH_RISK_TYPES);
    JsonNode confidence = answer.get("confidence");
    if (!confidence.isNumber() || confidence.asDouble() < 0 || confidence.asDouble() > 1) {
      throw new MalformedAnswer("confidence is not a number from 0 to 1");
    }
    List<String> reasons = Analysis.escalateReasons(budget, buyingSignals, highRiskTypes, competitors, objections);
    return new Analysis(language, hinglish, intent, category, tone, budget, timeline, authority, objections,
        buyingSignals, competitors, !highRiskTypes.isEmpty(), highRiskTypes, !reasons.isEmpty(), reasons,
        confidence.asDouble(), Analysis.PROVIDER_OPENAI, model);
  }

  /**
   * The stated budget with our conversion. Its text must be in the message (else the model made it up); a currency
   * without a configured rate leaves the budget unknown, as the built-in engine would, rather than guess a rate.
   */
  private static Budget budget(JsonNode node, String message, UsdRates rates) {
    if (node.isNull()) return null;
    if (!node.isObject()) throw new MalformedAnswer("budget is neither an object nor null");
    for (String field : List.of("amount", "currency", "period", "text")) {
      if (!node.has(field)) throw new MalformedAnswer("budget has no " + field);
    }
    JsonNode amountNode = node.get("amount");
    if (!amountNode.isNumber()) throw new MalformedAnswer("budget.amount is not a number");
    BigDecimal amount = amountNode.decimalValue();
    if (amount.signum() <= 0) throw new MalformedAnswer("budget.amount is not positive");
    String currency = text(node, "currency").toUpperCase(Locale.ROOT);
    String period = member(node, "period", PERIODS);
    String text = text(node, "text");
    if (text.isBlank() || !message.contains(text)) throw new MalformedAnswer("budget.text is not part of the message");
    var perUsd = rates.perUsd(currency);
    if (perUsd.isEmpty()) {
      log.info("The model read a budget in {}, which has no rate in flexoraa.ai.builtin.usd-rates: left unknown", currency);
      return null;
    }
    long usd = amount.divide(perUsd.get(), 0, RoundingMode.HALF_UP).longValueExact();
    return new Budget(amount.stripTrailingZeros(), currency, period, usd, Budget.bucketOf(usd), text);
  }

  /** Only brands the message names (a name the model brought along is dropped), in the tenant's spelling if listed. */
  private static List<String> competitors(JsonNode answer, AnalysisRequest request) {
    JsonNode list = answer.get("competitors");
    if (!list.isArray()) throw new MalformedAnswer("competitors is not a list");
    String message = request.text().toLowerCase(Locale.ROOT);
    Set<String> named = new LinkedHashSet<>();
    for (JsonNode item : list) {
      if (!item.isTextual()) throw new MalformedAnswer("competitors holds a non-string");
      String name = item.asText().strip();
      if (name.isEmpty() || !message.contains(name.toLowerCase(Locale.ROOT))) continue;
      named.add(request.competitors().stream().filter(listed -> listed.equalsIgnoreCase(name)).findFirst().orElse(name));
    }
    return List.copyOf(named);
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual()) throw new MalformedAnswer(field + " is not a string");
    return value.asText();
  }

  private static boolean bool(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || !value.isBoolean()) throw new MalformedAnswer(field + " is not a boolean");
    return value.asBoolean();
  }

  private static String member(JsonNode node, String field, List<String> allowed) {
    String value = text(node, field);
    if (!allowed.contains(value)) throw new MalformedAnswer(field + " is not one of " + allowed);
    return value;
  }

  private static List<String> members(JsonNode node, String field, List<String> allowed) {
    JsonNode list = node.get(field);
    if (!list.isArray()) throw new MalformedAnswer(field + " is not a list");
    Set<String> values = new LinkedHashSet<>();
    for (JsonNode item : list) {
      if (!item.isTextual() || !allowed.contains(item.asText())) {
        throw new MalformedAnswer(field + " holds a value not in " + allowed);
      }
      values.add(item.asText());
    }
    return List.copyOf(values);
  }
}
