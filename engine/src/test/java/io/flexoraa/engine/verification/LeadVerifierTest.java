package io.flexoraa.engine.verification;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.flexoraa.engine.lead.LeadModel.Verification;
import io.flexoraa.engine.verification.LeadVerifier.Evidence;
import io.flexoraa.engine.verification.LeadVerifier.PhoneCheck;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Verification rules without I/O: phones from the three regions the product sells in (India, the UAE, Singapore),
 * landline against mobile, and every fraud signal on its own and together, with the weights of reference.conf.
 */
class LeadVerifierTest {
  private static final VerificationSettings SETTINGS = VerificationSettings.fromConfig(ConfigFactory.load())
      .withLists(List.of("mailinator.com", "yopmail.com"), List.of("+919800000001", "spam@example.org", "@bots.example"));
  private static final LeadVerifier VERIFIER = new LeadVerifier(SETTINGS);
  private static final BigDecimal HALF = new BigDecimal("0.50");

  private static PhoneCheck phone(String raw, String region) {
    return VERIFIER.checkPhone(raw, region).orElseThrow();
  }

  private static Verification verify(PhoneCheck phone, String email, String name, String message, int fromSource) {
    return VERIFIER.verify(new Evidence(phone, email, name, message, fromSource, null, false), HALF);
  }

  @Nested
  class Phones {
    @Test
    void anIndianMobileWithoutItsCountryCodeTakesTheTenantsRegion() {
      assertThat(phone("98123 45678", "IN")).isEqualTo(new PhoneCheck("+919812345678", true, "MOBILE", true));
    }

    @Test
    void anIndianLandlineIsValidButNotMobileCapable() {
      assertThat(phone("011 2345 6789", "IN")).isEqualTo(new PhoneCheck("+911123456789", true, "FIXED_LINE", false));
    }

    @Test
    void aUaeMobileAndADubaiLandline() {
      assertThat(phone("050 123 4567", "AE")).isEqualTo(new PhoneCheck("+971501234567", true, "MOBILE", true));
      assertThat(phone("04 234 5678", "AE")).isEqualTo(new PhoneCheck("+97142345678", true, "FIXED_LINE", false));
    }

    @Test
    void singaporeMobilesStartWithEightOrNineAndLandlinesWithSix() {
      assertThat(phone("9123 4567", "SG")).isEqualTo(new PhoneCheck("+6591234567", true, "MOBILE", true));
      assertThat(phone("+65 8123 4567", "IN").mobileCapable()).isTrue();
      assertThat(phone("6123 4567", "SG")).isEqualTo(new PhoneCheck("+6561234567", true, "FIXED_LINE", false));
    }

    @Test
    void anInternationalNumberIgnoresTheTenantsRegion() {
      assertThat(phone("+971 50 123 4567", "IN").e164()).isEqualTo("+971501234567");
    }

    @Test
    void aNumberThatCouldBeEitherCountsAsMobileCapable() {
      assertThat(phone("+1 650 253 0000", "IN")).isEqualTo(
          new PhoneCheck("+16502530000", true, "FIXED_LINE_OR_MOBILE", true));
    }

    @Test
    void anInvalidNumberIsStillANumberAndTextIsNot() {
      assertThat(phone("+91 12345", "IN")).isEqualTo(new PhoneCheck("+9112345", false, "UNKNOWN", false));
      assertThat(VERIFIER.checkPhone("call me", "IN")).isEmpty();
      assertThat(VERIFIER.checkPhone("  ", "IN")).isEmpty();
    }
  }

  @Nested
  class FraudScore {
    @Test
    void aCleanLeadScoresZero() {
      Verification verification = verify(phone("98123 45678", "IN"), "priya@gmail.com", "Priya Sharma",
          "Looking for a 2BHK property near Whitefield, budget 80 lakh", 1);

      assertThat(verification.status()).isEqualTo(Verification.VERIFIED);
      assertThat(verification.fraudScore()).isEqualByComparingTo("0");
      assertThat(verification.signals()).isEmpty();
      assertThat(verification.phoneValid()).isTrue();
      assertThat(verification.phoneMobileCapable()).isTrue();
      assertThat(verification.tokensDebited()).isEqualByComparingTo("0.5");
    }

    @Test
    void anInvalidNumberWeighsPointFour() {
      Verification verification = verify(phone("+91 12345", "IN"), null, "Ravi", null, 1);

      assertThat(verification.signals()).containsExactly(LeadVerifier.INVALID_NUMBER);
      assertThat(verification.fraudScore()).isEqualByComparingTo("0.40");
      assertThat(verification.phoneValid()).isFalse();
    }

    @Test
    void aLandlineWeighsPointTwo() {
      Verification verification = verify(phone("04 234 5678", "AE"), null, "Omar", null, 1);

      assertThat(verification.signals()).containsExactly(LeadVerifier.NOT_MOBILE_CAPABLE);
      assertThat(verification.fraudScore()).isEqualByComparingTo("0.20");
    }

    @Test
    void disposableDomainsAndTheirSubdomains() {
      assertThat(verify(null, "lead@mailinator.com", null, null, 0).signals()).containsExactly(LeadVerifier.DISPOSABLE_EMAIL);
      assertThat(verify(null, "lead@eu.mailinator.com", null, null, 0).signals()).containsExactly(LeadVerifier.DISPOSABLE_EMAIL);
      assertThat(verify(null, "lead@notmailinator.com", null, null, 0).signals()).isEmpty();
      assertThat(verify(null, "lead@mailinator.com", null, null, 0).fraudScore()).isEqualByComparingTo("0.30");
    }

