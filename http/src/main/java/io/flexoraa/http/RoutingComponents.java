package io.flexoraa.http;

import io.flexoraa.engine.ports.LeadRouter;
import io.flexoraa.engine.ports.Notifier;
import io.flexoraa.engine.ports.Roster;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Roster, routing, SLAs and leakage prevention (issue 7 parts 1, 2, 4, 5). Placeholder until that part lands. */
final class RoutingComponents {
  static RoutingComponents start(SalesComponents.Deps deps, Notifier notifier) {
    return new RoutingComponents();
  }

  Roster roster() {
    return new Roster() {
      @Override
      public CompletionStage<Optional<io.flexoraa.engine.routing.Sdr>> sdr(String tenantId, String userId) {
        return CompletableFuture.completedFuture(Optional.empty());
      }

      @Override
      public CompletionStage<List<io.flexoraa.engine.routing.Sdr>> sdrs(String tenantId) {
        return CompletableFuture.completedFuture(List.of());
      }
    };
  }

  LeadRouter router() {
    return new LeadRouter() {
      @Override
      public CompletionStage<Optional<String>> assignee(String tenantId, String leadId) {
        return CompletableFuture.completedFuture(Optional.empty());
      }

      @Override
      public CompletionStage<Void> routeToJuniors(String tenantId, String leadId, String reason) {
        return CompletableFuture.completedFuture(null);
      }
    };
  }

  List<Map<Endpoint, ApiRouter.Handler>> handlers() {
    return List.of();
  }

  void startBackground() {}
}
