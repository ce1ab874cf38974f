package io.flexoraa.engine.lead;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.flexoraa.engine.CborSerializable;
import io.flexoraa.engine.lead.LeadModel.Event;
import io.flexoraa.engine.lead.LeadModel.Identifier;
import io.flexoraa.engine.lead.LeadModel.IdentifierAttached;
import io.flexoraa.engine.lead.LeadModel.InboundMessage;
import io.flexoraa.engine.lead.LeadModel.LeadCreated;
import io.flexoraa.engine.lead.LeadModel.LeadSnapshot;
import io.flexoraa.engine.lead.LeadModel.MessageReceived;
import io.flexoraa.engine.lead.LeadModel.MessageStatusChanged;
import io.flexoraa.engine.lead.LeadModel.PhoneNumberChanged;
import io.flexoraa.engine.lead.LeadModel.StatusChange;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A lead's state and its rules, free of actors and I/O: {@code decide*} turns a command into events (or none),
 * {@code apply} folds an event into the state.
 *
 * <p>Idempotency: the platform message ids of the last {@code dedupWindow} messages are remembered, so Meta's
 * retries and duplicates persist nothing. Statuses only move forward (sent → delivered → read → played; failed and
 * deleted are final). The state is mutated only by {@link #apply}, which the entity calls for persisted events and
 * on recovery; it is never shared outside the entity.
 */
public final class Lead implements CborSerializable {

  private String tenantId;
  private String leadId;
  private String channel;
  private final Map<String, Identifier> identifiers;
  private final LinkedHashSet<String> recentMessageIds;
  private final LinkedHashMap<String, String> statusByMessage;
  private int inboundCount;
  private Instant lastInboundAt;

  public static Lead empty() {
    return new Lead(null, null, null, new LinkedHashMap<>(), new LinkedHashSet<>(), new LinkedHashMap<>(), 0, null);
  }

  @JsonCreator
  Lead(
      @JsonProperty("tenantId") String tenantId,
      @JsonProperty("leadId") String leadId,
      @JsonProperty("channel") String channel,
      @JsonProperty("identifiers") Map<String, Identifier> identifiers,
      @JsonProperty("recentMessageIds") LinkedHashSet<String> recentMessageIds,
      @JsonProperty("statusByMessage") LinkedHashMap<String, String> statusByMessage,
      @JsonProperty("inboundCount") int inboundCount,
      @JsonProperty("lastInboundAt") Instant lastInboundAt) {
    this.tenantId = tenantId;
    this.leadId = leadId;
    this.channel = channel;
    this.identifiers = new LinkedHashMap<>(identifiers == null ? Map.of() : identifiers);
    this.recentMessageIds = recentMessageIds == null ? new LinkedHashSet<>() : recentMessageIds;
    this.statusByMessage = statusByMessage == null ? new LinkedHashMap<>() : statusByMessage;
    this.inboundCount = inboundCount;
    this.lastInboundAt = lastInboundAt;
  }

  // ---- decisions ----

  /** Events for newly arrived messages; duplicates (known ids, or repeated within the batch) yield nothing. */
  public List<Event> decideReceive(
      String tenantId, String leadId, List<Identifier> senderIdentifiers, String profileNameEnc,
      List<InboundMessage> messages, Clock clock) {
    Instant now = clock.instant();
    List<Event> events = new ArrayList<>();
    Set<String> seenInBatch = new LinkedHashSet<>();
    List<InboundMessage> fresh = new ArrayList<>();
    for (InboundMessage message : messages) {
      if (recentMessageIds.contains(message.platformMessageId()) || !seenInBatch.add(message.platformMessageId())) {
        continue;
      }
      fresh.add(message);
    }
    if (fresh.isEmpty()) return events;
    if (!exists()) {
      events.add(new LeadCreated(tenantId, leadId, fresh.get(0).channel(), senderIdentifiers, profileNameEnc, now));
    } else {
      for (Identifier identifier : senderIdentifiers) {
        if (!identifiers.containsKey(identifier.index())) {
          events.add(new IdentifierAttached(this.tenantId, this.leadId, identifier, now));
        }
      }
    }
    String owningTenant = exists() ? this.tenantId : tenantId;
    String owningLead = exists() ? this.leadId : leadId;
    for (InboundMessage message : fresh) {
      events.add(new MessageReceived(owningTenant, owningLead, message, now));
      if (!message.changedTo().isEmpty()) {
        events.add(
            new PhoneNumberChanged(owningTenant, owningLead, message.platformMessageId(), message.changedTo(), now));
      }
    }
    return events;
  }

  /** Events for statuses that move a message forward; stale or repeated statuses yield nothing. */
  public List<Event> decideStatuses(String tenantId, String leadId, List<StatusChange> statuses, Clock clock) {
    Instant now = clock.instant();
    Map<String, String> effective = new LinkedHashMap<>();
    List<Event> events = new ArrayList<>();
    for (StatusChange change : statuses) {
      String current = effective.getOrDefault(change.platformMessageId(), statusByMessage.get(change.platformMessageId()));
      if (StatusOrder.advances(current, change.status())) {
        effective.put(change.platformMessageId(), change.status());
        events.add(new MessageStatusChanged(exists() ? this.tenantId : tenantId, exists() ? this.leadId : leadId, change, now));
      }
    }
    return events;
  }

  // ---- evolution ----

  public Lead apply(Event event, int dedupWindow) {
    if (event instanceof LeadCreated created) {
      tenantId = created.tenantId();
      leadId = created.leadId();
      channel = created.channel();
      created.identifiers().forEach(identifier -> identifiers.put(identifier.index(), identifier));
    } else if (event instanceof IdentifierAttached attached) {
      identifiers.put(attached.identifier().index(), attached.identifier());
    } else if (event instanceof MessageReceived received) {
      remember(received.message().platformMessageId(), dedupWindow);
      inboundCount++;
      Instant sentAt = received.message().sentAt();
      if (lastInboundAt == null || (sentAt != null && sentAt.isAfter(lastInboundAt))) lastInboundAt = sentAt;
    } else if (event instanceof MessageStatusChanged changed) {
      statusByMessage.put(changed.status().platformMessageId(), changed.status().status());
      while (statusByMessage.size() > dedupWindow) {
        statusByMessage.remove(statusByMessage.keySet().iterator().next());
      }
    } else if (event instanceof PhoneNumberChanged changed) {
      // the old number stops being the current phone but stays an alias, so late retries still land here
      for (Identifier identifier : changed.newIdentifiers()) identifiers.put(identifier.index(), identifier);
    }
    return this;
  }

  private void remember(String platformMessageId, int dedupWindow) {
    recentMessageIds.add(platformMessageId);
    while (recentMessageIds.size() > dedupWindow) {
      recentMessageIds.remove(recentMessageIds.iterator().next());
    }
  }

  /**
   * An independent copy, for the snapshot store: it serializes on its own thread while the entity keeps applying
   * events, so it must never see the live object.
   */
  public Lead copy() {
    return new Lead(tenantId, leadId, channel, new LinkedHashMap<>(identifiers), new LinkedHashSet<>(recentMessageIds),
        new LinkedHashMap<>(statusByMessage), inboundCount, lastInboundAt);
  }

  // ---- queries ----

  public boolean exists() {
    return leadId != null;
  }

  public LeadSnapshot snapshot() {
    return new LeadSnapshot(
        exists(), tenantId, leadId, List.copyOf(identifiers.values()), inboundCount, List.copyOf(recentMessageIds));
  }

  public String getTenantId() { return tenantId; }
  public String getLeadId() { return leadId; }
  public String getChannel() { return channel; }
  public Map<String, Identifier> getIdentifiers() { return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(identifiers)); }
  public LinkedHashSet<String> getRecentMessageIds() { return new LinkedHashSet<>(recentMessageIds); }
  public LinkedHashMap<String, String> getStatusByMessage() { return new LinkedHashMap<>(statusByMessage); }
  public int getInboundCount() { return inboundCount; }
  public Instant getLastInboundAt() { return lastInboundAt; }

  public String statusOf(String platformMessageId) {
    return statusByMessage.get(platformMessageId);
  }
}
