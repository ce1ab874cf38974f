package io.flexoraa.engine.appointments;

import io.flexoraa.engine.appointments.SdrCalendar.Appointment;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import net.fortuna.ical4j.data.CalendarOutputter;
import net.fortuna.ical4j.model.Calendar;
import net.fortuna.ical4j.model.component.VEvent;
import net.fortuna.ical4j.model.parameter.Cn;
import net.fortuna.ical4j.model.parameter.Role;
import net.fortuna.ical4j.model.property.Attendee;
import net.fortuna.ical4j.model.property.Description;
import net.fortuna.ical4j.model.property.DtStamp;
import net.fortuna.ical4j.model.property.Organizer;
import net.fortuna.ical4j.model.property.ProdId;
import net.fortuna.ical4j.model.property.Sequence;
import net.fortuna.ical4j.model.property.Uid;
import net.fortuna.ical4j.model.property.immutable.ImmutableCalScale;
import net.fortuna.ical4j.model.property.immutable.ImmutableMethod;
import net.fortuna.ical4j.model.property.immutable.ImmutableStatus;
import net.fortuna.ical4j.model.property.immutable.ImmutableVersion;

/**
 * Calendar invites (RFC 5546 iTIP over RFC 5545): one VEVENT per appointment whose UID is the appointment id, so a
 * reschedule (METHOD:REQUEST with a higher SEQUENCE) updates the same event in the recipient's calendar and a
 * cancellation (METHOD:CANCEL) removes it.
 */
public final class Invites {
  public static final String CONTENT_TYPE_REQUEST = "text/calendar; method=REQUEST; charset=UTF-8";
  public static final String CONTENT_TYPE_CANCEL = "text/calendar; method=CANCEL; charset=UTF-8";

  private Invites() {}

  /** Who is invited: {@code email} with a display name; the organiser is the SDR. */
  public record Person(String email, String name) {}

  /** The invite for the appointment as it stands: REQUEST while booked, CANCEL once cancelled. */
  public static byte[] ics(Appointment appointment, Person organizer, List<Person> attendees, String summary,
      String description, Instant stamp) {
    boolean cancelled = !appointment.booked();
    VEvent event = new VEvent(appointment.startsAt(), appointment.endsAt(), summary);
    event.replace(new DtStamp(stamp));
    event.add(new Uid(appointment.appointmentId() + "@flexoraa"));
    event.add(new Sequence(appointment.sequence()));
    if (description != null) event.add(new Description(description));
    event.add(cancelled ? ImmutableStatus.VEVENT_CANCELLED : ImmutableStatus.VEVENT_CONFIRMED);
    Organizer organizerProperty = new Organizer(URI.create("mailto:" + organizer.email()));
    if (organizer.name() != null) organizerProperty.add(new Cn(organizer.name()));
    event.add(organizerProperty);
    for (Person person : attendees) {
      Attendee attendee = new Attendee(URI.create("mailto:" + person.email()));
      attendee.add(Role.REQ_PARTICIPANT);
      if (person.name() != null) attendee.add(new Cn(person.name()));
      event.add(attendee);
    }
    Calendar calendar = new Calendar();
    calendar.add(new ProdId("-//Flexoraa//Appointments//EN"));
    calendar.add(ImmutableVersion.VERSION_2_0);
    calendar.add(ImmutableCalScale.GREGORIAN);
    calendar.add(cancelled ? ImmutableMethod.CANCEL : ImmutableMethod.REQUEST);
    calendar.add(event);
    StringWriter out = new StringWriter();
    try {
      new CalendarOutputter(false).output(calendar, out);
    } catch (Exception e) {
      throw new IllegalStateException("the invite could not be written", e);
    }
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  public static String contentType(Appointment appointment) {
    return appointment.booked() ? CONTENT_TYPE_REQUEST : CONTENT_TYPE_CANCEL;
  }

}
