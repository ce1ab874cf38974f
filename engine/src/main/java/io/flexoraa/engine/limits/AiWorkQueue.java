package io.flexoraa.engine.limits;

import io.flexoraa.engine.CborSerializable;
import io.flexoraa.engine.limits.Admission.Deferred;
import io.flexoraa.engine.limits.Admission.Reason;
import io.flexoraa.engine.limits.Backpressure.Transition;
import io.flexoraa.engine.ports.AiWork;
import io.flexoraa.engine.ports.EngineMetrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;

/**
 * Where stored inbound messages wait for admission before their AI work starts; one per node. Intake
 * {@link #offer}s the new messages of a webhook after they are persisted — a tell, so the acknowledgement never
 * waits for admission — and this queue asks {@link MessageAdmission} for each in turn.
 *
 * <p>Order per lead: a lead's messages form one queue and only its head is ever being asked about, so they start in
 * the order they were stored, however admission answers. A deferral keeps the message at the head. Nothing is
 * dropped: a deferred message waits here until a later ask admits it.
 *
 * <p>Drain: a deferral blocks its tenant (a tenant limit or an unavailable limiter) or every tenant (the cluster
 * limit) on this node for the advised time, so a tenant with thousands of deferred messages costs one ask per
 * retry, not thousands; when the block lifts, the tenant's leads are asked about again, oldest deferral first, with
 * at most {@code aiWorkAsksPerTenant} asks in flight per tenant.
 *
 * <p>Backpressure (docs/decisions/0017-backpressure-modes.md): the number of messages waiting here is the node's
 * queue depth. The queue evaluates its {@link Backpressure} mode whenever the depth changes, and periodically while
 * the mode is not normal so that a mode can end after its dwell without new traffic; it publishes the mode in the
 * node's {@link BackpressureSignal} and answers {@link GetBackpressure} from any node of the cluster (registered with
 * the receptionist under {@link #SERVICE_KEY}).
 *
 * <p>Parked intake (abuse protection, docs/decisions/0019-abuse-protection.md): work admitted while its tenant's
 * intake is parked goes to {@link WorkParking}; the tenant keeps it (durably, until released) or hands it back to
 * start now. Its lead waits for the answer, so order per lead holds.
 *
 * <p>In memory by design (docs/decisions/0014-rate-limits.md): the messages themselves are in the leads' journals;
 * making their pending AI work survive a node stopping is the AI stage's job (issue 6).
 */
public final class AiWorkQueue {

  public sealed interface Command {}

  /** New messages of one or more leads, in the order they were stored. */
  public record Offer(List<AiWork.Item> items) implements Command {
    public Offer {
      items = List.copyOf(items);
    }
  }

  /** How many messages wait on this node, and for how many leads. */
  public record GetDepth(ActorRef<Depth> replyTo) implements Command {}

  public record Depth(long messages, int leads) {}

  /** This node's backpressure, asked across the cluster by {@link ClusterBackpressure}. */
  public record GetBackpressure(ActorRef<NodeBackpressure> replyTo) implements Command, CborSerializable {}

  /**
   * @param address the node's cluster address
   * @param since when {@code mode} began
   * @param transitions changes of mode on this node since it started
   * @param recentTransitions the latest changes, oldest first, at most {@code settings.recentTransitions()}
   */
  public record NodeBackpressure(String address, BackpressureMode mode, long depth, int leads, Instant since,
      long transitions, List<Transition> recentTransitions, Backpressure.Settings settings) implements CborSerializable {
    public NodeBackpressure {
      recentTransitions = List.copyOf(recentTransitions);
    }
  }

  /** Every node's queue is registered under this key, for the cluster view of backpressure. */
  public static final ServiceKey<GetBackpressure> SERVICE_KEY = ServiceKey.create(GetBackpressure.class, "ai-work-queue");

  private record Answered(String leadKey, String tenantId, Admission admission) implements Command {}

  /** The tenant's answer on work admitted while its intake is parked: kept, to start now, or null (no answer). */
  private record ParkAnswered(String leadKey, String tenantId, Boolean parked) implements Command {}

  private record TenantUnblocked(String tenantId) implements Command {}

  private enum ClusterUnblocked implements Command { INSTANCE }

