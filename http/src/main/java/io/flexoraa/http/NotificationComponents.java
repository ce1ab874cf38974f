package io.flexoraa.http;

import io.flexoraa.engine.ports.Mailer;
import io.flexoraa.engine.ports.Notifier;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/** Notifications: stored, pushed live, e-mailed (issue 7 part 3). Placeholder until that part lands. */
final class NotificationComponents {
  static NotificationComponents start(SalesComponents.Deps deps) {
    return new NotificationComponents();
  }

  Notifier notifier() {
    return notice -> CompletableFuture.completedFuture(null);
  }

  Mailer mailer() {
    return new Mailer() {
      @Override
      public java.util.concurrent.CompletionStage<Void> send(Email email) {
        return CompletableFuture.failedFuture(new IllegalStateException("no SMTP server is configured"));
      }

      @Override
      public boolean enabled() {
        return false;
      }
    };
  }

  List<Map<Endpoint, ApiRouter.Handler>> handlers() {
    return List.of();
  }

  Route extraRoute() {
    return new AllDirectives() {}.reject();
  }
}
