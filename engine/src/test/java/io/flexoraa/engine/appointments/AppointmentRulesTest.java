package io.flexoraa.engine.appointments;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexoraa.engine.appointments.SdrCalendar.Appointment;
import io.flexoraa.engine.appointments.SdrCalendar.DeliveryKind;
import io.flexoraa.engine.routing.WorkingHours;
import io.flexoraa.engine.routing.WorkingHours.Interval;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Availability, offers, bookings, reschedules, cancellations, delivery plans and invites, without actors. */
class AppointmentRulesTest {
  private static final ZoneId KOLKATA = ZoneId.of("Asia/Kolkata");
  private static final WorkingHours HOURS = WorkingHours.weekdays(KOLKATA);
  // Monday 2026-03-02 08:00 in Kolkata
  private static final Instant NOW = Instant.parse("2026-03-02T02:30:00Z");
  private static final AppointmentSettings SETTINGS = new AppointmentSettings(Duration.ofMinutes(30),
      Duration.ofMinutes(30), Duration.ZERO, Duration.ofHours(2), Duration.ofDays(7), 3, Duration.ofHours(4),
      List.of(Duration.ofHours(24), Duration.ofHours(1)), Duration.ofMinutes(15), Duration.ofSeconds(30),
      Duration.ofSeconds(30), Duration.ofMinutes(2), 4, 100);

  private static Instant local(String dateTime) {
    return java.time.LocalDateTime.parse(dateTime).atZone(KOLKATA).toInstant();
  }

  private static Interval slot(String start) {
    return new Interval(local(start), local(start).plus(Duration.ofMinutes(30)));
  }

  @Test
  void slotsComeFromWorkingHoursAfterTheLeadTimeOnTheGrid() {
    List<Interval> free = Availability.freeSlots(HOURS, List.of(), List.of(), NOW, SETTINGS);
    assertThat(free.get(0)).isEqualTo(slot("2026-03-02T10:00"));
    assertThat(free).allMatch(s -> HOURS.isOpenAt(s.start()) && HOURS.isOpenAt(s.end().minusSeconds(1)));
    assertThat(free).allMatch(s -> s.start().atZone(KOLKATA).getMinute() % 30 == 0);
    // five working days in the next seven (Mon 10:00 - Fri 18:00, and Mon until 08:00 of the next week is closed)
    assertThat(free).hasSize(16 + 4 * 18);
    assertThat(free).noneMatch(s -> s.start().isAfter(NOW.plus(Duration.ofDays(7))));
  }

  @Test
  void bookingsAndBusyTimesAreNotOffered() {
    List<Interval> booked = List.of(slot("2026-03-02T10:00"));
    List<Interval> busy = List.of(new Interval(local("2026-03-02T10:30"), local("2026-03-02T12:00")));
    List<Interval> free = Availability.freeSlots(HOURS, booked, busy, NOW, SETTINGS);
    assertThat(free.get(0)).isEqualTo(slot("2026-03-02T12:00"));
    assertThat(free).doesNotContain(slot("2026-03-02T10:00"), slot("2026-03-02T10:30"), slot("2026-03-02T11:30"));
  }

  @Test
  void aBufferKeepsTheNeighbouringSlotsFree() {
    AppointmentSettings buffered = new AppointmentSettings(SETTINGS.slotLength(), SETTINGS.granularity(),
        Duration.ofMinutes(15), SETTINGS.leadTime(), SETTINGS.horizon(), 3, SETTINGS.maxDuration(),
        SETTINGS.reminders(), SETTINGS.followUpDelay(), SETTINGS.deliveryRetry(), SETTINGS.keeperInterval(),
        SETTINGS.keeperLookahead(), 4, 100);
    List<Interval> free = Availability.freeSlots(HOURS, List.of(slot("2026-03-02T11:00")), List.of(), NOW, buffered);
    assertThat(free).contains(slot("2026-03-02T10:00"), slot("2026-03-02T12:00"))
        .doesNotContain(slot("2026-03-02T10:30"), slot("2026-03-02T11:30"));
  }

