package io.flexoraa.engine.limits;

import io.flexoraa.engine.CborSerializable;
import io.flexoraa.engine.limits.PermitDecision.Granted;
import io.flexoraa.engine.limits.PermitDecision.Throttled;
import io.flexoraa.engine.limits.TokenBucket.Rate;
import io.flexoraa.engine.limits.TokenBucket.Take;
import io.flexoraa.engine.tenant.Abuse;
import io.flexoraa.engine.tenant.Abuse.Restrictions;
import io.flexoraa.engine.tenant.TenantEntity;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;

/**
 * One tenant's message rate, exact across the cluster because sharding gives each tenant one limiter on one node:
 * every node asks the same bucket. {@link TryAcquire} takes permits or answers when to try again; {@link Refund}
 * gives back permits that were granted here but then refused by the cluster-wide limit.
 *
 * <p>Abuse restrictions: the limiter reads the tenant's {@link Restrictions} when it starts and every {@code
 * refresh}. During a failure flood the rate drops to the throttled rate until the throttle ends; while the tenant's
 * intake is parked every grant says so, so the work queue asks the tenant before starting a new lead's work.
 *
 * <p>Not persistent, by design (docs/decisions/0014-rate-limits.md): a bucket is worth one second of history. A
 * limiter that passivates after idling, or moves with its shard, starts again full — which idling would have
 * allowed anyway; a move costs at most one extra burst. The restrictions are the tenant entity's, read again.
 */
public final class TenantRateLimiter {
  public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "TenantRateLimit");

  public sealed interface Command extends CborSerializable {}

  /** Take {@code permits} now or be told when to try again. */
  public record TryAcquire(int permits, ActorRef<PermitDecision> replyTo) implements Command {}

  /** Give back permits this limiter granted that were not used after all. */
  public record Refund(int permits) implements Command {}

  private record RestrictionsRead(Restrictions restrictions) implements Command {}

  private enum Refresh implements Command { INSTANCE }

  /** Where the limiter reads a tenant's restrictions: the tenant entity, in production. */
  public interface RestrictionsSource extends Function<String, CompletionStage<Restrictions>> {
    RestrictionsSource NONE = tenantId -> java.util.concurrent.CompletableFuture.completedFuture(Restrictions.NONE);
  }

  private TenantRateLimiter() {}

  public static void init(ActorSystem<?> system, LimitSettings settings, Duration refresh, Clock clock) {
    ClusterSharding sharding = ClusterSharding.get(system);
    RestrictionsSource source = tenantId -> sharding.entityRefFor(TenantEntity.TYPE_KEY, tenantId)
        .ask(Abuse.GetRestrictions::new, settings.askTimeout());
    sharding.init(Entity.of(TYPE_KEY, context ->
        create(context.getEntityId(), settings.tenantRate(context.getEntityId()), source, refresh, clock)));
  }

  /** A limiter without restrictions (tests of the rate alone). */
  public static Behavior<Command> create(Rate rate, Clock clock) {
    return create("", rate, RestrictionsSource.NONE, Duration.ofDays(1), clock);
  }

  public static Behavior<Command> create(
      String tenantId, Rate rate, RestrictionsSource source, Duration refresh, Clock clock) {
    return Behaviors.setup(context -> Behaviors.withTimers(timers -> {
      timers.startTimerWithFixedDelay(Refresh.INSTANCE, refresh);
      Limiter limiter = new Limiter(context, tenantId, rate, source, clock);
      limiter.read();
      return limiter.behavior();
    }));
  }

  private static final class Limiter {
    private final ActorContext<Command> context;
    private final String tenantId;
    private final Rate baseRate;
    private final RestrictionsSource source;
    private final Clock clock;
    private TokenBucket bucket;
    private Restrictions restrictions = Restrictions.NONE;

    Limiter(ActorContext<Command> context, String tenantId, Rate baseRate, RestrictionsSource source, Clock clock) {
      this.context = context;
      this.tenantId = tenantId;
      this.baseRate = baseRate;
      this.source = source;
      this.clock = clock;
      this.bucket = TokenBucket.full(baseRate, clock.instant());
    }

    void read() {
      CompletionStage<Restrictions> reading;
      try {
        reading = source.apply(tenantId);
      } catch (RuntimeException e) {
        reading = java.util.concurrent.CompletableFuture.failedFuture(e);
      }
      context.pipeToSelf(reading, (read, failure) ->
          // an unreadable tenant keeps what was read last; the next refresh tries again
          new RestrictionsRead(failure == null && read != null ? read : restrictions));
    }

    Behavior<Command> behavior() {
      return Behaviors.receive(Command.class)
          .onMessage(TryAcquire.class, command -> {
            if (command.permits() < 1) {
              command.replyTo().tell(new Granted(0, restrictions.intakeParked()));
              return Behaviors.same();
            }
            Instant now = clock.instant();
            ensureRate(now);
            Take take = bucket.take(command.permits(), now);
            bucket = take.bucket();
            command.replyTo().tell(take.isGranted()
                ? new Granted(take.granted(), restrictions.intakeParked())
                : new Throttled(take.retryAfter()));
            return Behaviors.same();
          })
          .onMessage(Refund.class, command -> {
            if (command.permits() >= 1) bucket = bucket.giveBack(command.permits(), clock.instant());
            return Behaviors.same();
          })
          .onMessage(RestrictionsRead.class, read -> {
            restrictions = read.restrictions();
            ensureRate(clock.instant());
            return Behaviors.same();
          })
          .onMessageEquals(Refresh.INSTANCE, () -> {
            read();
            return Behaviors.same();
          })
          .build();
    }

    /** The bucket at the rate in force now: throttled while a throttle lasts, the tenant's own otherwise. */
    private void ensureRate(Instant now) {
      boolean throttled = restrictions.throttledPerSecond() != null
          && (restrictions.throttledUntil() == null || now.isBefore(restrictions.throttledUntil()));
      Rate rate = throttled ? throttledRate(restrictions.throttledPerSecond().doubleValue()) : baseRate;
      if (rate.equals(bucket.rate())) return;
      TokenBucket current = bucket.refilled(now);
      bucket = new TokenBucket(rate, Math.min(current.available(), rate.burst()), current.updatedAt());
    }

    private Rate throttledRate(double perSecond) {
      double rate = Math.min(perSecond, baseRate.perSecond());
      return new Rate(rate, Math.max(1, (int) Math.floor(rate)));
    }
  }
}
