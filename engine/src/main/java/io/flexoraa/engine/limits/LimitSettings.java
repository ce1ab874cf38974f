package io.flexoraa.engine.limits;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValueType;
import io.flexoraa.engine.limits.TokenBucket.Rate;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code flexoraa.limits}: the per-tenant rate (with per-tenant overrides), the cluster-wide rate and how it is leased
 * to nodes, and how long admission waits for the limiters.
 *
 * @param tenantDefault every tenant's rate unless overridden
 * @param tenantOverrides rates of particular tenants, by tenant id
 * @param cluster the budget of the whole cluster, whatever its node count
 * @param leaseSize the most permits a node takes from the cluster budget at once
 * @param leaseDuration how long a node may use a lease; unused permits expire with it
 * @param leaseRequestTimeout how long a node waits for the cluster budget to answer before refusing what waits on it
 * @param askTimeout how long an admission waits for the limiters before deferring as unavailable
 * @param unavailableRetryAfter the retry advice when a limiter cannot answer
 * @param aiWorkAsksPerTenant admission requests the deferred-work queue keeps in flight per tenant, per node
 */
public record LimitSettings(
    Rate tenantDefault,
    Map<String, Rate> tenantOverrides,
    Rate cluster,
    int leaseSize,
    Duration leaseDuration,
    Duration leaseRequestTimeout,
    Duration askTimeout,
    Duration unavailableRetryAfter,
    int aiWorkAsksPerTenant) {

  public LimitSettings {
    tenantOverrides = Map.copyOf(tenantOverrides);
    if (leaseSize < 1) throw new IllegalArgumentException("flexoraa.limits.lease-size must be at least 1");
    if (leaseSize > cluster.burst()) {
      throw new IllegalArgumentException("flexoraa.limits.lease-size must not exceed cluster-burst");
    }
    requirePositive(leaseDuration, "lease-duration");
    requirePositive(leaseRequestTimeout, "lease-request-timeout");
    requirePositive(askTimeout, "ask-timeout");
    requirePositive(unavailableRetryAfter, "unavailable-retry-after");
    // a node must give up on the cluster budget before the admission asking it gives up on the node
    if (leaseRequestTimeout.compareTo(askTimeout) >= 0) {
      throw new IllegalArgumentException("flexoraa.limits.lease-request-timeout must be shorter than ask-timeout");
    }
    if (aiWorkAsksPerTenant < 1) {
      throw new IllegalArgumentException("flexoraa.limits.deferred-ai-work.asks-per-tenant must be at least 1");
    }
  }

  public static LimitSettings fromConfig(Config config) {
    Config limits = config.getConfig("flexoraa.limits");
    Rate tenantDefault = new Rate(limits.getDouble("tenant-messages-per-second"), limits.getInt("tenant-burst"));
    Map<String, Rate> overrides = new HashMap<>();
    // keys are tenant ids (UUIDs): read them as the object's keys, not as paths, so no id is split at a dot
    limits.getObject("tenant-overrides").forEach((tenantId, value) -> {
      if (value.valueType() != ConfigValueType.OBJECT) {
        throw new IllegalArgumentException("flexoraa.limits.tenant-overrides." + tenantId
            + " must be an object with messages-per-second and burst");
      }
      Config override = ((ConfigObject) value).toConfig();
      double perSecond = override.getDouble("messages-per-second");
      int burst = override.hasPath("burst") ? override.getInt("burst") : Math.max(1, (int) Math.ceil(perSecond));
      overrides.put(tenantId, new Rate(perSecond, burst));
    });
    return new LimitSettings(
        tenantDefault,
        overrides,
        new Rate(limits.getDouble("cluster-messages-per-second"), limits.getInt("cluster-burst")),
        limits.getInt("lease-size"),
        limits.getDuration("lease-duration"),
        limits.getDuration("lease-request-timeout"),
        limits.getDuration("ask-timeout"),
        limits.getDuration("unavailable-retry-after"),
        limits.getInt("deferred-ai-work.asks-per-tenant"));
  }

  public Rate tenantRate(String tenantId) {
    return tenantOverrides.getOrDefault(tenantId, tenantDefault);
  }

  /**
   * The fewest permits the cluster budget leases at once when a node asks for more: a tenth of a full lease, so a
   * budget running dry is shared out in a few sizeable leases instead of a stream of single permits.
   */
  public int minimumLease() {
    return Math.max(1, leaseSize / 10);
  }

  private static void requirePositive(Duration duration, String key) {
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException("flexoraa.limits." + key + " must be positive");
    }
  }
}
