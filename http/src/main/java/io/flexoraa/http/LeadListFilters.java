package io.flexoraa.http;

import io.flexoraa.engine.lead.LeadModel;
import io.flexoraa.http.Problems.InvalidInput;
import io.flexoraa.persistence.readmodel.LeadQueries.Filter;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The leads list's narrowing query parameters (the board's filters: {@code channel}, {@code assignedTo},
 * {@code source}, {@code language}, {@code band}), validated so a bad value is a 400 naming the parameter rather
 * than an empty page. The phone filter becomes its blind index in the route, which holds the cipher.
 */
final class LeadListFilters {
  static final Set<String> CHANNELS = Set.of("whatsapp", "instagram", "messenger", LeadModel.API_CHANNEL);
  static final Set<String> BANDS = Set.of("HOT", "WARM", "COLD", Filter.UNSCORED);
  private static final Pattern LANGUAGE = Pattern.compile("[a-z]{2,3}(-[A-Za-z]{2,4})?");
  private static final Pattern USER_ID = Pattern.compile("[A-Za-z0-9_.:@-]{1,64}");
  private static final int MAX_SOURCE = 200;

  private LeadListFilters() {}

  static Filter parse(Map<String, String> parameters) {
    String channel = value(parameters, "channel");
    if (channel != null && !CHANNELS.contains(channel)) {
      throw new InvalidInput("channel", "channel must be one of " + new java.util.TreeSet<>(CHANNELS));
    }
    String band = Optional.ofNullable(value(parameters, "band")).map(b -> b.toUpperCase(Locale.ROOT)).orElse(null);
    if (band != null && !BANDS.contains(band)) {
      throw new InvalidInput("band", "band must be HOT, WARM, COLD or NONE (not scored yet)");
    }
    String language = Optional.ofNullable(value(parameters, "language")).map(l -> l.toLowerCase(Locale.ROOT))
        .orElse(null);
    if (language != null && !LANGUAGE.matcher(language).matches()) {
      throw new InvalidInput("language", "language must be a language code such as en, hi or ar");
    }
    String assignedTo = value(parameters, "assignedTo");
    if (assignedTo != null && !USER_ID.matcher(assignedTo).matches()) {
      throw new InvalidInput("assignedTo", "assignedTo must be a user id, or none for leads nobody holds");
    }
    String source = value(parameters, "source");
    if (source != null && source.length() > MAX_SOURCE) {
      throw new InvalidInput("source", "source must be at most " + MAX_SOURCE + " characters");
    }
    return new Filter(Optional.empty(), channel, assignedTo, source, language, band);
  }

  /** The parameter's value, or null when absent; present but blank is invalid (a filter form's empty choice is omitted). */
  private static String value(Map<String, String> parameters, String name) {
    String value = parameters.get(name);
    if (value == null) return null;
    if (value.isBlank()) throw new InvalidInput(name, name + " must not be empty (leave it out to not filter)");
    return value.trim();
  }
}
