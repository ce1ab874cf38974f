package io.flexoraa.http;

import com.typesafe.config.Config;
import io.flexoraa.engine.appointments.AppointmentWork;
import io.flexoraa.engine.appointments.Invites;
import io.flexoraa.engine.appointments.SdrCalendar.Appointment;
import io.flexoraa.engine.appointments.SdrCalendar.Delivery;
import io.flexoraa.engine.appointments.SdrCalendar.DeliveryKind;
import io.flexoraa.engine.lead.LeadModel;
import io.flexoraa.engine.outbound.OutboundService;
import io.flexoraa.engine.ports.Mailer;
import io.flexoraa.engine.ports.Notifier;
import io.flexoraa.engine.ports.Roster;
import io.flexoraa.engine.routing.Sdr;
import io.flexoraa.persistence.appointments.JdbcAppointments;
import io.flexoraa.persistence.readmodel.LeadQueries;
import io.flexoraa.persistence.readmodel.LeadViews.LeadView;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes an appointment's due deliveries: the message to the lead (author {@code ai}, through the compliance gate,
 * the approved template for the appointment purpose outside the 24 h window), the ICS invite by e-mail to the SDR
 * and the lead, the notice to the SDR. Every send is idempotent on the appointment and the delivery key (the
 * message id and the notice id derive from them), so a delivery repeated after a crash sends nothing twice.
 */
final class AppointmentDeliveries implements AppointmentWork {
  private static final Logger log = LoggerFactory.getLogger(AppointmentDeliveries.class);

  private final SalesComponents.Deps deps;
  private final JdbcAppointments store;
  private final Roster roster;
  private final Mailer mailer;
  private final Notifier notifier;
  private final AppointmentWording wording;
  private final String purpose;

  AppointmentDeliveries(SalesComponents.Deps deps, JdbcAppointments store, Roster roster, Mailer mailer,
      Notifier notifier, Config appointments) {
    this.deps = deps;
    this.store = store;
    this.roster = roster;
    this.mailer = mailer;
    this.notifier = notifier;
    this.wording = new AppointmentWording(appointments);
    this.purpose = appointments.getString("purpose");
  }

  @Override
  public CompletionStage<Void> deliver(Appointment appointment, Delivery delivery) {
    String tenantId = appointment.tenantId();
    return roster.sdr(tenantId, appointment.userId()).thenCompose(sdr ->
        store.leadLanguage(tenantId, appointment.leadId()).thenCompose(language -> {
          ZoneId zone = sdr.map(s -> s.workingHours().zone()).orElse(ZoneOffset.UTC);
          String time = AppointmentWording.time(appointment.startsAt(), zone, language.orElse(null));
          CompletionStage<Void> message = delivery.kind() == DeliveryKind.FOLLOW_UP
              ? CompletableFuture.completedFuture(null)
              : message(appointment, delivery, wording.text(language.orElse(null), wordingKey(delivery.kind()),
                  time, null, null));
          return message
              .thenCompose(done -> invite(appointment, delivery, sdr))
              .thenCompose(done -> notifier.notify(notice(appointment, delivery, time)));
        }));
  }

  /** Sends {@code text} to the lead as the AI; a lead that cannot be written to is logged, not retried for ever. */
  CompletionStage<Void> message(Appointment appointment, Delivery delivery, String text) {
    return send(appointment.tenantId(), appointment.leadId(),
        "appt-" + Secrets.sha256Hex(appointment.appointmentId() + "|" + delivery.key()).substring(0, 32), text)
        .thenApply(result -> null);
  }

  CompletionStage<OutboundService.Result> send(String tenantId, String leadId, String messageId, String text) {
    OutboundService.Request request = new OutboundService.Request(tenantId, leadId, messageId, null,
        LeadModel.AUTHOR_AI, null, text, null, null, List.of(), null, null, purpose);
    return deps.outbound().send(request).exceptionally(failure -> {
      Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
          ? failure.getCause() : failure;
      if (cause instanceof OutboundService.Refused refused) {
        log.warn("Appointment message {} to lead {} not sent: {}", messageId, leadId, refused.getMessage());
        return null;
      }
      throw new java.util.concurrent.CompletionException(cause);
    });
  }

  private CompletionStage<Void> invite(Appointment appointment, Delivery delivery, Optional<Sdr> sdr) {
    boolean changes = delivery.kind() == DeliveryKind.CONFIRMED || delivery.kind() == DeliveryKind.RESCHEDULED
        || delivery.kind() == DeliveryKind.CANCELLED;
        if (!changes || !mailer.enabled() || sdr.isEmpty() || sdr.get().email() == null) {
      return CompletableFuture.completedFuture(null);
    }
    return leadEmail(appointment).thenCompose(leadEmail -> {
      Invites.Person organizer = new Invites.Person(sdr.get().email(), sdr.get().displayName());
      List<Invites.Person> attendees = new ArrayList<>();
      leadEmail.ifPresent(email -> attendees.add(new Invites.Person(email, null)));
      attendees.add(organizer);
      byte[] ics = Invites.ics(appointment, organizer, attendees, "Call with your Flexoraa sales rep",
          "Appointment " + appointment.appointmentId(), deps.clock().instant());
      List<String> to = attendees.stream().map(Invites.Person::email).distinct().toList();
      String subject = (appointment.booked() ? (appointment.sequence() == 0 ? "Invitation: " : "Updated: ")
          : "Cancelled: ") + "call on " + AppointmentWording.time(appointment.startsAt(),
          sdr.get().workingHours().zone(), null);
      return mailer.send(new Mailer.Email(to, subject, subject, List.of(new Mailer.Attachment(
          "invite.ics", Invites.contentType(appointment), ics))));
    });
  }

  private CompletionStage<Optional<String>> leadEmail(Appointment appointment) {
    return deps.leads().get(appointment.tenantId(), appointment.leadId(), LeadQueries.Scope.all())
        .thenApply(lead -> lead.map(LeadView::email).filter(email -> !email.isBlank()));
  }

  private Notifier.Notice notice(Appointment appointment, Delivery delivery, String time) {
    String kind = switch (delivery.kind()) {
      case CONFIRMED -> "appointment.booked";
      case RESCHEDULED -> "appointment.rescheduled";
      case CANCELLED -> "appointment.cancelled";
      case REMINDER -> "appointment.reminder";
      case FOLLOW_UP -> "appointment.follow-up";
    };
    String title = switch (delivery.kind()) {
      case CONFIRMED -> "Call booked for " + time;
      case RESCHEDULED -> "Call moved to " + time;
      case CANCELLED -> "Call at " + time + " cancelled";
      case REMINDER -> "Call at " + time;
      case FOLLOW_UP -> "Follow up on the call of " + time;
    };
    return new Notifier.Notice("appt:" + appointment.appointmentId() + ":" + delivery.key(), appointment.tenantId(),
        List.of(appointment.userId()), kind, title, null, appointment.leadId(),
        Map.of("appointmentId", appointment.appointmentId()), delivery.kind() != DeliveryKind.REMINDER,
        delivery.dueAt());
  }

  private static String wordingKey(DeliveryKind kind) {
    return switch (kind) {
      case CONFIRMED -> "confirmed";
      case RESCHEDULED -> "rescheduled";
      case CANCELLED -> "cancelled";
      default -> "reminder";
    };
  }
}
