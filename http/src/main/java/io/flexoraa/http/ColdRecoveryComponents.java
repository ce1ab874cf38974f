package io.flexoraa.http;

import io.flexoraa.engine.ports.LeadRouter;
import java.util.List;
import java.util.Map;

/** Cold recovery (issue 7 part 6). Placeholder until that part lands. */
final class ColdRecoveryComponents {
  static ColdRecoveryComponents start(SalesComponents.Deps deps, LeadRouter router) {
    return new ColdRecoveryComponents();
  }

  List<Map<Endpoint, ApiRouter.Handler>> handlers() {
    return List.of();
  }

  void startBackground() {}
}
