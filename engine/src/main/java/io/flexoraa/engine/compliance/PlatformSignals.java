package io.flexoraa.engine.compliance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads what Meta's account-level webhooks mean for the gate (the corpus under test resources shows each shape):
 * template status, category and quality; the number's quality rating, messaging limit and throughput; account
 * restrictions, bans and their lifting. Anything else means nothing to the gate and is only recorded.
 */
public final class PlatformSignals {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private PlatformSignals() {}

  public sealed interface Signal {}

  /** Null fields are unchanged. */
  public record TemplateSignal(String name, String language, String status, String category, String quality)
      implements Signal {}

  /** {@code displayPhoneNumber}: the number it concerns (digits), when Meta names one. */
  public record QualitySignal(String event, String quality, Integer tierLimit, String displayPhoneNumber)
      implements Signal {}

  public record SuspensionSignal(boolean suspend, String reason) implements Signal {}

  public static List<Signal> interpret(String field, String valueJson) {
    JsonNode value;
    try {
      value = MAPPER.readTree(valueJson);
    } catch (Exception unreadable) {
      return List.of();
    }
    if (value == null || !value.isObject()) return List.of();
    return switch (field) {
      case "message_template_status_update", "message_template_quality_update", "template_category_update" ->
          template(value).map(List::<Signal>of).orElse(List.of());
      case "phone_number_quality_update" -> List.of(quality(value));
      case "account_update" -> suspension(value).map(List::<Signal>of).orElse(List.of());
      default -> List.of();
    };
  }

  private static Optional<Signal> template(JsonNode value) {
    String name = text(value, "message_template_name");
    String language = text(value, "message_template_language");
    if (name == null || language == null) return Optional.empty();
    String status = upper(text(value, "event"));
    // a category change Meta announced but has not made yet names the correct category: the stricter reading wins
    String category = upper(firstText(value, "correct_category", "new_category", "message_template_category"));
    String quality = upper(text(value, "new_quality_score"));
    if (quality != null && quality.equals("UNKNOWN")) quality = null;
    if (status == null && category == null && quality == null) return Optional.empty();
    return Optional.of(new TemplateSignal(name, AccountCompliance.languageKey(language), status, category, quality));
  }

  private static Signal quality(JsonNode value) {
    String event = upper(text(value, "event"));
    String quality = upper(firstText(value, "quality_rating", "current_quality_rating", "new_quality_score"));
    if (quality == null && event != null) {
      // Meta flags a number when its quality rating falls to low (red), and unflags it when it recovers
      if (event.equals("FLAGGED")) quality = "RED";
      if (event.equals("UNFLAGGED")) quality = "GREEN";
    }
    if (quality != null && !List.of("GREEN", "YELLOW", "RED").contains(quality)) {
      quality = switch (quality) {
        case "HIGH" -> "GREEN";
        case "MEDIUM" -> "YELLOW";
        case "LOW" -> "RED";
        default -> null;
      };
    }
    Integer tier = null;
    // THROUGHPUT_UPGRADE's current_limit is the number's throughput level, not the portfolio's messaging limit
    if (!"THROUGHPUT_UPGRADE".equals(event)) {
      tier = tier(firstText(value, "max_daily_conversations_per_business", "current_limit"));
    }
    String display = text(value, "display_phone_number");
    return new QualitySignal(event, quality, tier, display == null ? null : display.replaceAll("\\D", ""));
  }

  /** Meta's limit names (TIER_250, TIER_2K, TIER_UNLIMITED, or a bare number) as a count; null when unknown. */
  static Integer tier(String limit) {
    if (limit == null) return null;
    String value = limit.trim().toUpperCase(Locale.ROOT).replace("TIER_", "");
    if (value.equals("UNLIMITED")) return ComplianceSettings.UNLIMITED;
    int multiplier = 1;
    if (value.endsWith("K")) {
      multiplier = 1_000;
      value = value.substring(0, value.length() - 1);
    }
    try {
      return Integer.parseInt(value) * multiplier;
    } catch (NumberFormatException notATier) {
      return null;
    }
  }

  /**
   * Restrictions of messaging, bans, violations, off-boarding and deletion suspend the account; a reinstatement, a
   * reconnection or a restriction update without messaging restrictions lifts it. A scheduled ban is only a warning.
   */
  private static Optional<Signal> suspension(JsonNode value) {
    String event = upper(text(value, "event"));
    if (event == null) return Optional.empty();
    switch (event) {
      case "DISABLED_UPDATE": {
        String state = upper(text(value.path("ban_info"), "waba_ban_state"));
        if ("REINSTATE".equals(state)) return Optional.of(new SuspensionSignal(false, "reinstated"));
        if ("DISABLE".equals(state)) return Optional.of(new SuspensionSignal(true, "account disabled (ban)"));
        return Optional.empty();
      }
      case "ACCOUNT_RESTRICTION": {
        List<String> messaging = new ArrayList<>();
        for (JsonNode restriction : value.path("restriction_info")) {
          String type = upper(text(restriction, "restriction_type"));
          if (type != null && type.contains("MESSAGING")) messaging.add(type);
        }
        return Optional.of(messaging.isEmpty()
            ? new SuspensionSignal(false, "messaging restriction lifted")
            : new SuspensionSignal(true, "restricted: " + String.join(", ", messaging)));
      }
      case "ACCOUNT_VIOLATION": {
        String type = text(value.path("violation_info"), "violation_type");
        return Optional.of(new SuspensionSignal(true, "policy violation" + (type == null ? "" : ": " + type)));
      }
      case "ACCOUNT_OFFBOARDED":
        return Optional.of(new SuspensionSignal(true, "account offboarded"));
      case "ACCOUNT_DELETED":
        return Optional.of(new SuspensionSignal(true, "account deleted"));
      case "ACCOUNT_RECONNECTED":
        return Optional.of(new SuspensionSignal(false, "account reconnected"));
      default:
        return Optional.empty();
    }
  }

  private static String firstText(JsonNode value, String... fields) {
    for (String field : fields) {
      String text = text(value, field);
      if (text != null) return text;
    }
    return null;
  }

  private static String text(JsonNode value, String field) {
    JsonNode node = value.get(field);
    return node == null || node.isNull() || node.isContainerNode() ? null : node.asText();
  }

  private static String upper(String text) {
    return text == null || text.isBlank() ? null : text.trim().toUpperCase(Locale.ROOT);
  }
}