  private enum EvaluateBackpressure implements Command { INSTANCE }


  private final ActorRef<Command> queue;

  private AiWorkQueue(ActorRef<Command> queue) {
    this.queue = queue;
  }

  /** Starts this node's queue. */
  public static AiWorkQueue start(ActorSystem<?> system, MessageAdmission admission, AiWork aiWork,
      LimitSettings settings, Backpressure.Settings backpressure, BackpressureSignal signal, EngineMetrics metrics,
      Clock clock) {
    return start(system, admission, aiWork, WorkParking.NONE, settings, backpressure, signal, metrics, clock);
  }

  /** {@code parking}: where work goes that is admitted while its tenant's intake is parked. */
  public static AiWorkQueue start(ActorSystem<?> system, MessageAdmission admission, AiWork aiWork,
      WorkParking parking, LimitSettings settings, Backpressure.Settings backpressure, BackpressureSignal signal,
      EngineMetrics metrics, Clock clock) {
    return new AiWorkQueue(system.systemActorOf(
        create(admission, aiWork, parking, settings, backpressure, signal, metrics, clock), "ai-work-queue",
        Props.empty()));
  }

  public static Behavior<Command> create(MessageAdmission admission, AiWork aiWork, LimitSettings settings,
      Backpressure.Settings backpressure, BackpressureSignal signal, EngineMetrics metrics, Clock clock) {
    return create(admission, aiWork, WorkParking.NONE, settings, backpressure, signal, metrics, clock);
  }

  public static Behavior<Command> create(MessageAdmission admission, AiWork aiWork, WorkParking parking,
      LimitSettings settings, Backpressure.Settings backpressure, BackpressureSignal signal, EngineMetrics metrics,
      Clock clock) {
    // an exception thrown by the AI stage must not cost the queue its contents
    return Behaviors.supervise(Behaviors.<Command>setup(context -> Behaviors.<Command>withTimers(timers -> {
          context.getSystem().receptionist().tell(Receptionist.register(SERVICE_KEY, context.getSelf().narrow()));
          return new Queue(context, timers, admission, aiWork, parking, settings,
              new BackpressureTracker(backpressure, signal, clock), metrics);
        })))
        .onFailure(SupervisorStrategy.resume());
  }

  public void offer(List<AiWork.Item> items) {
    if (!items.isEmpty()) queue.tell(new Offer(items));
  }

  /** The actor behind this queue, for queries such as {@link GetDepth}. */
  public ActorRef<Command> ref() {
    return queue;
  }

  /** One tenant's leads on this node: those ready to be asked about, asks in flight, and whether it is blocked. */
  private static final class TenantLine {
    final ArrayDeque<String> readyLeads = new ArrayDeque<>();
    int asking;
    boolean blocked;

    boolean idle() {
      return readyLeads.isEmpty() && asking == 0 && !blocked;
    }
  }

  /** The node's backpressure mode as the queue tracks it: published to the signal, its latest changes kept. */
  private static final class BackpressureTracker {
    private final Backpressure.Settings settings;
    private final Backpressure machine;
    private final BackpressureSignal signal;
    private final ArrayDeque<Transition> recent = new ArrayDeque<>();
    private long transitions;

    BackpressureTracker(Backpressure.Settings settings, BackpressureSignal signal, Clock clock) {
      this.settings = settings;
      this.machine = new Backpressure(settings, clock);
      this.signal = signal;
      signal.set(machine.mode());
    }

    BackpressureMode mode() {
      return machine.mode();
    }

    Duration evaluationInterval() {
      return settings.evaluationInterval();
    }

    Optional<Transition> observe(long depth) {
      Optional<Transition> change = machine.observe(depth);
      change.ifPresent(transition -> {
        signal.set(transition.to());
        recent.addLast(transition);
        while (recent.size() > settings.recentTransitions()) recent.removeFirst();
        transitions++;
      });
      return change;
    }

    NodeBackpressure report(String address, long depth, int leads) {
      return new NodeBackpressure(address, machine.mode(), depth, leads, machine.since(), transitions,
          List.copyOf(recent), settings);
    }
  }

