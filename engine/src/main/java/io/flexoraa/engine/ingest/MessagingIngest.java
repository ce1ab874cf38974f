package io.flexoraa.engine.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import io.flexoraa.engine.Digests;
import io.flexoraa.engine.channel.ChannelAccount;
import io.flexoraa.engine.ingest.WhatsAppIngest.IngestReport;
import io.flexoraa.engine.lead.LeadModel;
import io.flexoraa.engine.meta.MessagingWebhook;
import io.flexoraa.engine.meta.MessagingWebhookParser;
import io.flexoraa.engine.ports.ChannelDirectory;
import io.flexoraa.engine.ports.ChannelDirectory.ChannelRoute;
import io.flexoraa.engine.ports.EngineMetrics;
import io.flexoraa.engine.ports.UnroutedStore;
import io.flexoraa.engine.ports.UnroutedStore.UnroutedItem;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * Turns one verified Instagram or Messenger webhook POST into persisted events, with the WhatsApp guarantees: the
 * stage completes only once everything in the POST is durable — on a lead, on the channel account, or in the
 * unrouted store — and every write is idempotent, so Meta's retries and duplicates persist nothing new.
 *
 * <p>{@code entry.id} names the tenant's account: an Instagram account id or a Facebook page id, registered as a
 * channel account. A body without {@code object} is routed to whichever of the two channels knows the id.
 * Conversation items go to {@link LeadIntake}; what concerns the account (mentions, insights, its own comments,
 * policy enforcement, handover, account linking...) becomes a platform update of the channel account.
 */
public final class MessagingIngest {
  private final ClusterSharding sharding;
  private final ChannelDirectory directory;
  private final LeadIntake leadIntake;
  private final UnroutedStore unrouted;
  private final EngineMetrics metrics;
  private final Duration askTimeout;
  private final MessagingWebhookParser parser = new MessagingWebhookParser();

  public MessagingIngest(
      ActorSystem<?> system, ChannelDirectory directory, LeadIntake leadIntake, UnroutedStore unrouted,
      EngineMetrics metrics, Duration askTimeout) {
    this.sharding = ClusterSharding.get(system);
    this.directory = directory;
    this.leadIntake = leadIntake;
    this.unrouted = unrouted;
    this.metrics = metrics;
    this.askTimeout = askTimeout;
  }

  public CompletionStage<IngestReport> ingest(JsonNode root, Instant receivedAt) {
    MessagingWebhook webhook = parser.parse(root);
    String source = webhook.channel() == null ? "meta" : webhook.channel();
    List<CompletionStage<IngestReport>> work = new ArrayList<>();
    for (MessagingWebhook.Unparsed unparsed : webhook.unparsed()) {
      work.add(storeUnrouted(source, unparsed.reason(), unparsed.accountId(), unparsed.json(), receivedAt));
    }
    Map<String, List<MessagingWebhook.Item>> byAccount = new LinkedHashMap<>();
    for (MessagingWebhook.Item item : webhook.items()) {
      byAccount.computeIfAbsent(item.accountId(), key -> new ArrayList<>()).add(item);
    }
    byAccount.forEach((accountId, items) -> work.add(route(webhook.channel(), accountId).thenCompose(route -> {
      if (route.isEmpty()) {
        String channel = webhook.channel() == null ? "Instagram or Messenger" : webhook.channel();
        return storeUnrouted(source, "unknown " + channel + " account", accountId, root.toString(), receivedAt);
      }
      return deliver(route.get(), items, receivedAt);
    })));
    return WhatsAppIngest.allOf(work);
  }

  private CompletionStage<IngestReport> deliver(
      ChannelRoute route, List<MessagingWebhook.Item> items, Instant receivedAt) {
    List<ChannelAccount.PlatformUpdate> updates = new ArrayList<>();
    List<MessagingWebhook.Item> personal = new ArrayList<>();
    for (MessagingWebhook.Item item : items) {
      if (item instanceof MessagingWebhook.AccountEvent event) {
        updates.add(new ChannelAccount.PlatformUpdate(event.field(), event.valueJson(),
            Digests.sha256Hex(event.field(), event.valueJson()), receivedAt));
      } else {
        personal.add(item);
      }
    }
    List<CompletionStage<IngestReport>> work = new ArrayList<>();
    if (!updates.isEmpty()) {
      work.add(WhatsAppIngest.recordOnAccount(sharding, route, updates, askTimeout, metrics));
    }
    if (!personal.isEmpty()) work.add(leadIntake.ingestMessaging(route, personal, receivedAt));
    return WhatsAppIngest.allOf(work);
  }

  /** The account an entry id names: on the body's channel, or, without one, on Instagram first, then Messenger. */
  private CompletionStage<Optional<ChannelRoute>> route(String channel, String accountId) {
    if (channel != null) return directory.byExternalId(channel, accountId);
    return directory.byExternalId(LeadModel.INSTAGRAM, accountId).thenCompose(instagram -> instagram.isPresent()
        ? CompletableFuture.completedFuture(instagram)
        : directory.byExternalId(LeadModel.MESSENGER, accountId));
  }

  private CompletionStage<IngestReport> storeUnrouted(
      String source, String reason, String accountRef, String json, Instant receivedAt) {
    return unrouted
        .store(new UnroutedItem(source, reason, accountRef, json, receivedAt))
        .thenApply(done -> new IngestReport(0, 0, 0, 0, 1, 0));
  }
}
