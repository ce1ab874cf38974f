package io.flexoraa.engine.ingest;

import io.flexoraa.engine.identity.PhoneNormalizer;
import io.flexoraa.engine.ingest.WhatsAppIngest.IngestReport;
import io.flexoraa.engine.lead.LeadEntity;
import io.flexoraa.engine.lead.LeadModel;
import io.flexoraa.engine.lead.LeadModel.Accepted;
import io.flexoraa.engine.lead.LeadModel.Identifier;
import io.flexoraa.engine.abuse.TenantActivity;
import io.flexoraa.engine.abuse.TextFingerprint;
import io.flexoraa.engine.limits.AiWorkQueue;
import io.flexoraa.engine.ports.AiWork;
import io.flexoraa.engine.ports.ChannelDirectory.ChannelRoute;
import io.flexoraa.engine.ports.EngineMetrics;
import io.flexoraa.engine.ports.IdentityIndex;
import io.flexoraa.engine.ports.IdentityIndex.IdentityKey;
import io.flexoraa.engine.ports.PiiCipher;
import io.flexoraa.engine.ports.PiiCipher.BlindIndex;
import io.flexoraa.engine.ports.PiiCipher.FieldCipher;
import io.flexoraa.engine.ports.UnroutedStore;
import io.flexoraa.engine.ports.UnroutedStore.UnroutedItem;
import io.flexoraa.engine.whatsapp.WhatsAppWebhook.InboundMessage;
import io.flexoraa.engine.whatsapp.WhatsAppWebhook.MessagesChange;
import io.flexoraa.engine.whatsapp.WhatsAppWebhook.StatusUpdate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * Delivers a routed WhatsApp change to lead entities: messages grouped by sender (so one sender's messages keep
 * their order and land in one atomic write), each sender resolved to its one lead through the identity index,
 * personal data encrypted under that lead's key before it reaches a command; statuses to the lead that owns the
 * recipient. A status for a recipient no lead owns is kept in the unrouted store. A text that is exactly an opt-out
 * or opt-in keyword is marked as such while it is still plain text, so the lead can record the consent it gives.
 * Once a lead has stored messages for the first time they go to the {@link AiWorkQueue}, which starts their AI work
 * when the rate limits admit it; that hand-off is a tell, so admission never delays the acknowledgement.
 */
public final class LeadIntake {
  private static final String CHANNEL = "whatsapp";

  private final ClusterSharding sharding;
  private final IdentityIndex identityIndex;
  private final PiiCipher cipher;
  private final UnroutedStore unrouted;
  private final EngineMetrics metrics;
  private final ConsentKeywords consentKeywords;
  private final Duration askTimeout;
  private final AiWorkQueue aiWork;
  private final TextFingerprint fingerprint;
  private final TenantActivity.Recorder activity;
  private final PhoneNormalizer phones = new PhoneNormalizer();

  public LeadIntake(
      ActorSystem<?> system, IdentityIndex identityIndex, PiiCipher cipher, UnroutedStore unrouted,
      EngineMetrics metrics, ConsentKeywords consentKeywords, Duration askTimeout, AiWorkQueue aiWork) {
    this(system, identityIndex, cipher, unrouted, metrics, consentKeywords, askTimeout, aiWork,
        null, TenantActivity.Recorder.NONE);
  }

  public LeadIntake(
      ActorSystem<?> system, IdentityIndex identityIndex, PiiCipher cipher, UnroutedStore unrouted,
      EngineMetrics metrics, ConsentKeywords consentKeywords, Duration askTimeout, AiWorkQueue aiWork,
      TextFingerprint fingerprint, TenantActivity.Recorder activity) {
    // without a fingerprint (tests of other concerns) texts are neither compared nor judged
    this.aiWork = aiWork;
    this.fingerprint = fingerprint;
    this.activity = activity;
    this.sharding = ClusterSharding.get(system);
    this.identityIndex = identityIndex;
    this.cipher = cipher;
    this.unrouted = unrouted;
    this.metrics = metrics;
    this.consentKeywords = consentKeywords;
    this.askTimeout = askTimeout;
  }

