package io.flexoraa.http;

import com.typesafe.config.Config;
import io.flexoraa.engine.routing.WorkingHours.Interval;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The approved wording of appointment messages ({@code flexoraa.appointments.wording.<language>}), with times
 * written in the lead's language and the offer's time zone; English when the lead's language has none.
 */
final class AppointmentWording {
  private static final String FALLBACK = "en";
  private final Config wording;

  AppointmentWording(Config appointments) {
    this.wording = appointments.getConfig("wording");
  }

  String text(String language, String key, String time, String slots, String link) {
    String lang = language != null && wording.hasPath(language + "." + key) ? language : FALLBACK;
    return wording.getString(lang + "." + key)
        .replace("{time}", time == null ? "" : time)
        .replace("{slots}", slots == null ? "" : slots)
        .replace("{link}", link == null ? "" : link);
  }

  /** "Tue 3 Mar, 11:00 AM (Asia/Kolkata)". */
  static String time(Instant at, ZoneId zone, String language) {
    Locale locale = Locale.forLanguageTag(language == null ? FALLBACK : language);
    return DateTimeFormatter.ofPattern("EEE d MMM, h:mm a", locale).format(at.atZone(zone)) + " (" + zone.getId() + ")";
  }

  static String slots(List<Interval> slots, ZoneId zone, String language) {
    return slots.stream().map(slot -> time(slot.start(), zone, language)).collect(Collectors.joining("; "));
  }
}
