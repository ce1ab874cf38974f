package io.flexoraa.engine.outbound;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import io.flexoraa.engine.compliance.ComplianceGate;
import io.flexoraa.engine.compliance.GateDecision;
import io.flexoraa.engine.compliance.GateRequest;
import io.flexoraa.engine.compliance.GateRequest.Author;
import io.flexoraa.engine.compliance.GateRequest.Form;
import io.flexoraa.engine.compliance.Verdict;
import io.flexoraa.engine.lead.Lead.ChannelPresence;
import io.flexoraa.engine.lead.LeadEntity;
import io.flexoraa.engine.lead.LeadModel;
import io.flexoraa.engine.lead.LeadModel.ConsentView;
import io.flexoraa.engine.lead.LeadModel.Identifier;
import io.flexoraa.engine.lead.LeadModel.Outbound;
import io.flexoraa.engine.lead.LeadModel.OutboundContext;
import io.flexoraa.engine.lead.LeadModel.OutboundState;
import io.flexoraa.engine.ports.ChannelDirectory;
import io.flexoraa.engine.ports.ChannelDirectory.ChannelRoute;
import io.flexoraa.engine.ports.MetaSender;
import io.flexoraa.engine.ports.MetaSender.Outcome;
import io.flexoraa.engine.ports.OutboundQueue;
import io.flexoraa.engine.ports.PiiCipher;
import io.flexoraa.engine.ports.PiiCipher.FieldCipher;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;

/**
 * Every outbound message — a person's reply, later the AI's and campaigns' — takes one path: recorded on the lead
 * first (so nothing is lost), decided by the {@link ComplianceGate}, sent by the {@link MetaSender} when the gate lets
 * it go, and its ending recorded on the lead. A deferred message waits in the {@link OutboundQueue} and comes back
 * here when it is due. Every step is idempotent on our message id, so a caller's retry, a redelivered queue item or
 * a node that died half-way repeats nothing that already happened: a sent message is never sent again.
 *
 * <p>Meta's answers act on the message: window closed (131047) → decided again as a template; pair rate (131056)
 * and exhausted rate-limit retries → scheduled again; user back-off (131049), undeliverable, token errors → the
 * message fails with that outcome and the gate learns it (back-off, alert). A send whose answer never came is not
 * repeated (it may have been accepted): it fails as {@code unconfirmed}.
 */
public final class OutboundService {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Settings from {@code flexoraa.outbound}. */
  public record Settings(
      String fallbackPurpose, Duration pairRateWait, Duration rateLimitedWait, int maxAttempts, Duration askTimeout) {
    public static Settings fromConfig(Config config) {
      Config outbound = config.getConfig("flexoraa.outbound");
      return new Settings(
          outbound.getString("fallback-purpose"), outbound.getDuration("pair-rate-wait"),
          outbound.getDuration("rate-limited-wait"), outbound.getInt("max-attempts"),
          outbound.getDuration("ask-timeout"));
    }
  }

  /** A message to send: free text, or a template with its body parameters. */
  public record Request(
      String tenantId, String leadId, String messageId, String channel, String author, String actor, String text,
      String templateName, String templateLanguage, List<String> parameters, String commentId, Instant commentAt,
      String purpose) {
    public Request {
      parameters = parameters == null ? List.of() : List.copyOf(parameters);
    }

    boolean template() {
      return templateName != null;
    }
  }

  /** Where the message stands after this call. */
  public record Result(
      String messageId, String channel, String decision, String rule, String templateName, Instant notBefore,
      String platformMessageId, String outcome) {}

  /** The request cannot be taken: the lead, its channel or its recipient id is missing. Nothing was recorded. */
  public static final class Refused extends RuntimeException {
    private final boolean notFound;

    public Refused(String message, boolean notFound) {
      super(message, null, false, false);
      this.notFound = notFound;
    }

    public boolean notFound() {
      return notFound;
    }
  }

  private final ClusterSharding sharding;
  private final ChannelDirectory directory;
  private final PiiCipher cipher;
  private final ComplianceGate gate;
  private final MetaSender sender;
  private final OutboundQueue queue;
  private final Clock clock;
  private final Settings settings;

  public OutboundService(
      ActorSystem<?> system, ChannelDirectory directory, PiiCipher cipher, ComplianceGate gate, MetaSender sender,
      OutboundQueue queue, Clock clock, Settings settings) {
    this.sharding = ClusterSharding.get(system);
    this.directory = directory;
    this.cipher = cipher;
    this.gate = gate;
    this.sender = sender;
    this.queue = queue;
    this.clock = clock;
    this.settings = settings;
  }

