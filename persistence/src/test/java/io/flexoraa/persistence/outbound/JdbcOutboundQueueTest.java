package io.flexoraa.persistence.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexoraa.engine.ports.OutboundQueue.Item;
import io.flexoraa.persistence.Jdbc;
import io.flexoraa.persistence.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The deferred-outbound queue on a real migrated PostgreSQL: nothing is claimed before it is due, a claim is a lease
 * (a message held by a node that died is claimed again when the lease ends), nodes claiming at once never get the
 * same message, re-scheduling moves a message, and removing settles it.
 */
class JdbcOutboundQueueTest {
  private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
  private static final Duration LEASE = Duration.ofSeconds(30);

  private static TestDatabase db;
  private static ExecutorService blocking;
  private static JdbcOutboundQueue queue;

  @BeforeAll
  static void start() {
    db = TestDatabase.open();
    blocking = Executors.newFixedThreadPool(4);
    queue = new JdbcOutboundQueue(new Jdbc(db.dataSource(), blocking));
  }

  @AfterAll
  static void stop() {
    blocking.shutdownNow();
    db.close();
  }

  @BeforeEach
  void empty() throws Exception {
    db.execute("DELETE FROM outbound_queue");
  }

  private static <T> T await(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static Item item(String messageId, Instant notBefore) {
    return new Item("tenant-q", "lead-1", messageId, notBefore, 0);
  }

  @Test
  void aMessageIsClaimedOnlyWhenDueAndInTheOrderItFallsDue() throws Exception {
    await(queue.schedule(item("m-late", NOW.plusSeconds(6)), NOW));
    await(queue.schedule(item("m-second", NOW.minusSeconds(1)), NOW));
    await(queue.schedule(item("m-first", NOW.minusSeconds(5)), NOW));

    List<Item> due = await(queue.claimDue(NOW, 10, LEASE));

    assertThat(due).extracting(Item::messageId).containsExactly("m-first", "m-second");
    assertThat(due).allSatisfy(claimed -> assertThat(claimed.attempts()).isEqualTo(1));
    assertThat(await(queue.claimDue(NOW.plusSeconds(6), 10, LEASE))).extracting(Item::messageId)
        .containsExactly("m-late");
    assertThat(await(queue.depth())).isEqualTo(3);
  }

  @Test
  void aClaimIsALeaseThatExpires() throws Exception {
    await(queue.schedule(item("m-held", NOW), NOW));
    assertThat(await(queue.claimDue(NOW, 10, LEASE))).hasSize(1);

    assertThat(await(queue.claimDue(NOW.plusSeconds(29), 10, LEASE))).isEmpty();
    List<Item> again = await(queue.claimDue(NOW.plusSeconds(30), 10, LEASE));

    assertThat(again).extracting(Item::messageId).containsExactly("m-held");
    assertThat(again.get(0).attempts()).isEqualTo(2);
  }

  @Test
  void reschedulingMovesTheMessageAndEndsItsClaimAndRemovingSettlesIt() throws Exception {
    await(queue.schedule(item("m-moved", NOW), NOW));
    assertThat(await(queue.claimDue(NOW, 10, LEASE))).hasSize(1);

    await(queue.schedule(item("m-moved", NOW.plusSeconds(6)), NOW));
    assertThat(await(queue.claimDue(NOW.plusSeconds(5), 10, LEASE))).isEmpty();
    assertThat(await(queue.claimDue(NOW.plusSeconds(6), 10, LEASE))).hasSize(1);

    await(queue.remove("tenant-q", "m-moved"));
    assertThat(await(queue.depth())).isZero();
    assertThat(await(queue.claimDue(NOW.plusSeconds(3600), 10, LEASE))).isEmpty();
  }

  @Test
  void nodesClaimingAtOnceNeverGetTheSameMessage() throws Exception {
    for (int i = 0; i < 200; i++) await(queue.schedule(item("m-" + i, NOW.minusMillis(i)), NOW));

    List<CompletableFuture<List<Item>>> claims = new ArrayList<>();
    for (int node = 0; node < 8; node++) claims.add(queue.claimDue(NOW, 40, LEASE).toCompletableFuture());

    Set<String> claimed = new HashSet<>();
    int total = 0;
    for (CompletableFuture<List<Item>> claim : claims) {
      for (Item item : claim.get(10, TimeUnit.SECONDS)) {
        claimed.add(item.messageId());
        total++;
      }
    }
    assertThat(total).as("no message claimed twice").isEqualTo(claimed.size());
    // a claim that lost a race for a row skips it rather than wait; whatever is left is claimed by the next round
    for (Item item : await(queue.claimDue(NOW, 200, LEASE))) {
      assertThat(claimed.add(item.messageId())).as(item.messageId() + " claimed once").isTrue();
    }
    assertThat(claimed).hasSize(200);
  }
}
