package io.flexoraa.engine.compliance;

import com.typesafe.config.Config;
import java.time.Duration;

/** The numbers of PRODUCT §8 and §12 the gate enforces, from {@code flexoraa.compliance} (reference.conf). */
public record ComplianceSettings(
    Duration serviceWindow,
    Duration humanAgentWindow,
    int recentDecisions,
    int qualityHistory,
    int defaultTier,
    Duration tierWindow,
    int messagesPerSecond,
    int upgradedMessagesPerSecond,
    Duration pairInterval,
    int marketingPerUser,
    Duration marketingWindow,
    Duration userBackoff,
    int yellowMarketingMessages,
    Duration yellowMarketingPer,
    String defaultLanguage,
    int automatedDmsPerHour,
    Duration privateReplyWindow,
    int instagramMaxTextBytes,
    int messengerMarketingPerUser,
    Duration messengerMarketingWindow,
    String marketingPurpose,
    Duration recoveryCheckEvery,
    Duration recoveryCheckFor,
    Duration keepAliveEvery) {

  /** The tier value that means no limit. */
  public static final int UNLIMITED = Integer.MAX_VALUE;

  public static ComplianceSettings fromConfig(Config root) {
    Config config = root.getConfig("flexoraa.compliance");
    Config whatsapp = config.getConfig("whatsapp");
    Config instagram = config.getConfig("instagram");
    Config messenger = config.getConfig("messenger");
    Config suspension = config.getConfig("suspension");
    return new ComplianceSettings(
        config.getDuration("service-window"),
        config.getDuration("human-agent-window"),
        config.getInt("recent-decisions"),
        config.getInt("quality-history"),
        tier(whatsapp.getString("default-tier")),
        whatsapp.getDuration("tier-window"),
        whatsapp.getInt("messages-per-second"),
        whatsapp.getInt("upgraded-messages-per-second"),
        whatsapp.getDuration("pair-interval"),
        whatsapp.getInt("marketing-per-user"),
        whatsapp.getDuration("marketing-window"),
        whatsapp.getDuration("user-backoff"),
        whatsapp.getInt("yellow-marketing.messages"),
        whatsapp.getDuration("yellow-marketing.per"),
        whatsapp.getString("default-language"),
        instagram.getInt("automated-dms-per-hour"),
        instagram.getDuration("private-reply-window"),
        instagram.getInt("max-text-bytes"),
        messenger.getInt("marketing-per-user"),
        messenger.getDuration("marketing-window"),
        config.getString("marketing-purpose"),
        suspension.getDuration("check-every"),
        suspension.getDuration("check-for"),
        suspension.getDuration("keep-alive-every"));
  }

  /** "unlimited" or a count of unique recipients. */
  static int tier(String value) {
    return "unlimited".equalsIgnoreCase(value.trim()) ? UNLIMITED : Integer.parseInt(value.trim());
  }
}
