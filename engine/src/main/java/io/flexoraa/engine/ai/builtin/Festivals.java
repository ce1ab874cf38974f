package io.flexoraa.engine.ai.builtin;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.chrono.HijrahChronology;
import java.time.chrono.HijrahDate;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The dates of the festivals leads time purchases by. Diwali, Dhanteras, Holi and Chinese New Year follow lunisolar
 * calendars the JDK does not have, so they are listed in {@code flexoraa.ai.builtin.festivals}; Ramadan and the two
 * Eids come from the JDK's Umm al-Qura calendar ({@link HijrahChronology}) unless listed there too (local moon
 * sighting can move them a day, which never changes a timeline band); Christmas and New Year are fixed.
 *
 * @param listed festival name → its dates, as configured
 */
public record Festivals(Map<String, List<LocalDate>> listed) {
  public static final String DIWALI = "diwali";
  public static final String DHANTERAS = "dhanteras";
  public static final String HOLI = "holi";
  public static final String CHINESE_NEW_YEAR = "chinese-new-year";
  public static final String CHRISTMAS = "christmas";
  public static final String NEW_YEAR = "new-year";
  public static final String RAMADAN = "ramadan";
  public static final String EID_AL_FITR = "eid-al-fitr";
  public static final String EID_AL_ADHA = "eid-al-adha";

  public Festivals {
    Map<String, List<LocalDate>> copy = new TreeMap<>();
    listed.forEach((name, dates) -> copy.put(name, dates.stream().sorted().toList()));
    listed = Map.copyOf(copy);
  }

  private static final class Defaults {
    static final Festivals INSTANCE = fromConfig(ConfigFactory.defaultReference());
  }

  /** The dates in the engine's reference.conf. */
  public static Festivals defaults() {
    return Defaults.INSTANCE;
  }

  public static Festivals fromConfig(Config config) {
    String path = "flexoraa.ai.builtin.festivals";
    Map<String, List<LocalDate>> listed = new TreeMap<>();
    if (config.hasPath(path)) {
      Config festivals = config.getConfig(path);
      for (String name : festivals.root().keySet()) {
        listed.put(name, festivals.getStringList(name).stream().map(LocalDate::parse).toList());
      }
    }
    return new Festivals(listed);
  }

  /** The first day of the festival on or after {@code today}; for Ramadan, the Ramadan that has not ended yet. */
  public Optional<LocalDate> next(String festival, LocalDate today) {
    if (festival.equals(RAMADAN)) {
      // during Ramadan, "Ramadan" is now: the start of the Ramadan whose Eid is still ahead
      return next(EID_AL_FITR, today).flatMap(eid -> java.util.stream.Stream.concat(
              dates(RAMADAN, eid.getYear() - 1).stream(), dates(RAMADAN, eid.getYear()).stream())
          .filter(start -> start.isBefore(eid)).reduce((a, b) -> b));
    }
    List<LocalDate> configured = listed.get(festival);
    if (configured != null) return configured.stream().filter(d -> !d.isBefore(today)).findFirst();
    for (int year = today.getYear(); year <= today.getYear() + 2; year++) {
      for (LocalDate date : dates(festival, year)) {
        if (!date.isBefore(today)) return Optional.of(date);
      }
    }
    return Optional.empty();
  }

  /** The day after the festival is over: Eid al-Fitr for Ramadan, the day after for the rest. */
  public Optional<LocalDate> after(String festival, LocalDate today) {
    if (festival.equals(RAMADAN)) return next(EID_AL_FITR, today);
    return next(festival, today).map(d -> d.plusDays(1));
  }

  private List<LocalDate> dates(String festival, int year) {
    List<LocalDate> configured = listed.get(festival);
    if (configured != null) return configured.stream().filter(d -> d.getYear() == year).toList();
    return switch (festival) {
      case CHRISTMAS -> List.of(LocalDate.of(year, 12, 25));
      case NEW_YEAR -> List.of(LocalDate.of(year, 1, 1));
      case RAMADAN -> hijri(year, 9, 1);
      case EID_AL_FITR -> hijri(year, 10, 1);
      case EID_AL_ADHA -> hijri(year, 12, 10);
      default -> List.of();
    };
  }

  /** The Gregorian dates in {@code year} of a Hijri month and day (a Hijri year is 11 days shorter: up to two). */
  private static List<LocalDate> hijri(int year, int month, int day) {
    List<LocalDate> found = new ArrayList<>();
    try {
      int hijriYear = HijrahDate.from(LocalDate.of(year, 1, 1)).get(ChronoField.YEAR);
      for (int y = hijriYear; y <= hijriYear + 1; y++) {
        LocalDate date = LocalDate.from(HijrahChronology.INSTANCE.date(y, month, day));
        if (date.getYear() == year) found.add(date);
      }
    } catch (DateTimeException outsideTheCalendar) {
      // the Umm al-Qura tables end in 1600 AH (2174): no date rather than a wrong one
    }
    return found;
  }
}
