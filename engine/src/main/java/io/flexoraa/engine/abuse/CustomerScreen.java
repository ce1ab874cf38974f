package io.flexoraa.engine.abuse;

import com.typesafe.config.Config;
import io.flexoraa.engine.CborSerializable;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Abusive traffic from one customer (PRODUCT §7): it is stored like any message but costs no AI tokens, because its
 * AI work never starts. Pure and deterministic: the lead decides with the {@link History} of its own inbound
 * messages, which it rebuilds from its events, so a replay screens exactly as the live entity did.
 *
 * <ul>
 *   <li>{@link Reason#DAILY_CAP}: more than {@code dailyCap} messages on one UTC day (default 50);
 *   <li>{@link Reason#RAPID_FIRE}: more than {@code rapidFireMessages} messages within {@code rapidFireWindow}
 *       (default 5 in 10 s) — the 6th and later;
 *   <li>{@link Reason#REPETITION}: the same text the {@code repetitionTimes}-th time or later within
 *       {@code repetitionWindow} (default 3rd within 24 h), compared by a keyed digest of the normalized text;
 *   <li>{@link Reason#GIBBERISH}: keyboard-mashed text, as intake judged it (the lead never sees plain text).
 * </ul>
 *
 * Every message counts towards the history, screened or not: a customer who keeps firing stays screened.
 */
public final class CustomerScreen {
  private CustomerScreen() {}

  /** How much history a lead keeps: enough for any window up to {@link #HORIZON} at the daily cap. */
  public static final Duration HORIZON = Duration.ofHours(24);

  static final int HISTORY_LIMIT = 256;

  public enum Reason {
    DAILY_CAP,
    RAPID_FIRE,
    REPETITION,
    GIBBERISH;

    /** The name in events, the API and metrics: {@code daily-cap}, {@code rapid-fire}... */
    public String wireName() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  /** From {@code flexoraa.abuse.customer}. */
  public record Settings(
      int dailyCap, int rapidFireMessages, Duration rapidFireWindow, int repetitionTimes, Duration repetitionWindow,
      boolean screenGibberish) {

    public static final Settings DEFAULTS =
        new Settings(50, 5, Duration.ofSeconds(10), 3, Duration.ofHours(24), true);

    public Settings {
      if (dailyCap < 1 || rapidFireMessages < 1 || repetitionTimes < 2) {
        throw new IllegalArgumentException("daily-cap and rapid-fire.messages must be at least 1, repetition.times 2");
      }
      if (rapidFireWindow.compareTo(HORIZON) > 0 || repetitionWindow.compareTo(HORIZON) > 0) {
        throw new IllegalArgumentException("abuse windows may be at most " + HORIZON);
      }
    }

    public static Settings fromConfig(Config config) {
      Config customer = config.getConfig("flexoraa.abuse.customer");
      return new Settings(
          customer.getInt("daily-cap"),
          customer.getInt("rapid-fire.messages"),
          customer.getDuration("rapid-fire.within"),
          customer.getInt("repetition.times"),
          customer.getDuration("repetition.within"),
          customer.getBoolean("gibberish"));
    }
  }

  /** One inbound message as the screen remembers it: when, and the digest of its text (null without text). */
  public record Seen(Instant at, String digest) implements CborSerializable {}

  /**
   * A lead's recent inbound messages (at most {@link #HORIZON} before the latest, at most {@value #HISTORY_LIMIT})
   * and its count for the latest UTC day.
   */
  public record History(List<Seen> recent, LocalDate day, int dayCount) implements CborSerializable {
    public static final History EMPTY = new History(List.of(), null, 0);

    public History {
      recent = recent == null ? List.of() : List.copyOf(recent);
    }

    /** Why a message at {@code at} must not start AI work, or empty when it may. */
    public Optional<Reason> screen(Instant at, String digest, boolean gibberish, Settings settings) {
      LocalDate messageDay = dayOf(at);
      int sameDay = messageDay.equals(day) ? dayCount : 0;
      if (sameDay + 1 > settings.dailyCap()) return Optional.of(Reason.DAILY_CAP);
      Instant rapidFrom = at.minus(settings.rapidFireWindow());
      long rapid = recent.stream().filter(seen -> within(seen.at(), rapidFrom, at)).count();
      if (rapid + 1 > settings.rapidFireMessages()) return Optional.of(Reason.RAPID_FIRE);
      if (digest != null) {
        Instant repeatFrom = at.minus(settings.repetitionWindow());
        long repeats = recent.stream()
            .filter(seen -> digest.equals(seen.digest()) && within(seen.at(), repeatFrom, at))
            .count();
        if (repeats + 1 >= settings.repetitionTimes()) return Optional.of(Reason.REPETITION);
      }
      if (gibberish && settings.screenGibberish()) return Optional.of(Reason.GIBBERISH);
      return Optional.empty();
    }

    /** This history with one more message; a late message from an earlier day does not count towards today. */
    public History record(Instant at, String digest) {
      List<Seen> kept = new ArrayList<>(recent);
      kept.add(new Seen(at, digest));
      kept.sort(Comparator.comparing(Seen::at));
      Instant latest = kept.get(kept.size() - 1).at();
      Instant horizon = latest.minus(HORIZON);
      kept.removeIf(seen -> seen.at().isBefore(horizon));
      while (kept.size() > HISTORY_LIMIT) kept.remove(0);
      LocalDate messageDay = dayOf(at);
      if (day == null || messageDay.isAfter(day)) return new History(kept, messageDay, 1);
      return new History(kept, day, messageDay.equals(day) ? dayCount + 1 : dayCount);
    }

    /** In the window ending at {@code to}: after {@code from}, not after {@code to}. */
    private static boolean within(Instant seen, Instant from, Instant to) {
      return seen.isAfter(from) && !seen.isAfter(to);
    }
  }

  static LocalDate dayOf(Instant at) {
    return LocalDate.ofInstant(at, ZoneOffset.UTC);
  }
}
