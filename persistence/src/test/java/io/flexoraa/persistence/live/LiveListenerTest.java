package io.flexoraa.persistence.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexoraa.engine.lead.LeadEntity;
import io.flexoraa.engine.lead.LeadModel;
import io.flexoraa.engine.lead.LeadModel.Event;
import io.flexoraa.persistence.Database;
import io.flexoraa.persistence.TestDatabase;
import io.flexoraa.persistence.projection.LeadReadModelHandler;
import io.flexoraa.persistence.projection.PooledJdbcSession;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The live feed's database half on a real PostgreSQL: a projection group's signals reach a {@link LiveListener}
 * when, and only when, the group's transaction commits; big batches are chunked under NOTIFY's limit; a lost
 * connection comes back and says so.
 */
class LiveListenerTest {
  private static final Instant AT = Instant.parse("2026-03-14T09:20:00Z");
  private static final Duration QUIET = Duration.ofMillis(700);

  private static TestDatabase db;
  private static LiveListener listener;

  @BeforeAll
  static void start() {
    db = TestDatabase.open();
    Database database = db.database();
    listener = new LiveListener(LiveListener.Connector.of(database.jdbcUrl(), database.user(), database.password()),
        new LiveListener.Settings(Duration.ofMillis(100), Duration.ofSeconds(5), Duration.ofMillis(100),
            Duration.ofSeconds(1))).start();
    awaitConnected();
  }

  @AfterAll
  static void stop() {
    listener.close();
    db.close();
  }

  @Test
  void aCommittedGroupIsAnnouncedAfterItsCommitAndOnlyThen() throws Exception {
    String tenant = "tenant-" + UUID.randomUUID();
    String lead = "lead-" + UUID.randomUUID();
    BlockingQueue<LiveSignal> heard = subscribe(tenant);
    PooledJdbcSession session = processed(created(tenant, lead), received(tenant, lead, "wamid.1"),
        received(tenant, lead, "wamid.2"));
    assertThat(heard.poll(QUIET.toMillis(), TimeUnit.MILLISECONDS)).as("nothing before the commit").isNull();
    session.commit();
    session.close();
    List<LiveSignal> signals = drain(heard, 3);
    assertThat(signals).containsExactly(
        LiveSignal.of(tenant, LiveSignal.LEAD_UPDATED, lead),
        new LiveSignal(tenant, LiveSignal.LEAD_MESSAGE, lead, "wamid.1", "inbound", null),
        new LiveSignal(tenant, LiveSignal.LEAD_MESSAGE, lead, "wamid.2", "inbound", null));
    assertThat(signals.get(1).json())
        .isEqualTo("{\"type\":\"lead.message\",\"leadId\":\"" + lead + "\",\"messageId\":\"wamid.1\","
            + "\"direction\":\"inbound\"}");
    assertThat(db.queryLong("SELECT count(*) FROM lead_messages WHERE tenant_id = ?", tenant)).isEqualTo(2);
  }

  @Test
  void aRolledBackGroupIsNeverAnnounced() throws Exception {
    String tenant = "tenant-" + UUID.randomUUID();
    String lead = "lead-" + UUID.randomUUID();
    BlockingQueue<LiveSignal> heard = subscribe(tenant);
    PooledJdbcSession session = processed(created(tenant, lead), received(tenant, lead, "wamid.lost"));
    session.rollback();
    session.close();
    assertThat(heard.poll(QUIET.toMillis(), TimeUnit.MILLISECONDS)).isNull();
    assertThat(db.queryLong("SELECT count(*) FROM leads WHERE tenant_id = ?", tenant)).isZero();
  }

  @Test
  void anotherTenantsSignalsDoNotArrive() throws Exception {
    String tenant = "tenant-" + UUID.randomUUID();
    BlockingQueue<LiveSignal> heard = subscribe(tenant);
    notifyCommitted(new LiveSignals().tokensChanged("tenant-" + UUID.randomUUID()));
    notifyCommitted(new LiveSignals().tokensChanged(tenant));
    assertThat(drain(heard, 1)).containsExactly(LiveSignal.of(tenant, LiveSignal.TOKENS_CHANGED, null));
    assertThat(heard.poll(QUIET.toMillis(), TimeUnit.MILLISECONDS)).isNull();
  }

