package io.flexoraa.engine.tenant;

import io.flexoraa.engine.testing.ManualClock;
import static io.flexoraa.engine.tenant.TokenAccountTest.amount;
import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import io.flexoraa.engine.tenant.Tenant.Command;
import io.flexoraa.engine.tenant.Tenant.Event;
import io.flexoraa.engine.tenant.Tokens.AiResumed;
import io.flexoraa.engine.tenant.Tokens.CreditKind;
import io.flexoraa.engine.tenant.Tokens.DebitBatchResult;
import io.flexoraa.engine.tenant.Tokens.DebitOutcome;
import io.flexoraa.engine.tenant.Tokens.DebitRequest;
import io.flexoraa.engine.tenant.Tokens.Debited;
import io.flexoraa.engine.tenant.Tokens.PauseReason;
import io.flexoraa.engine.tenant.Tokens.Refusal;
import io.flexoraa.engine.tenant.Tokens.Refused;
import io.flexoraa.engine.tenant.Tokens.TokenAccountOpened;
import io.flexoraa.engine.tenant.Tokens.TokenView;
import io.flexoraa.engine.tenant.Tokens.TokensDebited;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit.CommandResultWithReply;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Tenant entity's token account on the in-memory journal, with every command, event, reply and state
 * round-tripped through Jackson CBOR and compared: debits in batches, credits, pauses, and recovery (from events
 * and from snapshots) giving back exactly the same books.
 */
class TenantEntityTokensTest {
  private static final Config CONFIG = io.flexoraa.engine.EntityTestKit.CONFIG;
  private static final Billing BILLING = Billing.fromConfig(CONFIG);
  private static final Instant START = Instant.parse("2026-03-14T09:26:53Z");
  private static final AtomicInteger TENANTS = new AtomicInteger();

  private static ActorTestKit testKit;

  private final ManualClock clock = new ManualClock(START);
  private String tenantId;
  private EventSourcedBehaviorTestKit<Command, Event, Tenant> kit;

  @BeforeAll
  static void startActorSystem() {
    testKit = ActorTestKit.create("TenantEntityTokensTest", CONFIG);
  }

  @AfterAll
  static void stopActorSystem() {
    testKit.shutdownTestKit();
  }

  private void newTenant(int snapshotEvery) {
    tenantId = "tenant-" + TENANTS.incrementAndGet();
    kit = EventSourcedBehaviorTestKit.create(
        testKit.system(),
        TenantEntity.create(tenantId, clock, snapshotEvery, BILLING),
        EventSourcedBehaviorTestKit.enabledSerializationSettings().withVerifyEquality(true));
  }

  private void create(String plan) {
    assertThat(kit.<StatusReply<Tenant.View>>runCommand(replyTo -> new Tenant.Create(tenantId, "Acme Realty", plan, "IN", replyTo))
        .reply().isSuccess()).isTrue();
  }

  private CommandResultWithReply<Command, Event, Tenant, DebitBatchResult> batch(List<DebitRequest> requests) {
    return kit.runCommand(replyTo -> new Tokens.DebitBatch(requests, replyTo));
  }

  private DebitOutcome debit(String operation) {
    return kit.<DebitOutcome>runCommand(replyTo -> new Tokens.Debit(operation, null, "lead-7", "wamid.1", replyTo)).reply();
  }

  private StatusReply<Tokens.Credited> credit(String tokens, String reference) {
    return kit.<StatusReply<Tokens.Credited>>runCommand(replyTo -> new Tokens.Credit(
        CreditKind.TOP_UP, new BigDecimal(tokens), reference, "razorpay", "top-up 100", replyTo)).reply();
  }

  private TokenView tokens() {
    CommandResultWithReply<Command, Event, Tenant, StatusReply<TokenView>> result = kit.runCommand(Tokens.GetTokens::new);
    assertThat(result.hasNoEvents()).isTrue();
    return result.reply().getValue();
  }

  private static List<DebitRequest> requests(int count, String operation) {
    List<DebitRequest> requests = new ArrayList<>();
    for (int i = 0; i < count; i++) requests.add(new DebitRequest(operation, null, "lead-" + i, "wamid." + i));
    return requests;
  }

  @Test
  void aBatchOfDebitsIsOneEventAndOneReplyInOrder() {
    newTenant(100);
    create("leados-pro");

    var result = batch(requests(200, "inbound-whatsapp-message"));

    assertThat(result.events()).hasSize(1);
    assertThat(((TokensDebited) result.event()).entries()).hasSize(200);
    assertThat(result.reply().outcomes()).hasSize(200);
    assertThat(result.reply().outcomes().get(0)).isEqualTo(new Debited(2, amount("0.1"), amount("749.90")));
    assertThat(result.reply().outcomes().get(199)).isEqualTo(new Debited(201, amount("0.1"), amount("730.00")));
    assertThat(tokens().balance()).isEqualTo(amount("730"));
    assertThat(tokens().burnToday()).isEqualTo(amount("20"));
  }

