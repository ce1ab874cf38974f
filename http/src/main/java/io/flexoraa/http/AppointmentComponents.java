package io.flexoraa.http;

import io.flexoraa.engine.ports.LeadRouter;
import java.util.List;
import java.util.Map;

/** Appointments (issue 7 part 7). Placeholder until that part lands. */
final class AppointmentComponents {
  static AppointmentComponents start(SalesComponents.Deps deps, io.flexoraa.engine.ports.Notifier notifier, io.flexoraa.engine.ports.Mailer mailer, io.flexoraa.engine.ports.Roster roster) {
    return new AppointmentComponents();
  }

  List<Map<Endpoint, ApiRouter.Handler>> handlers() {
    return List.of();
  }

  void startBackground() {}
}
