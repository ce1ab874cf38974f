package io.flexoraa.engine.limits;

import static io.flexoraa.engine.limits.BackpressureMode.DEFAULT_PERSUASION;
import static io.flexoraa.engine.limits.BackpressureMode.DEFER_ANALYTICS;
import static io.flexoraa.engine.limits.BackpressureMode.NORMAL;
import static io.flexoraa.engine.limits.BackpressureMode.TEMPLATE_ONLY;
import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.flexoraa.engine.limits.Admission.Deferred;
import io.flexoraa.engine.limits.Admission.Reason;
import io.flexoraa.engine.limits.AiWorkQueue.NodeBackpressure;
import io.flexoraa.engine.limits.Backpressure.Transition;
import io.flexoraa.engine.ports.AiWork;
import io.flexoraa.engine.ports.EngineMetrics;
import io.flexoraa.engine.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The queue's backpressure mode as its depth grows and falls, with low thresholds (5 / 10 / 20, released at 4 / 8 /
 * 16) and a hand-moved clock: the mode is published in the signal, reported to the metrics and to operators, and
 * falls back once the depth is low and the dwell has passed, even when no message moves any more. The queue's own
 * guarantees hold meanwhile: every message starts, in order per lead.
 */
class AiWorkQueueBackpressureTest {
  private static final LimitSettings LIMITS = LimitSettings.fromConfig(ConfigFactory.load());
  private static final Duration DWELL = Duration.ofSeconds(5);
  private static final Backpressure.Settings BACKPRESSURE = new Backpressure.Settings(
      5, 10, 20, 0.8, DWELL, Duration.ofMillis(50), 3, Duration.ofSeconds(1));
  private static final Instant START = Instant.parse("2026-03-14T09:00:00Z");

  private static ActorTestKit testKit;

