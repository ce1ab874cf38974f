package io.flexoraa.engine.compliance;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.flexoraa.engine.EntityTestKit;
import io.flexoraa.engine.channel.ChannelAccount;
import io.flexoraa.engine.channel.ChannelAccountEntity;
import io.flexoraa.engine.compliance.GateRequest.Author;
import io.flexoraa.engine.compliance.GateRequest.Form;
import io.flexoraa.engine.ports.MetaAccountProbe.AccountHealth;
import io.flexoraa.engine.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Hundreds of concurrent decide() calls through real cluster sharding (messages serialised with the production CBOR
 * binding) on one account: exactly the tier, throughput, pair-rate and marketing limits are admitted, the rest
 * deferred or blocked. The clock stands still, so every limit is reached within one instant.
 */
class ComplianceGateConcurrencyTest {
  private static final String TENANT = "tenant-concurrent";
  private static final Instant NOW = Instant.parse("2026-03-14T09:00:00Z");
  private static final ManualClock CLOCK = new ManualClock(NOW);

  private static ActorTestKit node;
  private static ComplianceGate gate;
  private static ExecutorService callers;

  @BeforeAll
  static void startNode() {
    Config config = ConfigFactory.parseMap(Map.of(
            "pekko.actor.provider", "cluster",
            "pekko.remote.artery.canonical.hostname", "127.0.0.1",
            "pekko.remote.artery.canonical.port", 0,
            "pekko.coordinated-shutdown.run-by-jvm-shutdown-hook", "off"))
        .withFallback(EventSourcedBehaviorTestKit.config())
        .withFallback(EntityTestKit.SERIALIZATION_BINDINGS)
        .withFallback(ConfigFactory.load())
        .resolve();
    node = ActorTestKit.create("ComplianceGateConcurrencyTest", config);
    Cluster cluster = Cluster.get(node.system());
    cluster.manager().tell(new Join(cluster.selfMember().address()));
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (cluster.selfMember().status() != MemberStatus.up()) {
      if (System.nanoTime() > deadline) throw new IllegalStateException("the node did not join itself");
      Thread.onSpinWait();
    }
    ChannelAccountEntity.init(node.system(), config, CLOCK,
        (tenant, channel, externalId) -> CompletableFuture.completedFuture(AccountHealth.UNKNOWN));
    PortfolioTierEntity.init(node.system(), config, CLOCK);
    gate = new ComplianceGate(node.system(), config, Duration.ofSeconds(20));
    callers = Executors.newFixedThreadPool(16);
  }

  @AfterAll
  static void stopNode() {
    callers.shutdownNow();
    node.shutdownTestKit();
  }

  private static ClusterSharding sharding() {
    return ClusterSharding.get(node.system());
  }

  private static void account(String externalId, String... platformUpdates) {
    var ref = sharding().entityRefFor(ChannelAccountEntity.TYPE_KEY,
        ChannelAccountEntity.entityId(TENANT, "whatsapp", externalId));
    ref.<ChannelAccount.View>askWithStatus(replyTo -> new ChannelAccount.Register(TENANT, "whatsapp", externalId,
        "Sales line", "waba-" + externalId, replyTo), Duration.ofSeconds(10)).toCompletableFuture().join();
    for (String[] template : new String[][] {{"follow_up", "UTILITY", "follow-up"}, {"promo", "MARKETING", "promo"}}) {
      gate.registerTemplate(TENANT, "whatsapp", externalId, template[0], "en", template[1], template[2], "APPROVED", "test")
          .toCompletableFuture().join();
    }
    List<ChannelAccount.PlatformUpdate> updates = new ArrayList<>();
    for (int i = 0; i < platformUpdates.length; i++) {
      updates.add(new ChannelAccount.PlatformUpdate("phone_number_quality_update", platformUpdates[i], "d" + i, NOW));
    }
    if (!updates.isEmpty()) {
      ref.<Integer>askWithStatus(replyTo -> new ChannelAccount.RecordPlatformUpdates(TENANT, "whatsapp", externalId,
          updates, replyTo), Duration.ofSeconds(10)).toCompletableFuture().join();
    }
  }

  private static GateRequest request(String externalId, String messageId, String recipient, Form form, String template,
      Instant lastInboundAt) {
    return new GateRequest(messageId, TENANT, "lead-" + recipient, "whatsapp", externalId, "waba-" + externalId,
        recipient, form == Form.TEMPLATE ? Author.CAMPAIGN : Author.AI, form, template, "en", "follow-up", 12, null,
        null, lastInboundAt, false, false, false);
  }

  /** Fires {@code count} decide() calls at once from many threads; the decisions by verdict and rule. */
  private static Map<String, Long> fire(int count, IntFunction<GateRequest> requests) {
    return fireAll(count, requests).stream()
        .collect(Collectors.groupingBy(d -> d.verdict().wireName() + (d.rule() == null ? "" : ":" + d.rule()),
            Collectors.counting()));
  }

