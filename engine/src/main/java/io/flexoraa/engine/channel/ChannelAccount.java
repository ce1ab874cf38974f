package io.flexoraa.engine.channel;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.flexoraa.engine.CborSerializable;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;

/**
 * A channel account (a WhatsApp phone number, a Facebook page, an Instagram account) of one tenant. For now it
 * registers the account and records what Meta reports about it — account updates, template status and quality,
 * phone-number quality — deduplicated by content digest, so the compliance gate can later enforce tiers, quality
 * throttling and suspension from this state.
 */
public record ChannelAccount(
    String tenantId,
    String channel,
    String externalId,
    String displayName,
    String businessAccountId,
    Map<String, List<PlatformUpdate>> updatesByField)
    implements CborSerializable {

  public ChannelAccount {
    updatesByField = Map.copyOf(updatesByField == null ? Map.of() : updatesByField);
  }

  public static ChannelAccount empty() {
    return new ChannelAccount(null, null, null, null, null, Map.of());
  }

  public boolean registered() {
    return tenantId != null;
  }

  public record PlatformUpdate(String field, String valueJson, String digest, Instant receivedAt)
      implements CborSerializable {}

  public record View(
      String tenantId, String channel, String externalId, String displayName, String businessAccountId,
      Map<String, List<PlatformUpdate>> updatesByField)
      implements CborSerializable {}

  // ---- commands ----
  public sealed interface Command extends CborSerializable {}

  public record Register(
      String tenantId, String channel, String externalId, String displayName, String businessAccountId,
      ActorRef<StatusReply<View>> replyTo)
      implements Command {}

  public record RecordPlatformUpdates(
      String tenantId, String channel, String externalId, List<PlatformUpdate> updates,
      ActorRef<StatusReply<Integer>> replyTo)
      implements Command {}

  public record Get(ActorRef<View> replyTo) implements Command {}

  // ---- events ----
  @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
  @JsonSubTypes({
    @JsonSubTypes.Type(value = Registered.class, name = "channel-account-registered.v1"),
    @JsonSubTypes.Type(value = PlatformUpdateRecorded.class, name = "platform-update-recorded.v1")
  })
  public sealed interface Event extends CborSerializable {}

  public record Registered(
      String tenantId, String channel, String externalId, String displayName, String businessAccountId, Instant at)
      implements Event {}

  public record PlatformUpdateRecorded(String tenantId, String accountKey, PlatformUpdate update) implements Event {}

  // ---- decisions ----

  /** Registering again for the same tenant is a no-op; another tenant is refused. */
  public List<Event> decideRegister(Register command, Clock clock) throws IllegalStateException {
    if (registered()) {
      if (!tenantId.equals(command.tenantId())) throw new IllegalStateException("account belongs to another tenant");
      return List.of();
    }
    return List.of(
        new Registered(
            command.tenantId(), command.channel(), command.externalId(), command.displayName(),
            command.businessAccountId(), clock.instant()));
  }

  /** Updates not seen before (Meta repeats webhooks); an account first seen through an update is registered too. */
  public List<Event> decideRecord(RecordPlatformUpdates command, Clock clock) {
    List<Event> events = new ArrayList<>();
    if (!registered()) {
      events.add(new Registered(command.tenantId(), command.channel(), command.externalId(), command.externalId(), null, clock.instant()));
    }
    String accountKey = command.channel() + ":" + command.externalId();
    List<String> seen = new ArrayList<>();
    for (PlatformUpdate update : command.updates()) {
      boolean known =
          updatesByField.getOrDefault(update.field(), List.of()).stream()
              .anyMatch(previous -> previous.digest().equals(update.digest()));
      if (!known && !seen.contains(update.digest())) {
        seen.add(update.digest());
        events.add(new PlatformUpdateRecorded(command.tenantId(), accountKey, update));
      }
    }
    return events;
  }

  public ChannelAccount apply(Event event, int historyPerField) {
    if (event instanceof Registered registered) {
      return new ChannelAccount(
          registered.tenantId(), registered.channel(), registered.externalId(), registered.displayName(),
          registered.businessAccountId(), updatesByField);
    }
    PlatformUpdate update = ((PlatformUpdateRecorded) event).update();
    Map<String, List<PlatformUpdate>> updates = new LinkedHashMap<>(updatesByField);
    List<PlatformUpdate> history = new ArrayList<>(updates.getOrDefault(update.field(), List.of()));
    history.add(update);
    while (history.size() > historyPerField) history.remove(0);
    updates.put(update.field(), List.copyOf(history));
    return new ChannelAccount(tenantId, channel, externalId, displayName, businessAccountId, updates);
  }

  public View view() {
    return new View(tenantId, channel, externalId, displayName, businessAccountId, updatesByField);
  }
}
