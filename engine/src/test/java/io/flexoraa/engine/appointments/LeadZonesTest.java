package io.flexoraa.engine.appointments;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/** The offer's zone from the lead's phone: a configured one-zone country answers, anything else keeps the SDR's. */
class LeadZonesTest {
  private final LeadZones zones = LeadZones.fromConfig(
      ConfigFactory.load().getConfig("flexoraa.appointments.lead-zones"));

  @Test
  void aOneZoneCountryGivesItsZone() {
    assertThat(zones.of("+919811100001")).contains(ZoneId.of("Asia/Kolkata"));
    assertThat(zones.of("971501234567")).as("without the plus").contains(ZoneId.of("Asia/Dubai"));
    assertThat(zones.of("+442079460000")).contains(ZoneId.of("Europe/London"));
  }

  @Test
  void aCountryOfSeveralZonesAnUnknownOrABadNumberGivesNone() {
    assertThat(zones.of("+12025550123")).as("the US spans several zones").isEmpty();
    assertThat(zones.of("+61412345678")).as("Australia too").isEmpty();
    assertThat(zones.of("not a phone")).isEmpty();
    assertThat(zones.of("")).isEmpty();
    assertThat(zones.of(null)).isEmpty();
  }
}
