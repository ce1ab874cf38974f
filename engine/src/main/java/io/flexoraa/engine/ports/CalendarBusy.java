package io.flexoraa.engine.ports;

import io.flexoraa.engine.routing.WorkingHours.Interval;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * An SDR's busy times in their own calendar (Google Calendar free/busy), so offered slots do not clash with
 * meetings booked outside Flexoraa. An SDR without a connected calendar has no busy times; a calendar that fails
 * fails the stage, and the caller offers slots from working hours and bookings alone.
 */
public interface CalendarBusy {
  CompletionStage<List<Interval>> busy(String tenantId, String userId, Instant from, Instant to);
}
