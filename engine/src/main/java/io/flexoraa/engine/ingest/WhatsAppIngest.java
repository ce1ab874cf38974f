package io.flexoraa.engine.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flexoraa.engine.Digests;
import io.flexoraa.engine.channel.ChannelAccount;
import io.flexoraa.engine.channel.ChannelAccountEntity;
import io.flexoraa.engine.meta.MessagingWebhookParser;
import io.flexoraa.engine.ports.ChannelDirectory;
import io.flexoraa.engine.ports.ChannelDirectory.ChannelRoute;
import io.flexoraa.engine.ports.EngineMetrics;
import io.flexoraa.engine.ports.UnroutedStore;
import io.flexoraa.engine.ports.UnroutedStore.UnroutedItem;
import io.flexoraa.engine.whatsapp.WhatsAppWebhook;
import io.flexoraa.engine.whatsapp.WhatsAppWebhook.AccountChange;
import io.flexoraa.engine.whatsapp.WhatsAppWebhook.MessagesChange;
import io.flexoraa.engine.whatsapp.WhatsAppWebhookParser;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * Turns one verified Meta webhook POST into persisted events: WhatsApp here, Instagram and Messenger (objects
 * {@code instagram} and {@code page}, or no object with messaging entries) through {@link MessagingIngest}. The returned stage completes only when every
 * message, status and account update in the POST is durable — in a lead's or channel account's journal, or in the
 * unrouted store — so the caller may acknowledge Meta then and not before. It fails when anything could not be
 * persisted in time; Meta then retries, and the entities' idempotency absorbs the repeat.
 */
public final class WhatsAppIngest {
  private static final String SOURCE = "whatsapp";

  private final ClusterSharding sharding;
  private final ChannelDirectory directory;
  private final UnroutedStore unrouted;
  private final LeadIntake leadIntake;
  private final EngineMetrics metrics;
  private final ObjectMapper mapper;
  private final WhatsAppWebhookParser parser;
  private final Duration askTimeout;
  /** Instagram and Messenger bodies, which arrive at the same URL; null: kept as unrouted. */
  private final MessagingIngest messaging;

  public WhatsAppIngest(
      ActorSystem<?> system, ChannelDirectory directory, LeadIntake leadIntake, UnroutedStore unrouted,
      EngineMetrics metrics, ObjectMapper mapper, Duration askTimeout) {
    this(system, directory, leadIntake, unrouted, metrics, mapper, askTimeout, null);
  }

  public WhatsAppIngest(
      ActorSystem<?> system, ChannelDirectory directory, LeadIntake leadIntake, UnroutedStore unrouted,
      EngineMetrics metrics, ObjectMapper mapper, Duration askTimeout, MessagingIngest messaging) {
    this.messaging = messaging;
    this.sharding = ClusterSharding.get(system);
    this.directory = directory;
    this.leadIntake = leadIntake;
    this.unrouted = unrouted;
    this.metrics = metrics;
    this.mapper = mapper;
    this.parser = new WhatsAppWebhookParser(mapper);
    this.askTimeout = askTimeout;
  }

  /** What one POST amounted to. */
  public record IngestReport(int messages, int duplicates, int statuses, int accountUpdates, int unrouted, int events) {
    IngestReport plus(IngestReport other) {
      return new IngestReport(
          messages + other.messages, duplicates + other.duplicates, statuses + other.statuses,
          accountUpdates + other.accountUpdates, unrouted + other.unrouted, events + other.events);
    }

    static final IngestReport EMPTY = new IngestReport(0, 0, 0, 0, 0, 0);
  }

  public CompletionStage<IngestReport> ingest(JsonNode root, Instant receivedAt) {
    String object = root.path("object").asText("");
    boolean messagingBody = MessagingWebhookParser.channelOf(object) != null
        || (!root.has("object") && MessagingWebhookParser.looksLikeMessaging(root));
    if (messaging != null && messagingBody) return messaging.ingest(root, receivedAt);
    if (!object.isEmpty() && !"whatsapp_business_account".equals(object)) {
      return storeUnrouted("object '" + object + "' is not handled", null, root.toString(), receivedAt);
    }
    WhatsAppWebhook webhook = parser.parse(root, receivedAt);
    List<CompletionStage<IngestReport>> work = new ArrayList<>();
    for (WhatsAppWebhook.UnparsedChange unparsed : webhook.unparsed()) {
      work.add(storeUnrouted(unparsed.reason(), null, unparsed.json(), receivedAt));
    }
    for (AccountChange change : webhook.accountChanges()) {
      work.add(routeAccountChange(change, receivedAt));
    }
    for (MessagesChange change : webhook.messageChanges()) {
      work.add(routeMessages(change, receivedAt));
    }
    return allOf(work);
  }