  public CompletionStage<IngestReport> ingest(ChannelRoute route, MessagesChange change, Instant receivedAt) {
    return cipher.blindIndex(route.tenantId()).thenCompose(blindIndex -> {
      List<CompletionStage<IngestReport>> work = new ArrayList<>();
      bySender(change.messages()).forEach((sender, messages) ->
          work.add(deliverMessages(route, blindIndex, messages, receivedAt)));
      byRecipient(change.statuses()).forEach((recipient, statuses) ->
          work.add(deliverStatuses(route, blindIndex, statuses, receivedAt)));
      return WhatsAppIngest.allOf(work);
    });
  }

  private CompletionStage<IngestReport> deliverMessages(
      ChannelRoute route, BlindIndex blindIndex, List<InboundMessage> messages, Instant receivedAt) {
    InboundMessage first = messages.get(0);
    List<PlainIdentifier> sender = identifiersOf(first.fromWaId(), first.fromUserId(), route.defaultRegion());
    List<IdentityKey> keys = sender.stream().map(identifier -> identifier.key(blindIndex)).toList();
    String tenantId = route.tenantId();
    return identityIndex
        .resolve(tenantId, keys, UUID.randomUUID().toString())
        .thenCompose(resolution -> cipher.leadCipher(tenantId, resolution.leadId())
            .thenCompose(leadCipher -> {
              String leadId = resolution.leadId();
              List<LeadModel.InboundMessage> commands = new ArrayList<>();
              List<IdentityKey> changedKeys = new ArrayList<>();
              for (InboundMessage message : messages) {
                List<Identifier> changedTo = List.of();
                if (message.changedToWaId() != null) {
                  List<PlainIdentifier> next = identifiersOf(message.changedToWaId(), null, route.defaultRegion());
                  changedTo = next.stream().map(identifier -> identifier.seal(blindIndex, leadCipher)).toList();
                  next.forEach(identifier -> changedKeys.add(identifier.key(blindIndex)));
                }
                commands.add(new LeadModel.InboundMessage(
                    message.platformMessageId(), CHANNEL, route.accountKey(), message.type(), message.sentAt(),
                    sealOrNull(leadCipher, message.text()), leadCipher.encrypt(message.rawJson()),
                    message.contextMessageId(), changedTo,
                    consentKeywords.signalOf(message.type(), message.text()),
                    fingerprint == null ? null : fingerprint.digest(blindIndex, message.text()),
                    fingerprint != null && fingerprint.gibberish(message.text())));
              }
              List<Identifier> identifiers =
                  sender.stream().map(identifier -> identifier.seal(blindIndex, leadCipher)).toList();
              String profileName = messages.stream()
                  .map(InboundMessage::profileName).filter(name -> name != null).findFirst().orElse(null);
              CompletionStage<Accepted> persisted = sharding
                  .entityRefFor(LeadEntity.TYPE_KEY, LeadEntity.entityId(tenantId, leadId))
                  .askWithStatus(replyTo -> new LeadModel.ReceiveMessages(
                      tenantId, leadId, identifiers, sealOrNull(leadCipher, profileName), commands, replyTo),
                      askTimeout);
              return persisted.thenCompose(accepted -> {
                metrics.eventsPersisted("lead", accepted.persistedEvents());
                // before the identity update below: a webhook retried after that fails finds these as duplicates
                if (accepted.createdLead()) activity.newLead(tenantId);
                accepted.screened().values().forEach(reason -> metrics.abuseTriggered("customer", reason));
                List<String> aiWorkIds = accepted.aiWorkMessageIds();
                String opening = accepted.createdLead() && !accepted.newMessageIds().isEmpty()
                    ? accepted.newMessageIds().get(0) : null;
                aiWork.offer(aiWorkIds.stream()
                    .map(messageId -> new AiWork.Item(tenantId, leadId, messageId, receivedAt,
                        messageId.equals(opening)))
                    .toList());
                IngestReport report = new IngestReport(
                    messages.size() - accepted.duplicates(), accepted.duplicates(), 0, 0, 0,
                    accepted.persistedEvents());
                if (changedKeys.isEmpty()) return CompletableFuture.completedFuture(report);
                // the new number now leads here; done after the event is durable so a retry repeats it harmlessly
                return identityIndex.reassign(tenantId, leadId, changedKeys).thenApply(done -> report);
              });
            }));
  }