  @BeforeAll
  static void start() {
    testKit = ActorTestKit.create("AiWorkQueueBackpressureTest");
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  /** Holds every message until the test releases some: admits while released permits last, else defers briefly. */
  private static final class HeldAdmission implements MessageAdmission {
    private final AtomicInteger released = new AtomicInteger();

    @Override
    public CompletionStage<Admission> admit(String tenantId, int permits) {
      boolean admitted = released.getAndUpdate(left -> left > 0 ? left - 1 : 0) > 0;
      return CompletableFuture.completedFuture(
          admitted ? Admission.ADMITTED : new Deferred(Duration.ofMillis(20), Reason.TENANT_LIMIT));
    }
  }

  private static final class ModeMetrics implements EngineMetrics {
    final List<BackpressureMode> modes = new CopyOnWriteArrayList<>();
    final List<String> transitions = new CopyOnWriteArrayList<>();

    @Override
    public void eventsPersisted(String entityType, int count) {}

    @Override
    public void backpressureMode(BackpressureMode mode) {
      modes.add(mode);
    }

    @Override
    public void backpressureTransition(BackpressureMode from, BackpressureMode to) {
      transitions.add(from.id() + ">" + to.id());
    }
  }

  private final ManualClock clock = new ManualClock(START);
  private final HeldAdmission admission = new HeldAdmission();
  private final BackpressureSignal signal = new BackpressureSignal();
  private final ModeMetrics metrics = new ModeMetrics();
  private final TestProbe<AiWork.Item> started = testKit.createTestProbe();
  private final ActorRef<AiWorkQueue.Command> queue = testKit.spawn(AiWorkQueue.create(
      admission, item -> started.ref().tell(item), LIMITS, BACKPRESSURE, signal, metrics, clock));

  @Test
  void theModeFollowsTheDepthUpAtOnceAndDownAfterItsDwell() {
    assertThat(backpressure().mode()).isEqualTo(NORMAL);
    assertThat(metrics.modes).containsExactly(NORMAL);

    offer(0, 8);
    NodeBackpressure deferring = backpressure();
    assertThat(deferring.mode()).isEqualTo(DEFER_ANALYTICS);
    assertThat(deferring.depth()).isEqualTo(8);
    assertThat(deferring.since()).isEqualTo(START);
    assertThat(signal.mode()).isEqualTo(DEFER_ANALYTICS);

    offer(8, 15);
    assertThat(backpressure().mode()).as("23 waiting: past two thresholds at once").isEqualTo(TEMPLATE_ONLY);
    assertThat(signal.mode()).isEqualTo(TEMPLATE_ONLY);

    admission.released.set(10);
    List<AiWork.Item> first = started.receiveSeveralMessages(10);
    NodeBackpressure draining = backpressure();
    assertThat(draining.depth()).isEqualTo(13);
    assertThat(draining.mode()).as("13 is below the release level of 16, but the dwell has not passed")
        .isEqualTo(TEMPLATE_ONLY);

    clock.advance(DWELL);
    started.awaitAssert(Duration.ofSeconds(3), () ->
        assertThat(backpressure().mode()).as("13 is above default-persuasion's release level of 8")
            .isEqualTo(DEFAULT_PERSUASION));

    admission.released.set(13);
    List<AiWork.Item> rest = started.receiveSeveralMessages(13);
    NodeBackpressure drained = backpressure();
    assertThat(drained.depth()).isZero();
    assertThat(drained.mode()).as("default-persuasion has just begun").isEqualTo(DEFAULT_PERSUASION);

    // nothing waits and nothing moves: only the queue's own evaluation can end the mode
    clock.advance(DWELL);
    started.awaitAssert(Duration.ofSeconds(3), () -> assertThat(backpressure().mode()).isEqualTo(NORMAL));
    assertThat(signal.mode()).isEqualTo(NORMAL);

    NodeBackpressure normal = backpressure();
    assertThat(normal.since()).isEqualTo(START.plus(DWELL).plus(DWELL));
    assertThat(normal.transitions()).isEqualTo(4);
    assertThat(normal.recentTransitions()).as("the latest three")
        .containsExactly(
            new Transition(DEFER_ANALYTICS, TEMPLATE_ONLY, 23, START),
            new Transition(TEMPLATE_ONLY, DEFAULT_PERSUASION, 13, START.plus(DWELL)),
            new Transition(DEFAULT_PERSUASION, NORMAL, 0, START.plus(DWELL).plus(DWELL)));
    assertThat(metrics.transitions).containsExactly("normal>defer-analytics", "defer-analytics>template-only",
        "template-only>default-persuasion", "default-persuasion>normal");
    assertThat(metrics.modes).containsExactly(NORMAL, DEFER_ANALYTICS, TEMPLATE_ONLY, DEFAULT_PERSUASION, NORMAL);

    List<AiWork.Item> all = new ArrayList<>(first);
    all.addAll(rest);
    assertThat(all).as("every message started once, in order per lead").hasSize(23).doesNotHaveDuplicates();
    for (String lead : List.of("lead-0", "lead-1", "lead-2")) {
      List<Integer> sequence = all.stream().filter(item -> item.leadId().equals(lead))
          .map(item -> Integer.parseInt(item.platformMessageId().substring(item.platformMessageId().lastIndexOf('.') + 1)))
          .toList();
      assertThat(sequence).as(lead).isSorted();
    }
  }

  /** {@code count} messages numbered from {@code from}, spread over three leads of one tenant. */
  private void offer(int from, int count) {
    List<AiWork.Item> items = new ArrayList<>();
    for (int message = from; message < from + count; message++) {
      String lead = "lead-" + message % 3;
      items.add(new AiWork.Item("tenant-a", lead, "wamid." + lead + "." + message, START));
    }
    queue.tell(new AiWorkQueue.Offer(items));
  }

  private NodeBackpressure backpressure() {
    TestProbe<NodeBackpressure> probe = testKit.createTestProbe();
    queue.tell(new AiWorkQueue.GetBackpressure(probe.ref()));
    return probe.receiveMessage();
  }
}