  private static final class Queue extends AbstractBehavior<Command> {
    private final TimerScheduler<Command> timers;
    private final MessageAdmission admission;
    private final AiWork aiWork;
    private final WorkParking parking;
    private final LimitSettings settings;
    private final BackpressureTracker backpressure;
    private final EngineMetrics metrics;
    private final Map<String, ArrayDeque<AiWork.Item>> byLead = new HashMap<>();
    private final Map<String, TenantLine> byTenant = new HashMap<>();
    private boolean clusterBlocked;
    private long pending;

    Queue(ActorContext<Command> context, TimerScheduler<Command> timers, MessageAdmission admission, AiWork aiWork,
        WorkParking parking, LimitSettings settings, BackpressureTracker backpressure, EngineMetrics metrics) {
      super(context);
      this.parking = parking;
      this.timers = timers;
      this.admission = admission;
      this.aiWork = aiWork;
      this.settings = settings;
      this.backpressure = backpressure;
      this.metrics = metrics;
      metrics.backpressureMode(backpressure.mode());
    }

    @Override
    public Receive<Command> createReceive() {
      return newReceiveBuilder()
          .onMessage(Offer.class, this::onOffer)
          .onMessage(Answered.class, this::onAnswered)
          .onMessage(ParkAnswered.class, this::onParkAnswered)
          .onMessage(TenantUnblocked.class, this::onTenantUnblocked)
          .onMessageEquals(ClusterUnblocked.INSTANCE, this::onClusterUnblocked)
          .onMessageEquals(EvaluateBackpressure.INSTANCE, () -> {
            evaluateBackpressure();
            return this;
          })
          .onMessage(GetDepth.class, query -> {
            query.replyTo().tell(new Depth(pending, byLead.size()));
            return this;
          })
          .onMessage(GetBackpressure.class, query -> {
            query.replyTo().tell(
                backpressure.report(getContext().getSystem().address().toString(), pending, byLead.size()));
            return this;
          })
          .onSignal(PostStop.class, signal -> {
            if (pending > 0) {
              getContext().getLog().warn("{} messages' AI work was still waiting for admission when this node "
                  + "stopped; the messages are stored in their leads' journals", pending);
            }
            return this;
          })
          .build();
    }

    private Behavior<Command> onOffer(Offer offer) {
      for (AiWork.Item item : offer.items()) {
        String leadKey = item.tenantId() + ":" + item.leadId();
        ArrayDeque<AiWork.Item> lead = byLead.get(leadKey);
        if (lead == null) {
          lead = new ArrayDeque<>();
          byLead.put(leadKey, lead);
          // a lead already queued is either ready or being asked about; either way its new message follows
          byTenant.computeIfAbsent(item.tenantId(), tenant -> new TenantLine()).readyLeads.addLast(leadKey);
        }
        lead.addLast(item);
        pending++;
      }
      offer.items().stream().map(AiWork.Item::tenantId).distinct().forEach(this::pump);
      depthChanged();
      return this;
    }

    private Behavior<Command> onAnswered(Answered answered) {
      TenantLine line = byTenant.get(answered.tenantId());
      line.asking--;
      ArrayDeque<AiWork.Item> lead = byLead.get(answered.leadKey());
      if (answered.admission() instanceof Deferred deferred) {
        line.readyLeads.addFirst(answered.leadKey());
        block(answered.tenantId(), line, deferred);
      } else if (answered.admission() instanceof Admission.Admitted admitted && admitted.intakeParked()) {
        // the tenant's intake is parked: it decides whether this work waits for a release; the lead stays busy
        // meanwhile, so its later messages cannot overtake this one
        line.asking++;
        String leadKey = answered.leadKey();
        String tenantId = answered.tenantId();
        getContext().pipeToSelf(parking.park(lead.peekFirst()),
            (parked, failure) -> new ParkAnswered(leadKey, tenantId, failure == null ? parked : null));
      } else {
        takeHead(answered.leadKey(), line, lead, true);
      }
      pump(answered.tenantId());
      depthChanged();
      return this;
    }