  private CompletionStage<IngestReport> deliverStatuses(
      ChannelRoute route, BlindIndex blindIndex, List<StatusUpdate> statuses, Instant receivedAt) {
    StatusUpdate first = statuses.get(0);
    String tenantId = route.tenantId();
    Optional<IdentityKey> recipient = first.recipientWaId() != null
        ? Optional.of(new IdentityKey(LeadModel.WA_ID, blindIndex.of(LeadModel.WA_ID, first.recipientWaId())))
        : Optional.ofNullable(first.recipientUserId())
            .map(userId -> new IdentityKey(LeadModel.BSUID, blindIndex.of(LeadModel.BSUID, userId)));
    CompletionStage<Optional<String>> owner = recipient.isEmpty()
        ? CompletableFuture.completedFuture(Optional.empty())
        : identityIndex.find(tenantId, recipient.get());
    return owner.thenCompose(leadId -> {
      if (leadId.isEmpty()) {
        String json = "[" + String.join(",", statuses.stream().map(StatusUpdate::rawJson).toList()) + "]";
        return unrouted
            .store(new UnroutedItem(CHANNEL, "status for a recipient no lead owns", route.accountKey(), json, receivedAt))
            .thenApply(done -> new IngestReport(0, 0, 0, 0, 1, 0));
      }
      List<LeadModel.StatusChange> changes = statuses.stream()
          .map(status -> new LeadModel.StatusChange(
              status.platformMessageId(), CHANNEL, status.status(), status.at(), status.errorsJson(), status.pricingJson()))
          .toList();
      return sharding
          .entityRefFor(LeadEntity.TYPE_KEY, LeadEntity.entityId(tenantId, leadId.get()))
          .<Accepted>askWithStatus(
              replyTo -> new LeadModel.RecordStatuses(tenantId, leadId.get(), changes, replyTo), askTimeout)
          .thenApply(accepted -> {
            metrics.eventsPersisted("lead", accepted.persistedEvents());
            // a failed delivery counts towards the tenant's failures once: a retried webhook persists nothing
            if (accepted.persistedEvents() > 0) {
              activity.failures(tenantId, (int) statuses.stream().filter(s -> "failed".equals(s.status())).count());
            }
            return new IngestReport(0, 0, statuses.size(), 0, 0, accepted.persistedEvents());
          });
    });
  }

  /** Phone (E.164), wa_id and business-scoped user id, in that order of precedence for identity resolution. */
  private List<PlainIdentifier> identifiersOf(String waId, String userId, String region) {
    List<PlainIdentifier> identifiers = new ArrayList<>();
    if (waId != null) {
      Optional<PhoneNormalizer.NormalizedPhone> phone = phones.fromWaId(waId, region);
      phone.ifPresent(normalized ->
          identifiers.add(new PlainIdentifier(LeadModel.PHONE, normalized.e164(), normalized.valid())));
      identifiers.add(new PlainIdentifier(LeadModel.WA_ID, waId, true));
    }
    if (userId != null) identifiers.add(new PlainIdentifier(LeadModel.BSUID, userId, true));
    return identifiers;
  }

  private record PlainIdentifier(String kind, String value, boolean valid) {
    IdentityKey key(BlindIndex blindIndex) {
      return new IdentityKey(kind, blindIndex.of(kind, value));
    }

    Identifier seal(BlindIndex blindIndex, FieldCipher cipher) {
      return new Identifier(kind, blindIndex.of(kind, value), cipher.encrypt(value), valid);
    }
  }

  private static String sealOrNull(FieldCipher cipher, String value) {
    return value == null ? null : cipher.encrypt(value);
  }

  private static Map<String, List<InboundMessage>> bySender(List<InboundMessage> messages) {
    Map<String, List<InboundMessage>> grouped = new LinkedHashMap<>();
    for (InboundMessage message : messages) {
      String sender = message.fromWaId() != null ? "wa:" + message.fromWaId() : "user:" + message.fromUserId();
      grouped.computeIfAbsent(sender, key -> new ArrayList<>()).add(message);
    }
    return grouped;
  }

  private static Map<String, List<StatusUpdate>> byRecipient(List<StatusUpdate> statuses) {
    Map<String, List<StatusUpdate>> grouped = new LinkedHashMap<>();
    for (StatusUpdate status : statuses) {
      String recipient = status.recipientWaId() != null ? "wa:" + status.recipientWaId() : "user:" + status.recipientUserId();
      grouped.computeIfAbsent(recipient, key -> new ArrayList<>()).add(status);
    }
    return grouped;
  }
}
