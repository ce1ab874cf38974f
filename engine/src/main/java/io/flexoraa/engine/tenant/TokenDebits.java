package io.flexoraa.engine.tenant;

import com.typesafe.config.Config;
import io.flexoraa.engine.tenant.Tokens.DebitBatch;
import io.flexoraa.engine.tenant.Tokens.DebitBatchResult;
import io.flexoraa.engine.tenant.Tokens.DebitOutcome;
import io.flexoraa.engine.tenant.Tokens.DebitRequest;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.actor.typed.Scheduler;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * The node's {@link TokenBudget}: collects debit requests per tenant and sends each tenant's entity one
 * {@link DebitBatch} at a time, so that a thousand debits a second cost a few dozen persisted events, not a
 * thousand (docs/decisions/0013-token-debits-batched.md).
 *
 * <p>Per tenant: the first request opens a window ({@code window}); the batch leaves when the window closes or
 * {@code max-batch} requests are waiting. While a batch is being decided and persisted, the next one collects and
 * leaves as soon as the first is answered: at most one batch per tenant in flight from this node, so batches grow
 * with the load instead of queueing in the entity's stash. Each request's stage completes with its own outcome, or
 * fails when the batch could not be answered in {@code ask-timeout} (then the outcome is unknown) or when more than
 * {@code max-pending-per-tenant} requests are already waiting (nothing was debited).
 */
public final class TokenDebits implements TokenBudget {

  /** Settings from {@code flexoraa.billing.debits}. */
  public record Settings(Duration window, int maxBatch, int maxPendingPerTenant, Duration askTimeout) {
    public static Settings fromConfig(Config config) {
      Config debits = config.getConfig("flexoraa.billing.debits");
      return new Settings(debits.getDuration("window"), debits.getInt("max-batch"),
          debits.getInt("max-pending-per-tenant"), debits.getDuration("ask-timeout"));
    }
  }

  /** Too many of the tenant's debits are already waiting on this node; nothing was debited. */
  public static final class Overloaded extends RuntimeException {
    Overloaded(int pending) {
      super("more than " + pending + " token debits of this tenant are waiting", null, false, false);
    }
  }

  private final ActorRef<Message> batcher;

  private TokenDebits(ActorRef<Message> batcher) {
    this.batcher = batcher;
  }

  /** On every node: batches go to the tenants' sharded entities. */
  public static TokenDebits start(ActorSystem<?> system, Config config) {
    ClusterSharding sharding = ClusterSharding.get(system);
    return start(system, Settings.fromConfig(config),
        tenantId -> sharding.entityRefFor(TenantEntity.TYPE_KEY, tenantId), "token-debits");
  }

  /** With any way to reach a tenant (tests hand in a spawned entity), as the system actor {@code name}. */
  public static TokenDebits start(ActorSystem<?> system, Settings settings,
      Function<String, RecipientRef<Tenant.Command>> tenants, String name) {
    ActorRef<Message> batcher = system.systemActorOf(
        Behaviors.<Message>setup(context -> Behaviors.withTimers(timers ->
            new Batcher(context, timers, settings, tenants, system.scheduler()))),
        name, Props.empty());
    return new TokenDebits(batcher);
  }

  @Override
  public CompletionStage<DebitOutcome> debit(String tenantId, String operation, String leadId, String reference) {
    return debit(tenantId, operation, null, leadId, reference);
  }

  @Override
  public CompletionStage<DebitOutcome> debit(
      String tenantId, String operation, BigDecimal cost, String leadId, String reference) {
    CompletableFuture<DebitOutcome> outcome = new CompletableFuture<>();
    batcher.tell(new Request(tenantId, new DebitRequest(operation, cost, leadId, reference), outcome));
    return outcome;
  }

  // ---- the batcher: local messages only (they carry futures), never serialized ----

  private interface Message {}

  private record Request(String tenantId, DebitRequest request, CompletableFuture<DebitOutcome> outcome)
      implements Message {}

  private record WindowClosed(String tenantId) implements Message {}

