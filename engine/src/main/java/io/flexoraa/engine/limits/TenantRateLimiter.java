package io.flexoraa.engine.limits;

import io.flexoraa.engine.CborSerializable;
import io.flexoraa.engine.limits.PermitDecision.Granted;
import io.flexoraa.engine.limits.PermitDecision.Throttled;
import io.flexoraa.engine.limits.TokenBucket.Rate;
import io.flexoraa.engine.limits.TokenBucket.Take;
import java.time.Clock;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;

/**
 * One tenant's message rate, exact across the cluster because sharding gives each tenant one limiter on one node:
 * every node asks the same bucket. {@link TryAcquire} takes permits or answers when to try again; {@link Refund}
 * gives back permits that were granted here but then refused by the cluster-wide limit.
 *
 * <p>Not persistent, by design (docs/decisions/0014-rate-limits.md): a bucket is worth one second of history. A
 * limiter that passivates after idling, or moves with its shard, starts again full — which idling would have
 * allowed anyway; a move costs at most one extra burst.
 */
public final class TenantRateLimiter {
  public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "TenantRateLimit");

  public sealed interface Command extends CborSerializable {}

  /** Take {@code permits} now or be told when to try again. */
  public record TryAcquire(int permits, ActorRef<PermitDecision> replyTo) implements Command {}

  /** Give back permits this limiter granted that were not used after all. */
  public record Refund(int permits) implements Command {}

  private TenantRateLimiter() {}

  public static void init(ActorSystem<?> system, LimitSettings settings, Clock clock) {
    ClusterSharding.get(system).init(Entity.of(TYPE_KEY, context ->
        create(settings.tenantRate(context.getEntityId()), clock)));
  }

  public static Behavior<Command> create(Rate rate, Clock clock) {
    return Behaviors.setup(context -> limiting(TokenBucket.full(rate, clock.instant()), clock));
  }

  private static Behavior<Command> limiting(TokenBucket bucket, Clock clock) {
    return Behaviors.receive(Command.class)
        .onMessage(TryAcquire.class, command -> {
          if (command.permits() < 1) {
            command.replyTo().tell(new Granted(0));
            return Behaviors.same();
          }
          Take take = bucket.take(command.permits(), clock.instant());
          command.replyTo().tell(take.isGranted() ? new Granted(take.granted()) : new Throttled(take.retryAfter()));
          return limiting(take.bucket(), clock);
        })
        .onMessage(Refund.class, command -> command.permits() < 1
            ? Behaviors.same()
            : limiting(bucket.giveBack(command.permits(), clock.instant()), clock))
        .build();
  }
}
