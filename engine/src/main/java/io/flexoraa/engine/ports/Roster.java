package io.flexoraa.engine.ports;

import io.flexoraa.engine.routing.Sdr;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * A tenant's SDR roster as the rest of the engine reads it (appointments need an SDR's working hours and e-mail,
 * notifications need to know who the managers' reps are). Routing owns the roster; this is its read side.
 */
public interface Roster {
  /** The SDR {@code userId} of {@code tenantId}, if they are on the roster. */
  CompletionStage<Optional<Sdr>> sdr(String tenantId, String userId);

  /** Every SDR on the tenant's roster, in a stable order (by user id). */
  CompletionStage<List<Sdr>> sdrs(String tenantId);
}
