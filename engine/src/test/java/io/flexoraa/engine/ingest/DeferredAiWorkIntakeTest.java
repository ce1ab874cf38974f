package io.flexoraa.engine.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.flexoraa.engine.EntityTestKit;
import io.flexoraa.engine.ingest.WhatsAppIngest.IngestReport;
import io.flexoraa.engine.lead.LeadEntity;
import io.flexoraa.engine.limits.RateLimits;
import io.flexoraa.engine.ports.AiWork;
import io.flexoraa.engine.ports.ChannelDirectory;
import io.flexoraa.engine.ports.ChannelDirectory.ChannelRoute;
import io.flexoraa.engine.ports.EngineMetrics;
import io.flexoraa.engine.ports.IdentityIndex;
import io.flexoraa.engine.ports.PiiCipher;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.persistence.testkit.PersistenceTestKitPlugin;
import org.apache.pekko.persistence.testkit.PersistenceTestKitSnapshotPlugin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Webhook intake with the real limits on a one-node cluster (real sharding, the in-memory journal, in-memory
 * stand-ins for the SQL-backed ports): a burst of messages is stored and the webhook completes at once, while their
 * AI work starts at the tenant's rate, in order, and never twice for a retried webhook; another tenant is unaffected.
 */
class DeferredAiWorkIntakeTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String BUSY_ACCOUNT = "418800000000001";
  private static final String CALM_ACCOUNT = "418800000000002";

  private static ActorTestKit testKit;
  private static WhatsAppIngest ingest;
  private static final List<AiWork.Item> started = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() {
    Config config = ConfigFactory.parseMap(Map.of(
            "pekko.actor.provider", "cluster",
            "pekko.remote.artery.canonical.hostname", "127.0.0.1",
            "pekko.remote.artery.canonical.port", 0,
            "pekko.coordinated-shutdown.run-by-jvm-shutdown-hook", "off",
            // a burst from one customer is what this test is about, not what the customer screen keeps from AI work
            "flexoraa.abuse.customer.rapid-fire.messages", 1000))
        .withFallback(PersistenceTestKitPlugin.getInstance().config())
        .withFallback(PersistenceTestKitSnapshotPlugin.config())
        .withFallback(EntityTestKit.SERIALIZATION_BINDINGS)
        .withFallback(ConfigFactory.load())
        .resolve();
    testKit = ActorTestKit.create("DeferredAiWorkIntakeTest", config);
    Cluster cluster = Cluster.get(testKit.system());
    cluster.manager().tell(new Join(cluster.selfMember().address()));
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (cluster.selfMember().status() != MemberStatus.up()) {
      if (System.nanoTime() > deadline) throw new IllegalStateException("the node did not come up");
      Thread.onSpinWait();
    }

    Clock clock = Clock.systemUTC();
    LeadEntity.init(testKit.system(), LeadEntity.Settings.fromConfig(config), clock);
    RateLimits limits = RateLimits.start(testKit.system(), config, EngineMetrics.NONE, started::add, clock);
    ChannelDirectory directory = new Directory(Map.of(
        BUSY_ACCOUNT, new ChannelRoute("tenant-busy", "whatsapp", BUSY_ACCOUNT, "730000000000001", "Busy", "GB"),
        CALM_ACCOUNT, new ChannelRoute("tenant-calm", "whatsapp", CALM_ACCOUNT, "730000000000002", "Calm", "GB")));
    Duration askTimeout = Duration.ofSeconds(5);
    LeadIntake intake = new LeadIntake(testKit.system(), new Identities(), new PlainCipher(), item ->
        CompletableFuture.completedFuture(null), EngineMetrics.NONE, ConsentKeywords.fromConfig(config), askTimeout,
        limits.aiWorkQueue());
    ingest = new WhatsAppIngest(testKit.system(), directory, intake, item -> CompletableFuture.completedFuture(null),
        EngineMetrics.NONE, MAPPER, askTimeout);
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @Test
  void aBurstIsStoredAtOnceAndItsAiWorkStartsAtTheTenantsRateInOrder() throws Exception {
    // the limiters are up once a first message gets through
    ingest.ingest(webhook(BUSY_ACCOUNT, "447700900001", "wamid.warm-up", 1), Instant.now())
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
    awaitStarted(1, Duration.ofSeconds(10));
    Thread.sleep(1_200); // the tenant's bucket fills again: five permits

    long before = System.nanoTime();
    IngestReport busy = ingest.ingest(webhook(BUSY_ACCOUNT, "447700900002", "wamid.busy", 20), Instant.now())
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
    IngestReport calm = ingest.ingest(webhook(CALM_ACCOUNT, "447700900003", "wamid.calm", 3), Instant.now())
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
    Duration stored = Duration.ofNanos(System.nanoTime() - before);

    assertThat(busy.messages()).isEqualTo(20);
    assertThat(calm.messages()).isEqualTo(3);
    Thread.sleep(300);
    List<String> soon = startedIds();
    assertThat(soon).as("the calm tenant's messages start at once").contains("wamid.calm.0", "wamid.calm.1",
        "wamid.calm.2");
    double secondsSinceBurst = (System.nanoTime() - before) / 1e9;
    assertThat(soon.stream().filter(id -> id.startsWith("wamid.busy")).count())
        .as("the busy tenant's burst of 5, then 5/s, %.2f s after it arrived (stored in %d ms)", secondsSinceBurst,
            stored.toMillis())
        .isBetween(5L, 5L + (long) Math.ceil(secondsSinceBurst * 5));

    // the other 15 at 5/s: about 3 s more
    awaitStarted(1 + 20 + 3, Duration.ofSeconds(8));
    assertThat(startedIds().stream().filter(id -> id.startsWith("wamid.busy")).toList())
        .containsExactlyElementsOf(ids("wamid.busy", 20));

    // Meta retries the same webhook: stored already, so nothing starts again
    IngestReport retry = ingest.ingest(webhook(BUSY_ACCOUNT, "447700900002", "wamid.busy", 20), Instant.now())
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertThat(retry.duplicates()).isEqualTo(20);
    Thread.sleep(300);
    assertThat(started).hasSize(1 + 20 + 3);
  }

  private static void awaitStarted(int count, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (started.size() < count) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("only " + started.size() + " of " + count + " started: " + startedIds());
      }
      Thread.sleep(20);
    }
  }

  private static List<String> startedIds() {
    return started.stream().map(AiWork.Item::platformMessageId).toList();
  }

  private static List<String> ids(String prefix, int count) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) ids.add(prefix + "." + i);
    return ids;
  }

  /** One change with {@code count} text messages from one sender. */
  private static JsonNode webhook(String phoneNumberId, String from, String idPrefix, int count) {
    ObjectNode root = MAPPER.createObjectNode().put("object", "whatsapp_business_account");
    ObjectNode value = root.putArray("entry").addObject().put("id", "730000000000000")
        .putArray("changes").addObject().put("field", "messages").putObject("value");
    value.put("messaging_product", "whatsapp");
    value.putObject("metadata").put("display_phone_number", "15557770100").put("phone_number_id", phoneNumberId);
    value.putArray("contacts").addObject().put("wa_id", from).putObject("profile").put("name", "Sender");
    ArrayNode messages = value.putArray("messages");
    for (int i = 0; i < count; i++) {
      messages.addObject().put("from", from).put("id", idPrefix + "." + i)
          .put("timestamp", String.valueOf(1767225600 + i)).put("type", "text")
          .putObject("text").put("body", "message " + i);
    }
    return root;
  }

  // ---- in-memory stand-ins for the SQL-backed ports ----

  private record Directory(Map<String, ChannelRoute> routes) implements ChannelDirectory {
    @Override
    public CompletionStage<RegisterOutcome> register(ChannelRoute route, String verifyTokenHash) {
      throw new UnsupportedOperationException();
    }

    @Override
    public CompletionStage<Optional<ChannelRoute>> byExternalId(String channel, String externalId) {
      return CompletableFuture.completedFuture(Optional.ofNullable(routes.get(externalId)));
    }

    @Override
    public CompletionStage<List<ChannelRoute>> byBusinessAccount(String businessAccountId) {
      return CompletableFuture.completedFuture(List.of());
    }

    @Override
    public CompletionStage<Boolean> anyAccountHasVerifyTokenHash(String verifyTokenHash) {
      return CompletableFuture.completedFuture(false);
    }

    @Override
    public CompletionStage<List<ChannelRoute>> ofTenant(String tenantId) {
      return CompletableFuture.completedFuture(List.of());
    }
  }

  /** The first identifier's index decides the lead: enough for senders with one number each. */
  private static final class Identities implements IdentityIndex {
    private final Map<String, String> leads = new ConcurrentHashMap<>();

    @Override
    public CompletionStage<Resolution> resolve(String tenantId, List<IdentityKey> identifiers, String candidate) {
      String key = tenantId + "/" + identifiers.get(0).index();
      String existing = leads.putIfAbsent(key, candidate);
      boolean created = existing == null;
      return CompletableFuture.completedFuture(new Resolution(created ? candidate : existing, created));
    }

    @Override
    public CompletionStage<Void> reassign(String tenantId, String leadId, List<IdentityKey> identifiers) {
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Optional<String>> find(String tenantId, IdentityKey identifier) {
      return CompletableFuture.completedFuture(Optional.ofNullable(leads.get(tenantId + "/" + identifier.index())));
    }

    @Override
    public CompletionStage<Integer> retireLead(String tenantId, String leadId) {
      return CompletableFuture.completedFuture(0);
    }

    @Override
    public void evictLead(String tenantId, String leadId) {}

    @Override
    public CompletionStage<Boolean> wasErased(String tenantId, String identifierIndex) {
      return CompletableFuture.completedFuture(false);
    }
  }

  /** Not encryption: the ports' shape without keys, which this test is not about. */
  private static final class PlainCipher implements PiiCipher {
    private static final FieldCipher PLAIN = new FieldCipher() {
      @Override
      public String encrypt(String plaintext) {
        return "plain:" + plaintext;
      }

      @Override
      public String decrypt(String ciphertext) {
        return ciphertext.substring("plain:".length());
      }
    };

    @Override
    public CompletionStage<FieldCipher> leadCipher(String tenantId, String leadId) {
      return CompletableFuture.completedFuture(PLAIN);
    }

    @Override
    public CompletionStage<Optional<FieldCipher>> existingLeadCipher(String tenantId, String leadId) {
      return CompletableFuture.completedFuture(Optional.of(PLAIN));
    }

    @Override
    public CompletionStage<BlindIndex> blindIndex(String tenantId) {
      return CompletableFuture.completedFuture((kind, value) -> kind + ":" + value);
    }

    @Override
    public CompletionStage<Boolean> shredLead(String tenantId, String leadId) {
      return CompletableFuture.completedFuture(false);
    }
  }
}
