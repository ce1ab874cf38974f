package io.flexoraa.engine.identity;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberFormat;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import java.util.Optional;

/**
 * Phone numbers to E.164 with libphonenumber. WhatsApp's wa_id always carries the country code, so it is read as
 * international first; other input falls back to the tenant's default region. Invalid numbers are kept, flagged.
 */
public final class PhoneNormalizer {
  private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();

  public record NormalizedPhone(String e164, boolean valid, boolean mobileCapable) {}

  /** A WhatsApp wa_id: digits with the country code and no plus sign. */
  public Optional<NormalizedPhone> fromWaId(String waId, String defaultRegion) {
    if (waId == null || waId.isBlank()) return Optional.empty();
    String digits = waId.replaceAll("[^0-9]", "");
    if (digits.isEmpty()) return Optional.empty();
    return normalize("+" + digits, defaultRegion)
        .or(() -> Optional.of(new NormalizedPhone("+" + digits, false, false)));
  }

  /** Any human-typed number; a missing country code is taken from {@code defaultRegion} (ISO 3166 alpha-2). */
  public Optional<NormalizedPhone> normalize(String raw, String defaultRegion) {
    if (raw == null || raw.isBlank()) return Optional.empty();
    try {
      PhoneNumber number = UTIL.parse(raw, defaultRegion == null ? "ZZ" : defaultRegion.toUpperCase());
      boolean valid = UTIL.isValidNumber(number);
      PhoneNumberType type = UTIL.getNumberType(number);
      boolean mobile =
          valid
              && (type == PhoneNumberType.MOBILE
                  || type == PhoneNumberType.FIXED_LINE_OR_MOBILE
                  || type == PhoneNumberType.PAGER
                  || type == PhoneNumberType.VOIP);
      return Optional.of(new NormalizedPhone(UTIL.format(number, PhoneNumberFormat.E164), valid, mobile));
    } catch (NumberParseException e) {
      return Optional.empty();
    }
  }

  public static boolean isKnownRegion(String region) {
    return region != null && UTIL.getSupportedRegions().contains(region.toUpperCase());
  }
}
