package io.flexoraa.engine.channel;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.flexoraa.engine.CborSerializable;
import io.flexoraa.engine.compliance.AccountCompliance;
import io.flexoraa.engine.compliance.AccountCompliance.QualityChange;
import io.flexoraa.engine.compliance.AccountCompliance.Suspension;
import io.flexoraa.engine.compliance.AccountCompliance.Template;
import io.flexoraa.engine.compliance.GateDecision;
import io.flexoraa.engine.compliance.GateRequest;
import io.flexoraa.engine.ports.MetaAccountProbe.AccountHealth;
import io.flexoraa.engine.ports.MetaSender;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;

/**
 * A channel account (a WhatsApp phone number, a Facebook page, an Instagram account) of one tenant: it registers
 * the account, records what Meta reports about it (deduplicated by content digest) and is the compliance gate's
 * home for that account. Meta's account-level webhooks are read into gate state ({@link AccountCompliance}:
 * templates, quality, messaging limit, suspension); every outbound decision is an event, so the send counters are
 * exact under concurrency (the entity serialises them) and rebuild on recovery. The rules are in
 * {@link io.flexoraa.engine.compliance.ComplianceRules} and the webhook reading in
 * {@link io.flexoraa.engine.compliance.PlatformSignals}; the decisions here are {@link AccountDecisions}.
 */
