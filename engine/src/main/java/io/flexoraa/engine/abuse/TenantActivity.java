package io.flexoraa.engine.abuse;

import io.flexoraa.engine.tenant.Abuse;
import io.flexoraa.engine.tenant.TenantEntity;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * What one node tells tenants about their traffic for abuse protection: new leads and failures (refused lead
 * submissions, failed deliveries), counted here and sent to each tenant at most once per {@code reportEvery} as
 * one {@link Abuse.RecordActivity} — one event per tenant and node per interval, however busy, instead of one per
 * lead. A count still unsent when the node stops is lost (at most one interval's worth): the rules judge whole hours.
 */
public final class TenantActivity {

  /** Counts intake and failures; the counts go to tenants in the background. */
  public interface Recorder {
    void newLead(String tenantId);

    void failures(String tenantId, int count);

    Recorder NONE = new Recorder() {
      @Override
      public void newLead(String tenantId) {}

      @Override
      public void failures(String tenantId, int count) {}
    };
  }

  sealed interface Command {}

  private record Count(String tenantId, long intake, long failures) implements Command {}

  private enum Report implements Command { INSTANCE }

  private TenantActivity() {}

  /** Starts this node's counter, reporting to the sharded tenants. */
  public static Recorder start(ActorSystem<?> system, Duration reportEvery) {
    ClusterSharding sharding = ClusterSharding.get(system);
    ActorRef<Command> counter = system.systemActorOf(
        create(reportEvery, (tenantId, report) ->
            sharding.entityRefFor(TenantEntity.TYPE_KEY, tenantId).tell(report)),
        "tenant-activity", Props.empty());
    return recorder(counter);
  }

  static Recorder recorder(ActorRef<Command> counter) {
    return new Recorder() {
      @Override
      public void newLead(String tenantId) {
        counter.tell(new Count(tenantId, 1, 0));
      }

      @Override
      public void failures(String tenantId, int count) {
        if (count > 0) counter.tell(new Count(tenantId, 0, count));
      }
    };
  }

  /** Where a report goes: in production the tenant entity. */
  interface Sink {
    void send(String tenantId, Abuse.RecordActivity report);
  }

  static Behavior<Command> create(Duration reportEvery, Sink sink) {
    return Behaviors.withTimers(timers -> {
      timers.startTimerWithFixedDelay(Report.INSTANCE, reportEvery);
      return counting(new HashMap<>(), sink);
    });
  }

  private static Behavior<Command> counting(Map<String, long[]> counts, Sink sink) {
    return Behaviors.receive(Command.class)
        .onMessage(Count.class, count -> {
          long[] total = counts.computeIfAbsent(count.tenantId(), tenant -> new long[2]);
          total[0] += count.intake();
          total[1] += count.failures();
          return Behaviors.same();
        })
        .onMessageEquals(Report.INSTANCE, () -> {
          report(counts, sink);
          return Behaviors.same();
        })
        .onSignal(PostStop.class, signal -> {
          // a stopping node hands over what it counted; the tenants may already be gone, which loses it as documented
          report(counts, sink);
          return Behaviors.same();
        })
        .build();
  }

  private static void report(Map<String, long[]> counts, Sink sink) {
    counts.forEach((tenantId, total) -> sink.send(tenantId, new Abuse.RecordActivity(total[0], total[1])));
    counts.clear();
  }
}