  private CompletionStage<IngestReport> routeMessages(MessagesChange change, Instant receivedAt) {
    return directory
        .byExternalId(SOURCE, change.phoneNumberId())
        .thenCompose(route -> {
          if (route.isEmpty()) {
            return storeUnrouted(
                "unknown WhatsApp phone-number id", change.phoneNumberId(), describe(change), receivedAt);
          }
          return leadIntake.ingest(route.get(), change, receivedAt);
        });
  }

  private CompletionStage<IngestReport> routeAccountChange(AccountChange change, Instant receivedAt) {
    String businessAccountId = change.businessAccountId();
    CompletionStage<List<ChannelRoute>> routes =
        businessAccountId == null || businessAccountId.isBlank()
            ? CompletableFuture.completedFuture(List.of())
            : directory.byBusinessAccount(businessAccountId);
    return routes.thenCompose(accounts -> {
      if (accounts.isEmpty()) {
        return storeUnrouted(
            "unknown WhatsApp business account for field " + change.field(), businessAccountId,
            change.valueJson(), receivedAt);
      }
      ChannelAccount.PlatformUpdate update =
          new ChannelAccount.PlatformUpdate(
              change.field(), change.valueJson(), Digests.sha256Hex(change.field(), change.valueJson()), receivedAt);
      List<CompletionStage<IngestReport>> recorded = new ArrayList<>();
      for (ChannelRoute account : accounts) {
        recorded.add(recordOnAccount(sharding, account, List.of(update), askTimeout, metrics));
      }
      return allOf(recorded);
    });
  }

  /** Records what Meta reported about an account on its channel-account entity (deduplicated there by digest). */
  static CompletionStage<IngestReport> recordOnAccount(
      ClusterSharding sharding, ChannelRoute account, List<ChannelAccount.PlatformUpdate> updates, Duration askTimeout,
      EngineMetrics metrics) {
    return sharding
        .entityRefFor(
            ChannelAccountEntity.TYPE_KEY,
            ChannelAccountEntity.entityId(account.tenantId(), account.channel(), account.externalId()))
        .<Integer>askWithStatus(
            replyTo -> new ChannelAccount.RecordPlatformUpdates(
                account.tenantId(), account.channel(), account.externalId(), updates, replyTo),
            askTimeout)
        .thenApply(events -> {
          metrics.eventsPersisted("channel-account", events);
          return new IngestReport(0, 0, 0, updates.size(), 0, events);
        });
  }

  private CompletionStage<IngestReport> storeUnrouted(String reason, String accountRef, String json, Instant at) {
    return unrouted
        .store(new UnroutedItem(SOURCE, reason, accountRef, json, at))
        .thenApply(done -> new IngestReport(0, 0, 0, 0, 1, 0));
  }

  /** The parts of a change kept verbatim for an operator when its account is unknown. */
  private String describe(MessagesChange change) {
    ObjectNode node = mapper.createObjectNode();
    node.put("business_account_id", change.businessAccountId());
    node.put("phone_number_id", change.phoneNumberId());
    node.put("display_phone_number", change.displayPhoneNumber());
    ArrayNode messages = node.putArray("messages");
    change.messages().forEach(message -> messages.add(readTree(message.rawJson())));
    ArrayNode statuses = node.putArray("statuses");
    change.statuses().forEach(status -> statuses.add(readTree(status.rawJson())));
    if (change.valueErrorsJson() != null) node.set("errors", readTree(change.valueErrorsJson()));
    return node.toString();
  }

  private JsonNode readTree(String json) {
    try {
      return mapper.readTree(json);
    } catch (Exception e) {
      return mapper.getNodeFactory().textNode(json);
    }
  }

  static CompletionStage<IngestReport> allOf(List<CompletionStage<IngestReport>> stages) {
    CompletableFuture<?>[] futures = stages.stream().map(CompletionStage::toCompletableFuture).toArray(CompletableFuture[]::new);
    return CompletableFuture.allOf(futures)
        .thenApply(done -> stages.stream()
            .map(stage -> stage.toCompletableFuture().join())
            .reduce(IngestReport.EMPTY, IngestReport::plus));
  }
}