    @Test
    void gibberishInTheNameOrTheMessage() {
      assertThat(verify(null, "a@b.example", "asdfghjkl", null, 0).signals()).containsExactly(LeadVerifier.GIBBERISH);
      assertThat(verify(null, "a@b.example", "Anita", "xkcdqzp wrtvbnm", 0).signals()).containsExactly(LeadVerifier.GIBBERISH);
      assertThat(verify(null, "a@b.example", "Zzzzzzz", null, 0).signals()).containsExactly(LeadVerifier.GIBBERISH);
    }

    @Test
    void aBurstFromOneSourceIsMoreThanTwentyInTheWindow() {
      assertThat(verify(null, "a@b.example", null, null, 20).signals()).isEmpty();
      assertThat(verify(null, "a@b.example", null, null, 21).signals()).containsExactly(LeadVerifier.BURST);
    }

    @Test
    void blockedNumbersAddressesAndDomains() {
      assertThat(verify(phone("+91 98000 00001", "IN"), null, null, null, 0).signals())
          .containsExactly(LeadVerifier.BLOCKED_IDENTIFIER);
      assertThat(verify(null, "Spam@Example.org", null, null, 0).signals()).containsExactly(LeadVerifier.BLOCKED_IDENTIFIER);
      assertThat(verify(null, "anyone@bots.example", null, null, 0).fraudScore()).isEqualByComparingTo("1.00");
    }

    @Test
    void theScoreIsTheSumOfTheWeightsCappedAtOne() {
      Verification some = verify(phone("+91 12345", "IN"), "x@yopmail.com", "Priya", null, 1);
      assertThat(some.signals()).containsExactly(LeadVerifier.INVALID_NUMBER, LeadVerifier.DISPOSABLE_EMAIL);
      assertThat(some.fraudScore()).isEqualByComparingTo("0.70");

      Verification all = verify(phone("+91 12345", "IN"), "x@yopmail.com", "qwertyuiop", null, 50);
      assertThat(all.signals()).containsExactly(
          LeadVerifier.INVALID_NUMBER, LeadVerifier.DISPOSABLE_EMAIL, LeadVerifier.GIBBERISH, LeadVerifier.BURST);
      assertThat(all.fraudScore()).isEqualByComparingTo("1.00");
    }

    @Test
    void duplicatesAreReportedBesideTheScoreNotInIt() {
      Verification verification = VERIFIER.verify(
          new Evidence(phone("98123 45678", "IN"), null, "Priya", null, 1, "lead-1", true), HALF);

      assertThat(verification.duplicateOf()).isEqualTo("lead-1");
      assertThat(verification.previouslyErased()).isTrue();
      assertThat(verification.fraudScore()).isEqualByComparingTo("0");
    }
  }

  @Nested
  class Gibberish {
    private final GibberishText gibberish = new GibberishText(SETTINGS.gibberish());

    @Test
    void realNamesAndMessagesAreNot() {
      for (String text : List.of("Priya Sharma", "Srikrishna Venkataraman", "Mohammed Al Rashid", "Tan Wei Ming",
          "Need a property with 3 bedrooms", "bhai kitne ka hai flat?", "Rhythm", "प्रिया शर्मा",
          "محمد الراشد", "Hellooo!!", "Siti Nurhaliza binti Tarudin")) {
        assertThat(gibberish.isGibberish(text)).as(text).isFalse();
      }
    }

    @Test
    void mashedKeysAre() {
      for (String text : List.of("asdfghjkl", "sdfsdfsdf", "qwerty qwerty", "xkcdqzp", "hjklhjkl", "aaaaaaaa",
          "lkjhgf")) {
        assertThat(gibberish.isGibberish(text)).as(text).isTrue();
      }
    }

    @Test
    void oneMashedWordAmongRealOnesIsNotEnough() {
      assertThat(gibberish.isGibberish("Please call about the asdfgh apartment tomorrow")).isFalse();
      assertThat(gibberish.isGibberish("asdfgh zxcvbn please")).isTrue();
    }
  }

  @Nested
  class Bursts {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-14T09:00:00Z"));
    private final SourceBurst bursts = new SourceBurst(new VerificationSettings.Burst(3, Duration.ofMinutes(5), 2), clock);

    @Test
    void countsPerTenantAndSourceWithinTheWindow() {
      assertThat(bursts.record("t1", "google|cpc")).isEqualTo(1);
      assertThat(bursts.record("t1", "google|cpc")).isEqualTo(2);
      assertThat(bursts.record("t2", "google|cpc")).isEqualTo(1);
      assertThat(bursts.record("t1", "google|cpc")).isEqualTo(3);
      assertThat(bursts.record("t1", "google|cpc")).as("capped at max + 1").isEqualTo(4);
      assertThat(bursts.record("t1", "google|cpc")).isEqualTo(4);

      clock.advance(Duration.ofMinutes(5));
      assertThat(bursts.record("t1", "google|cpc")).as("the window has passed").isEqualTo(1);
    }

    @Test
    void forgetsTheLeastRecentlySeenSourcesBeyondItsBound() {
      bursts.record("t1", "a");
      bursts.record("t1", "a");
      bursts.record("t1", "b");
      bursts.record("t1", "c");

      assertThat(bursts.record("t1", "a")).isEqualTo(1);
    }
  }

  /** A clock the test moves. */
  static final class MutableClock extends Clock {
    private Instant now;

    MutableClock(Instant start) {
      this.now = start;
    }

    void advance(Duration duration) {
      now = now.plus(duration);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