  private record BatchAnswered(String tenantId) implements Message {}

  /** A tenant's requests waiting on this node, and whether one of its batches is on its way. */
  private static final class Queue {
    final ArrayDeque<Request> waiting = new ArrayDeque<>();
    boolean inFlight;
  }

  private static final class Batcher extends AbstractBehavior<Message> {
    private final TimerScheduler<Message> timers;
    private final Settings settings;
    private final Function<String, RecipientRef<Tenant.Command>> tenants;
    private final Scheduler scheduler;
    private final Map<String, Queue> queues = new HashMap<>();

    Batcher(ActorContext<Message> context, TimerScheduler<Message> timers, Settings settings,
        Function<String, RecipientRef<Tenant.Command>> tenants, Scheduler scheduler) {
      super(context);
      this.timers = timers;
      this.settings = settings;
      this.tenants = tenants;
      this.scheduler = scheduler;
    }

    @Override
    public Receive<Message> createReceive() {
      return newReceiveBuilder()
          .onMessage(Request.class, this::onRequest)
          .onMessage(WindowClosed.class, closed -> {
            Queue queue = queues.get(closed.tenantId());
            if (queue != null && !queue.inFlight && !queue.waiting.isEmpty()) send(closed.tenantId(), queue);
            return this;
          })
          .onMessage(BatchAnswered.class, this::onBatchAnswered)
          .onSignal(PostStop.class, stopped -> {
            queues.values().forEach(queue -> queue.waiting.forEach(request ->
                request.outcome().completeExceptionally(new IllegalStateException("token debits stopped"))));
            return this;
          })
          .build();
    }

    private Behavior<Message> onRequest(Request request) {
      Queue queue = queues.computeIfAbsent(request.tenantId(), tenantId -> new Queue());
      if (queue.waiting.size() >= settings.maxPendingPerTenant()) {
        request.outcome().completeExceptionally(new Overloaded(settings.maxPendingPerTenant()));
        return this;
      }
      queue.waiting.add(request);
      if (queue.inFlight) return this;
      if (queue.waiting.size() >= settings.maxBatch()) {
        send(request.tenantId(), queue);
      } else if (queue.waiting.size() == 1) {
        timers.startSingleTimer(windowKey(request.tenantId()), new WindowClosed(request.tenantId()), settings.window());
      }
      return this;
    }

    private Behavior<Message> onBatchAnswered(BatchAnswered answered) {
      Queue queue = queues.get(answered.tenantId());
      queue.inFlight = false;
      // whatever collected meanwhile has waited for a whole round trip already: it leaves at once
      if (!queue.waiting.isEmpty()) {
        send(answered.tenantId(), queue);
      } else {
        queues.remove(answered.tenantId());
      }
      return this;
    }

    private void send(String tenantId, Queue queue) {
      timers.cancel(windowKey(tenantId));
      List<Request> batch = new ArrayList<>(Math.min(queue.waiting.size(), settings.maxBatch()));
      while (!queue.waiting.isEmpty() && batch.size() < settings.maxBatch()) batch.add(queue.waiting.poll());
      queue.inFlight = true;
      List<DebitRequest> requests = batch.stream().map(Request::request).toList();
      ActorRef<Message> self = getContext().getSelf();
      CompletionStage<DebitBatchResult> answer = AskPattern.ask(
          tenants.apply(tenantId), replyTo -> new DebitBatch(requests, replyTo), settings.askTimeout(), scheduler);
      // the requesters' continuations run here, on the thread that completes the ask, never on the batcher's
      answer.whenComplete((result, failure) -> {
        for (int i = 0; i < batch.size(); i++) {
          if (failure != null) {
            batch.get(i).outcome().completeExceptionally(failure);
          } else {
            batch.get(i).outcome().complete(result.outcomes().get(i));
          }
        }
        self.tell(new BatchAnswered(tenantId));
      });
    }

    private static String windowKey(String tenantId) {
      return "window:" + tenantId;
    }
  }
}
