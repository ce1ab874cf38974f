package io.flexoraa.engine.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexoraa.engine.identity.PhoneNormalizer.NormalizedPhone;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class PhoneNormalizerTest {

  private final PhoneNormalizer normalizer = new PhoneNormalizer();

  @Test
  void anIndianMobileWithoutCountryCodeTakesTheDefaultRegion() {
    assertThat(normalizer.normalize("9111844757", "IN"))
        .contains(new NormalizedPhone("+919111844757", true, true));
  }

  @Test
  void theRegionIsCaseInsensitive() {
    assertThat(normalizer.normalize("9111844757", "in"))
        .contains(new NormalizedPhone("+919111844757", true, true));
  }

  @ParameterizedTest
  @ValueSource(strings = {"IN", "US", "AE", "ID", "GB"})
  void anInternationalNumberIgnoresTheDefaultRegion(String region) {
    assertThat(normalizer.normalize("+91 98765 43210", region))
        .contains(new NormalizedPhone("+919876543210", true, true));
  }

  @Test
  void anInternationalNumberNeedsNoRegionAtAll() {
    assertThat(normalizer.normalize("+91 98765 43210", null))
        .contains(new NormalizedPhone("+919876543210", true, true));
  }

  @ParameterizedTest
  @ValueSource(strings = {"IN", "US", "AE"})
  void aWaIdIsReadAsInternationalWhateverTheRegion(String region) {
    assertThat(normalizer.fromWaId("919876543210", region))
        .contains(new NormalizedPhone("+919876543210", true, true));
  }

  @Test
  void aWaIdIsNotMistakenForANationalNumber() {
    // read nationally in the US this would be a different (invalid) number; the wa_id always carries its country code
    assertThat(normalizer.fromWaId("971501234567", "US"))
        .contains(new NormalizedPhone("+971501234567", true, true));
  }

  @Test
  void aNumberThatParsesButIsInvalidIsKeptFlagged() {
    assertThat(normalizer.normalize("12345", "IN")).contains(new NormalizedPhone("+9112345", false, false));
  }

  @Test
  void aWaIdWithAnUnknownCountryCodeIsKeptFlagged() {
    assertThat(normalizer.fromWaId("999123", "IN")).contains(new NormalizedPhone("+999123", false, false));
  }

  @Test
  void aValidLandlineIsNotMobileCapable() {
    assertThat(normalizer.normalize("011 2345 6789", "IN")).contains(new NormalizedPhone("+911123456789", true, false));
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {"   ", "hello world", "abc", "++--"})
  void garbageGivesNothing(String raw) {
    assertThat(normalizer.normalize(raw, "IN")).isEmpty();
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {"   ", "abc", "+-"})
  void aWaIdWithoutDigitsGivesNothing(String waId) {
    assertThat(normalizer.fromWaId(waId, "IN")).isEmpty();
  }

  @Test
  void aUaeMobileIsValid() {
    assertThat(normalizer.normalize("+971 50 123 4567", "AE"))
        .contains(new NormalizedPhone("+971501234567", true, true));
  }

  @Test
  void anIndonesianMobileWithTrunkPrefixUsesTheRegion() {
    assertThat(normalizer.normalize("0812-3456-789", "ID"))
        .contains(new NormalizedPhone("+628123456789", true, true));
  }

  @Test
  void knownRegionsAreIsoCodes() {
    assertThat(PhoneNormalizer.isKnownRegion("IN")).isTrue();
    assertThat(PhoneNormalizer.isKnownRegion("ae")).isTrue();
    assertThat(PhoneNormalizer.isKnownRegion("XX")).isFalse();
    assertThat(PhoneNormalizer.isKnownRegion(null)).isFalse();
  }
}
