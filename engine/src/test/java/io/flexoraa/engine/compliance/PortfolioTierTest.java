package io.flexoraa.engine.compliance;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The portfolio's unique-recipient tier over a rolling 24 h. */
class PortfolioTierTest {
  private static final Instant START = Instant.parse("2026-03-14T09:00:00Z");
  private static final Duration DAY = Duration.ofHours(24);

  private PortfolioTier tier = PortfolioTier.empty();

  private PortfolioTier.TierAnswer reserve(String recipient, int limit, Instant now) {
    PortfolioTier.Decision decision =
        tier.decide(new PortfolioTier.Reserve("t", recipient, "m-" + recipient, limit, null), now, DAY);
    if (decision.event() != null) tier = tier.apply(decision.event(), DAY);
    return decision.answer();
  }

  @Test
  void the250thRecipientIsAdmittedThe251stWaitsUntilTheOldestAgesOut() {
    for (int i = 0; i < 250; i++) {
      assertThat(reserve("r" + i, 250, START.plusSeconds(i)).admitted()).isTrue();
    }
    PortfolioTier.TierAnswer full = reserve("r250", 250, START.plusSeconds(300));
    assertThat(full.admitted()).isFalse();
    assertThat(full.used()).isEqualTo(250);
    assertThat(full.notBefore()).isEqualTo(START.plus(DAY));

    assertThat(reserve("r7", 250, START.plusSeconds(301)).admitted()).as("counted already: free").isTrue();
    assertThat(reserve("r250", 250, START.plus(DAY)).admitted()).as("r0 aged out").isTrue();
    assertThat(reserve("r251", 250, START.plus(DAY)).admitted()).isFalse();
  }

  @Test
  void unlimitedCountsButNeverRefuses() {
    for (int i = 0; i < 300; i++) assertThat(reserve("r" + i, ComplianceSettings.UNLIMITED, START).admitted()).isTrue();
    assertThat(tier.used(START, DAY)).isEqualTo(300);
  }
}
