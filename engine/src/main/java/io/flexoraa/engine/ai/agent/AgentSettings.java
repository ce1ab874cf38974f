package io.flexoraa.engine.ai.agent;

import com.typesafe.config.Config;
import java.time.Duration;
import java.time.ZoneId;

/**
 * Settings of the lead agent ({@code flexoraa.ai.agent}).
 *
 * @param enabled whether inbound messages start AI work at all (off: messages are stored and routed, no AI)
 * @param burstQuiet how long after a lead's last message the agent waits for more before it replies (one reply per
 *     burst)
 * @param burstMaxWait the longest a burst waits for its reply, however the lead keeps typing
 * @param confidenceFloor below this analysis confidence the lead goes to a person (PRODUCT §4.5)
 * @param askTimeout how long the agent waits for the lead entity
 * @param zone the calendar relative timelines count in
 */
public record AgentSettings(
    boolean enabled, Duration burstQuiet, Duration burstMaxWait, double confidenceFloor, Duration askTimeout,
    ZoneId zone, LeadScoring.Settings scoring, int tagSlices) {

  public static AgentSettings fromConfig(Config config) {
    Config agent = config.getConfig("flexoraa.ai.agent");
    return new AgentSettings(agent.getBoolean("enabled"), agent.getDuration("burst-quiet"),
        agent.getDuration("burst-max-wait"), agent.getDouble("confidence-floor"), agent.getDuration("ask-timeout"),
        ZoneId.of(config.getString("flexoraa.ai.zone")), LeadScoring.Settings.fromConfig(config),
        agent.getInt("tag-slices"));
  }
}
