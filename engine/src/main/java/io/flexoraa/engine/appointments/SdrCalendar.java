package io.flexoraa.engine.appointments;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.flexoraa.engine.CborSerializable;
import io.flexoraa.engine.routing.WorkingHours;
import io.flexoraa.engine.routing.WorkingHours.Interval;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;

/**
 * One SDR's bookings (PRODUCT §4.8), pure: a booking that overlaps another (widened by the buffer), falls outside
 * the SDR's working hours or too soon is refused, so one calendar entity per SDR makes double-booking impossible.
 * Every change carries its delivery plan — confirmation or cancellation, reminders before the start, the post-call
 * follow-up — so the entity's timers, the deadline read model and the keeper all read the same due times.
 */
public record SdrCalendar(Map<String, Appointment> appointments) implements CborSerializable {

  public static final String BOOKED = "booked";
  public static final String CANCELLED = "cancelled";

  public SdrCalendar {
    appointments = appointments == null ? new LinkedHashMap<>() : appointments;
  }

  public static SdrCalendar empty() {
    return new SdrCalendar(new LinkedHashMap<>());
  }

  /** What happens for an appointment at {@code dueAt}: a message, an invite, a notice (see AppointmentWork). */
  public enum DeliveryKind { CONFIRMED, RESCHEDULED, CANCELLED, REMINDER, FOLLOW_UP }

  /** One planned delivery; {@code key} is unique within the appointment and names the sequence it belongs to. */
  public record Delivery(String key, DeliveryKind kind, Instant dueAt, Duration before) implements CborSerializable {}

  public record Appointment(
      String appointmentId, String tenantId, String userId, String leadId, Instant startsAt, Instant endsAt,
      String status, int sequence, String reason, List<Delivery> plan, Set<String> delivered, String actor,
      Instant createdAt, Instant updatedAt)
      implements CborSerializable {
    public Appointment {
      plan = plan == null ? List.of() : List.copyOf(plan);
      delivered = delivered == null ? Set.of() : Set.copyOf(delivered);
    }

    public Interval interval() {
      return new Interval(startsAt, endsAt);
    }

    public boolean booked() {
      return BOOKED.equals(status);
    }

    /** Deliveries planned and not yet done, earliest first. */
    public List<Delivery> pending() {
      return plan.stream().filter(d -> !delivered.contains(d.key()))
          .sorted((a, b) -> a.dueAt().compareTo(b.dueAt())).toList();
    }
  }

  // ---- commands ----
  public sealed interface Command extends CborSerializable {}

  public record Book(String tenantId, String userId, String appointmentId, String leadId, Instant startsAt,
      Instant endsAt, WorkingHours hours, String actor, ActorRef<StatusReply<Answer>> replyTo) implements Command {}

  public record Reschedule(String appointmentId, Instant startsAt, Instant endsAt, WorkingHours hours, String actor,
      ActorRef<StatusReply<Answer>> replyTo) implements Command {}

  public record Cancel(String appointmentId, String reason, String actor, ActorRef<StatusReply<Answer>> replyTo)
      implements Command {}

  public record Get(String appointmentId, ActorRef<StatusReply<Answer>> replyTo) implements Command {}

  /** The SDR's booked meetings ending after {@code from}, for availability. */
  public record Bookings(Instant from, ActorRef<StatusReply<List<Interval>>> replyTo) implements Command {}

  /** The keeper's nudge: starting the entity re-arms its timers from its events. */
  public record Wake() implements Command {}

  /** A delivery timer fired. */
  public record Due(String appointmentId, String key) implements Command {}

  /** The delivery was made (its message, invite and notice handed over). */
  public record Delivered(String appointmentId, String key) implements Command {}

  public record DeliveryFailed(String appointmentId, String key, String error) implements Command {}

  /**
   * {@code rejection}: null when accepted; {@code conflict} (the slot is taken or the appointment changed),
   * {@code invalid} (outside hours, too soon, too long), {@code not-found}. {@code created}: a new booking (not a
   * repeat of an idempotent request), the one that costs a token.
   */
  public record Answer(Appointment appointment, boolean created, String rejection, String message)
      implements CborSerializable {
    static Answer ok(Appointment appointment, boolean created) {
      return new Answer(appointment, created, null, null);
    }

    static Answer rejected(String rejection, String message) {
      return new Answer(null, false, rejection, message);
    }

    public boolean accepted() {
      return rejection == null;
    }
  }

