package io.flexoraa.engine.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.flexoraa.engine.tenant.Tenant.ApiKeyCreated;
import io.flexoraa.engine.tenant.Tenant.ApiKeyRevoked;
import io.flexoraa.engine.tenant.Tenant.Command;
import io.flexoraa.engine.tenant.Tenant.Event;
import io.flexoraa.engine.tenant.Tenant.TenantCreated;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit.CommandResultWithReply;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Tenant entity on the in-memory journal. Serialization is verified for every command, event and state, with
 * equality: a Tenant decoded from CBOR must equal the one that was encoded.
 */
class TenantEntityTest {

  private static final Config CONFIG = io.flexoraa.engine.EntityTestKit.CONFIG;

  private static final Instant NOW = Instant.parse("2026-03-14T09:26:53Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final String SECRET_HASH = TenantTest.sha256("fxk_live_3f9a1c7e5b2d4f6a8c0e1b3d5f7a9c2e");
  private static final AtomicInteger TENANTS = new AtomicInteger();

  private static ActorTestKit testKit;

  private String tenantId;
  private String persistenceId;
  private EventSourcedBehaviorTestKit<Command, Event, Tenant> kit;

  @BeforeAll
  static void startActorSystem() {
    testKit = ActorTestKit.create("TenantEntityTest", CONFIG);
  }

  @AfterAll
  static void stopActorSystem() {
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void newTenant() {
    tenantId = "tenant-" + TENANTS.incrementAndGet();
    persistenceId = PersistenceId.of(TenantEntity.TYPE_KEY.name(), tenantId).id();
    kit =
        EventSourcedBehaviorTestKit.create(
            testKit.system(),
            TenantEntity.create(tenantId, CLOCK, CONFIG.getInt("flexoraa.tenant.snapshot-every"), Billing.fromConfig(CONFIG)),
            EventSourcedBehaviorTestKit.enabledSerializationSettings().withVerifyEquality(true));
  }

  private CommandResultWithReply<Command, Event, Tenant, StatusReply<Tenant.View>> create() {
    return kit.runCommand(replyTo -> new Tenant.Create(tenantId, "Acme Realty", "leados-pro", "IN", replyTo));
  }

  private CommandResultWithReply<Command, Event, Tenant, StatusReply<Done>> createKey(String keyId) {
    return kit.runCommand(replyTo -> new Tenant.CreateApiKey(keyId, "crm sync", "Manager", SECRET_HASH, "operator", replyTo));
  }

  private CommandResultWithReply<Command, Event, Tenant, StatusReply<Done>> revoke(String keyId) {
    return kit.runCommand(replyTo -> new Tenant.RevokeApiKey(keyId, "operator", replyTo));
  }

  private boolean authenticate(String keyId, String secretHash) {
    CommandResultWithReply<Command, Event, Tenant, Tenant.AuthenticationResult> result =
        kit.runCommand(replyTo -> new Tenant.Authenticate(keyId, secretHash, replyTo));
    assertThat(result.hasNoEvents()).isTrue();
    return result.reply().authenticated();
  }

  private Tenant.Lookup get() {
    CommandResultWithReply<Command, Event, Tenant, Tenant.Lookup> result = kit.runCommand(Tenant.Get::new);
    assertThat(result.hasNoEvents()).isTrue();
    return result.reply();
  }

  private int persistedEvents() {
    return kit.persistenceTestKit().persistedInStorage(persistenceId).size();
  }

  @Test
  void createPersistsTheTenantAndRepliesWithItsView() {
    var result = create();

    Tenant.View view = new Tenant.View(tenantId, "Acme Realty", "leados-pro", "IN", NOW);
    assertThat(result.reply().isSuccess()).isTrue();
    assertThat(result.reply().getValue()).isEqualTo(view);
    assertThat(result.events()).containsExactly(
        new TenantCreated(tenantId, "Acme Realty", "leados-pro", "IN", NOW),
        new Tokens.TokenAccountOpened(tenantId, 1, new java.math.BigDecimal("750.00"), java.time.LocalDate.parse("2026-03-01"), NOW));
    assertThat(get()).isEqualTo(new Tenant.Lookup(view));
  }

  @Test
  void creatingTwiceIsAnErrorAndPersistsNothing() {
    create();

    var again = create();

    assertThat(again.reply().isError()).isTrue();
    assertThat(again.reply().getError()).hasMessage("tenant already exists");
    assertThat(again.hasNoEvents()).isTrue();
    assertThat(persistedEvents()).isEqualTo(2);
  }

  @Test
  void anApiKeyAuthenticatesWithTheRightHashOnlyUntilRevoked() {
    create();

    var created = createKey("key-1");
    assertThat(created.reply()).isEqualTo(StatusReply.ack());
    assertThat(created.events()).containsExactly(new ApiKeyCreated(tenantId, "key-1", "crm sync", SECRET_HASH, NOW, "Manager", "operator"));

    assertThat(authenticate("key-1", SECRET_HASH)).isTrue();
    assertThat(authenticate("key-1", TenantTest.sha256("guessed"))).isFalse();
    assertThat(authenticate("key-2", SECRET_HASH)).isFalse();

    var revoked = revoke("key-1");
    assertThat(revoked.reply().isSuccess()).isTrue();
    assertThat(revoked.events()).containsExactly(new ApiKeyRevoked(tenantId, "key-1", NOW, "operator"));
    assertThat(authenticate("key-1", SECRET_HASH)).isFalse();
  }

  @Test
  void revokingTwiceIsAnErrorAndPersistsNothing() {
    create();
    createKey("key-1");
    revoke("key-1");

    var again = revoke("key-1");

    assertThat(again.reply().isError()).isTrue();
    assertThat(again.reply().getError()).hasMessage("api key already revoked");
    assertThat(again.hasNoEvents()).isTrue();
    assertThat(persistedEvents()).isEqualTo(4);
  }

  @Test
  void reusingAKeyIdIsAnError() {
    create();
    createKey("key-1");

    var again = createKey("key-1");

    assertThat(again.reply().getError()).hasMessage("api key id already used");
    assertThat(again.hasNoEvents()).isTrue();
  }

  @Test
  void commandsOnAnUnknownTenantAreRejected() {
    var key = createKey("key-1");
    assertThat(key.reply().isError()).isTrue();
    assertThat(key.reply().getError()).hasMessage("unknown tenant");

    var revoke = revoke("key-1");
    assertThat(revoke.reply().isError()).isTrue();

    assertThat(authenticate("key-1", SECRET_HASH)).isFalse();
    assertThat(get()).isEqualTo(new Tenant.Lookup(null));
    assertThat(persistedEvents()).isZero();
  }

  @Test
  void aRestartKeepsTheTenantAndItsKeys() {
    create();
    createKey("key-1");
    createKey("key-2");
    revoke("key-2");

    Tenant recovered = kit.restart().state();

    assertThat(recovered.apiKeys()).containsOnlyKeys("key-1", "key-2");
    assertThat(recovered.apiKeys().get("key-2").revokedAt()).isEqualTo(NOW);
    assertThat(authenticate("key-1", SECRET_HASH)).isTrue();
    assertThat(authenticate("key-2", SECRET_HASH)).as("still revoked after recovery").isFalse();
    assertThat(get().tenant()).isEqualTo(new Tenant.View(tenantId, "Acme Realty", "leados-pro", "IN", NOW));
    assertThat(create().reply().isError()).as("still exists after recovery").isTrue();
  }
}
