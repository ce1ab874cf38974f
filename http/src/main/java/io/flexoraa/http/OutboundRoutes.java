package io.flexoraa.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.flexoraa.engine.lead.LeadModel;
import io.flexoraa.engine.outbound.OutboundService;
import io.flexoraa.http.Problems.InvalidInput;
import io.flexoraa.persistence.readmodel.LeadQueries;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;

/**
 * {@code POST /api/v1/tenants/{t}/leads/{lead}/messages}: a person's reply, {@code {"text": ...}} or
 * {@code {"template": ..., "parameters": [...], "language": ...}}, optionally on a named {@code channel} (else the one
 * the lead wrote on last) or as an Instagram private reply ({@code commentId}). It goes through the compliance gate
 * and, when allowed, the sender; the answer is the gate's decision: {@code send} or {@code template} (200, sent or
 * failed as {@code outcome} says), {@code defer} (202, scheduled for {@code notBefore}) or {@code block} (200, with
 * the {@code rule}). An {@code Idempotency-Key} header makes a retried request the same message: it is never sent
 * twice. SDRs may write only to their own leads (another lead reads as absent).
 */
final class OutboundRoutes extends AllDirectives {
  private static final Set<String> CHANNELS = Set.of(LeadModel.WHATSAPP, LeadModel.INSTAGRAM, LeadModel.MESSENGER);
  private static final Pattern TEMPLATE_NAME = Pattern.compile("[a-z0-9_]{1,512}");
  private static final Pattern LANGUAGE = Pattern.compile("[a-z]{2,3}(_[A-Z]{2})?");
  private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[A-Za-z0-9._:-]{8,128}");
  private static final Pattern EXTERNAL_ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");
  private static final int MAX_TEXT = 4096;
  private static final int MAX_PARAMETERS = 20;

  private final OutboundService outbound;
  private final LeadQueries leads;

  OutboundRoutes(OutboundService outbound, LeadQueries leads) {
    this.outbound = outbound;
    this.leads = leads;
  }

  Map<Endpoint, ApiRouter.Handler> handlers() {
    Map<Endpoint, ApiRouter.Handler> handlers = new EnumMap<>(Endpoint.class);
    handlers.put(Endpoint.SEND_MESSAGE, this::send);
    return handlers;
  }

  private Route send(ApiRouter.Call call) {
    String tenantId = call.tenant().id();
    String leadId = call.variable("lead");
    return optionalHeaderValueByName("Idempotency-Key", key -> entity(Unmarshaller.entityToString(), raw -> {
      OutboundService.Request request = request(tenantId, leadId, messageId(tenantId, leadId, key), raw, call);
      LeadQueries.Scope scope = ApiRoutes.scope(call);
      // the lead entity knows every lead at once; the read model (a moment behind) only says whose lead it is
      CompletionStage<Boolean> visible = scope.restricted()
          ? leads.get(tenantId, leadId, scope).thenApply(Optional::isPresent)
          : CompletableFuture.completedFuture(true);
      CompletionStage<OutboundService.Result> sent = visible
          .thenCompose(mayWrite -> {
            if (!mayWrite) throw new OutboundService.Refused("no such lead", true);
            return commentTime(tenantId, leadId, request.commentId());
          })
          .thenCompose(commentAt -> outbound.send(withCommentAt(request, commentAt)));
      return onSuccess(sent, result -> complete(Json.response(
          "defer".equals(result.decision()) ? StatusCodes.ACCEPTED : StatusCodes.OK, Answer.of(result))));
    }));
  }