  @Test
  void anOfferNamesThreeSlotsOnDifferentDaysWhenItCan() {
    List<Interval> free = Availability.freeSlots(HOURS, List.of(), List.of(), NOW, SETTINGS);
    assertThat(Availability.offer(free, KOLKATA, 3))
        .containsExactly(slot("2026-03-02T10:00"), slot("2026-03-03T09:00"), slot("2026-03-04T09:00"));
    List<Interval> oneDay = List.of(slot("2026-03-02T10:00"), slot("2026-03-02T10:30"), slot("2026-03-02T11:00"),
        slot("2026-03-02T11:30"));
    assertThat(Availability.offer(oneDay, KOLKATA, 3)).containsExactly(oneDay.get(0), oneDay.get(1), oneDay.get(2));
    assertThat(Availability.offer(oneDay.subList(0, 1), KOLKATA, 3)).hasSize(1);
  }

  private static SdrCalendar.Book book(String id, String start) {
    return new SdrCalendar.Book("t1", "u1", id, "lead-" + id, local(start), local(start).plus(Duration.ofMinutes(30)),
        HOURS, "user:u1", null);
  }

  @Test
  void anOverlappingBookingIsRefusedAndARepeatIsTheSameAppointment() {
    SdrCalendar.Decision first = SdrCalendar.empty().book(book("a1", "2026-03-03T11:00"), NOW, SETTINGS);
    assertThat(first.answer().created()).isTrue();
    SdrCalendar calendar = SdrCalendar.empty().apply(first.event());
    SdrCalendar.Book overlapping = new SdrCalendar.Book("t1", "u1", "a2", "lead-2", local("2026-03-03T11:15"),
        local("2026-03-03T11:45"), HOURS, "user:u1", null);
    assertThat(calendar.book(overlapping, NOW, SETTINGS).answer().rejection()).isEqualTo("conflict");
    SdrCalendar.Decision repeat = calendar.book(book("a1", "2026-03-03T11:00"), NOW, SETTINGS);
    assertThat(repeat.event()).isNull();
    assertThat(repeat.answer().created()).isFalse();
    assertThat(repeat.answer().appointment().appointmentId()).isEqualTo("a1");
    assertThat(calendar.book(book("a3", "2026-03-03T11:30"), NOW, SETTINGS).answer().accepted()).isTrue();
  }

  @Test
  void bookingsOutsideHoursTooSoonOrTooFarAreInvalid() {
    SdrCalendar empty = SdrCalendar.empty();
    assertThat(empty.book(book("a", "2026-03-03T18:00"), NOW, SETTINGS).answer().rejection()).isEqualTo("invalid");
    assertThat(empty.book(book("a", "2026-03-07T11:00"), NOW, SETTINGS).answer().rejection()).isEqualTo("invalid");
    assertThat(empty.book(book("a", "2026-03-02T09:00"), NOW, SETTINGS).answer().rejection()).isEqualTo("invalid");
    assertThat(empty.book(book("a", "2026-03-10T11:00"), NOW, SETTINGS).answer().rejection()).isEqualTo("invalid");
  }

  @Test
  void aBookingPlansConfirmationRemindersAndFollowUp() {
    SdrCalendar.Decision booked = SdrCalendar.empty().book(book("a1", "2026-03-04T11:00"), NOW, SETTINGS);
    Appointment appointment = booked.answer().appointment();
    assertThat(appointment.plan()).extracting(SdrCalendar.Delivery::kind).containsExactly(DeliveryKind.CONFIRMED,
        DeliveryKind.REMINDER, DeliveryKind.REMINDER, DeliveryKind.FOLLOW_UP);
    assertThat(appointment.plan()).extracting(SdrCalendar.Delivery::dueAt).containsExactly(NOW,
        local("2026-03-03T11:00"), local("2026-03-04T10:00"), local("2026-03-04T11:45"));
    // a meeting sooner than 24 h gets only the reminders still ahead
    SdrCalendar.Decision soon = SdrCalendar.empty().book(book("a2", "2026-03-02T11:00"), NOW, SETTINGS);
    assertThat(soon.answer().appointment().plan()).extracting(SdrCalendar.Delivery::kind)
        .containsExactly(DeliveryKind.CONFIRMED, DeliveryKind.REMINDER, DeliveryKind.FOLLOW_UP);
  }