  // ---- events ----
  @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
  @JsonSubTypes({
      @JsonSubTypes.Type(value = AppointmentBooked.class, name = "appointment-booked.v1"),
      @JsonSubTypes.Type(value = AppointmentRescheduled.class, name = "appointment-rescheduled.v1"),
      @JsonSubTypes.Type(value = AppointmentCancelled.class, name = "appointment-cancelled.v1"),
      @JsonSubTypes.Type(value = DeliveryDone.class, name = "appointment-delivery-done.v1")})
  public sealed interface Event extends CborSerializable {
    String tenantId();

    String userId();

    String appointmentId();

    String leadId();
  }

  public record AppointmentBooked(String tenantId, String userId, String appointmentId, String leadId,
      Instant startsAt, Instant endsAt, String actor, List<Delivery> plan, Instant at) implements Event {}

  public record AppointmentRescheduled(String tenantId, String userId, String appointmentId, String leadId,
      Instant startsAt, Instant endsAt, int sequence, String actor, List<Delivery> plan, Instant at) implements Event {}

  public record AppointmentCancelled(String tenantId, String userId, String appointmentId, String leadId,
      String reason, int sequence, String actor, List<Delivery> plan, Instant at) implements Event {}

  public record DeliveryDone(String tenantId, String userId, String appointmentId, String leadId, String key,
      DeliveryKind kind, Instant dueAt, Instant at) implements Event {}

  /** An accepted change with its event, or a refusal; {@code event} null for a repeat that changes nothing. */
  public record Decision(Answer answer, Event event) {}

  // ---- rules ----

  public Decision book(Book command, Instant now, AppointmentSettings settings) {
    Appointment existing = appointments.get(command.appointmentId());
    if (existing != null) {
      boolean same = existing.leadId().equals(command.leadId()) && existing.startsAt().equals(command.startsAt());
      return same ? new Decision(Answer.ok(existing, false), null)
          : new Decision(Answer.rejected("conflict", "this idempotency key booked another appointment"), null);
    }
    Interval meeting = new Interval(command.startsAt(), command.endsAt());
    Answer refused = refusal(meeting, command.hours(), null, now, settings);
    if (refused != null) return new Decision(refused, null);
    List<Delivery> plan = plan(meeting, 0, now, settings);
    AppointmentBooked event = new AppointmentBooked(command.tenantId(), command.userId(), command.appointmentId(),
        command.leadId(), command.startsAt(), command.endsAt(), command.actor(), plan, now);
    return new Decision(Answer.ok(apply(event).appointments().get(command.appointmentId()), true), event);
  }

  public Decision reschedule(Reschedule command, Instant now, AppointmentSettings settings) {
    Appointment existing = appointments.get(command.appointmentId());
    if (existing == null) return new Decision(Answer.rejected("not-found", "no such appointment"), null);
    if (!existing.booked()) return new Decision(Answer.rejected("conflict", "the appointment was cancelled"), null);
    if (existing.startsAt().equals(command.startsAt()) && existing.endsAt().equals(command.endsAt())) {
      return new Decision(Answer.ok(existing, false), null);
    }
    Interval meeting = new Interval(command.startsAt(), command.endsAt());
    Answer refused = refusal(meeting, command.hours(), existing.appointmentId(), now, settings);
    if (refused != null) return new Decision(refused, null);
    int sequence = existing.sequence() + 1;
    AppointmentRescheduled event = new AppointmentRescheduled(existing.tenantId(), existing.userId(),
        existing.appointmentId(), existing.leadId(), command.startsAt(), command.endsAt(), sequence, command.actor(),
        plan(meeting, sequence, now, settings), now);
    return new Decision(Answer.ok(apply(event).appointments().get(existing.appointmentId()), false), event);
  }

  public Decision cancel(Cancel command, Instant now) {
    Appointment existing = appointments.get(command.appointmentId());
    if (existing == null) return new Decision(Answer.rejected("not-found", "no such appointment"), null);
    if (!existing.booked()) return new Decision(Answer.ok(existing, false), null);
    int sequence = existing.sequence() + 1;
    AppointmentCancelled event = new AppointmentCancelled(existing.tenantId(), existing.userId(),
        existing.appointmentId(), existing.leadId(), command.reason(), sequence, command.actor(),
        List.of(new Delivery("cancelled-s" + sequence, DeliveryKind.CANCELLED, now, null)), now);
    return new Decision(Answer.ok(apply(event).appointments().get(existing.appointmentId()), false), event);
  }