    private Behavior<Command> onParkAnswered(ParkAnswered answered) {
      TenantLine line = byTenant.get(answered.tenantId());
      line.asking--;
      ArrayDeque<AiWork.Item> lead = byLead.get(answered.leadKey());
      if (answered.parked() == null) {
        // no answer: the work stays first in its lead and is asked about again after a pause
        line.readyLeads.addFirst(answered.leadKey());
        block(answered.tenantId(), line, new Deferred(settings.unavailableRetryAfter(), Reason.LIMITER_UNAVAILABLE));
      } else {
        takeHead(answered.leadKey(), line, lead, !answered.parked());
      }
      pump(answered.tenantId());
      depthChanged();
      return this;
    }

    /** The lead's first message leaves the queue (started, or kept by its tenant); the lead goes to the back. */
    private void takeHead(String leadKey, TenantLine line, ArrayDeque<AiWork.Item> lead, boolean startIt) {
      AiWork.Item item = lead.pollFirst();
      pending--;
      if (startIt) start(item);
      if (lead.isEmpty()) byLead.remove(leadKey);
      else line.readyLeads.addLast(leadKey);
    }

    private Behavior<Command> onTenantUnblocked(TenantUnblocked unblocked) {
      TenantLine line = byTenant.get(unblocked.tenantId());
      if (line != null) {
        line.blocked = false;
        pump(unblocked.tenantId());
      }
      return this;
    }

    private Behavior<Command> onClusterUnblocked() {
      clusterBlocked = false;
      List.copyOf(byTenant.keySet()).forEach(this::pump);
      return this;
    }

    private void block(String tenantId, TenantLine line, Deferred deferred) {
      Duration retryAfter = deferred.retryAfter();
      if (deferred.reason() == Reason.CLUSTER_LIMIT) {
        if (!clusterBlocked) {
          clusterBlocked = true;
          timers.startSingleTimer(ClusterUnblocked.INSTANCE, ClusterUnblocked.INSTANCE, retryAfter);
        }
      } else if (!line.blocked) {
        line.blocked = true;
        timers.startSingleTimer("tenant:" + tenantId, new TenantUnblocked(tenantId), retryAfter);
      }
    }

    /** Asks about the heads of the tenant's ready leads, as far as blocks and the per-tenant ask budget allow. */
    private void pump(String tenantId) {
      TenantLine line = byTenant.get(tenantId);
      if (line == null) return;
      while (!clusterBlocked && !line.blocked && line.asking < settings.aiWorkAsksPerTenant()
          && !line.readyLeads.isEmpty()) {
        String leadKey = line.readyLeads.pollFirst();
        line.asking++;
        getContext().pipeToSelf(admission.admit(tenantId, 1), (answer, failure) -> new Answered(leadKey, tenantId,
            failure == null ? answer : new Deferred(settings.unavailableRetryAfter(), Reason.LIMITER_UNAVAILABLE)));
      }
      if (line.idle()) byTenant.remove(tenantId);
    }

    private void depthChanged() {
      metrics.aiWorkDeferred(pending);
      evaluateBackpressure();
    }

    private void evaluateBackpressure() {
      backpressure.observe(pending).ifPresent(transition -> {
        metrics.backpressureTransition(transition.from(), transition.to());
        metrics.backpressureMode(transition.to());
        String format = "Backpressure {} -> {}: {} messages wait for admission on this node";
        if (transition.rising()) {
          getContext().getLog().warn(format, transition.from().id(), transition.to().id(), transition.depth());
        } else {
          getContext().getLog().info(format, transition.from().id(), transition.to().id(), transition.depth());
        }
      });
      // without traffic nothing else would notice that a mode's dwell has passed
      if (backpressure.mode() == BackpressureMode.NORMAL) {
        timers.cancel(EvaluateBackpressure.INSTANCE);
      } else if (!timers.isTimerActive(EvaluateBackpressure.INSTANCE)) {
        timers.startTimerWithFixedDelay(EvaluateBackpressure.INSTANCE, EvaluateBackpressure.INSTANCE,
            backpressure.evaluationInterval());
      }
    }

    private void start(AiWork.Item item) {
      try {
        aiWork.start(item);
      } catch (RuntimeException e) {
        // the message was admitted and is stored; the AI stage answers for its own failures
        getContext().getLog().warn("The AI stage refused a message's work: {}", e.toString());
      }
    }
  }
}
