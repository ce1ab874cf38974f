package io.flexoraa.engine.routing;

import io.flexoraa.engine.CborSerializable;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * An SDR's weekly working hours in their own time zone: the same {@code start}–{@code end} on each of {@code days}
 * ({@code end} after {@code start}; no shift crosses midnight). Routing asks {@link #isOpenAt}; appointments ask
 * {@link #openings} for the bookable stretches of a period.
 */
public record WorkingHours(Set<DayOfWeek> days, LocalTime start, LocalTime end, ZoneId zone)
    implements CborSerializable {

  public WorkingHours {
    Objects.requireNonNull(zone, "zone");
    days = Set.copyOf(days);
    if (days.isEmpty()) throw new IllegalArgumentException("working hours need at least one day");
    if (!end.isAfter(start)) throw new IllegalArgumentException("working hours must end after they start");
  }

  /** Monday to Friday, 09:00–18:00 in {@code zone}. */
  public static WorkingHours weekdays(ZoneId zone) {
    return new WorkingHours(
        Set.of(DayOfWeek.MONDAY, DayOfWeek.TUESDAY, DayOfWeek.WEDNESDAY, DayOfWeek.THURSDAY, DayOfWeek.FRIDAY),
        LocalTime.of(9, 0), LocalTime.of(18, 0), zone);
  }

  /** Whether {@code at} falls inside a working stretch (start inclusive, end exclusive). */
  public boolean isOpenAt(Instant at) {
    ZonedDateTime local = at.atZone(zone);
    if (!days.contains(local.getDayOfWeek())) return false;
    LocalTime time = local.toLocalTime();
    return !time.isBefore(start) && time.isBefore(end);
  }

  /** The working stretches that overlap [{@code from}, {@code to}), clipped to it, earliest first. */
  public List<Interval> openings(Instant from, Instant to) {
    List<Interval> out = new ArrayList<>();
    if (!to.isAfter(from)) return out;
    LocalDate day = from.atZone(zone).toLocalDate().minusDays(1);
    LocalDate last = to.atZone(zone).toLocalDate();
    for (; !day.isAfter(last); day = day.plusDays(1)) {
      if (!days.contains(day.getDayOfWeek())) continue;
      Instant open = day.atTime(start).atZone(zone).toInstant();
      Instant close = day.atTime(end).atZone(zone).toInstant();
      Instant a = open.isBefore(from) ? from : open;
      Instant b = close.isAfter(to) ? to : close;
      if (b.isAfter(a)) out.add(new Interval(a, b));
    }
    return out;
  }

  /** A half-open stretch of time [{@code start}, {@code end}). */
  public record Interval(Instant start, Instant end) implements CborSerializable {
    public Interval {
      if (!end.isAfter(start)) throw new IllegalArgumentException("an interval must end after it starts");
    }

    public boolean overlaps(Interval other) {
      return start.isBefore(other.end) && other.start.isBefore(end);
    }
  }
}
