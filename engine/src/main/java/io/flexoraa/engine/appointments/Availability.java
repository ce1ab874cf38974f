package io.flexoraa.engine.appointments;

import io.flexoraa.engine.routing.WorkingHours;
import io.flexoraa.engine.routing.WorkingHours.Interval;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * An SDR's free slots, pure: their working hours over [now + lead time, now + horizon), minus their bookings (each
 * widened by the buffer) and minus their calendar's busy times. Slots start on the granularity counted from local
 * midnight, so a 30-minute grid gives 09:00, 09:30... in the SDR's own zone.
 */
public final class Availability {
  private Availability() {}

  public static List<Interval> freeSlots(
      WorkingHours hours, List<Interval> booked, List<Interval> busy, Instant now, AppointmentSettings settings) {
    return freeSlots(hours, booked, busy, now, settings.slotLength(), settings);
  }

  public static List<Interval> freeSlots(WorkingHours hours, List<Interval> booked, List<Interval> busy, Instant now,
      Duration length, AppointmentSettings settings) {
    Instant from = now.plus(settings.leadTime());
    Instant to = now.plus(settings.horizon());
    List<Interval> taken = new ArrayList<>(busy);
    for (Interval booking : booked) taken.add(widened(booking, settings.buffer()));
    List<Interval> free = new ArrayList<>();
    for (Interval opening : hours.openings(from, to)) {
      for (Instant start = alignUp(opening.start(), hours.zone(), settings.granularity());
          !start.plus(length).isAfter(opening.end());
          start = start.plus(settings.granularity())) {
        Interval slot = new Interval(start, start.plus(length));
        if (taken.stream().noneMatch(slot::overlaps)) free.add(slot);
      }
    }
    return free;
  }

  /**
   * The slots to offer: the earliest free slot of each of the first {@code count} days that have one, so the lead
   * gets a real choice of days; filled with the next earliest slots when fewer days are free. Time order.
   */
  public static List<Interval> offer(List<Interval> free, ZoneId zone, int count) {
    List<Interval> chosen = new ArrayList<>();
    Set<LocalDate> days = new HashSet<>();
    for (Interval slot : free) {
      if (chosen.size() == count) break;
      if (days.add(slot.start().atZone(zone).toLocalDate())) chosen.add(slot);
    }
    for (Interval slot : free) {
      if (chosen.size() == count) break;
      if (!chosen.contains(slot)) chosen.add(slot);
    }
    chosen.sort((a, b) -> a.start().compareTo(b.start()));
    return chosen;
  }

  /** Whether a meeting of [start, end) lies inside one working stretch of {@code hours}. */
  public static boolean withinHours(WorkingHours hours, Interval meeting) {
    return hours.openings(meeting.start(), meeting.end()).stream()
        .anyMatch(opening -> opening.start().equals(meeting.start()) && opening.end().equals(meeting.end()));
  }

  static Interval widened(Interval interval, Duration buffer) {
    if (buffer.isZero()) return interval;
    return new Interval(interval.start().minus(buffer), interval.end().plus(buffer));
  }

  private static Instant alignUp(Instant at, ZoneId zone, Duration granularity) {
    ZonedDateTime local = at.atZone(zone);
    ZonedDateTime midnight = local.toLocalDate().atStartOfDay(zone);
    long step = granularity.toSeconds();
    long since = Duration.between(midnight, local).toSeconds();
    long aligned = ((since + step - 1) / step) * step;
    return midnight.plusSeconds(aligned).toInstant();
  }
}
