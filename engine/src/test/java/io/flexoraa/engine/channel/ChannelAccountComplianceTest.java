package io.flexoraa.engine.channel;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import io.flexoraa.engine.EntityTestKit;
import io.flexoraa.engine.channel.ChannelAccount.Command;
import io.flexoraa.engine.channel.ChannelAccount.Event;
import io.flexoraa.engine.compliance.GateDecision;
import io.flexoraa.engine.compliance.GateRequest;
import io.flexoraa.engine.compliance.Verdict;
import io.flexoraa.engine.ports.MetaAccountProbe.AccountHealth;
import io.flexoraa.engine.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The gate on the channel-account entity: decisions and counters through CBOR and a restart, and the suspension
 * flow with the recovery probe.
 */
class ChannelAccountComplianceTest {
  private static final Config CONFIG = EntityTestKit.CONFIG;
  private static final Instant NOW = Instant.parse("2026-03-14T09:00:00Z");
  private static final String TENANT = "tenant-acme";
  private static ActorTestKit testKit;

  @BeforeAll
  static void start() {
    testKit = ActorTestKit.create("ChannelAccountComplianceTest", CONFIG);
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  private static GateRequest reply(String messageId, String recipient) {
    return new GateRequest(messageId, TENANT, "lead-1", "whatsapp", "4188", "waba-1", recipient,
        GateRequest.Author.HUMAN, GateRequest.Form.FREE_FORM, null, "en", "follow-up", 10, null, null, NOW, false,
        false, false);
  }

  @Test
  void decisionsAndCountersSurviveARestart() {
    ManualClock clock = new ManualClock(NOW);
    EventSourcedBehaviorTestKit<Command, Event, ChannelAccount> kit = EventSourcedBehaviorTestKit.create(
        testKit.system(),
        ChannelAccountEntity.create(ChannelAccountEntity.entityId(TENANT, "whatsapp", "4188-restart"), clock,
            ChannelAccountEntity.Settings.fromConfig(CONFIG), (t, c, e) -> CompletableFuture.completedFuture(AccountHealth.UNKNOWN), false),
        EventSourcedBehaviorTestKit.enabledSerializationSettings().withVerifyEquality(true));
    kit.<StatusReply<ChannelAccount.View>>runCommand(
        replyTo -> new ChannelAccount.Register(TENANT, "whatsapp", "4188", "Sales line", "waba-1", replyTo));
    var first = kit.<StatusReply<ChannelAccount.AccountDecision>>runCommand(replyTo -> new ChannelAccount.Decide(reply("m1", "r1"), replyTo));
    assertThat(first.reply().getValue().decision().verdict()).isEqualTo(Verdict.SEND);
    assertThat(first.event()).isInstanceOf(ChannelAccount.ComplianceDecided.class);

    kit.restart();

    GateDecision repeated = kit.<StatusReply<ChannelAccount.AccountDecision>>runCommand(
        replyTo -> new ChannelAccount.Decide(reply("m1", "r1"), replyTo)).reply().getValue().decision();
    assertThat(repeated.repeated()).isTrue();
    var second = kit.<StatusReply<ChannelAccount.AccountDecision>>runCommand(
        replyTo -> new ChannelAccount.Decide(reply("m2", "r1"), replyTo));
    assertThat(second.reply().getValue().decision().rule()).as("the pair rate rebuilt from the journal").isEqualTo("pair-rate");
  }

  @Test
  void aSuspensionIsCheckedThroughTheProbeAndResumesWhenHealthy() {
    ManualClock clock = new ManualClock(NOW);
    AtomicReference<AccountHealth> health = new AtomicReference<>(AccountHealth.RESTRICTED);
    ActorRef<Command> account = testKit.spawn(ChannelAccountEntity.create(
        ChannelAccountEntity.entityId(TENANT, "whatsapp", "4188-suspended"), clock,
        ChannelAccountEntity.Settings.fromConfig(CONFIG), (t, c, e) -> CompletableFuture.completedFuture(health.get()),
        false));
    TestProbe<StatusReply<Integer>> recorded = testKit.createTestProbe();
    account.tell(new ChannelAccount.RecordPlatformUpdates(TENANT, "whatsapp", "4188", List.of(
        new ChannelAccount.PlatformUpdate("account_update",
            "{\"event\":\"DISABLED_UPDATE\",\"ban_info\":{\"waba_ban_state\":\"DISABLE\"}}", "ban-1", NOW)),
        recorded.ref()));
    assertThat(recorded.receiveMessage().getValue()).isEqualTo(1);

    TestProbe<ChannelAccount.ComplianceView> views = testKit.createTestProbe();
    clock.advance(Duration.ofHours(1));
    account.tell(new ChannelAccount.CheckRecovery(views.ref()));
    ChannelAccount.ComplianceView stillSuspended = views.receiveMessage();
    assertThat(stillSuspended.suspension().checks()).isEqualTo(1);
    assertThat(stillSuspended.suspension().nextCheckAt()).isEqualTo(NOW.plus(Duration.ofHours(2)));

    health.set(AccountHealth.HEALTHY);
    account.tell(new ChannelAccount.CheckRecovery(views.ref()));
    assertThat(views.receiveMessage().suspension()).as("not due: the probe is not asked").isNotNull();
    clock.advance(Duration.ofHours(1));
    account.tell(new ChannelAccount.CheckRecovery(views.ref()));
    assertThat(views.receiveMessage().suspension()).isNull();
  }
}
