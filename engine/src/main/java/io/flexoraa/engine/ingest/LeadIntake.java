package io.flexoraa.engine.ingest;

import io.flexoraa.engine.Digests;
import io.flexoraa.engine.identity.PhoneNormalizer;
import io.flexoraa.engine.meta.MessagingWebhook;
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
 * Delivers routed WhatsApp changes and Instagram / Messenger items to lead entities: messages grouped by sender (so one sender's messages keep
 * their order and land in one atomic write), each sender resolved to its one lead through the identity index,
 * personal data encrypted under that lead's key before it reaches a command; statuses to the lead that owns the
 * recipient. A status for a recipient no lead owns is kept in the unrouted store. A text that is exactly an opt-out
 * or opt-in keyword is marked as such while it is still plain text, so the lead can record the consent it gives.
 * Once a lead has stored messages for the first time they go to the {@link AiWorkQueue}, which starts their AI work
 * when the rate limits admit it; that hand-off is a tell, so admission never delays the acknowledgement.
 *
 * <p>The three channels share the delivery: a WhatsApp sender is known by phone, wa_id and BSUID, an Instagram one
 * by its IGSID, a Messenger one by its PSID, each blind-indexed per tenant. A message that reaches us older than
 * {@code staleAfter} (a replay, a retry after an outage) is stored and shown but kept from AI work
 * ({@link LeadModel#STALE_REPLAY}): it is for a human. Instagram and Messenger echoes, read and delivery receipts,
 * deletions and marketing opt-ins go to the lead that owns the person, after that person's messages of the same
 * POST; one for a person no lead owns is kept in the unrouted store.
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
  /** Messages sent longer ago than this when they arrive start no AI work; null: never. */
  private final Duration staleAfter;

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
    this(system, identityIndex, cipher, unrouted, metrics, consentKeywords, askTimeout, aiWork, fingerprint, activity,
        null);
  }

  public LeadIntake(
      ActorSystem<?> system, IdentityIndex identityIndex, PiiCipher cipher, UnroutedStore unrouted,
      EngineMetrics metrics, ConsentKeywords consentKeywords, Duration askTimeout, AiWorkQueue aiWork,
      TextFingerprint fingerprint, TenantActivity.Recorder activity, Duration staleAfter) {
    // without a fingerprint (tests of other concerns) texts are neither compared nor judged
    this.staleAfter = staleAfter;
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
      bySender(change.messages()).forEach((sender, messages) -> {
        InboundMessage first = messages.get(0);
        List<PlainIdentifier> identifiers = identifiersOf(first.fromWaId(), first.fromUserId(), route.defaultRegion());
        List<Arrival> arrivals = messages.stream()
            .map(message -> new Arrival(message.platformMessageId(), message.type(), message.sentAt(), message.text(),
                message.contextMessageId(), message.rawJson(), message.changedToWaId(), message.profileName(), null))
            .toList();
        work.add(deliverMessages(route, blindIndex, identifiers, arrivals, receivedAt));
      });
      byRecipient(change.statuses()).forEach((recipient, statuses) ->
          work.add(deliverStatuses(route, blindIndex, statuses, receivedAt)));
      return WhatsAppIngest.allOf(work);
    });
  }

  /** A message of any channel as intake delivers it: plain text, encrypted on the way into the command. */
  private record Arrival(
      String platformMessageId, String type, Instant sentAt, String text, String contextMessageId, String rawJson,
      String changedToWaId, String profileName, String intakeScreen) {}

  private CompletionStage<IngestReport> deliverMessages(
      ChannelRoute route, BlindIndex blindIndex, List<PlainIdentifier> sender, List<Arrival> messages,
      Instant receivedAt) {
    List<IdentityKey> keys = sender.stream().map(identifier -> identifier.key(blindIndex)).toList();
    String tenantId = route.tenantId();
    return identityIndex
        .resolve(tenantId, keys, UUID.randomUUID().toString())
        .thenCompose(resolution -> cipher.leadCipher(tenantId, resolution.leadId())
            .thenCompose(leadCipher -> {
              String leadId = resolution.leadId();
              List<LeadModel.InboundMessage> commands = new ArrayList<>();
              List<IdentityKey> changedKeys = new ArrayList<>();
              for (Arrival message : messages) {
                List<Identifier> changedTo = List.of();
                if (message.changedToWaId() != null) {
                  List<PlainIdentifier> next = identifiersOf(message.changedToWaId(), null, route.defaultRegion());
                  changedTo = next.stream().map(identifier -> identifier.seal(blindIndex, leadCipher)).toList();
                  next.forEach(identifier -> changedKeys.add(identifier.key(blindIndex)));
                }
                commands.add(new LeadModel.InboundMessage(
                    message.platformMessageId(), route.channel(), route.accountKey(), message.type(),
                    message.sentAt(), sealOrNull(leadCipher, message.text()), leadCipher.encrypt(message.rawJson()),
                    message.contextMessageId(), changedTo,
                    consentKeywords.signalOf(message.type(), message.text()),
                    fingerprint == null ? null : fingerprint.digest(blindIndex, message.text()),
                    fingerprint != null && fingerprint.gibberish(message.text()),
                    intakeScreen(message, receivedAt)));
              }
              List<Identifier> identifiers =
                  sender.stream().map(identifier -> identifier.seal(blindIndex, leadCipher)).toList();
              String profileName = messages.stream()
                  .map(Arrival::profileName).filter(name -> name != null).findFirst().orElse(null);
              CompletionStage<Accepted> persisted = sharding
                  .entityRefFor(LeadEntity.TYPE_KEY, LeadEntity.entityId(tenantId, leadId))
                  .askWithStatus(replyTo -> new LeadModel.ReceiveMessages(
                      tenantId, leadId, identifiers, sealOrNull(leadCipher, profileName), commands, replyTo),
                      askTimeout);
              return persisted.thenCompose(accepted -> {
                metrics.eventsPersisted("lead", accepted.persistedEvents());
                // before the identity update below: a webhook retried after that fails finds these as duplicates
                if (accepted.createdLead()) activity.newLead(tenantId);
                accepted.screened().values().forEach(reason -> {
                  if (LeadModel.STALE_REPLAY.equals(reason) || LeadModel.STANDBY.equals(reason)) {
                    metrics.intakeScreened(route.channel(), reason);
                  } else {
                    metrics.abuseTriggered("customer", reason);
                  }
                });
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

  /**
   * Delivers one Instagram or Messenger account's items (no {@link MessagingWebhook.AccountEvent}s: those are the
   * account's): per person, their messages first, in one write, then their echoes, receipts, deletions and opt-ins
   * in the order Meta sent them, so a deletion or a read never overtakes the message it is about.
   */
  public CompletionStage<IngestReport> ingestMessaging(
      ChannelRoute route, List<MessagingWebhook.Item> items, Instant receivedAt) {
    return cipher.blindIndex(route.tenantId()).thenCompose(blindIndex -> {
      Map<String, List<MessagingWebhook.Item>> byPerson = new LinkedHashMap<>();
      for (MessagingWebhook.Item item : items) {
        byPerson.computeIfAbsent(personOf(item), key -> new ArrayList<>()).add(item);
      }
      List<CompletionStage<IngestReport>> work = new ArrayList<>();
      byPerson.forEach((person, personal) -> work.add(deliverPersonal(route, blindIndex, person, personal, receivedAt)));
      return WhatsAppIngest.allOf(work);
    });
  }

  private CompletionStage<IngestReport> deliverPersonal(
      ChannelRoute route, BlindIndex blindIndex, String person, List<MessagingWebhook.Item> items,
      Instant receivedAt) {
    PlainIdentifier identifier = new PlainIdentifier(identifierKind(route.channel()), person, true);
    List<Arrival> arrivals = items.stream()
        .filter(item -> item instanceof MessagingWebhook.Inbound)
        .map(item -> (MessagingWebhook.Inbound) item)
        .map(inbound -> new Arrival(inbound.platformMessageId(), inbound.type(), inbound.sentAt(), inbound.text(),
            inbound.contextMessageId(), inbound.rawJson(), null, inbound.profileName(),
            inbound.standby() ? LeadModel.STANDBY : null))
        .toList();
    CompletionStage<IngestReport> delivered = arrivals.isEmpty()
        ? CompletableFuture.completedFuture(IngestReport.EMPTY)
        : deliverMessages(route, blindIndex, List.of(identifier), arrivals, receivedAt);
    List<MessagingWebhook.Item> rest =
        items.stream().filter(item -> !(item instanceof MessagingWebhook.Inbound)).toList();
    if (rest.isEmpty()) return delivered;
    return delivered.thenCompose(messages -> identityIndex.find(route.tenantId(), identifier.key(blindIndex))
        .thenCompose(leadId -> {
          if (leadId.isEmpty()) {
            String json = "[" + String.join(",", rest.stream().map(Object::toString).map(LeadIntake::quoted).toList()) + "]";
            return unrouted
                .store(new UnroutedItem(route.channel(), "receipt, echo or opt-in for a person no lead owns",
                    route.accountKey(), json, receivedAt))
                .thenApply(done -> messages.plus(new IngestReport(0, 0, 0, 0, 1, 0)));
          }
          return cipher.leadCipher(route.tenantId(), leadId.get()).thenCompose(leadCipher -> {
            CompletionStage<IngestReport> chain = CompletableFuture.completedFuture(messages);
            for (MessagingWebhook.Item item : rest) {
              chain = chain.thenCompose(sofar -> deliverOther(route, blindIndex, leadCipher, leadId.get(), item)
                  .thenApply(sofar::plus));
            }
            return chain;
          });
        }));
  }

  /** An echo, receipt, deletion or opt-in, to the lead that owns the person. */
  private CompletionStage<IngestReport> deliverOther(
      ChannelRoute route, BlindIndex blindIndex, FieldCipher leadCipher, String leadId, MessagingWebhook.Item item) {
    String tenantId = route.tenantId();
    String channel = route.channel();
    if (item instanceof MessagingWebhook.Echo echo) {
      LeadModel.OutboundEcho sealed = new LeadModel.OutboundEcho(echo.platformMessageId(), channel, route.accountKey(),
          echo.type(), echo.sentAt(), sealOrNull(leadCipher, echo.text()), leadCipher.encrypt(echo.rawJson()),
          echo.appId());
      return askLead(tenantId, leadId, 1, 0,
          replyTo -> new LeadModel.RecordEcho(tenantId, leadId, sealed, replyTo));
    }
    if (item instanceof MessagingWebhook.Read read) {
      return askLead(tenantId, leadId, 0, 1, replyTo -> new LeadModel.MarkRead(
          tenantId, leadId, channel, read.watermark(), read.mid(), read.at(), replyTo));
    }
    if (item instanceof MessagingWebhook.Delivery delivery) {
      Instant at = delivery.watermark() != null ? delivery.watermark() : delivery.at();
      List<LeadModel.StatusChange> changes = delivery.mids().stream()
          .map(mid -> new LeadModel.StatusChange(mid, channel, "delivered", at, null, null)).toList();
      if (changes.isEmpty()) return CompletableFuture.completedFuture(IngestReport.EMPTY);
      return askLead(tenantId, leadId, 0, changes.size(),
          replyTo -> new LeadModel.RecordStatuses(tenantId, leadId, changes, replyTo));
    }
    if (item instanceof MessagingWebhook.Deleted deleted) {
      return askLead(tenantId, leadId, 0, 1, replyTo -> new LeadModel.RecordDeletion(
          tenantId, leadId, channel, deleted.mid(), deleted.at(), replyTo));
    }
    MessagingWebhook.NotificationOptIn optIn = (MessagingWebhook.NotificationOptIn) item;
    String tokenDigest = optIn.token() == null ? null : blindIndex.of("notification-token", optIn.token());
    LeadModel.NotificationToken token = new LeadModel.NotificationToken(channel, route.accountKey(),
        sealOrNull(leadCipher, optIn.token()), tokenDigest, optIn.frequency(), optIn.expiresAt(), optIn.status(),
        optIn.topic(), optIn.at());
    // derived from what Meta sent, so a retried webhook records the same consent once
    String recordId = "optin:" + Digests.sha256Hex(route.accountKey(), optIn.senderId(), String.valueOf(optIn.status()),
        String.valueOf(tokenDigest), String.valueOf(optIn.at())).substring(0, 32);
    return askLead(tenantId, leadId, 0, 1,
        replyTo -> new LeadModel.RecordNotificationOptIn(tenantId, leadId, recordId, token, replyTo));
  }

  private CompletionStage<IngestReport> askLead(
      String tenantId, String leadId, int messages, int statuses,
      java.util.function.Function<org.apache.pekko.actor.typed.ActorRef<org.apache.pekko.pattern.StatusReply<Accepted>>,
          LeadModel.Command> command) {
    return sharding.entityRefFor(LeadEntity.TYPE_KEY, LeadEntity.entityId(tenantId, leadId))
        .<Accepted>askWithStatus(command::apply, askTimeout)
        .thenApply(accepted -> {
          metrics.eventsPersisted("lead", accepted.persistedEvents());
          return accepted.persistedEvents() == 0 && messages > 0
              ? new IngestReport(0, messages, 0, 0, 0, 0)
              : new IngestReport(messages, 0, statuses, 0, 0, accepted.persistedEvents());
        });
  }

  /** The person an item is about: who wrote, read or opted in, or to whom an echoed message went. */
  private static String personOf(MessagingWebhook.Item item) {
    if (item instanceof MessagingWebhook.Inbound inbound) return inbound.senderId();
    if (item instanceof MessagingWebhook.Echo echo) return echo.recipientId();
    if (item instanceof MessagingWebhook.Read read) return read.senderId();
    if (item instanceof MessagingWebhook.Delivery delivery) return delivery.senderId();
    if (item instanceof MessagingWebhook.Deleted deleted) return deleted.senderId();
    if (item instanceof MessagingWebhook.NotificationOptIn optIn) return optIn.senderId();
    throw new IllegalArgumentException("not a person's item: " + item.getClass().getSimpleName());
  }

  /** The identifier kind of a person on a Meta messaging channel. */
  static String identifierKind(String channel) {
    return LeadModel.INSTAGRAM.equals(channel) ? LeadModel.IGSID : LeadModel.PSID;
  }

  /** Why intake keeps a message from AI work: what the channel said (standby), else its age, else nothing. */
  private String intakeScreen(Arrival message, Instant receivedAt) {
    if (message.intakeScreen() != null) return message.intakeScreen();
    if (staleAfter != null && message.sentAt() != null && message.sentAt().isBefore(receivedAt.minus(staleAfter))) {
      return LeadModel.STALE_REPLAY;
    }
    return null;
  }

  private static String quoted(String text) {
    return com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.textNode(text).toString();
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
