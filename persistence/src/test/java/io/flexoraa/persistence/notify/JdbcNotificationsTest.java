package io.flexoraa.persistence.notify;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexoraa.engine.ports.Notifier.Notice;
import io.flexoraa.persistence.TenantJdbc;
import io.flexoraa.persistence.TestDatabase;
import io.flexoraa.persistence.notify.JdbcNotifications.Notification;
import io.flexoraa.persistence.notify.JdbcNotifications.Page;
import io.flexoraa.persistence.notify.JdbcNotifications.Recipient;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The notification store against a real PostgreSQL, on the API's role under row-level security: a notice stored by
 * many concurrent retries is one row per recipient, pages run newest first without gaps or repeats, the unread filter
 * and mark-read apply to the recipient only, and no tenant sees another's rows.
 */
class JdbcNotificationsTest {
  private static final AtomicInteger IDS = new AtomicInteger();
  private static final Instant NOW = Instant.parse("2026-11-22T09:00:00Z");

  @TempDir static Path directory;

  private static TestDatabase db;
  private static ExecutorService blocking;
  private static JdbcNotifications store;

  @BeforeAll
  static void start() {
    db = TestDatabase.open(directory);
    blocking = Executors.newFixedThreadPool(8);
    store = new JdbcNotifications(new TenantJdbc(db.database().apiDataSource(), blocking));
  }

  @AfterAll
  static void stop() {
    blocking.shutdownNow();
    db.close();
  }

  @Test
  void concurrentRetriesOfANoticeStoreOneRowPerRecipient() throws Exception {
    String tenant = tenant();
    Notice notice = notice(tenant, "retried");
    List<Recipient> recipients = List.of(new Recipient("u1", true), new Recipient("u2", false));
    List<CompletableFuture<List<Notification>>> attempts = new ArrayList<>();
    for (int i = 0; i < 20; i++) attempts.add(store.store(notice, recipients, NOW).toCompletableFuture());

    int created = 0;
    for (CompletableFuture<List<Notification>> attempt : attempts) created += attempt.get(20, TimeUnit.SECONDS).size();

    assertThat(created).as("rows returned as new over all attempts").isEqualTo(2);
    assertThat(db.queryLong("SELECT count(*) FROM notifications WHERE tenant_id = ?", tenant)).isEqualTo(2);
    Notification stored = list(tenant, "u1", false, 10, null).items().get(0);
    assertThat(stored.emailWanted()).isTrue();
    assertThat(stored.data()).containsEntry("leadId", "lead-retried");
    assertThat(stored.eventAt()).isEqualTo(NOW.minusSeconds(2));
  }

  @Test
  void pagesRunNewestFirstWithoutGapsOrRepeats() throws Exception {
    String tenant = tenant();
    for (int i = 0; i < 7; i++) store.store(notice(tenant, "p" + i), List.of(new Recipient("u1", false)), NOW)
        .toCompletableFuture().get(10, TimeUnit.SECONDS);

    List<String> seen = new ArrayList<>();
    Long cursor = null;
    do {
      Page page = list(tenant, "u1", false, 3, cursor);
      page.items().forEach(item -> seen.add(item.noticeId()));
      cursor = page.nextCursor();
    } while (cursor != null);

    assertThat(seen).containsExactly("p6", "p5", "p4", "p3", "p2", "p1", "p0");
    List<Notification> since = store.since(tenant, "u1", list(tenant, "u1", false, 7, null).items().get(4).id(), 10)
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertThat(since).extracting(Notification::noticeId).containsExactly("p3", "p4", "p5", "p6");
  }

  @Test
  void markReadIsForTheRecipientAloneAndTheUnreadFilterFollowsIt() throws Exception {
    String tenant = tenant();
    store.store(notice(tenant, "r"), List.of(new Recipient("u1", false), new Recipient("u2", false)), NOW)
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
    long mine = list(tenant, "u1", false, 10, null).items().get(0).id();

    assertThat(store.markRead(tenant, "u2", mine, NOW).toCompletableFuture().get()).isEmpty();
    assertThat(store.markRead(tenant, "u1", mine, NOW.plusSeconds(5)).toCompletableFuture().get())
        .hasValueSatisfying(read -> assertThat(read.readAt()).isEqualTo(NOW.plusSeconds(5)));
    assertThat(store.markRead(tenant, "u1", mine, NOW.plusSeconds(60)).toCompletableFuture().get())
        .as("read once: the first time stays").hasValueSatisfying(read -> assertThat(read.readAt()).isEqualTo(NOW.plusSeconds(5)));
    assertThat(list(tenant, "u1", true, 10, null).items()).isEmpty();
    assertThat(list(tenant, "u2", true, 10, null).items()).hasSize(1);
  }

  @Test
  void noTenantSeesOrChangesAnothersNotifications() throws Exception {
    String tenantA = tenant();
    String tenantB = tenant();
    store.store(notice(tenantA, "secret"), List.of(new Recipient("u1", false)), NOW)
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
    long id = list(tenantA, "u1", false, 10, null).items().get(0).id();

    assertThat(list(tenantB, "u1", false, 10, null).items()).isEmpty();
    assertThat(store.markRead(tenantB, "u1", id, NOW).toCompletableFuture().get()).isEmpty();
    store.recordEmail(tenantB, id, NOW, null).toCompletableFuture().get();
    assertThat(list(tenantA, "u1", false, 10, null).items().get(0).emailedAt()).isNull();
    store.recordEmail(tenantA, id, null, "connection refused").toCompletableFuture().get();
    assertThat(list(tenantA, "u1", false, 10, null).items().get(0).emailError()).isEqualTo("connection refused");
  }

  private static Page list(String tenant, String user, boolean unread, int limit, Long cursor) throws Exception {
    return store.list(tenant, user, unread, limit, cursor).toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static Notice notice(String tenant, String id) {
    return new Notice(id, tenant, List.of("ignored-here"), "sla.breached", "Title " + id, "Body", "lead-" + id,
        Map.of("leadId", "lead-" + id), true, NOW.minusSeconds(2));
  }

  private static String tenant() {
    return "notify-tenant-" + IDS.incrementAndGet();
  }
}