  private OutboundService.Request request(
      String tenantId, String leadId, String messageId, String raw, ApiRouter.Call call) {
    JsonNode body = Json.object(raw);
    String text = Json.optionalText(body, "text", MAX_TEXT);
    String template = Json.optionalText(body, "template", 512);
    if ((text == null) == (template == null)) {
      throw new InvalidInput(text == null ? "text" : "template", "give either text or template, not both");
    }
    if (text != null && text.isBlank()) throw new InvalidInput("text", "text must not be blank");
    String language = Json.optionalText(body, "language", 16);
    List<String> parameters = new ArrayList<>();
    if (template != null) {
      Json.matching("template", template, TEMPLATE_NAME, "must be a template name (lower-case letters, digits, _)");
      if (language == null) throw new InvalidInput("language", "language is required with a template");
      JsonNode list = body.path("parameters");
      if (!list.isMissingNode() && !list.isNull()) {
        if (!list.isArray() || list.size() > MAX_PARAMETERS) {
          throw new InvalidInput("parameters", "parameters must be an array of at most " + MAX_PARAMETERS + " texts");
        }
        for (JsonNode parameter : list) {
          if (!parameter.isTextual() || parameter.asText().isBlank() || parameter.asText().length() > 1024) {
            throw new InvalidInput("parameters", "every parameter must be a non-blank text of at most 1024 characters");
          }
          parameters.add(parameter.asText());
        }
      }
    } else if (body.has("parameters")) {
      throw new InvalidInput("parameters", "parameters go with a template");
    }
    if (language != null) Json.matching("language", language, LANGUAGE, "must be a language code such as en or en_US");
    String channel = Json.optionalText(body, "channel", 16);
    if (channel != null && !CHANNELS.contains(channel)) {
      throw new InvalidInput("channel", "channel must be one of " + CHANNELS);
    }
    String commentId = Json.optionalText(body, "commentId", 128);
    if (commentId != null) {
      Json.matching("commentId", commentId, EXTERNAL_ID, "must be the comment's id");
      if (channel != null && !LeadModel.INSTAGRAM.equals(channel)) {
        throw new InvalidInput("commentId", "private replies to comments are sent on instagram");
      }
      channel = LeadModel.INSTAGRAM;
    }
    String purpose = Json.optionalText(body, "purpose", 64);
    return new OutboundService.Request(tenantId, leadId, messageId, channel, LeadModel.AUTHOR_HUMAN,
        call.principal().actor(), text, template, language, parameters, commentId, null, purpose);
  }

  /** The comment a private reply answers must be the lead's own; its time starts the 7-day limit. */
  private CompletionStage<Optional<Instant>> commentTime(String tenantId, String leadId, String commentId) {
    if (commentId == null) return CompletableFuture.completedFuture(Optional.empty());
    return leads.inboundSentAt(tenantId, leadId, commentId).thenApply(at -> {
      if (at.isEmpty()) throw new InvalidInput("commentId", "the lead wrote no such comment");
      return at;
    });
  }

  private static OutboundService.Request withCommentAt(OutboundService.Request request, Optional<Instant> commentAt) {
    if (commentAt.isEmpty()) return request;
    return new OutboundService.Request(request.tenantId(), request.leadId(), request.messageId(), request.channel(),
        request.author(), request.actor(), request.text(), request.templateName(), request.templateLanguage(),
        request.parameters(), request.commentId(), commentAt.get(), request.purpose());
  }

  /** A fresh id, or one derived from the caller's idempotency key, so the caller's retry is the same message. */
  private static String messageId(String tenantId, String leadId, Optional<String> key) {
    if (key.isEmpty()) return "out-" + UUID.randomUUID();
    Json.matching("Idempotency-Key", key.get(), IDEMPOTENCY_KEY, "must be 8-128 letters, digits or ._:-");
    return "out-" + Secrets.sha256Hex(tenantId + "|" + leadId + "|" + key.get()).substring(0, 32);
  }

  record Answer(
      String decision, String rule, String messageId, String channel, String template, Instant notBefore,
      String platformMessageId, String outcome) {
    static Answer of(OutboundService.Result result) {
      return new Answer(result.decision(), result.rule(), result.messageId(), result.channel(), result.templateName(),
          result.notBefore(), result.platformMessageId(), result.outcome());
    }
  }
}