  /** Records, decides and (when allowed) sends the message; a repeat of a message id continues where it stands. */
  public CompletionStage<Result> send(Request request) {
    EntityRef<LeadModel.Command> lead = lead(request.tenantId(), request.leadId());
    return lead.<OutboundContext>askWithStatus(
            replyTo -> new LeadModel.GetOutbound(request.messageId(), replyTo), settings.askTimeout())
        .thenCompose(context -> {
          if (!context.exists() || context.anonymized()) throw new Refused("no such lead", true);
          if (context.message() != null) return proceed(context, context.message(), request.commentAt());
          return record(request, context, lead).thenCompose(recorded ->
              proceed(recorded, recorded.message(), request.commentAt()));
        });
  }

  /** A deferred message whose time has come: decided and sent as if it were new, unless it is settled meanwhile. */
  public CompletionStage<Result> resume(OutboundQueue.Item item) {
    return lead(item.tenantId(), item.leadId())
        .<OutboundContext>askWithStatus(
            replyTo -> new LeadModel.GetOutbound(item.messageId(), replyTo), settings.askTimeout())
        .thenCompose(context -> {
          if (context.message() == null || context.anonymized()) {
            // evicted from the lead's window or erased since: nothing may be sent
            return queue.remove(item.tenantId(), item.messageId()).thenApply(done ->
                new Result(item.messageId(), null, "block", "lead-erased", null, null, null, null));
          }
          if (item.attempts() > settings.maxAttempts()) {
            return fail(context, context.message(), "gave-up", null);
          }
          return proceed(context, context.message(), null);
        });
  }

  private CompletionStage<OutboundContext> record(Request request, OutboundContext context, EntityRef<LeadModel.Command> lead) {
    String channel = request.channel() != null ? request.channel() : latestChannel(context);
    ChannelPresence presence = context.channels().get(channel);
    CompletionStage<String> account = presence != null && presence.channelAccount() != null
        ? CompletableFuture.completedFuture(presence.channelAccount())
        : directory.ofTenant(request.tenantId()).thenApply(routes -> routes.stream()
            .filter(route -> route.channel().equals(channel)).map(ChannelRoute::accountKey).findFirst()
            .orElseThrow(() -> new Refused("the tenant has no " + channel + " account to send from", false)));
    if (recipient(context, channel).isEmpty()) {
      throw new Refused("the lead has no " + channel + " identity to send to", false);
    }
    return account.thenCompose(accountKey -> cipher.leadCipher(request.tenantId(), request.leadId())
        .thenCompose(leadCipher -> {
          Outbound outbound = new Outbound(
              request.messageId(), channel, accountKey, request.author(), request.actor(),
              request.template() ? LeadModel.FORM_TEMPLATE : LeadModel.FORM_FREE,
              request.text() == null ? null : leadCipher.encrypt(request.text()),
              request.templateName(), request.templateLanguage(),
              request.parameters().isEmpty() ? null : leadCipher.encrypt(json(request.parameters())),
              request.commentId(), request.purpose() != null ? request.purpose() : settings.fallbackPurpose(),
              request.text() == null ? 0 : request.text().getBytes(StandardCharsets.UTF_8).length, clock.instant());
          return lead.askWithStatus(replyTo -> new LeadModel.RequestOutbound(outbound, replyTo), settings.askTimeout());
        }));
  }

  private CompletionStage<Result> proceed(OutboundContext context, OutboundState state, Instant commentAt) {
    if (state.settled()) return CompletableFuture.completedFuture(result(state));
    return decide(context, state.outbound(), state.outbound().messageId(), commentAt, false)
        .thenCompose(decision -> act(context, state.outbound(), decision, commentAt, false));
  }

  private CompletionStage<GateDecision> decide(
      OutboundContext context, Outbound outbound, String gateId, Instant commentAt, boolean forceTemplate) {
    String accountId = externalId(outbound.channelAccount());
    return directory.byExternalId(outbound.channel(), accountId).thenCompose(route -> {
      ChannelPresence presence = context.channels().get(outbound.channel());
      Identifier recipient = recipient(context, outbound.channel())
          .orElseThrow(() -> new Refused("the lead has no " + outbound.channel() + " identity to send to", false));
      GateRequest request = new GateRequest(
          gateId, context.tenantId(), context.leadId(), outbound.channel(), accountId,
          route.map(ChannelRoute::businessAccountId).orElse(null), recipient.index(), author(outbound.author()),
          LeadModel.FORM_TEMPLATE.equals(outbound.form()) ? Form.TEMPLATE : Form.FREE_FORM,
          outbound.templateName(), outbound.templateLanguage(), outbound.purpose(), outbound.textBytes(),
          outbound.commentId(), commentAt, presence == null ? null : presence.lastInboundAt(),
          !consented(context, outbound.channel(), LeadModel.MESSAGING, true),
          consented(context, LeadModel.MESSENGER, LeadModel.MARKETING, false), forceTemplate);
      return gate.decide(request);
    });
  }

