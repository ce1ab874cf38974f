package io.flexoraa.engine.tenant;

import static io.flexoraa.engine.tenant.TokenAccountTest.amount;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import io.flexoraa.engine.tenant.Tokens.DebitOutcome;
import io.flexoraa.engine.tenant.Tokens.Debited;
import io.flexoraa.engine.tenant.Tokens.Refusal;
import io.flexoraa.engine.tenant.Tokens.Refused;
import io.flexoraa.engine.tenant.Tokens.TokensDebited;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.javadsl.PersistenceTestKit;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The node's batcher in front of real Tenant entities (on the in-memory journal): concurrent debits come back each
 * with its own outcome, exactly, and land as far fewer persisted events than requests.
 */
class TokenDebitsTest {
  private static final Config CONFIG = io.flexoraa.engine.EntityTestKit.CONFIG;
  private static final Billing BILLING = Billing.fromConfig(CONFIG);
  private static final AtomicInteger TENANTS = new AtomicInteger();

  private static ActorTestKit testKit;
  private static final Map<String, ActorRef<Tenant.Command>> entities = new HashMap<>();

  @BeforeAll
  static void start() {
    testKit = ActorTestKit.create("TokenDebitsTest", CONFIG);
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  private static synchronized RecipientRef<Tenant.Command> entity(String tenantId) {
    return entities.computeIfAbsent(tenantId,
        id -> testKit.spawn(TenantEntity.create(id, Clock.systemUTC(), 100, BILLING)));
  }

  private static String newTenant(String plan) {
    String tenantId = "tenant-" + TENANTS.incrementAndGet();
    StatusReply<Tenant.View> created = org.apache.pekko.actor.typed.javadsl.AskPattern.<Tenant.Command, StatusReply<Tenant.View>>ask(
            entity(tenantId), replyTo -> new Tenant.Create(tenantId, "Acme", plan, "IN", replyTo), Duration.ofSeconds(5),
            testKit.system().scheduler())
        .toCompletableFuture().join();
    assertThat(created.isSuccess()).isTrue();
    return tenantId;
  }

  private static TokenDebits debits(int maxPending) {
    TokenDebits.Settings settings = new TokenDebits.Settings(Duration.ofMillis(2), 500, maxPending, Duration.ofSeconds(5));
    return TokenDebits.start(testKit.system(), settings, TokenDebitsTest::entity, "token-debits-" + TENANTS.incrementAndGet());
  }

  private static List<TokensDebited> persistedBatches(String tenantId) {
    return PersistenceTestKit.create(testKit.system())
        .persistedInStorage(PersistenceId.of(TenantEntity.TYPE_KEY.name(), tenantId).id()).stream()
        .filter(TokensDebited.class::isInstance).map(TokensDebited.class::cast).toList();
  }

  @Test
  void concurrentDebitsGetTheirOwnOutcomesExactlyInFarFewerEvents() throws Exception {
    String tenantId = newTenant("full-os");
    TokenDebits debits = debits(20_000);
    int count = 2_000;
    int callers = 4;
    List<List<CompletableFuture<DebitOutcome>>> perCaller = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    for (int caller = 0; caller < callers; caller++) {
      int first = caller * (count / callers);
      List<CompletableFuture<DebitOutcome>> mine = new ArrayList<>();
      perCaller.add(mine);
      threads.add(new Thread(() -> {
        for (int i = first; i < first + count / callers; i++) {
          mine.add(debits.debit(tenantId, "ai-call", new BigDecimal("0.01"), "lead-" + i, "call-" + i).toCompletableFuture());
        }
      }));
    }
    threads.forEach(Thread::start);
    for (Thread thread : threads) thread.join();
    List<CompletableFuture<DebitOutcome>> outcomes = perCaller.stream().flatMap(List::stream).toList();

    List<Long> entryIds = new ArrayList<>();
    for (CompletableFuture<DebitOutcome> outcome : outcomes) {
      Debited debited = (Debited) outcome.get(10, TimeUnit.SECONDS);
      assertThat(debited.cost()).isEqualTo(amount("0.01"));
      entryIds.add(debited.entryId());
    }
    assertThat(entryIds).doesNotHaveDuplicates().hasSize(count);
    assertThat(entryIds.stream().mapToLong(Long::longValue).min().orElseThrow()).isEqualTo(2);
    assertThat(entryIds.stream().mapToLong(Long::longValue).max().orElseThrow()).isEqualTo(count + 1);

    List<TokensDebited> batches = persistedBatches(tenantId);
    assertThat(batches.stream().mapToInt(batch -> batch.entries().size()).sum()).isEqualTo(count);
    assertThat(batches.size()).as("persisted events for " + count + " debits").isLessThan(count / 10);
    BigDecimal balance = ((Debited) outcomes.stream().map(CompletableFuture::join)
        .max(java.util.Comparator.comparingLong(outcome -> ((Debited) outcome).entryId())).orElseThrow()).balanceAfter();
    assertThat(balance).isEqualTo(amount("980.00"));
  }

  @Test
  void refusalsAndUnknownTenantsComeBackAsOutcomes() {
    String tenantId = newTenant("leados-starter");
    TokenDebits debits = debits(20_000);

    assertThat(debits.debit(tenantId, "telepathy", null, null).toCompletableFuture().join())
        .isEqualTo(new Refused(Refusal.UNKNOWN_OPERATION));
    assertThat(debits.debit("tenant-that-never-was-" + TENANTS.incrementAndGet(), "scoring", null, null)
            .toCompletableFuture().join())
        .isEqualTo(new Refused(Refusal.UNKNOWN_TENANT));
    assertThat(debits.debit(tenantId, "human-high-risk-review", "lead-1", "case-1").toCompletableFuture().join())
        .isEqualTo(new Debited(2, amount("5"), amount("245")));
    assertThat(debits.debit(tenantId, "human-high-risk-review", "lead-1", "case-2").toCompletableFuture().join())
        .as("past the starter plan's 8 tokens a day").isEqualTo(new Refused(Refusal.DAILY_LIMIT_REACHED));
  }

  @Test
  void pastTheWaitingLimitADebitFailsAtOnceAndNothingIsDebited() {
    String tenantId = newTenant("full-os");
    TokenDebits debits = debits(5);
    List<CompletableFuture<DebitOutcome>> outcomes = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      outcomes.add(debits.debit(tenantId, "ai-call", new BigDecimal("0.01"), null, null).toCompletableFuture());
    }

    long overloaded = outcomes.stream().filter(outcome -> {
      try {
        outcome.join();
        return false;
      } catch (CompletionException e) {
        assertThat(e.getCause()).isInstanceOf(TokenDebits.Overloaded.class);
        return true;
      }
    }).count();

    assertThat(overloaded).isPositive();
    int debited = persistedBatches(tenantId).stream().mapToInt(batch -> batch.entries().size()).sum();
    assertThat(debited).isEqualTo(200 - overloaded);
    assertThatThrownBy(() -> outcomes.get(outcomes.size() - 1).join()).isInstanceOf(CompletionException.class);
  }
}
