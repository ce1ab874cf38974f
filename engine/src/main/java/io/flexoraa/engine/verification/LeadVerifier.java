package io.flexoraa.engine.verification;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberFormat;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import io.flexoraa.engine.lead.LeadModel.Verification;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Verification of a submitted lead (PRODUCT §4.1), pure: no I/O, no clock; the caller gathers the evidence (who
 * already owns the identifiers, how many leads the source sent lately) and this class judges it.
 *
 * <p>Phones: libphonenumber parses the number (a missing country code comes from the tenant's region), formats it
 * as E.164 and says whether it is valid and of which type; mobile-capable means one of
 * {@code mobile-capable-types} (MOBILE and FIXED_LINE_OR_MOBILE by default — WhatsApp and SMS need a mobile).
 *
 * <p>Fraud score: the sum of the weights of the signals present, capped at 1, two decimals. Signals, each weighted
 * in {@code flexoraa.verification.weights}:
 * <ul>
 *   <li>{@code invalid-number}: the phone is not a valid number for its country;
 *   <li>{@code not-mobile-capable}: valid, but a landline (or toll-free, premium...);
 *   <li>{@code disposable-email}: the e-mail's domain (or a parent domain) is on the disposable list;
 *   <li>{@code gibberish}: the name or the message is keyboard-mashed ({@link GibberishText});
 *   <li>{@code burst}: more than {@code burst.max-submissions} submissions from the same source and campaign within
 *       {@code burst.window} ({@link SourceBurst});
 *   <li>{@code blocked-identifier}: the phone, the e-mail or its {@code @domain} is on the blocked list.
 * </ul>
 * Duplicates (an identifier another lead holds, or one of an erased lead) are reported beside the score, not in it:
 * a returning customer is not a fraud.
 */
public final class LeadVerifier {
  public static final String INVALID_NUMBER = "invalid-number";
  public static final String NOT_MOBILE_CAPABLE = "not-mobile-capable";
  public static final String DISPOSABLE_EMAIL = "disposable-email";
  public static final String GIBBERISH = "gibberish";
  public static final String BURST = "burst";
  public static final String BLOCKED_IDENTIFIER = "blocked-identifier";

  private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();

  private final VerificationSettings settings;
  private final GibberishText gibberish;

  public LeadVerifier(VerificationSettings settings) {
    this.settings = settings;
    this.gibberish = new GibberishText(settings.gibberish());
  }

  /** A phone as libphonenumber reads it: E.164, validity, its type, and whether that type can take WhatsApp/SMS. */
  public record PhoneCheck(String e164, boolean valid, String numberType, boolean mobileCapable) {}

  /**
   * What the caller knows about a submission. {@code phone} null when none was given; {@code email} lower-cased or
   * null; {@code submissionsFromSource} the count {@link SourceBurst#record} gave (0 when bursts do not apply, as for
   * imports); {@code duplicateOf} the lead that already held an identifier, if any.
   */
  public record Evidence(
      PhoneCheck phone, String email, String name, String message, int submissionsFromSource, String duplicateOf,
      boolean previouslyErased) {}

  /** Empty when the text is not a phone number at all (letters, too short); an invalid number is still a number. */
  public Optional<PhoneCheck> checkPhone(String raw, String defaultRegion) {
    if (raw == null || raw.isBlank()) return Optional.empty();
    try {
      PhoneNumber number = PHONES.parse(raw, defaultRegion == null ? "ZZ" : defaultRegion.toUpperCase(Locale.ROOT));
      boolean valid = PHONES.isValidNumber(number);
      PhoneNumberType type = PHONES.getNumberType(number);
      return Optional.of(new PhoneCheck(
          PHONES.format(number, PhoneNumberFormat.E164), valid, type.name(),
          valid && settings.mobileCapableTypes().contains(type.name())));
    } catch (NumberParseException e) {
      return Optional.empty();
    }
  }

  public Verification verify(Evidence evidence, BigDecimal tokensDebited) {
    VerificationSettings.Weights weights = settings.weights();
    List<String> signals = new ArrayList<>();
    BigDecimal score = BigDecimal.ZERO;
    PhoneCheck phone = evidence.phone();
    if (phone != null && !phone.valid()) {
      signals.add(INVALID_NUMBER);
      score = score.add(weights.invalidNumber());
    } else if (phone != null && !phone.mobileCapable()) {
      signals.add(NOT_MOBILE_CAPABLE);
      score = score.add(weights.notMobileCapable());
    }
    if (evidence.email() != null && disposable(domainOf(evidence.email()))) {
      signals.add(DISPOSABLE_EMAIL);
      score = score.add(weights.disposableEmail());
    }
    if (gibberish.isGibberish(evidence.name()) || gibberish.isGibberish(evidence.message())) {
      signals.add(GIBBERISH);
      score = score.add(weights.gibberish());
    }
    if (evidence.submissionsFromSource() > settings.burst().maxSubmissions()) {
      signals.add(BURST);
      score = score.add(weights.burst());
    }
    if (blocked(phone, evidence.email())) {
      signals.add(BLOCKED_IDENTIFIER);
      score = score.add(weights.blockedIdentifier());
    }
    BigDecimal capped = score.min(BigDecimal.ONE).setScale(2, RoundingMode.HALF_UP);
    return new Verification(
        Verification.VERIFIED, null, phone == null ? null : phone.valid(), phone == null ? null : phone.mobileCapable(),
        evidence.duplicateOf(), evidence.previouslyErased(), capped, signals, tokensDebited);
  }

  private boolean disposable(String domain) {
    if (domain == null) return false;
    for (String candidate = domain; candidate != null; candidate = parent(candidate)) {
      if (settings.disposableEmailDomains().contains(candidate)) return true;
    }
    return false;
  }

  private boolean blocked(PhoneCheck phone, String email) {
    if (phone != null && settings.blockedIdentifiers().contains(phone.e164())) return true;
    if (email == null) return false;
    String lower = email.toLowerCase(Locale.ROOT);
    return settings.blockedIdentifiers().contains(lower) || settings.blockedIdentifiers().contains("@" + domainOf(lower));
  }

  private static String domainOf(String email) {
    int at = email.lastIndexOf('@');
    return at < 0 ? null : email.substring(at + 1).toLowerCase(Locale.ROOT);
  }

  private static String parent(String domain) {
    int dot = domain.indexOf('.');
    return dot < 0 || domain.indexOf('.', dot + 1) < 0 ? null : domain.substring(dot + 1);
  }
}
