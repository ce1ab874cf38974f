package io.flexoraa.engine.appointments;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import com.typesafe.config.Config;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The time zone to write a lead's offer in, from their phone's country: a lead reads "11:00" as their own 11:00.
 * Only countries configured with one zone ({@code flexoraa.appointments.lead-zones}, region code → zone) answer;
 * a country spanning several zones, an unknown one or a bad number gives empty, and the offer keeps the SDR's zone.
 * (libphonenumber's per-prefix zone mapper ships in its separate geocoder artifact, which the build does not carry.)
 */
public final class LeadZones {
  private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();
  private final Map<String, ZoneId> zones;

  public LeadZones(Map<String, ZoneId> zones) {
    this.zones = Map.copyOf(zones);
  }

  public static LeadZones fromConfig(Config leadZones) {
    Map<String, ZoneId> zones = new HashMap<>();
    for (String region : leadZones.root().keySet()) zones.put(region, ZoneId.of(leadZones.getString(region)));
    return new LeadZones(zones);
  }

  /** The single zone of the country of {@code phone} (E.164, "+91..."), if configured. */
  public Optional<ZoneId> of(String phone) {
    if (phone == null || phone.isBlank()) return Optional.empty();
    try {
      PhoneNumber number = PHONES.parse(phone.startsWith("+") ? phone : "+" + phone, null);
      String region = PHONES.getRegionCodeForNumber(number);
      return region == null ? Optional.empty() : Optional.ofNullable(zones.get(region));
    } catch (NumberParseException e) {
      return Optional.empty();
    }
  }
}