public record ChannelAccount(
    String tenantId,
    String channel,
    String externalId,
    String displayName,
    String businessAccountId,
    Map<String, List<PlatformUpdate>> updatesByField,
    AccountCompliance compliance)
    implements CborSerializable {

  public ChannelAccount {
    updatesByField = Map.copyOf(updatesByField == null ? Map.of() : updatesByField);
    // snapshots taken before the compliance gate existed have none
    compliance = compliance == null ? new AccountCompliance() : compliance;
  }

  public static ChannelAccount empty() {
    return new ChannelAccount(null, null, null, null, null, Map.of(), new AccountCompliance());
  }

  public boolean registered() {
    return tenantId != null;
  }

  public String accountKey() {
    return channel + ":" + externalId;
  }

  public record PlatformUpdate(String field, String valueJson, String digest, Instant receivedAt)
      implements CborSerializable {}

  public record View(
      String tenantId, String channel, String externalId, String displayName, String businessAccountId,
      Map<String, List<PlatformUpdate>> updatesByField)
      implements CborSerializable {}

  /** What the gate knows of the account, for the compliance summary and the templates API. */
  public record ComplianceView(
      String tenantId, String channel, String externalId, String businessAccountId, String quality,
      Integer tierLimit, boolean throughputUpgraded, Suspension suspension, List<Template> templates,
      List<QualityChange> qualityHistory)
      implements CborSerializable {}

  /** The account's answer to {@link Decide}: {@code needsTier} when the portfolio's tier must still admit it. */
  public record AccountDecision(GateDecision decision, boolean needsTier, int tierLimit) implements CborSerializable {}

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

  public record GetCompliance(ActorRef<ComplianceView> replyTo) implements Command {}

  /** The gate's decision for one outbound message on this account (idempotent on the message id). */
  public record Decide(GateRequest request, ActorRef<StatusReply<AccountDecision>> replyTo) implements Command {}

  /** The portfolio's tier had no room: the admitted message is deferred after all, its reservations returned. */
  public record DeferForTier(String messageId, Instant notBefore, ActorRef<StatusReply<GateDecision>> replyTo)
      implements Command {}

  /** What Meta answered for a sent message. */
  public record RecordOutcome(
      String tenantId, String messageId, String recipientKey, MetaSender.Outcome outcome,
      ActorRef<StatusReply<Done>> replyTo)
      implements Command {}

  /** A template the tenant registers for the account; {@code status} null = PENDING until Meta's webhook. */
  public record RegisterTemplate(
      String tenantId, String name, String language, String category, String purpose, String status, String actor,
      ActorRef<StatusReply<Template>> replyTo)
      implements Command {}

  /** Time for a recovery check of a suspended account (from the entity's timer; {@code replyTo} may be null). */
  public record CheckRecovery(ActorRef<ComplianceView> replyTo) implements Command {}

  /** What the probe answered (sent by the entity to itself). */
  public record RecoveryProbed(AccountHealth health, ActorRef<ComplianceView> replyTo) implements Command {}

  /** Keeps a suspended account's entity from passivating while its recovery checks run. */
  public enum KeepAlive implements Command { INSTANCE }

  // ---- events ----
  @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
  @JsonSubTypes({
    @JsonSubTypes.Type(value = Registered.class, name = "channel-account-registered.v1"),
    @JsonSubTypes.Type(value = PlatformUpdateRecorded.class, name = "platform-update-recorded.v1"),
    @JsonSubTypes.Type(value = ComplianceDecided.class, name = "compliance-decided.v1"),
    @JsonSubTypes.Type(value = DecisionDeferredForTier.class, name = "compliance-deferred-for-tier.v1"),
    @JsonSubTypes.Type(value = MetaOutcomeRecorded.class, name = "meta-outcome-recorded.v1"),
    @JsonSubTypes.Type(value = TemplateRegistered.class, name = "template-registered.v1"),
    @JsonSubTypes.Type(value = TemplateUpdated.class, name = "template-updated.v1"),
    @JsonSubTypes.Type(value = NumberQualityUpdated.class, name = "number-quality-updated.v1"),
    @JsonSubTypes.Type(value = AccountSuspended.class, name = "account-suspended.v1"),
    @JsonSubTypes.Type(value = RecoveryChecked.class, name = "account-recovery-checked.v1"),
    @JsonSubTypes.Type(value = AccountResumed.class, name = "account-resumed.v1"),
    @JsonSubTypes.Type(value = RecoveryAbandoned.class, name = "account-recovery-abandoned.v1")
  })
  public sealed interface Event extends CborSerializable {
    String tenantId();
  }

  public record Registered(
      String tenantId, String channel, String externalId, String displayName, String businessAccountId, Instant at)
      implements Event {}

  public record PlatformUpdateRecorded(String tenantId, String accountKey, PlatformUpdate update) implements Event {}

  /**
   * One outbound decision with the request's essentials (ids, the recipient's blind index, never plain PII) and what
   * it reserves: a marketing send, an automated DM, a private reply to {@code commentId}, the portfolio tier.
   */
  public record ComplianceDecided(
      String tenantId, String accountKey, String leadId, String recipientKey, String author, String purpose,
      String commentId, boolean marketing, boolean automated, boolean needsTier, int tierLimit,
      GateDecision decision, Instant at)
      implements Event {}

  public record DecisionDeferredForTier(
      String tenantId, String accountKey, String leadId, GateDecision decision, boolean marketing, boolean automated,
      String commentId, Instant at)
      implements Event {}

  /** {@code waitUntil}: the user back-off (131049) or pair wait (131056) it started, else null. */
  public record MetaOutcomeRecorded(
      String tenantId, String accountKey, String messageId, String recipientKey, MetaSender.Outcome outcome,
      Instant waitUntil, Instant at)
      implements Event {}

  public record TemplateRegistered(String tenantId, String accountKey, Template template, String actor, Instant at)
      implements Event {}

  public record TemplateUpdated(String tenantId, String accountKey, Template template, String field, Instant at)
      implements Event {}

  public record NumberQualityUpdated(
      String tenantId, String accountKey, String previousQuality, QualityChange change)
      implements Event {}

  public record AccountSuspended(String tenantId, String accountKey, Suspension suspension) implements Event {}

  public record RecoveryChecked(
      String tenantId, String accountKey, AccountHealth health, Instant nextCheckAt, Instant at)
      implements Event {}

  /** {@code via}: {@code probe} (the hourly check) or {@code webhook} (Meta lifted it). */
  public record AccountResumed(String tenantId, String accountKey, String via, String reason, Instant since, Instant at)
      implements Event {}

  /** The recovery checks ran out without recovery: a person must act (checks stop; the account stays paused). */
  public record RecoveryAbandoned(String tenantId, String accountKey, Instant since, int checks, Instant at)
      implements Event {}

  // ---- registration and platform updates ----

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

  /**
   * Updates not seen before (Meta repeats webhooks); an account first seen through an update is registered too.
   * Only the recording: what an update means for the gate is {@link AccountDecisions#interpret}.
   */
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

  /** Registration and platform updates change this record; the gate's events change {@link #compliance()}. */
  public ChannelAccount apply(Event event, int historyPerField, AccountDecisions decisions) {
    if (event instanceof Registered registered) {
      return new ChannelAccount(
          registered.tenantId(), registered.channel(), registered.externalId(), registered.displayName(),
          registered.businessAccountId(), updatesByField, compliance);
    }
    if (event instanceof PlatformUpdateRecorded recorded) {
      PlatformUpdate update = recorded.update();
      Map<String, List<PlatformUpdate>> updates = new LinkedHashMap<>(updatesByField);
      List<PlatformUpdate> history = new ArrayList<>(updates.getOrDefault(update.field(), List.of()));
      history.add(update);
      while (history.size() > historyPerField) history.remove(0);
      updates.put(update.field(), List.copyOf(history));
      return new ChannelAccount(tenantId, channel, externalId, displayName, businessAccountId, updates, compliance);
    }
    decisions.apply(compliance, event);
    return this;
  }

  public View view() {
    return new View(tenantId, channel, externalId, displayName, businessAccountId, updatesByField);
  }

  public ComplianceView complianceView() {
    return new ComplianceView(tenantId, channel, externalId, businessAccountId, compliance.quality(),
        compliance.tierLimit(), compliance.throughputUpgraded(), compliance.suspension(), compliance.templates(),
        compliance.qualityHistory());
  }
}
