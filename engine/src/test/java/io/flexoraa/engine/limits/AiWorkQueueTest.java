package io.flexoraa.engine.limits;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.flexoraa.engine.limits.Admission.Deferred;
import io.flexoraa.engine.limits.Admission.Reason;
import io.flexoraa.engine.limits.TokenBucket.Rate;
import io.flexoraa.engine.ports.AiWork;
import io.flexoraa.engine.ports.EngineMetrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The deferred-work queue against a scripted admission whose answers come back after random short delays, so they
 * arrive out of order: AI work starts in the order each lead stored its messages, deferred work starts once admitted
 * and is never dropped, one tenant's deferral does not hold back another, and a blocked tenant is not flooded with
 * asks.
 */
class AiWorkQueueTest {
  private static final Duration RETRY = Duration.ofMillis(20);
  private static final LimitSettings SETTINGS = new LimitSettings(
      new Rate(5, 5), Map.of(), new Rate(1000, 100), 50, Duration.ofMillis(500), Duration.ofMillis(500),
      Duration.ofSeconds(2), Duration.ofMillis(50), 4);
  private static final Instant RECEIVED = Instant.parse("2026-03-14T09:00:00Z");

  private static ActorTestKit testKit;

  @BeforeAll
  static void start() {
    testKit = ActorTestKit.create("AiWorkQueueTest");
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  /** Admits a tenant's messages while it has permits left; otherwise defers for the reason the test sets. */
  private static final class ScriptedAdmission implements MessageAdmission {
    final Map<String, AtomicInteger> permits = new ConcurrentHashMap<>();
    final Map<String, AtomicInteger> asks = new ConcurrentHashMap<>();
    volatile Reason refusal = Reason.TENANT_LIMIT;
    volatile boolean failing;

    @Override
    public CompletionStage<Admission> admit(String tenantId, int count) {
      asks.computeIfAbsent(tenantId, id -> new AtomicInteger()).incrementAndGet();
      CompletableFuture<Admission> answer = new CompletableFuture<>();
      CompletableFuture.delayedExecutor(ThreadLocalRandom.current().nextInt(4), TimeUnit.MILLISECONDS).execute(() -> {
        if (failing) {
          answer.completeExceptionally(new IllegalStateException("limiter unreachable"));
          return;
        }
        AtomicInteger left = permits.computeIfAbsent(tenantId, id -> new AtomicInteger());
        boolean admitted = left.getAndUpdate(value -> value > 0 ? value - 1 : 0) > 0;
        answer.complete(admitted ? Admission.ADMITTED : new Deferred(RETRY, refusal));
      });
      return answer;
    }

    void grant(String tenantId, int count) {
      permits.computeIfAbsent(tenantId, id -> new AtomicInteger()).addAndGet(count);
    }

    int asks(String tenantId) {
      return asks.getOrDefault(tenantId, new AtomicInteger()).get();
    }
  }

  private static final class RecordingMetrics implements EngineMetrics {
    final AtomicLong deferred = new AtomicLong(-1);

    @Override
    public void eventsPersisted(String entityType, int count) {}

    @Override
    public void aiWorkDeferred(long waiting) {
      deferred.set(waiting);
    }
  }

  private final ScriptedAdmission admission = new ScriptedAdmission();
  private final RecordingMetrics metrics = new RecordingMetrics();
  private final TestProbe<AiWork.Item> started = testKit.createTestProbe();
  private final ActorRef<AiWorkQueue.Command> queue = testKit.spawn(
      AiWorkQueue.create(admission, item -> started.ref().tell(item), SETTINGS,
          Backpressure.Settings.fromConfig(ConfigFactory.load()), new BackpressureSignal(), metrics, Clock.systemUTC()));

  @Test
  void deferredWorkStartsWhenAdmittedInTheOrderEachLeadStoredItsMessages() {
    admission.grant("tenant-a", 3);
    for (int message = 0; message < 10; message++) {
      List<AiWork.Item> webhook = new ArrayList<>();
      for (int lead = 0; lead < 3; lead++) webhook.add(item("tenant-a", "lead-" + lead, message));
      queue.tell(new AiWorkQueue.Offer(webhook));
    }

    List<AiWork.Item> first = started.receiveSeveralMessages(3);
    started.expectNoMessage(Duration.ofMillis(150));
    assertThat(depth()).isEqualTo(new AiWorkQueue.Depth(27, 3));
    assertThat(metrics.deferred.get()).isEqualTo(27);

    admission.grant("tenant-a", 27);
    List<AiWork.Item> rest = started.receiveSeveralMessages(27);

    List<AiWork.Item> all = new ArrayList<>(first);
    all.addAll(rest);
    assertThat(all).doesNotHaveDuplicates().hasSize(30);
    assertThat(messagesByLead(all)).allSatisfy((lead, messages) ->
        assertThat(messages).as(lead).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9));
    assertThat(depth()).isEqualTo(new AiWorkQueue.Depth(0, 0));
    assertThat(metrics.deferred.get()).isZero();
  }