  private CompletionStage<Result> act(
      OutboundContext context, Outbound outbound, GateDecision decision, Instant commentAt, boolean forced) {
    String verdict = decision.verdict().name().toLowerCase(Locale.ROOT);
    return lead(context.tenantId(), context.leadId())
        .<OutboundContext>askWithStatus(replyTo -> new LeadModel.RecordOutboundDecision(
            outbound.messageId(), verdict, decision.rule(), decision.templateName(), decision.templateLanguage(),
            decision.notBefore(), replyTo), settings.askTimeout())
        .thenCompose(recorded -> switch (decision.verdict()) {
          case BLOCK -> queue.remove(context.tenantId(), outbound.messageId())
              .thenApply(done -> result(recorded.message()));
          case DEFER -> schedule(context, outbound, decision.notBefore()).thenApply(done -> result(recorded.message()));
          case SEND, TEMPLATE -> transmit(recorded, outbound, decision, commentAt, forced);
        });
  }

  private CompletionStage<Result> transmit(
      OutboundContext context, Outbound outbound, GateDecision decision, Instant commentAt, boolean forced) {
    return cipher.leadCipher(context.tenantId(), context.leadId()).thenCompose(leadCipher -> {
      Identifier recipient = recipient(context, outbound.channel()).orElseThrow();
      String recipientId = plainRecipient(recipient, leadCipher);
      MetaSender.Content content = decision.verdict() == Verdict.TEMPLATE
          ? new MetaSender.Content.Template(
              decision.templateName() != null ? decision.templateName() : outbound.templateName(),
              decision.templateLanguage() != null ? decision.templateLanguage() : outbound.templateLanguage(),
              LeadModel.FORM_TEMPLATE.equals(outbound.form()) ? parameters(outbound, leadCipher) : List.of())
          : new MetaSender.Content.Text(outbound.textEnc() == null ? "" : leadCipher.decrypt(outbound.textEnc()));
      String gateId = forced ? outbound.messageId() + ":template" : outbound.messageId();
      return sender.send(new MetaSender.OutboundSend(
              context.tenantId(), outbound.channel(), externalId(outbound.channelAccount()), gateId, recipientId,
              outbound.commentId(), content, decision.messagingType(), decision.tag()))
          .thenCompose(sent -> gate.recordOutcome(context.tenantId(), outbound.channel(),
                  externalId(outbound.channelAccount()), gateId, recipient.index(), sent.outcome())
              .thenCompose(done -> ended(context, outbound, sent, commentAt, forced)));
    });
  }

  private CompletionStage<Result> ended(
      OutboundContext context, Outbound outbound, MetaSender.SendResult sent, Instant commentAt, boolean forced) {
    Instant now = clock.instant();
    return switch (sent.outcome()) {
      case SENT -> lead(context.tenantId(), context.leadId())
          .<OutboundContext>askWithStatus(replyTo -> new LeadModel.RecordOutboundResult(
              outbound.messageId(), sent.platformMessageId(), null, null, replyTo), settings.askTimeout())
          .thenCompose(recorded -> queue.remove(context.tenantId(), outbound.messageId())
              .thenApply(done -> result(recorded.message())));
      case WINDOW_CLOSED -> forced
          ? fail(context, context.message(), "window-closed", sent.errorCode())
          : decide(context, outbound, outbound.messageId() + ":template", commentAt, true)
              .thenCompose(decision -> act(context, outbound, decision, commentAt, true));
      case PAIR_RATE -> deferAgain(context, outbound, "pair-rate", now.plus(settings.pairRateWait()));
      case RATE_LIMITED -> deferAgain(context, outbound, "rate-limited", now.plus(settings.rateLimitedWait()));
      case USER_BACKOFF -> fail(context, context.message(), "user-backoff", sent.errorCode());
      case UNDELIVERABLE -> fail(context, context.message(), "undeliverable", sent.errorCode());
      case TOKEN_INVALID -> fail(context, context.message(), "token-invalid", sent.errorCode());
      case NO_CREDENTIALS -> fail(context, context.message(), "no-credentials", null);
      case SERVER_ERROR -> fail(context, context.message(), "unconfirmed", sent.errorCode());
      case REJECTED -> fail(context, context.message(), "rejected", sent.errorCode());
    };
  }