  /** The decisions in request order. */
  private static List<GateDecision> fireAll(int count, IntFunction<GateRequest> requests) {
    List<CompletableFuture<GateDecision>> decisions = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      GateRequest request = requests.apply(i);
      decisions.add(CompletableFuture.supplyAsync(() -> request, callers)
          .thenCompose(r -> gate.decide(r).toCompletableFuture()));
    }
    CompletableFuture.allOf(decisions.toArray(CompletableFuture[]::new)).orTimeout(60, TimeUnit.SECONDS).join();
    return decisions.stream().map(CompletableFuture::join).toList();
  }

  @Test
  void exactlyTheTierOfUniqueRecipientsIsReachedOutsideTheWindow() {
    // a portfolio upgraded to 1,000 messages/s, so only its 250-recipient tier limits the burst
    account("tier", "{\"event\":\"THROUGHPUT_UPGRADE\",\"current_limit\":\"TIER_UNLIMITED\"}");
    List<GateDecision> burst =
        fireAll(300, i -> request("tier", "tier-" + i, "recipient-" + i, Form.FREE_FORM, null, null));
    assertThat(burst.stream().filter(d -> d.verdict() == Verdict.TEMPLATE)).hasSize(250)
        .allMatch(d -> "window-closed".equals(d.rule()) && "follow_up".equals(d.templateName()));
    assertThat(burst.stream().filter(d -> d.verdict() == Verdict.DEFER)).hasSize(50)
        .allMatch(d -> "messaging-tier".equals(d.rule()) && NOW.plus(Duration.ofHours(24)).equals(d.notBefore()));

    Instant start = CLOCK.instant();
    CLOCK.advance(Duration.ofSeconds(6));
    try {
      List<Integer> reached = new ArrayList<>();
      List<Integer> waiting = new ArrayList<>();
      for (int i = 0; i < burst.size(); i++) (burst.get(i).verdict() == Verdict.TEMPLATE ? reached : waiting).add(i);
      Map<String, Long> again = fire(100, i -> request("tier", "tier-again-" + i,
          "recipient-" + (i < 50 ? reached.get(i) : waiting.get(i - 50)), Form.FREE_FORM, null, null));
      assertThat(again).as("recipients counted within 24 h cost nothing; the others still wait")
          .containsOnly(Map.entry("template:window-closed", 50L), Map.entry("defer:messaging-tier", 50L));
    } finally {
      CLOCK.set(start);
    }
  }

  @Test
  void exactly80MessagesASecondLeaveOneNumber() {
    account("throughput");
    Map<String, Long> outcome =
        fire(300, i -> request("throughput", "tp-" + i, "recipient-" + i, Form.FREE_FORM, null, NOW));
    assertThat(outcome).containsOnly(Map.entry("send", 80L), Map.entry("defer:throughput", 220L));
  }

  @Test
  void oneMessagePerUserPerSixSecondsAndTwoMarketingTemplatesPerDay() {
    account("marketing", "{\"event\":\"THROUGHPUT_UPGRADE\",\"current_limit\":\"TIER_UNLIMITED\"}");
    Instant start = CLOCK.instant();
    try {
      Map<String, Long> first = fire(200, i -> request("marketing", "mk-0-" + i, "one-user", Form.TEMPLATE, "promo", null));
      assertThat(first).containsOnly(Map.entry("send", 1L), Map.entry("defer:pair-rate", 199L));
      CLOCK.advance(Duration.ofSeconds(6));
      // the second marketing template of the day goes; the rest are refused for good (a block comes before a wait)
      Map<String, Long> second = fire(200, i -> request("marketing", "mk-1-" + i, "one-user", Form.TEMPLATE, "promo", null));
      assertThat(second).containsOnly(Map.entry("send", 1L), Map.entry("block:marketing-per-user", 199L));
      CLOCK.advance(Duration.ofSeconds(6));
      Map<String, Long> third = fire(200, i -> request("marketing", "mk-2-" + i, "one-user", Form.TEMPLATE, "promo", null));
      assertThat(third).isEqualTo(Map.of("block:marketing-per-user", 200L));
    } finally {
      CLOCK.set(start);
    }
  }

  @Test
  void aRequestWithoutItsIdsFailsBeforeReachingAnEntity() {
    GateRequest anonymous = new GateRequest("m-1", TENANT, "lead-1", "whatsapp", "tier", "waba-tier", null,
        Author.HUMAN, Form.FREE_FORM, null, "en", null, 5, null, null, NOW, false, false, false);
    assertThat(gate.decide(anonymous).toCompletableFuture()).failsWithin(Duration.ofSeconds(5))
        .withThrowableOfType(java.util.concurrent.ExecutionException.class)
        .withMessageContaining("recipientKey");
  }
}