  @Test
  void aThrottledTenantHoldsBackNoOtherAndIsAskedAboutOnlyAFewTimesPerRetry() {
    admission.grant("tenant-b", 1000);
    List<AiWork.Item> busy = new ArrayList<>();
    for (int lead = 0; lead < 200; lead++) busy.add(item("tenant-a", "lead-" + lead, 0));
    queue.tell(new AiWorkQueue.Offer(busy));
    queue.tell(new AiWorkQueue.Offer(List.of(
        item("tenant-b", "lead-x", 0), item("tenant-b", "lead-x", 1), item("tenant-b", "lead-y", 0))));

    List<AiWork.Item> startedNow = started.receiveSeveralMessages(3);
    assertThat(startedNow).extracting(AiWork.Item::tenantId).containsOnly("tenant-b");
    started.expectNoMessage(Duration.ofMillis(300));

    // 200 deferred leads over 300 ms of 20 ms retries: a handful of asks per retry, not one per lead
    // (4 in flight per tenant x 15 retries = 60 at most; one ask per lead per retry would be 3,000)
    assertThat(admission.asks("tenant-a")).isLessThan(100);
    assertThat(depth().messages()).isEqualTo(200);
  }

  @Test
  void theClusterLimitHoldsBackEveryTenantUntilItsAdviceHasPassed() {
    admission.refusal = Reason.CLUSTER_LIMIT;
    queue.tell(new AiWorkQueue.Offer(List.of(
        item("tenant-a", "lead-1", 0), item("tenant-b", "lead-2", 0), item("tenant-a", "lead-1", 1))));
    started.expectNoMessage(Duration.ofMillis(100));

    admission.grant("tenant-a", 2);
    admission.grant("tenant-b", 1);

    List<AiWork.Item> all = started.receiveSeveralMessages(3);
    assertThat(messagesByLead(all)).containsEntry("tenant-a:lead-1", List.of(0, 1));
  }

  @Test
  void aLimiterThatCannotAnswerDefersTheWorkAndDropsNothing() {
    admission.failing = true;
    admission.grant("tenant-a", 5);
    List<AiWork.Item> webhook = new ArrayList<>();
    for (int message = 0; message < 5; message++) webhook.add(item("tenant-a", "lead-1", message));
    queue.tell(new AiWorkQueue.Offer(webhook));
    started.expectNoMessage(Duration.ofMillis(150));

    admission.failing = false;

    assertThat(started.receiveSeveralMessages(5)).extracting(AiWork.Item::platformMessageId)
        .containsExactly("wamid.lead-1.0", "wamid.lead-1.1", "wamid.lead-1.2", "wamid.lead-1.3", "wamid.lead-1.4");
  }

  private AiWorkQueue.Depth depth() {
    TestProbe<AiWorkQueue.Depth> probe = testKit.createTestProbe();
    queue.tell(new AiWorkQueue.GetDepth(probe.ref()));
    return probe.receiveMessage();
  }

  private static AiWork.Item item(String tenantId, String leadId, int message) {
    return new AiWork.Item(tenantId, leadId, "wamid." + leadId + "." + message, RECEIVED);
  }

  private static Map<String, List<Integer>> messagesByLead(List<AiWork.Item> items) {
    Map<String, List<Integer>> byLead = new LinkedHashMap<>();
    for (AiWork.Item item : items) {
      String id = item.platformMessageId();
      byLead.computeIfAbsent(item.tenantId() + ":" + item.leadId(), lead -> new ArrayList<>())
          .add(Integer.parseInt(id.substring(id.lastIndexOf('.') + 1)));
    }
    return byLead;
  }
}
