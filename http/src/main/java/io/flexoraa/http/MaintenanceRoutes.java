package io.flexoraa.http;

import io.flexoraa.persistence.crypto.KeyRotation;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;

/**
 * Key status and on-demand rotation for a tenant's administrators, and an on-demand retention run for the operator
 * (the same job also runs on its schedule; running it twice changes nothing).
 */
final class MaintenanceRoutes extends AllDirectives {
  private final KeyRotation keyRotation;
  private final KeyEventsBroadcast keyEvents;
  private final RetentionSchedule retention;

  MaintenanceRoutes(KeyRotation keyRotation, KeyEventsBroadcast keyEvents, RetentionSchedule retention) {
    this.keyRotation = keyRotation;
    this.keyEvents = keyEvents;
    this.retention = retention;
  }

  Map<Endpoint, ApiRouter.Handler> handlers() {
    Map<Endpoint, ApiRouter.Handler> handlers = new EnumMap<>(Endpoint.class);
    handlers.put(Endpoint.GET_ENCRYPTION_KEYS, call -> onSuccess(keyRotation.status(call.tenant().id()), status -> {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("tenantId", call.tenant().id());
      body.put("keyVersion", status.map(KeyRotation.KeyStatus::keyVersion).orElse(0));
      body.put("createdAt", status.map(KeyRotation.KeyStatus::createdAt).orElse(null));
      body.put("rotatedAt", status.map(KeyRotation.KeyStatus::rotatedAt).orElse(null));
      return complete(Json.response(StatusCodes.OK, body));
    }));
    handlers.put(Endpoint.ROTATE_ENCRYPTION_KEYS, call -> onSuccess(
        keyRotation.status(call.tenant().id()).thenCompose(status -> status.isEmpty()
            ? CompletableFuture.completedFuture((KeyRotation.Rotation) null)
            : keyRotation.rotateTenantKey(call.tenant().id(), call.principal().actor()).thenApply(rotation -> {
              keyEvents.tenantKeyRotated(rotation.tenantId());
              return rotation;
            })),
        rotation -> rotation == null
            ? complete(Problems.of(StatusCodes.CONFLICT, "No key yet",
                "this tenant has no encryption key yet; it is created with the first lead"))
            : complete(Json.response(StatusCodes.OK, rotation))));
    handlers.put(Endpoint.RUN_RETENTION, call -> onSuccess(retention.runNow(),
        report -> complete(Json.response(StatusCodes.OK, report))));
    return handlers;
  }
}