  private CompletionStage<Result> deferAgain(OutboundContext context, Outbound outbound, String rule, Instant notBefore) {
    return lead(context.tenantId(), context.leadId())
        .<OutboundContext>askWithStatus(replyTo -> new LeadModel.RecordOutboundDecision(
            outbound.messageId(), "defer", rule, null, null, notBefore, replyTo), settings.askTimeout())
        .thenCompose(recorded -> schedule(context, outbound, notBefore).thenApply(done -> result(recorded.message())));
  }

  private CompletionStage<Result> fail(OutboundContext context, OutboundState state, String outcome, Integer code) {
    String messageId = state.outbound().messageId();
    return lead(context.tenantId(), context.leadId())
        .<OutboundContext>askWithStatus(replyTo -> new LeadModel.RecordOutboundResult(
            messageId, null, outcome, code, replyTo), settings.askTimeout())
        .thenCompose(recorded -> queue.remove(context.tenantId(), messageId)
            .thenApply(done -> result(recorded.message())));
  }

  private CompletionStage<Void> schedule(OutboundContext context, Outbound outbound, Instant notBefore) {
    Instant when = notBefore != null ? notBefore : clock.instant().plus(settings.rateLimitedWait());
    return queue.schedule(
        new OutboundQueue.Item(context.tenantId(), context.leadId(), outbound.messageId(), when, 0), clock.instant());
  }

  private static Result result(OutboundState state) {
    return new Result(
        state.outbound().messageId(), state.outbound().channel(),
        OutboundState.REQUESTED.equals(state.verdict()) ? null : state.verdict(), state.rule(), state.templateName(),
        state.notBefore(), state.platformMessageId(), state.outcome());
  }

  // ---- the lead's channel and identity ----

  /** The channel the lead wrote on last; WhatsApp for a lead that never wrote (a form or an import). */
  private static String latestChannel(OutboundContext context) {
    return context.channels().values().stream()
        .filter(presence -> presence.lastInboundAt() != null)
        .max(Comparator.comparing(ChannelPresence::lastInboundAt))
        .map(ChannelPresence::channel)
        .orElse(LeadModel.WHATSAPP);
  }

  /** Who receives on the channel: WhatsApp by wa_id, else business-scoped id, else phone; IGSID; PSID. */
  static Optional<Identifier> recipient(OutboundContext context, String channel) {
    List<String> kinds = switch (channel) {
      case LeadModel.WHATSAPP -> List.of(LeadModel.WA_ID, LeadModel.BSUID, LeadModel.PHONE);
      case LeadModel.INSTAGRAM -> List.of(LeadModel.IGSID);
      case LeadModel.MESSENGER -> List.of(LeadModel.PSID);
      default -> List.of();
    };
    for (String kind : kinds) {
      Optional<Identifier> found = context.identifiers().stream()
          .filter(identifier -> identifier.kind().equals(kind)).reduce((first, second) -> second);
      if (found.isPresent()) return found;
    }
    return Optional.empty();
  }

  private static String plainRecipient(Identifier recipient, FieldCipher leadCipher) {
    String value = leadCipher.decrypt(recipient.valueEnc());
    // WhatsApp addresses a phone as digits without the plus
    return LeadModel.PHONE.equals(recipient.kind()) && value.startsWith("+") ? value.substring(1) : value;
  }

  /** Whether the consent in force for the purpose on the channel is granted; {@code otherwise} when the lead never said. */
  private static boolean consented(OutboundContext context, String channel, String purpose, boolean otherwise) {
    return context.consents().stream()
        .filter(consent -> consent.channel().equals(channel) && consent.purpose().equals(purpose))
        .map(ConsentView::granted)
        .findFirst()
        .orElse(otherwise);
  }

  private static Author author(String author) {
    return switch (author) {
      case LeadModel.AUTHOR_AI -> Author.AI;
      case LeadModel.AUTHOR_CAMPAIGN -> Author.CAMPAIGN;
      default -> Author.HUMAN;
    };
  }

  private static String externalId(String accountKey) {
    int colon = accountKey.indexOf(':');
    return colon < 0 ? accountKey : accountKey.substring(colon + 1);
  }

  private static List<String> parameters(Outbound outbound, FieldCipher leadCipher) {
    if (outbound.parametersEnc() == null) return List.of();
    try {
      return JSON.readValue(leadCipher.decrypt(outbound.parametersEnc()), new TypeReference<List<String>>() {});
    } catch (Exception unreadable) {
      throw new IllegalStateException("template parameters unreadable", unreadable);
    }
  }

  private static String json(List<String> values) {
    try {
      return JSON.writeValueAsString(values);
    } catch (Exception impossible) {
      throw new IllegalStateException(impossible);
    }
  }

  private EntityRef<LeadModel.Command> lead(String tenantId, String leadId) {
    return sharding.entityRefFor(LeadEntity.TYPE_KEY, LeadEntity.entityId(tenantId, leadId));
  }
}
