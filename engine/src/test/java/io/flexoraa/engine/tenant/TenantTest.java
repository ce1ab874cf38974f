package io.flexoraa.engine.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexoraa.engine.tenant.Tenant.ApiKeyCreated;
import io.flexoraa.engine.tenant.Tenant.ApiKeyRevoked;
import io.flexoraa.engine.tenant.Tenant.Decision;
import io.flexoraa.engine.tenant.Tenant.Event;
import io.flexoraa.engine.tenant.Tenant.TenantCreated;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The tenant's rules without actors: given events, when a decision, expect an event or a rejection. */
class TenantTest {

  private static final Instant NOW = Instant.parse("2026-03-14T09:26:53Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final Instant EARLIER = Instant.parse("2026-01-02T03:04:05Z");

  private static final String TENANT = "tenant-acme";
  private static final TenantCreated CREATED = new TenantCreated(TENANT, "Acme Realty", "leados-pro", "IN", EARLIER);
  private static final String SECRET_HASH = sha256("fxk_live_3f9a1c7e5b2d4f6a8c0e1b3d5f7a9c2e");
  private static final ApiKeyCreated KEY_CREATED = new ApiKeyCreated(TENANT, "key-1", "crm sync", SECRET_HASH, EARLIER, "Manager", "user:admin-1");

  static String sha256(String secret) {
    try {
      return HexFormat.of().formatHex(
          MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  private static Tenant given(Event... history) {
    Tenant tenant = Tenant.empty();
    for (Event event : history) tenant = tenant.apply(event);
    return tenant;
  }

  static final Billing BILLING = Billing.fromConfig(com.typesafe.config.ConfigFactory.load());

  private static void assertRejected(Decision decision, String reason) {
    assertThat(decision.events()).isEmpty();
    assertThat(decision.rejection()).isEqualTo(reason);
  }

  @Test
  void aNewTenantIsCreatedAtTheClocksInstantWithThePlansMonthlyTokens() {
    Decision decision =
        Tenant.empty().decideCreate(new Tenant.Create(TENANT, "Acme Realty", "leados-pro", "IN", null), BILLING, CLOCK);

    assertThat(decision.rejection()).isNull();
    assertThat(decision.events()).containsExactly(
        new TenantCreated(TENANT, "Acme Realty", "leados-pro", "IN", NOW),
        new Tokens.TokenAccountOpened(TENANT, 1, new java.math.BigDecimal("750.00"), java.time.LocalDate.parse("2026-03-01"), NOW));
    Tenant created = given(decision.events().toArray(Event[]::new));
    assertThat(created.exists()).isTrue();
    assertThat(created.view()).isEqualTo(new Tenant.View(TENANT, "Acme Realty", "leados-pro", "IN", NOW));
    assertThat(created.tokens().balance()).isEqualByComparingTo("750");
  }

  @Test
  void creatingTwiceIsRejected() {
    assertRejected(
        given(CREATED).decideCreate(new Tenant.Create(TENANT, "Other name", "full-os", "AE", null), BILLING, CLOCK),
        "tenant already exists");
  }

  @Test
  void anUnknownPlanIsRejected() {
    assertRejected(
        Tenant.empty().decideCreate(new Tenant.Create(TENANT, "Acme Realty", "platinum", "IN", null), BILLING, CLOCK),
        "unknown plan");
  }

  @Test
  void anApiKeyIsCreatedWithItsHashOnly() {
    Decision decision =
        given(CREATED).decideCreateApiKey(new Tenant.CreateApiKey("key-1", "crm sync", "Manager", SECRET_HASH, "user:admin-1", null), CLOCK);

    assertThat(decision.events()).containsExactly(new ApiKeyCreated(TENANT, "key-1", "crm sync", SECRET_HASH, NOW, "Manager", "user:admin-1"));
    Tenant withKey = given(CREATED, decision.events().get(0));
    assertThat(withKey.apiKeys()).containsOnlyKeys("key-1");
    assertThat(withKey.apiKeys().get("key-1").revokedAt()).isNull();
  }

  @Test
  void aKeyIdCannotBeReused() {
    assertRejected(
        given(CREATED, KEY_CREATED).decideCreateApiKey(new Tenant.CreateApiKey("key-1", "again", "Manager", SECRET_HASH, "user:admin-1", null), CLOCK),
        "api key id already used");
  }

  @Test
  void authenticationNeedsAnActiveKeyAndTheExactHash() {
    Tenant tenant = given(CREATED, KEY_CREATED);

    assertThat(tenant.authenticates("key-1", SECRET_HASH)).contains("Manager");
    assertThat(tenant.authenticates("key-1", sha256("fxk_live_wrong"))).isEmpty();
    assertThat(tenant.authenticates("key-1", SECRET_HASH.substring(1))).as("a prefix is not enough").isEmpty();
    assertThat(tenant.authenticates("key-2", SECRET_HASH)).as("unknown key").isEmpty();
    assertThat(given(CREATED, KEY_CREATED, new ApiKeyRevoked(TENANT, "key-1", NOW, "user:admin-1")).authenticates("key-1", SECRET_HASH))
        .as("revoked key").isEmpty();
  }

  @Test
  void revokingRecordsTheInstantAndASecondRevokeIsRejected() {
    Decision first = given(CREATED, KEY_CREATED).decideRevoke(new Tenant.RevokeApiKey("key-1", "user:admin-1", null), CLOCK);
    assertThat(first.events()).containsExactly(new ApiKeyRevoked(TENANT, "key-1", NOW, "user:admin-1"));

    Tenant revoked = given(CREATED, KEY_CREATED, first.events().get(0));
    assertThat(revoked.apiKeys().get("key-1").revokedAt()).isEqualTo(NOW);
    assertThat(revoked.apiKeys().get("key-1").secretHash()).isEqualTo(SECRET_HASH);
    assertRejected(revoked.decideRevoke(new Tenant.RevokeApiKey("key-1", "user:admin-1", null), CLOCK), "api key already revoked");
  }

  @Test
  void revokingAnUnknownKeyIsRejected() {
    assertRejected(
        given(CREATED, KEY_CREATED).decideRevoke(new Tenant.RevokeApiKey("key-9", "user:admin-1", null), CLOCK), "unknown api key");
  }

  @Test
  void anUnknownTenantRejectsEverythingButCreate() {
    Tenant unknown = Tenant.empty();

    assertThat(unknown.exists()).isFalse();
    assertRejected(
        unknown.decideCreateApiKey(new Tenant.CreateApiKey("key-1", "crm sync", "Manager", SECRET_HASH, "user:admin-1", null), CLOCK),
        "unknown tenant");
    assertRejected(unknown.decideRevoke(new Tenant.RevokeApiKey("key-1", "user:admin-1", null), CLOCK), "unknown api key");
    assertThat(unknown.authenticates("key-1", SECRET_HASH)).isEmpty();
  }

  @Test
  void applyIsPureAndLeavesThePreviousStateUntouched() {
    Tenant before = given(CREATED);

    Tenant after = before.apply(KEY_CREATED);

    assertThat(before.apiKeys()).isEmpty();
    assertThat(after.apiKeys()).containsOnlyKeys("key-1");
    assertThat(after.view()).isEqualTo(before.view());
    assertThat(given(CREATED, KEY_CREATED)).isEqualTo(given(CREATED, KEY_CREATED));
  }

  @Test
  void aKeyCreatedBeforeRolesExistedKeepsTheFullAccessItHad() {
    ApiKeyCreated legacy = new ApiKeyCreated(TENANT, "key-0", "old crm", SECRET_HASH, EARLIER, null, null);
    assertThat(legacy.role()).isEqualTo("Admin");
    assertThat(legacy.actor()).isEqualTo("operator");
    assertThat(given(CREATED, legacy).authenticates("key-0", SECRET_HASH)).contains("Admin");
  }
}