  /** Marks a pending delivery done; null when it is not pending (done already, or re-planned since). */
  public DeliveryDone delivered(String appointmentId, String key, Instant now) {
    Appointment appointment = appointments.get(appointmentId);
    if (appointment == null) return null;
    return appointment.pending().stream().filter(d -> d.key().equals(key)).findFirst()
        .map(d -> new DeliveryDone(appointment.tenantId(), appointment.userId(), appointmentId,
            appointment.leadId(), key, d.kind(), d.dueAt(), now))
        .orElse(null);
  }

  /** Booked meetings ending after {@code from}. */
  public List<Interval> booked(Instant from) {
    return appointments.values().stream().filter(a -> a.booked() && a.endsAt().isAfter(from))
        .map(Appointment::interval).sorted((a, b) -> a.start().compareTo(b.start())).toList();
  }

  private Answer refusal(Interval meeting, WorkingHours hours, String except, Instant now, AppointmentSettings s) {
    Duration length = Duration.between(meeting.start(), meeting.end());
    if (length.compareTo(s.maxDuration()) > 0) {
      return Answer.rejected("invalid", "an appointment lasts at most " + s.maxDuration().toMinutes() + " minutes");
    }
    if (meeting.start().isBefore(now.plus(s.leadTime()))) {
      return Answer.rejected("invalid", "an appointment starts at least " + s.leadTime().toMinutes()
          + " minutes from now");
    }
    if (meeting.start().isAfter(now.plus(s.horizon()))) {
      return Answer.rejected("invalid", "an appointment starts within " + s.horizon().toDays() + " days");
    }
    if (!Availability.withinHours(hours, meeting)) {
      return Answer.rejected("invalid", "the SDR does not work at that time");
    }
    boolean taken = appointments.values().stream()
        .filter(a -> a.booked() && !a.appointmentId().equals(except))
        .anyMatch(a -> Availability.widened(a.interval(), s.buffer()).overlaps(meeting));
    return taken ? Answer.rejected("conflict", "the SDR is already booked at that time") : null;
  }

  /** Confirmation now, a reminder {@code before} the start for each configured offset still ahead, the follow-up. */
  static List<Delivery> plan(Interval meeting, int sequence, Instant now, AppointmentSettings settings) {
    List<Delivery> plan = new ArrayList<>();
    String s = "-s" + sequence;
    plan.add(new Delivery((sequence == 0 ? "confirmed" : "rescheduled") + s,
        sequence == 0 ? DeliveryKind.CONFIRMED : DeliveryKind.RESCHEDULED, now, null));
    for (Duration before : settings.reminders()) {
      Instant due = meeting.start().minus(before);
      if (due.isAfter(now)) plan.add(new Delivery("reminder-" + before.toSeconds() + "s" + s,
          DeliveryKind.REMINDER, due, before));
    }
    plan.add(new Delivery("follow-up" + s, DeliveryKind.FOLLOW_UP, meeting.end().plus(settings.followUpDelay()), null));
    return plan;
  }

  public SdrCalendar apply(Event event) {
    Map<String, Appointment> next = new LinkedHashMap<>(appointments);
    if (event instanceof AppointmentBooked b) {
      next.put(b.appointmentId(), new Appointment(b.appointmentId(), b.tenantId(), b.userId(), b.leadId(),
          b.startsAt(), b.endsAt(), BOOKED, 0, null, b.plan(), Set.of(), b.actor(), b.at(), b.at()));
    } else if (event instanceof AppointmentRescheduled r) {
      next.computeIfPresent(r.appointmentId(), (id, a) -> new Appointment(id, a.tenantId(), a.userId(), a.leadId(),
          r.startsAt(), r.endsAt(), BOOKED, r.sequence(), null, r.plan(), Set.of(), r.actor(), a.createdAt(), r.at()));
    } else if (event instanceof AppointmentCancelled c) {
      next.computeIfPresent(c.appointmentId(), (id, a) -> new Appointment(id, a.tenantId(), a.userId(), a.leadId(),
          a.startsAt(), a.endsAt(), CANCELLED, c.sequence(), c.reason(), c.plan(), Set.of(), c.actor(),
          a.createdAt(), c.at()));
    } else if (event instanceof DeliveryDone d) {
      next.computeIfPresent(d.appointmentId(), (id, a) -> {
        Set<String> delivered = new HashSet<>(a.delivered());
        delivered.add(d.key());
        return new Appointment(id, a.tenantId(), a.userId(), a.leadId(), a.startsAt(), a.endsAt(), a.status(),
            a.sequence(), a.reason(), a.plan(), delivered, a.actor(), a.createdAt(), a.updatedAt());
      });
    }
    return new SdrCalendar(next);
  }
}
