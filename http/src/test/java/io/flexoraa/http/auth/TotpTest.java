package io.flexoraa.http.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.samstevens.totp.code.DefaultCodeGenerator;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class TotpTest {
  private static final Instant NOW = Instant.parse("2025-03-01T10:00:10Z");
  private static final long STEP = NOW.getEpochSecond() / 30;
  private static final Totp TOTP = Totp.of(Clock.fixed(NOW, ZoneOffset.UTC));
  private static final String SECRET = TOTP.newSecret();

  private static String code(long step) throws Exception {
    return new DefaultCodeGenerator().generate(SECRET, step);
  }

  @Test
  void theCurrentCodeAndItsNeighboursVerifyToTheirStep() throws Exception {
    assertThat(TOTP.currentStep()).isEqualTo(STEP);
    assertThat(TOTP.verify(SECRET, code(STEP), OptionalLong.empty())).hasValue(STEP);
    assertThat(TOTP.verify(SECRET, code(STEP - 1), OptionalLong.empty())).hasValue(STEP - 1);
    assertThat(TOTP.verify(SECRET, code(STEP + 1), OptionalLong.empty())).hasValue(STEP + 1);
    assertThat(TOTP.verify(SECRET, code(STEP - 2), OptionalLong.empty())).isEmpty();
    assertThat(TOTP.verify(SECRET, code(STEP + 2), OptionalLong.empty())).isEmpty();
    assertThat(TOTP.codeFor(SECRET, STEP)).isEqualTo(code(STEP));
  }

  @Test
  void aCodeOfAStepAlreadyUsedOrEarlierIsRefused() throws Exception {
    assertThat(TOTP.verify(SECRET, code(STEP), OptionalLong.of(STEP))).isEmpty();
    assertThat(TOTP.verify(SECRET, code(STEP - 1), OptionalLong.of(STEP - 1))).isEmpty();
    assertThat(TOTP.verify(SECRET, code(STEP), OptionalLong.of(STEP - 1))).hasValue(STEP);
  }

  @Test
  void malformedCodesAreRefusedWithoutThrowing() throws Exception {
    String valid = code(STEP);
    assertThat(TOTP.verify(SECRET, valid.substring(0, 3) + " " + valid.substring(3), OptionalLong.empty()))
        .as("authenticator apps show the code in two halves").hasValue(STEP);
    assertThat(TOTP.verify(SECRET, valid + "0", OptionalLong.empty())).isEmpty();
    assertThat(TOTP.verify(SECRET, valid.substring(1), OptionalLong.empty())).isEmpty();
    assertThat(TOTP.verify(SECRET, "12345a", OptionalLong.empty())).isEmpty();
    assertThat(TOTP.verify(SECRET, "", OptionalLong.empty())).isEmpty();
    assertThat(TOTP.verify(SECRET, null, OptionalLong.empty())).isEmpty();
    assertThat(TOTP.verify(null, valid, OptionalLong.empty())).isEmpty();
  }

  @Test
  void secretsAreFreshAndTheUriIsWhatAuthenticatorAppsRead() {
    assertThat(TOTP.newSecret()).matches("[A-Z2-7]{32}").isNotEqualTo(SECRET);
    assertThat(TOTP.uri("JBSWY3DPEHPK3PXP", "asha.rao+sales@example.com"))
        .isEqualTo("otpauth://totp/Flexoraa:asha.rao%2Bsales%40example.com?secret=JBSWY3DPEHPK3PXP"
            + "&issuer=Flexoraa&algorithm=SHA1&digits=6&period=30");
  }
}
