package io.flexoraa.engine.routing;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * Settings of routing, SLAs and leakage prevention ({@code flexoraa.routing}, PRODUCT §4.4, §4.7): every duration a
 * business tunes is here, so tests run the same rules in seconds.
 *
 * @param hotSla first-response SLA of a HOT (or escalated) lead, counted from assignment (or from queueing)
 * @param warmSla the same for WARM (24–72 h in production)
 * @param coldSla the same for a COLD lead handed to the junior pool
 * @param unansweredAfter a lead message the assigned SDR has not answered for this long is leakage
 * @param unseenAfter an assigned lead its SDR has not opened for this long is leakage
 * @param keeperInterval how often each node's keeper wakes desks with a due deadline (timers die with a node)
 * @param keeperLookahead the keeper wakes desks whose deadline is due within this much from now
 * @param tagSlices how many event tags the desks' events are spread over (one projection instance per tag)
 * @param reengageLanguage the wording language of an AI re-engagement when the lead's language is unknown
 */
public record RoutingSettings(
    boolean enabled, Duration hotSla, Duration warmSla, Duration coldSla, Duration unansweredAfter,
    Duration unseenAfter, Duration keeperInterval, Duration keeperLookahead, int tagSlices, Duration askTimeout,
    String reengageLanguage) {

  public static RoutingSettings fromConfig(Config config) {
    Config routing = config.getConfig("flexoraa.routing");
    return new RoutingSettings(
        routing.getBoolean("enabled"),
        routing.getDuration("sla.hot"), routing.getDuration("sla.warm"), routing.getDuration("sla.cold"),
        routing.getDuration("leakage.unanswered-after"), routing.getDuration("leakage.unseen-after"),
        routing.getDuration("keeper-interval"), routing.getDuration("keeper-lookahead"),
        routing.getInt("tag-slices"), routing.getDuration("ask-timeout"), routing.getString("reengage-language"));
  }

  /** The first-response SLA of a band (unknown bands count as WARM). */
  public Duration sla(String band) {
    return switch (band) {
      case Bands.HOT -> hotSla;
      case Bands.COLD -> coldSla;
      default -> warmSla;
    };
  }

  /** The band names of the lead score (LeadScoring), here so routing rules do not depend on the AI package. */
  public static final class Bands {
    public static final String HOT = "HOT";
    public static final String WARM = "WARM";
    public static final String COLD = "COLD";

    private Bands() {}

    static int rank(String band) {
      return switch (band) {
        case HOT -> 0;
        case WARM -> 1;
        default -> 2;
      };
    }
  }
}
