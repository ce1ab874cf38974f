package io.flexoraa.engine.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Tenant events and snapshots written before the token economy still read, through the serializer the journal
 * uses, and such a tenant starts with its plan's monthly tokens.
 */
class TenantEventCompatibilityTest {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-14T09:26:53Z"), ZoneOffset.UTC);
  private static ActorTestKit testKit;
  private static Serialization serialization;

  @BeforeAll
  static void start() {
    testKit = ActorTestKit.create("TenantEventCompatibilityTest", io.flexoraa.engine.EntityTestKit.CONFIG);
    serialization = SerializationExtension.get(testKit.system().classicSystem());
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  /** The old shape, written as JSON for readability, encoded as the CBOR the journal holds, read by its serializer. */
  private static Object read(Class<?> type, String json) throws Exception {
    byte[] cbor = new CBORMapper().writeValueAsBytes(new ObjectMapper().readTree(json));
    Serializer serializer = serialization.serializerFor(type);
    assertThat(serializer.getClass().getSimpleName()).isEqualTo("JacksonCborSerializer");
    return serialization.deserialize(cbor, serializer.identifier(), type.getName()).get();
  }

  @Test
  void aTenantCreatedEventOfTheFirstReleaseReadsAndItsTenantHasThePlansTokens() throws Exception {
    Object event = read(Tenant.TenantCreated.class, """
        {"type":"tenant-created.v1","tenantId":"tenant-acme","name":"Acme Realty","plan":"full-os",
         "defaultRegion":"IN","at":"2025-12-01T10:00:00Z"}""");

    Tenant tenant = Tenant.empty().apply((Tenant.Event) event);

    assertThat(tenant.tokenView(TenantTest.BILLING, CLOCK).orElseThrow().balance()).isEqualByComparingTo("1000");
  }

  @Test
  void aSnapshotWithoutATokenAccountReadsAsATenantWhoseAccountIsNotOpenedYet() throws Exception {
    Tenant tenant = (Tenant) read(Tenant.class, """
        {"tenantId":"tenant-acme","name":"Acme Realty","plan":"leados-starter","defaultRegion":"IN",
         "createdAt":"2025-12-01T10:00:00Z","apiKeys":{}}""");

    assertThat(tenant.tokens()).isNull();
    Tokens.TokenView view = tenant.tokenView(TenantTest.BILLING, CLOCK).orElseThrow();
    assertThat(view.balance()).isEqualByComparingTo("250");
    assertThat(view.dailyBurnLimit()).isEqualByComparingTo("8");
    assertThat(view.aiPaused()).isFalse();
  }

  @Test
  void tokenEventsRoundTripWithTheirExactAmounts() throws Exception {
    Tokens.TokensCredited credited = new Tokens.TokensCredited("tenant-acme", 7, Tokens.CreditKind.TOP_UP,
        new java.math.BigDecimal("100.10"), "pay_1", "razorpay", null, new java.math.BigDecimal("100.30"), null,
        CLOCK.instant());
    Serializer serializer = serialization.serializerFor(Tokens.TokensCredited.class);

    Object back = serialization.deserialize(serializer.toBinary(credited), serializer.identifier(),
        Tokens.TokensCredited.class.getName()).get();

    assertThat(back).isEqualTo(credited);
    assertThat(((Tokens.TokensCredited) back).tokens().toPlainString()).isEqualTo("100.10");
  }
}
