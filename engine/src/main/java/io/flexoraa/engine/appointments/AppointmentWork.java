package io.flexoraa.engine.appointments;

import io.flexoraa.engine.appointments.SdrCalendar.Appointment;
import io.flexoraa.engine.appointments.SdrCalendar.Delivery;
import java.util.concurrent.CompletionStage;

/**
 * What a calendar entity hands over when a delivery is due: the message to the lead, the invite by e-mail, the
 * notice to the SDR. Called at least once per delivery (again after a failure or a crash before it was recorded),
 * so implementations make every send idempotent on the appointment id and the delivery key.
 */
public interface AppointmentWork {
  CompletionStage<Void> deliver(Appointment appointment, Delivery delivery);
}
