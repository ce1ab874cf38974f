package io.flexoraa.engine.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexoraa.engine.testing.JournalShapes;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Tenant events and snapshots written before the token economy still read, through the serializer the journal
 * uses, and such a tenant starts with its plan's monthly tokens.
 */
class TenantEventCompatibilityTest {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-14T09:26:53Z"), ZoneOffset.UTC);
  private static JournalShapes journal;

  @BeforeAll
  static void start() {
    journal = new JournalShapes("TenantEventCompatibilityTest");
  }

  @AfterAll
  static void stop() {
    journal.close();
  }

  private static Object read(Class<?> type, String json) throws Exception {
    return journal.read(type, json);
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
    Object back = journal.roundTrip(credited);

    assertThat(back).isEqualTo(credited);
    assertThat(((Tokens.TokensCredited) back).tokens().toPlainString()).isEqualTo("100.10");
  }
}