  @Test
  void rescheduleMovesTheMeetingBumpsTheSequenceAndReplansCancelFreesTheSlot() {
    SdrCalendar.Decision booked = SdrCalendar.empty().book(book("a1", "2026-03-04T11:00"), NOW, SETTINGS);
    SdrCalendar calendar = SdrCalendar.empty().apply(booked.event());
    calendar = calendar.apply(calendar.delivered("a1", "confirmed-s0", NOW));
    assertThat(calendar.appointments().get("a1").pending()).hasSize(3);
    SdrCalendar.Decision moved = calendar.reschedule(new SdrCalendar.Reschedule("a1", local("2026-03-05T15:00"),
        local("2026-03-05T15:30"), HOURS, "user:u1", null), NOW, SETTINGS);
    calendar = calendar.apply(moved.event());
    Appointment rescheduled = calendar.appointments().get("a1");
    assertThat(rescheduled.sequence()).isEqualTo(1);
    assertThat(rescheduled.pending().get(0).kind()).isEqualTo(DeliveryKind.RESCHEDULED);
    assertThat(rescheduled.pending()).extracting(SdrCalendar.Delivery::dueAt)
        .contains(local("2026-03-04T15:00"), local("2026-03-05T14:00"));
    // the old slot is free again, the new one taken
    assertThat(calendar.book(book("b", "2026-03-04T11:00"), NOW, SETTINGS).answer().accepted()).isTrue();
    assertThat(calendar.book(book("c", "2026-03-05T15:00"), NOW, SETTINGS).answer().rejection()).isEqualTo("conflict");
    SdrCalendar.Decision cancelled = calendar.cancel(new SdrCalendar.Cancel("a1", "lead asked", "user:u1", null), NOW);
    calendar = calendar.apply(cancelled.event());
    assertThat(calendar.appointments().get("a1").pending()).extracting(SdrCalendar.Delivery::kind)
        .containsExactly(DeliveryKind.CANCELLED);
    assertThat(calendar.book(book("c", "2026-03-05T15:00"), NOW, SETTINGS).answer().accepted()).isTrue();
    assertThat(calendar.cancel(new SdrCalendar.Cancel("a1", "again", "user:u1", null), NOW).event()).isNull();
    assertThat(calendar.reschedule(new SdrCalendar.Reschedule("a1", local("2026-03-05T16:00"),
        local("2026-03-05T16:30"), HOURS, "x", null), NOW, SETTINGS).answer().rejection()).isEqualTo("conflict");
  }

  @Test
  void theInviteCarriesUidStartOrganizerAttendeeSequenceAndMethod() {
    SdrCalendar.Decision booked = SdrCalendar.empty().book(book("a1", "2026-03-04T11:00"), NOW, SETTINGS);
    SdrCalendar calendar = SdrCalendar.empty().apply(booked.event());
    Invites.Person sdr = new Invites.Person("asha@acme.example", "Asha");
    List<Invites.Person> lead = List.of(new Invites.Person("ravi@example.com", "Ravi"));
    String request = new String(Invites.ics(calendar.appointments().get("a1"), sdr, lead, "Call", "About the flat",
        NOW), StandardCharsets.UTF_8);
    assertThat(request).contains("METHOD:REQUEST", "UID:a1@flexoraa", "DTSTART:20260304T053000Z",
        "DTEND:20260304T060000Z", "SEQUENCE:0", "ORGANIZER;CN=Asha:mailto:asha@acme.example",
        "mailto:ravi@example.com", "STATUS:CONFIRMED");
    calendar = calendar.apply(calendar.reschedule(new SdrCalendar.Reschedule("a1", local("2026-03-05T15:00"),
        local("2026-03-05T15:30"), HOURS, "x", null), NOW, SETTINGS).event());
    String moved = new String(Invites.ics(calendar.appointments().get("a1"), sdr, lead, "Call", null, NOW),
        StandardCharsets.UTF_8);
    assertThat(moved).contains("UID:a1@flexoraa", "SEQUENCE:1", "DTSTART:20260305T093000Z", "METHOD:REQUEST");
    calendar = calendar.apply(calendar.cancel(new SdrCalendar.Cancel("a1", "r", "x", null), NOW).event());
    String cancel = new String(Invites.ics(calendar.appointments().get("a1"), sdr, lead, "Call", null, NOW),
        StandardCharsets.UTF_8);
    assertThat(cancel).contains("METHOD:CANCEL", "UID:a1@flexoraa", "SEQUENCE:2", "STATUS:CANCELLED");
    assertThat(Invites.contentType(calendar.appointments().get("a1"))).contains("method=CANCEL");
  }
}
