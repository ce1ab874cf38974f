package io.flexoraa.engine.compliance;

import static io.flexoraa.engine.compliance.GateHarness.START;
import static org.assertj.core.api.Assertions.assertThat;

import io.flexoraa.engine.channel.ChannelAccount;
import io.flexoraa.engine.ports.MetaAccountProbe.AccountHealth;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Suspension (PRODUCT §12): Meta's account_update pauses outbound; hourly checks for 48 h or Meta's lifting resume. */
class SuspensionTest {

  private static final String BAN =
      "{\"event\":\"DISABLED_UPDATE\",\"ban_info\":{\"waba_ban_state\":\"DISABLE\",\"waba_ban_date\":\"March 14, 2026\"}}";

  private final GateHarness gate = new GateHarness("whatsapp");

  @Test
  void aBanDefersEveryDecisionUntilTheNextCheckAndAHealthyProbeResumes() {
    assertThat(gate.webhook("account_update", BAN)).singleElement().isInstanceOf(ChannelAccount.AccountSuspended.class);
    assertThat(gate.webhook("account_update", BAN)).as("already suspended").isEmpty();

    GateDecision deferred = gate.decide(gate.reply("r1", START));
    assertThat(deferred.verdict()).isEqualTo(Verdict.DEFER);
    assertThat(deferred.rule()).isEqualTo("account-suspended");
    assertThat(deferred.notBefore()).isEqualTo(START.plus(Duration.ofHours(1)));

    assertThat(gate.probed(AccountHealth.RESTRICTED)).as("not due yet").isEmpty();
    gate.clock.advance(Duration.ofHours(1));
    assertThat(gate.probed(AccountHealth.RESTRICTED)).singleElement().isInstanceOf(ChannelAccount.RecoveryChecked.class);
    assertThat(gate.state.compliance().suspension().nextCheckAt()).isEqualTo(START.plus(Duration.ofHours(2)));
    assertThat(gate.decide(gate.reply("r2", START)).notBefore()).isEqualTo(START.plus(Duration.ofHours(2)));

    gate.clock.advance(Duration.ofHours(1));
    assertThat(gate.probed(AccountHealth.HEALTHY)).singleElement().isInstanceOf(ChannelAccount.AccountResumed.class);
    assertThat(gate.state.compliance().suspended()).isFalse();
    GateDecision retried = gate.decide(GateHarness.with(gate.reply("r1", gate.clock.instant()), null, null, false, false, false));
    assertThat(retried.verdict()).isEqualTo(Verdict.SEND);
  }

  @Test
  void after48HoursWithoutRecoveryTheChecksStopAndAPersonMustAct() {
    gate.webhook("account_update", "{\"event\":\"ACCOUNT_VIOLATION\",\"violation_info\":{\"violation_type\":\"ADULT\"}}");
    for (int hour = 1; hour < 48; hour++) {
      gate.clock.set(START.plus(Duration.ofHours(hour)));
      assertThat(gate.probed(AccountHealth.UNKNOWN)).singleElement().isInstanceOf(ChannelAccount.RecoveryChecked.class);
    }
    gate.clock.set(START.plus(Duration.ofHours(48)));
    assertThat(gate.probed(AccountHealth.RESTRICTED)).singleElement().isInstanceOf(ChannelAccount.RecoveryAbandoned.class);
    assertThat(gate.state.compliance().suspension().abandoned()).isTrue();
    assertThat(gate.probed(AccountHealth.HEALTHY)).as("checks stopped").isEmpty();
    assertThat(gate.decide(gate.reply("r1", START)).rule()).as("still paused, nothing dropped").isEqualTo("account-suspended");

    gate.webhook("account_update",
        "{\"event\":\"DISABLED_UPDATE\",\"ban_info\":{\"waba_ban_state\":\"REINSTATE\",\"waba_ban_date\":\"March 16, 2026\"}}");
    assertThat(gate.state.compliance().suspended()).as("Meta's lifting resumes").isFalse();
  }

  @Test
  void restrictionsOfMessagingSuspendAndOthersDoNot() {
    assertThat(gate.webhook("account_update", "{\"event\":\"ACCOUNT_RESTRICTION\",\"restriction_info\":["
        + "{\"restriction_type\":\"RESTRICTED_ADD_PHONE_NUMBER_ACTION\",\"expiration\":1773480000}]}")).isEmpty();
    assertThat(gate.webhook("account_update",
        "{\"event\":\"DISABLED_UPDATE\",\"ban_info\":{\"waba_ban_state\":\"SCHEDULE_FOR_DISABLE\"}}")).isEmpty();
    assertThat(gate.webhook("account_update", "{\"event\":\"VERIFIED_ACCOUNT\"}")).isEmpty();
    assertThat(gate.webhook("account_update", "{\"event\":\"ACCOUNT_RESTRICTION\",\"restriction_info\":["
        + "{\"restriction_type\":\"RESTRICTED_BIZ_INITIATED_MESSAGING\",\"expiration\":1773480000}]}"))
        .singleElement().isInstanceOf(ChannelAccount.AccountSuspended.class);
    assertThat(gate.state.compliance().suspension().reason()).contains("RESTRICTED_BIZ_INITIATED_MESSAGING");
    assertThat(gate.webhook("account_update", "{\"event\":\"ACCOUNT_OFFBOARDED\"}")).isEmpty();
  }
}
