package io.flexoraa.engine.channel;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.flexoraa.engine.channel.ChannelAccount.Command;
import io.flexoraa.engine.channel.ChannelAccount.Event;
import io.flexoraa.engine.channel.ChannelAccount.PlatformUpdate;
import io.flexoraa.engine.channel.ChannelAccount.PlatformUpdateRecorded;
import io.flexoraa.engine.channel.ChannelAccount.Registered;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import io.flexoraa.engine.compliance.ComplianceSettings;
import io.flexoraa.engine.ports.MetaAccountProbe.AccountHealth;
import java.util.stream.IntStream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit.CommandResultWithReply;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The ChannelAccount entity on the in-memory journal, with serialization (and equality after a CBOR round trip)
 * verified for every command, event and state.
 */
class ChannelAccountEntityTest {

  private static final Config CONFIG = io.flexoraa.engine.EntityTestKit.CONFIG;

  private static final Instant NOW = Instant.parse("2026-03-14T09:26:53Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final Instant RECEIVED_AT = Instant.parse("2026-03-14T09:20:00Z");

  private static final String TENANT = "tenant-acme";
  private static final String CHANNEL = "whatsapp";
  private static final String WABA = "730012345678901";
  private static final String QUALITY = "phone_number_quality_update";
  private static final String TEMPLATE = "message_template_status_update";
  private static final AtomicInteger ACCOUNTS = new AtomicInteger();

  private static ActorTestKit testKit;

  @BeforeAll
  static void startActorSystem() {
    testKit = ActorTestKit.create("ChannelAccountEntityTest", CONFIG);
  }

  @AfterAll
  static void stopActorSystem() {
    testKit.shutdownTestKit();
  }

  /** One account per test: its own phone-number id, so tests never share a journal entry. */
  private static final class AccountUnderTest {
    final String externalId = "4188001122" + (33400 + ACCOUNTS.incrementAndGet());
    final String accountKey = CHANNEL + ":" + externalId;
    final String persistenceId;
    final EventSourcedBehaviorTestKit<Command, Event, ChannelAccount> kit;

    AccountUnderTest(int historyPerField) {
      String entityId = ChannelAccountEntity.entityId(TENANT, CHANNEL, externalId);
      persistenceId = PersistenceId.of(ChannelAccountEntity.TYPE_KEY.name(), entityId).id();
      kit =
          EventSourcedBehaviorTestKit.create(
              testKit.system(),
              ChannelAccountEntity.create(entityId, CLOCK, new ChannelAccountEntity.Settings(
                      CONFIG.getInt("flexoraa.channel-account.snapshot-every"), historyPerField,
                      ComplianceSettings.fromConfig(CONFIG)),
                  (tenant, channel, externalId) -> CompletableFuture.completedFuture(AccountHealth.UNKNOWN), false),
              EventSourcedBehaviorTestKit.enabledSerializationSettings().withVerifyEquality(true));
    }

    AccountUnderTest() {
      this(CONFIG.getInt("flexoraa.channel-account.history-per-field"));
    }

    CommandResultWithReply<Command, Event, ChannelAccount, StatusReply<ChannelAccount.View>> register(String tenant) {
      return kit.runCommand(
          replyTo -> new ChannelAccount.Register(tenant, CHANNEL, externalId, "Acme Realty Sales", WABA, replyTo));
    }

    CommandResultWithReply<Command, Event, ChannelAccount, StatusReply<Integer>> record(PlatformUpdate... updates) {
      return kit.runCommand(
          replyTo -> new ChannelAccount.RecordPlatformUpdates(TENANT, CHANNEL, externalId, List.of(updates), replyTo));
    }

    ChannelAccount.View get() {
      CommandResultWithReply<Command, Event, ChannelAccount, ChannelAccount.View> result =
          kit.runCommand(ChannelAccount.Get::new);
      assertThat(result.hasNoEvents()).isTrue();
      return result.reply();
    }

    int persistedEvents() {
      return kit.persistenceTestKit().persistedInStorage(persistenceId).size();
    }
  }

  /** The recording events, without what the gate reads from them (ComplianceRulesTest covers that). */
  private static List<Event> recordedOnly(List<Event> events) {
    return events.stream()
        .filter(event -> event instanceof PlatformUpdateRecorded || event instanceof Registered).toList();
  }

  private static PlatformUpdate update(String field, String value) {
    return new PlatformUpdate(field, "{\"event\":\"" + value + "\"}", "sha256:" + field + ":" + value, RECEIVED_AT);
  }

  @Test
  void registeringRecordsTheAccountAndRepliesWithItsView() {
    AccountUnderTest account = new AccountUnderTest();

    var result = account.register(TENANT);

    assertThat(result.events())
        .containsExactly(new Registered(TENANT, CHANNEL, account.externalId, "Acme Realty Sales", WABA, NOW));
    ChannelAccount.View view =
        new ChannelAccount.View(TENANT, CHANNEL, account.externalId, "Acme Realty Sales", WABA, Map.of());
    assertThat(result.reply().getValue()).isEqualTo(view);
    assertThat(account.get()).isEqualTo(view);
  }

  @Test
  void registeringAgainForTheSameTenantPersistsNothing() {
    AccountUnderTest account = new AccountUnderTest();
    account.register(TENANT);

    var again = account.register(TENANT);

    assertThat(again.hasNoEvents()).isTrue();
    assertThat(again.reply().isSuccess()).isTrue();
    assertThat(again.reply().getValue().tenantId()).isEqualTo(TENANT);
    assertThat(account.persistedEvents()).isEqualTo(1);
  }

  @Test
  void anotherTenantCannotClaimTheAccount() {
    AccountUnderTest account = new AccountUnderTest();
    account.register(TENANT);

    var claim = account.register("tenant-rival");

    assertThat(claim.reply().isError()).isTrue();
    assertThat(claim.reply().getError()).hasMessage("account belongs to another tenant");
    assertThat(claim.hasNoEvents()).isTrue();
    assertThat(account.get().tenantId()).isEqualTo(TENANT);
  }

  @Test
  void platformUpdatesAreRecordedOncePerDigest() {
    AccountUnderTest account = new AccountUnderTest();
    account.register(TENANT);
    PlatformUpdate flagged = update(QUALITY, "FLAGGED");
    PlatformUpdate approved = update(TEMPLATE, "APPROVED");

    var first = account.record(flagged, approved, flagged);
    assertThat(first.reply().getValue()).isEqualTo(2);
    assertThat(recordedOnly(first.events())).containsExactly(
        new PlatformUpdateRecorded(TENANT, account.accountKey, flagged),
        new PlatformUpdateRecorded(TENANT, account.accountKey, approved));

    var repeated = account.record(approved, flagged);
    assertThat(repeated.hasNoEvents()).as("Meta repeating the webhook").isTrue();
    assertThat(repeated.reply().getValue()).isZero();

    assertThat(account.get().updatesByField())
        .containsOnlyKeys(QUALITY, TEMPLATE)
        .containsEntry(QUALITY, List.of(flagged))
        .containsEntry(TEMPLATE, List.of(approved));
  }

  /**
   * Only the last {@code history-per-field} updates of a field are kept, so the state stays small; an update older
   * than that window is no longer recognised as a repeat.
   */
  @Test
  void historyPerFieldIsBounded() {
    AccountUnderTest account = new AccountUnderTest(3);
    account.register(TENANT);
    List<PlatformUpdate> qualities =
        IntStream.rangeClosed(1, 5).mapToObj(i -> update(QUALITY, "q" + i)).toList();
    PlatformUpdate template = update(TEMPLATE, "APPROVED");

    for (PlatformUpdate quality : qualities) account.record(quality);
    account.record(template);

    assertThat(account.get().updatesByField().get(QUALITY)).containsExactlyElementsOf(qualities.subList(2, 5));
    assertThat(account.get().updatesByField().get(TEMPLATE)).containsExactly(template);
    assertThat(account.record(qualities.get(4)).hasNoEvents()).as("still in the window").isTrue();
    assertThat(recordedOnly(account.record(qualities.get(0)).events())).as("evicted, so recorded again").hasSize(1);
  }

  @Test
  void aRestartKeepsRegistrationAndUpdates() {
    AccountUnderTest account = new AccountUnderTest();
    account.register(TENANT);
    account.record(update(QUALITY, "FLAGGED"), update(TEMPLATE, "APPROVED"));
    ChannelAccount.View before = account.get();

    ChannelAccount recovered = account.kit.restart().state();

    assertThat(recovered.view()).isEqualTo(before);
    assertThat(account.get()).isEqualTo(before);
    assertThat(account.record(update(QUALITY, "FLAGGED")).hasNoEvents()).as("digests survive recovery").isTrue();
    assertThat(account.register("tenant-rival").reply().isError()).as("ownership survives recovery").isTrue();
  }

  @Test
  void anUpdateForAnUnregisteredAccountRegistersItImplicitly() {
    AccountUnderTest account = new AccountUnderTest();
    PlatformUpdate flagged = update(QUALITY, "FLAGGED");

    var result = account.record(flagged);

    assertThat(recordedOnly(result.events())).containsExactly(
        new Registered(TENANT, CHANNEL, account.externalId, account.externalId, null, NOW),
        new PlatformUpdateRecorded(TENANT, account.accountKey, flagged));
    assertThat(result.reply().getValue()).as("only updates are counted").isEqualTo(1);
    assertThat(result.state().registered()).isTrue();
    assertThat(account.register("tenant-rival").reply().isError()).isTrue();
  }
}
