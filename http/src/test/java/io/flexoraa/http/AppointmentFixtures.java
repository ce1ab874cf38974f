package io.flexoraa.http;

import io.flexoraa.engine.ports.Mailer;
import io.flexoraa.engine.ports.Notifier;
import io.flexoraa.engine.ports.Roster;
import io.flexoraa.engine.routing.Presence;
import io.flexoraa.engine.routing.Sdr;
import io.flexoraa.engine.routing.Seniority;
import io.flexoraa.engine.routing.WorkingHours;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Until routing and notifications land: a fixed roster, and a mailer and notifier that keep what they are handed.
 * {@link #install} is the one line to swap for the real roster (and GreenMail) after merging.
 */
final class AppointmentFixtures {
  /** Open every day 00:00–23:59 UTC, so tests book minutes ahead whatever the hour. */
  static final WorkingHours ALWAYS = new WorkingHours(EnumSet.allOf(DayOfWeek.class), LocalTime.MIDNIGHT,
      LocalTime.of(23, 59), ZoneOffset.UTC);

  final List<Mailer.Email> emails = new CopyOnWriteArrayList<>();
  final List<Notifier.Notice> notices = new CopyOnWriteArrayList<>();
  private final List<Sdr> sdrs;

  AppointmentFixtures(List<Sdr> sdrs) {
    this.sdrs = List.copyOf(sdrs);
  }

  static Sdr sdr(String tenantId, String userId, String email) {
    return new Sdr(tenantId, userId, "Asha Rao", email, Seniority.SENIOR, 10, ALWAYS, Presence.ONLINE, List.of(),
        List.of("en"));
  }

  void install(EngineServer server) {
    AppointmentComponents.of(server.system()).use(roster(), mailer(), notice -> {
      notices.add(notice);
      return CompletableFuture.completedFuture(null);
    });
  }

  Roster roster() {
    return new Roster() {
      @Override
      public CompletionStage<Optional<Sdr>> sdr(String tenantId, String userId) {
        return CompletableFuture.completedFuture(sdrs.stream()
            .filter(s -> s.tenantId().equals(tenantId) && s.userId().equals(userId)).findFirst());
      }

      @Override
      public CompletionStage<List<Sdr>> sdrs(String tenantId) {
        return CompletableFuture.completedFuture(sdrs.stream().filter(s -> s.tenantId().equals(tenantId)).toList());
      }
    };
  }

  Mailer mailer() {
    return new Mailer() {
      @Override
      public CompletionStage<Void> send(Email email) {
        emails.add(email);
        return CompletableFuture.completedFuture(null);
      }

      @Override
      public boolean enabled() {
        return true;
      }
    };
  }
}
