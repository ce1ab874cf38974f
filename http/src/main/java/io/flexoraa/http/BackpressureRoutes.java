package io.flexoraa.http;

import io.flexoraa.engine.limits.AiWorkQueue.NodeBackpressure;
import io.flexoraa.engine.limits.Backpressure;
import io.flexoraa.engine.limits.BackpressureMode;
import io.flexoraa.engine.limits.ClusterBackpressure;
import io.flexoraa.engine.limits.ClusterBackpressure.NodeReport;
import io.flexoraa.engine.limits.ClusterBackpressure.NodeTransition;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;

/**
 * The operator's view of backpressure (PRODUCT §7, decision 17): the cluster's mode (the worst of its nodes'), each
 * node's mode, queue depth and thresholds, and the latest changes of mode. A node that does not answer is listed as
 * unavailable.
 */
final class BackpressureRoutes extends AllDirectives {
  private final ClusterBackpressure cluster;

  BackpressureRoutes(ClusterBackpressure cluster) {
    this.cluster = cluster;
  }

  Map<Endpoint, ApiRouter.Handler> handlers() {
    Map<Endpoint, ApiRouter.Handler> handlers = new EnumMap<>(Endpoint.class);
    handlers.put(Endpoint.GET_BACKPRESSURE, call -> onSuccess(cluster.query(),
        view -> complete(Json.response(StatusCodes.OK, body(view)))));
    return handlers;
  }

  private static Map<String, Object> body(ClusterBackpressure.View view) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("mode", view.mode() == null ? null : view.mode().id());
    body.put("allows", view.mode() == null ? null : allows(view.mode()));
    body.put("thresholds", thresholds(view.settings()));
    body.put("nodes", view.nodes().stream().map(BackpressureRoutes::node).toList());
    body.put("recentTransitions", view.recentTransitions().stream().map(BackpressureRoutes::transition).toList());
    return body;
  }

  private static Map<String, Object> node(NodeReport report) {
    Map<String, Object> node = new LinkedHashMap<>();
    node.put("address", report.address());
    node.put("available", report.available());
    NodeBackpressure status = report.status();
    if (status != null) {
      node.put("mode", status.mode().id());
      node.put("level", status.mode().level());
      node.put("depth", status.depth());
      node.put("leads", status.leads());
      node.put("since", status.since());
      node.put("transitions", status.transitions());
      node.put("thresholds", thresholds(status.settings()));
    }
    return node;
  }

  /** What the mode lets the AI stage do; the same answers it gets from the node's signal. */
  private static Map<String, Object> allows(BackpressureMode mode) {
    Map<String, Object> allows = new LinkedHashMap<>();
    allows.put("analytics", mode.analyticsAllowed());
    allows.put("leakageScans", mode.leakageScansAllowed());
    allows.put("persuasionVariants", mode.persuasionVariantsAllowed());
    allows.put("aiCalls", mode.aiCallsAllowed());
    return allows;
  }

  /** Per mode: the queue depth it starts above and the depth at or below which it may end. */
  private static Map<String, Object> thresholds(Backpressure.Settings settings) {
    Map<String, Object> thresholds = new LinkedHashMap<>();
    for (BackpressureMode mode : BackpressureMode.values()) {
      if (mode == BackpressureMode.NORMAL) continue;
      Map<String, Object> levels = new LinkedHashMap<>();
      levels.put("above", settings.threshold(mode));
      levels.put("releasedAtOrBelow", settings.releaseLevel(mode));
      thresholds.put(mode.id(), levels);
    }
    thresholds.put("releaseRatio", settings.releaseRatio());
    thresholds.put("minimumDwell", settings.minimumDwell().toString());
    return thresholds;
  }

  private static Map<String, Object> transition(NodeTransition change) {
    Map<String, Object> transition = new LinkedHashMap<>();
    transition.put("node", change.address());
    transition.put("from", change.transition().from().id());
    transition.put("to", change.transition().to().id());
    transition.put("depth", change.transition().depth());
    transition.put("at", change.transition().at());
    return transition;
  }
}
