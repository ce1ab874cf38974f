package io.flexoraa.engine.appointments;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.List;

/**
 * The numbers a business tunes for appointments ({@code flexoraa.appointments}): how long a slot is and where slots
 * may start, the gap kept between meetings, how soon and how far ahead a lead may book, how many slots an offer
 * names, when reminders and the post-call follow-up fire, and how the per-node keeper wakes calendars.
 */
public record AppointmentSettings(
    Duration slotLength,
    Duration granularity,
    Duration buffer,
    Duration leadTime,
    Duration horizon,
    int offerCount,
    Duration maxDuration,
    List<Duration> reminders,
    Duration followUpDelay,
    Duration deliveryRetry,
    Duration keeperInterval,
    Duration keeperLookahead,
    int tagSlices,
    int snapshotEvery) {

  public AppointmentSettings {
    reminders = List.copyOf(reminders);
    if (slotLength.isZero() || slotLength.isNegative()) throw new IllegalArgumentException("slot-length must be positive");
    if (granularity.isZero() || granularity.isNegative()) throw new IllegalArgumentException("granularity must be positive");
    if (offerCount < 1) throw new IllegalArgumentException("offer-count must be at least 1");
  }

  public static AppointmentSettings fromConfig(Config config) {
    Config c = config.getConfig("flexoraa.appointments");
    return new AppointmentSettings(
        c.getDuration("slot-length"), c.getDuration("granularity"), c.getDuration("buffer"),
        c.getDuration("lead-time"), c.getDuration("horizon"), c.getInt("offer-count"), c.getDuration("max-duration"),
        c.getDurationList("reminders"), c.getDuration("follow-up-delay"), c.getDuration("delivery-retry"),
        c.getDuration("keeper-interval"), c.getDuration("keeper-lookahead"), c.getInt("tag-slices"),
        c.getInt("snapshot-every"));
  }
}
