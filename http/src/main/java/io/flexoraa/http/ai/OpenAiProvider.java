package io.flexoraa.http.ai;

import com.openai.client.OpenAIClientAsync;
import com.openai.client.okhttp.OpenAIOkHttpClientAsync;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessage;
import io.flexoraa.engine.ai.AiOperations;
import io.flexoraa.engine.ai.AiProvider;
import io.flexoraa.engine.ai.Analysis;
import io.flexoraa.engine.ai.AnalysisRequest;
import io.flexoraa.engine.ai.ConversationTurn;
import io.flexoraa.engine.ai.MalformedAnswer;
import io.flexoraa.engine.ai.ReplyDraft;
import io.flexoraa.engine.ai.ReplyRequest;
import io.flexoraa.engine.ai.builtin.UsdRates;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * OpenAI through its official SDK (openai-java, Chat Completions): extraction with a strict JSON schema read into an
 * {@link Analysis} (the arithmetic is ours, see {@link AnalysisAnswer}), and replies written from the tenant's
 * profile alone and checked by {@link ReplyGuard}. Every call is written to the cost log, answered or not. A stage
 * fails on any problem — HTTP error after the SDK's retries, time-out, refusal, malformed answer — and never answers
 * with something half-read: the {@code FallbackProvider} around it lets the built-in engine answer instead.
 */
public final class OpenAiProvider implements AiProvider {
  private static final Map<String, String> STRATEGIES = Map.of(
      "HOT", "scarcity+authority+urgency+booking",
      "WARM", "trust+social-proof+benefits+soft-call",
      "COLD", "re-engagement+curiosity+education+soft-cta");

  private final OpenAIClientAsync client;
  private final OpenAiSettings settings;
  private final Prompts prompts;
  private final UsdRates rates;
  private final CostRecorder costs;

  OpenAiProvider(OpenAIClientAsync client, OpenAiSettings settings, Prompts prompts, UsdRates rates, CostRecorder costs) {
    this.client = client;
    this.settings = settings;
    this.prompts = prompts;
    this.rates = rates;
    this.costs = costs;
  }

  /** The SDK's asynchronous client: OpenAI's base URL, key, per-attempt time-out and retries from the settings. */
  static OpenAIClientAsync client(OpenAiSettings settings) {
    return OpenAIOkHttpClientAsync.builder()
        .apiKey(settings.apiKey())
        .baseUrl(settings.baseUrl().toString())
        .timeout(settings.requestTimeout())
        .maxRetries(settings.maxRetries())
        .build();
  }

  @Override
  public String name() {
    return Analysis.PROVIDER_OPENAI;
  }

  @Override
  public CompletionStage<Analysis> analyze(AnalysisRequest request, Call call) {
    ChatCompletionCreateParams params = ChatCompletionCreateParams.builder()
        .model(settings.model())
        .maxCompletionTokens(settings.analysis().maxTokens())
        .temperature(settings.analysis().temperature())
        .responseFormat(AnalysisAnswer.RESPONSE_FORMAT)
        .addSystemMessage(prompts.analyzeSystem())
        .addUserMessage(prompts.analyzeUser(request))
        .build();
    String operation = call == null ? AiOperations.INTENT_CLASSIFICATION : call.operation();
    return chat(params, call == null ? null : call.tenantId(), call == null ? null : call.reference(),
        call == null ? null : call.leadId(), operation,
        completion -> AnalysisAnswer.read(content(completion), request, rates, settings.model()));
  }

  @Override
  public CompletionStage<ReplyDraft> compose(ReplyRequest request) {
    ChatCompletionCreateParams.Builder params = ChatCompletionCreateParams.builder()
        .model(settings.model())
        .maxCompletionTokens(settings.reply().maxTokens())
        .temperature(settings.reply().temperature())
        .addSystemMessage(prompts.replySystem(request));
    if (!request.memories().isEmpty()) {
      params.addSystemMessage("Earlier messages of this lead that may matter:\n- " + String.join("\n- ", request.memories()));
    }
    List<ConversationTurn> context = request.context();
    for (ConversationTurn turn : context) {
      if (ConversationTurn.LEAD.equals(turn.role())) {
        params.addUserMessage(turn.text());
      } else {
        params.addAssistantMessage(turn.text());
      }
    }
    boolean inboundIsLast = !context.isEmpty() && ConversationTurn.LEAD.equals(context.get(context.size() - 1).role())
        && context.get(context.size() - 1).text().equals(request.inbound());
    if (request.inbound() != null && !request.inbound().isBlank() && !inboundIsLast) params.addUserMessage(request.inbound());
    return chat(params.build(), request.tenantId(), request.reference(), request.leadId(),
        AiOperations.forReply(request.kind()),
        completion -> new ReplyDraft(ReplyGuard.check(content(completion), request), request.language(),
            ReplyDraft.PROVIDER, Analysis.PROVIDER_OPENAI, settings.model(), strategy(request)));
  }

  /** The ReplyDraft's strategy: the slot asked, the band's persuasion strategy, or the kind. */
  static String strategy(ReplyRequest request) {
    return switch (request.kind()) {
      case QUESTION -> request.slot() == null ? "question" : request.slot().name().toLowerCase(Locale.ROOT);
      case PERSUASION -> STRATEGIES.getOrDefault(
          request.band() == null ? "" : request.band().toUpperCase(Locale.ROOT), "persuasion");
      case HOLDING -> "holding";
      case HANDOFF -> "handoff";
    };
  }

  public String model() {
    return settings.model();
  }

  public String promptVersion() {
    return prompts.version();
  }

  private <T> CompletionStage<T> chat(ChatCompletionCreateParams params, String tenantId, String reference,
      String leadId, String operation, Function<ChatCompletion, T> read) {
    return costs.call(new CostRecorder.Entry(tenantId, reference, leadId, operation, settings.model()),
        () -> client.chat().completions().create(params),
        completion -> completion.usage()
            .map(usage -> new CostRecorder.Usage(usage.promptTokens(), usage.completionTokens()))
            .orElse(new CostRecorder.Usage(0, 0)),
        read);
  }

  /** The first choice's text; a refusal, a cut-off or an empty answer is malformed. */
  private static String content(ChatCompletion completion) {
    List<ChatCompletion.Choice> choices = completion.choices();
    if (choices.isEmpty()) throw new MalformedAnswer("the answer has no choices");
    ChatCompletion.Choice choice = choices.get(0);
    ChatCompletionMessage message = choice.message();
    if (message.refusal().isPresent()) throw new MalformedAnswer("the model refused");
    if (ChatCompletion.Choice.FinishReason.LENGTH.equals(choice.finishReason())) {
      throw new MalformedAnswer("the answer was cut off at max-tokens");
    }
    String content = message.content().orElse("");
    if (content.isBlank()) throw new MalformedAnswer("the answer is empty");
    return content;
  }
}
