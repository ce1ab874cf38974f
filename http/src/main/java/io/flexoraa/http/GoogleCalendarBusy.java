package io.flexoraa.http;

import com.google.api.client.http.javanet.NetHttpTransport;
import com.google.api.client.json.gson.GsonFactory;
import com.google.api.client.util.DateTime;
import com.google.api.services.calendar.Calendar;
import com.google.api.services.calendar.model.FreeBusyCalendar;
import com.google.api.services.calendar.model.FreeBusyRequest;
import com.google.api.services.calendar.model.FreeBusyRequestItem;
import com.google.api.services.calendar.model.FreeBusyResponse;
import com.google.api.services.calendar.model.TimePeriod;
import io.flexoraa.engine.ports.CalendarBusy;
import io.flexoraa.engine.routing.WorkingHours.Interval;
import io.flexoraa.persistence.appointments.JdbcAppointments;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * Google Calendar free/busy through Google's own client ({@code freebusy.query}) with the SDR's stored OAuth access
 * token. An SDR without a connected calendar is never busy; Google's errors fail the stage (the caller falls back to
 * working hours and bookings). {@code rootUrl} points the client at a local stub in tests.
 */
final class GoogleCalendarBusy implements CalendarBusy {
  private final JdbcAppointments store;
  private final String rootUrl;
  private final Duration timeout;
  private final Executor executor;
  private final NetHttpTransport transport = new NetHttpTransport();

  GoogleCalendarBusy(JdbcAppointments store, String rootUrl, Duration timeout, Executor executor) {
    this.store = store;
    this.rootUrl = rootUrl.endsWith("/") ? rootUrl : rootUrl + "/";
    this.timeout = timeout;
    this.executor = executor;
  }

  @Override
  public CompletionStage<List<Interval>> busy(String tenantId, String userId, Instant from, Instant to) {
    return store.calendar(tenantId, userId).thenCompose(connection -> connection.isEmpty()
        ? CompletableFuture.completedFuture(List.of())
        : CompletableFuture.supplyAsync(() -> query(connection.get(), from, to), executor));
  }

  private List<Interval> query(JdbcAppointments.CalendarConnection connection, Instant from, Instant to) {
    Calendar client = new Calendar.Builder(transport, GsonFactory.getDefaultInstance(), request -> {
          request.getHeaders().setAuthorization("Bearer " + connection.accessToken());
          request.setConnectTimeout((int) timeout.toMillis());
          request.setReadTimeout((int) timeout.toMillis());
        })
        .setRootUrl(rootUrl)
        .setApplicationName("flexoraa-engine")
        .build();
    try {
      FreeBusyResponse response = client.freebusy().query(new FreeBusyRequest()
              .setTimeMin(new DateTime(from.toEpochMilli()))
              .setTimeMax(new DateTime(to.toEpochMilli()))
              .setItems(List.of(new FreeBusyRequestItem().setId(connection.calendarId()))))
          .execute();
      FreeBusyCalendar calendar = response.getCalendars() == null ? null
          : response.getCalendars().get(connection.calendarId());
      if (calendar == null) throw new IllegalStateException("Google returned no free/busy for the calendar");
      if (calendar.getErrors() != null && !calendar.getErrors().isEmpty()) {
        throw new IllegalStateException("Google free/busy error: " + calendar.getErrors().get(0).getReason());
      }
      List<Interval> busy = new ArrayList<>();
      if (calendar.getBusy() != null) {
        for (TimePeriod period : calendar.getBusy()) {
          Instant start = Instant.ofEpochMilli(period.getStart().getValue());
          Instant end = Instant.ofEpochMilli(period.getEnd().getValue());
          if (end.isAfter(start)) busy.add(new Interval(start, end));
        }
      }
      return busy;
    } catch (java.io.IOException e) {
      throw new IllegalStateException("Google free/busy failed: " + e.getMessage(), e);
    }
  }
}
