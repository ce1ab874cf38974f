package io.flexoraa.engine.compliance;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.flexoraa.engine.CborSerializable;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;

/**
 * A WhatsApp business portfolio's messaging limit (PRODUCT §8): unique users reached outside the customer-service
 * window per rolling 24 h, shared by all the portfolio's numbers. A recipient counted in the last 24 h costs
 * nothing again; over the limit a send waits until the oldest counted recipient ages out. The limit is the one
 * the asking number last heard from Meta (the same webhook reaches every number of the portfolio) or the
 * configured default.
 */
public record PortfolioTier(String tenantId, Map<String, Instant> countedAt) implements CborSerializable {

  public PortfolioTier {
    countedAt = countedAt == null ? new LinkedHashMap<>() : countedAt;
  }

  public static PortfolioTier empty() {
    return new PortfolioTier(null, new LinkedHashMap<>());
  }

  // ---- commands ----
  public sealed interface Command extends CborSerializable {}

  /** Count {@code recipientKey} for a business-initiated send, if the tier has room. */
  public record Reserve(String tenantId, String recipientKey, String messageId, int limit,
      ActorRef<StatusReply<TierAnswer>> replyTo)
      implements Command {}

  public record GetUsage(int limit, ActorRef<TierAnswer> replyTo) implements Command {}

  /** {@code notBefore}: when the tier will have room again, for a refusal. {@code limit} = UNLIMITED for no limit. */
  public record TierAnswer(boolean admitted, int used, int limit, Instant notBefore) implements CborSerializable {}

  // ---- events ----
  @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
  @JsonSubTypes({@JsonSubTypes.Type(value = RecipientCounted.class, name = "tier-recipient-counted.v1")})
  public sealed interface Event extends CborSerializable {}

  public record RecipientCounted(String tenantId, String recipientKey, String messageId, int limit, Instant at)
      implements Event {}

  /** Recipients counted within the window ending {@code now}. */
  public int used(Instant now, Duration window) {
    Instant horizon = now.minus(window);
    return (int) countedAt.values().stream().filter(at -> at.isAfter(horizon)).count();
  }

  /** Admitted without an event when the recipient was counted within the window; refused when the tier is full. */
  public Decision decide(Reserve command, Instant now, Duration window) {
    int used = used(now, window);
    Instant counted = countedAt.get(command.recipientKey());
    if (counted != null && counted.isAfter(now.minus(window))) {
      return new Decision(new TierAnswer(true, used, command.limit(), null), null);
    }
    if (command.limit() != ComplianceSettings.UNLIMITED && used >= command.limit()) {
      Instant horizon = now.minus(window);
      // the map keeps insertion order, which is time order: the oldest still counted leaves first
      Instant oldest = countedAt.values().stream().filter(at -> at.isAfter(horizon)).findFirst().orElse(now);
      return new Decision(new TierAnswer(false, used, command.limit(), oldest.plus(window)), null);
    }
    return new Decision(new TierAnswer(true, used + 1, command.limit(), null),
        new RecipientCounted(command.tenantId(), command.recipientKey(), command.messageId(), command.limit(), now));
  }

  public record Decision(TierAnswer answer, RecipientCounted event) {}

  /** Counts the recipient (moving it to the newest position) and forgets those out of the window. */
  public PortfolioTier apply(Event event, Duration window) {
    RecipientCounted counted = (RecipientCounted) event;
    Map<String, Instant> next = countedAt;
    next.remove(counted.recipientKey());
    next.put(counted.recipientKey(), counted.at());
    Instant horizon = counted.at().minus(window);
    next.values().removeIf(at -> !at.isAfter(horizon));
    return new PortfolioTier(tenantId == null ? counted.tenantId() : tenantId, next);
  }
}