  @Test
  void aSingleDebitIsAnsweredWithItsOutcome() {
    newTenant(100);
    create("leados-pro");

    assertThat(debit("persuasion-message")).isEqualTo(new Debited(2, amount("3"), amount("747")));
    assertThat(debit("mind-reading")).isEqualTo(new Refused(Refusal.UNKNOWN_OPERATION));
  }

  @Test
  void anUnknownTenantRefusesEverythingAndPersistsNothing() {
    newTenant(100);

    assertThat(debit("scoring")).isEqualTo(new Refused(Refusal.UNKNOWN_TENANT));
    assertThat(credit("10", "pay_1").getError()).hasMessage("unknown tenant");
    assertThat(kit.<StatusReply<TokenView>>runCommand(Tokens.GetTokens::new).reply().isError()).isTrue();
    assertThat(kit.persistenceTestKit().persistedInStorage(PersistenceId.of("Tenant", tenantId).id())).isEmpty();
  }

  @Test
  void theBooksSurviveARestartFromEventsAndFromSnapshots() {
    for (int snapshotEvery : new int[] {100, 2}) {
      newTenant(snapshotEvery);
      create("leados-pro");
      batch(requests(30, "scoring"));
      credit("100", "pay_1");
      batch(requests(5, "routing"));
      TokenView before = tokens();
      Tenant stateBefore = kit.getState();

      Tenant recovered = kit.restart().state();

      assertThat(recovered).as("snapshot every " + snapshotEvery).isEqualTo(stateBefore);
      assertThat(tokens()).isEqualTo(before);
      assertThat(before.balance()).isEqualTo(amount("830"));
      assertThat(before.ledgerPosition()).isEqualTo(37);
      assertThat(credit("100", "pay_1").getValue().duplicate()).as("still credited once after recovery").isTrue();
      assertThat(tokens().balance()).isEqualTo(amount("830"));
    }
  }

  @Test
  void aDailyPauseSurvivesARestartAndEndsWithTheUtcDay() {
    newTenant(100);
    create("leados-starter");
    clock.set(Instant.parse("2026-03-14T22:00:00Z"));
    var paused = batch(requests(5, "qualification-message"));
    assertThat(paused.reply().outcomes()).extracting(Object::getClass).containsExactly(
        Debited.class, Debited.class, Debited.class, Debited.class, Refused.class);
    assertThat(tokens().pauseReason()).isEqualTo(PauseReason.DAILY_BURN_LIMIT);

    kit.restart();
    assertThat(debit("scoring")).isEqualTo(new Refused(Refusal.AI_PAUSED));

    clock.set(Instant.parse("2026-03-15T00:00:00Z"));
    var nextDay = batch(requests(1, "scoring"));

    assertThat(nextDay.events().get(0)).isEqualTo(new AiResumed(tenantId, Tokens.ResumeReason.NEW_DAY, clock.instant()));
    assertThat(nextDay.reply().outcomes()).containsExactly(new Debited(6, amount("0.5"), amount("241.50")));
  }

  @Test
  void aRenewalIsPersistedOncePerMonth() {
    newTenant(100);
    create("leados-pro");
    batch(requests(5, "persuasion-message"));
    clock.set(Instant.parse("2026-04-01T00:00:01Z"));

    StatusReply<Tokens.Credited> renewed = kit.<StatusReply<Tokens.Credited>>runCommand(
        replyTo -> new Tokens.RenewPeriod(Instant.parse("2026-04-01T00:00:00Z"), replyTo)).reply();
    var again = kit.<StatusReply<Tokens.Credited>>runCommand(
        replyTo -> new Tokens.RenewPeriod(Instant.parse("2026-04-01T00:00:00Z"), replyTo));

    assertThat(renewed.getValue().balanceAfter()).isEqualTo(amount("1485"));
    assertThat(again.reply().getValue().duplicate()).isTrue();
    assertThat(again.hasNoEvents()).isTrue();
    assertThat(tokens().periodStart()).isEqualTo(LocalDate.parse("2026-04-01"));
    assertThat(tokens().consumed()).isEqualTo(amount("0"));
  }

  @Test
  void aTenantFromBeforeTheTokenEconomyRecoversWithItsPlansTokensAndOpensOnItsFirstDebit() {
    newTenant(100);
    String persistenceId = PersistenceId.of("Tenant", tenantId).id();
    kit.persistenceTestKit().persistForRecovery(persistenceId, List.of(
        new Tenant.TenantCreated(tenantId, "Old Co", "leados-starter", "IN", Instant.parse("2025-10-01T08:00:00Z"))));
    kit.restart();

    assertThat(tokens().balance()).isEqualTo(amount("250"));
    assertThat(tokens().periodStart()).isEqualTo(LocalDate.parse("2026-03-01"));

    var first = kit.<DebitOutcome>runCommand(replyTo -> new Tokens.Debit("scoring", null, null, null, replyTo));

    assertThat(first.events().get(0)).isEqualTo(
        new TokenAccountOpened(tenantId, 1, amount("250"), LocalDate.parse("2026-03-01"), START));
    assertThat(first.reply()).isEqualTo(new Debited(2, amount("0.5"), amount("249.50")));
    assertThat(kit.restart().state().tokens().balance()).isEqualTo(amount("249.50"));
  }
}