  @Test
  void aLargeBatchIsChunkedUnderTheLimitAndRepeatsAreSentOnce() throws Exception {
    String tenant = "tenant-" + UUID.randomUUID();
    LiveSignals live = new LiveSignals();
    List<LiveSignal> expected = new ArrayList<>();
    for (int i = 0; i < 600; i++) {
      String lead = "lead-" + i + "-" + UUID.randomUUID();
      live.leadUpdated(tenant, lead).leadUpdated(tenant, lead);
      expected.add(LiveSignal.of(tenant, LiveSignal.LEAD_UPDATED, lead));
    }
    List<String> payloads = LiveSignals.payloads(expected);
    assertThat(payloads).hasSizeGreaterThan(3);
    assertThat(payloads).allSatisfy(payload ->
        assertThat(payload.getBytes(StandardCharsets.UTF_8).length).isLessThan(8000));
    BlockingQueue<LiveSignal> heard = subscribe(tenant);
    notifyCommitted(live);
    assertThat(drain(heard, 600)).containsExactlyElementsOf(expected);
    assertThat(heard.poll(QUIET.toMillis(), TimeUnit.MILLISECONDS)).isNull();
  }

  @Test
  void aLostConnectionIsReopenedAndSubscribersAreToldToReRead() throws Exception {
    String tenant = "tenant-" + UUID.randomUUID();
    BlockingQueue<LiveSignal> heard = subscribe(tenant);
    db.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '"
        + LiveListener.APPLICATION_NAME + "'");
    assertThat(heard.poll(10, TimeUnit.SECONDS)).isEqualTo(LiveSignal.of(tenant, LiveSignal.RECONNECTED, null));
    awaitConnected();
    notifyCommitted(new LiveSignals().routingChanged(tenant, "lead-after"));
    assertThat(drain(heard, 1)).containsExactly(LiveSignal.of(tenant, LiveSignal.ROUTING_CHANGED, "lead-after"));
  }

  /** The lead projection's handler has written the group; its transaction is still open. */
  private static PooledJdbcSession processed(Event... events) throws Exception {
    PooledJdbcSession session = new PooledJdbcSession(db.dataSource());
    new LeadReadModelHandler("live-test").process(session, envelopes(events));
    return session;
  }

  private static BlockingQueue<LiveSignal> subscribe(String tenant) {
    BlockingQueue<LiveSignal> heard = new LinkedBlockingQueue<>();
    listener.subscribe(tenant, heard::add);
    return heard;
  }

  private static void notifyCommitted(LiveSignals live) throws Exception {
    try (Connection connection = db.dataSource().getConnection()) {
      connection.setAutoCommit(false);
      live.send(connection);
      connection.commit();
    }
  }

  private static List<LiveSignal> drain(BlockingQueue<LiveSignal> heard, int count) throws InterruptedException {
    List<LiveSignal> signals = new ArrayList<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (signals.size() < count && System.nanoTime() < deadline) {
      LiveSignal signal = heard.poll(100, TimeUnit.MILLISECONDS);
      if (signal != null) signals.add(signal);
    }
    return signals;
  }

  private static void awaitConnected() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!listener.connected()) {
      if (System.nanoTime() > deadline) throw new AssertionError("the listener did not connect");
      Thread.onSpinWait();
    }
  }

  private static List<EventEnvelope<Event>> envelopes(Event... events) {
    List<EventEnvelope<Event>> envelopes = new ArrayList<>();
    long offset = System.nanoTime();
    for (Event event : events) {
      offset++;
      envelopes.add(EventEnvelope.create(Offset.sequence(offset),
          "Lead|" + LeadEntity.entityId(event.tenantId(), event.leadId()), offset, event, 0L));
    }
    return envelopes;
  }

  private static LeadModel.LeadCreated created(String tenant, String lead) {
    return new LeadModel.LeadCreated(tenant, lead, "whatsapp", List.of(), "enc:Amara", AT);
  }

  private static LeadModel.MessageReceived received(String tenant, String lead, String messageId) {
    return new LeadModel.MessageReceived(tenant, lead, new LeadModel.InboundMessage(
        messageId, "whatsapp", "418800112233445", "text", AT, "enc:hello", null, null, List.of(), null), AT);
  }
}
