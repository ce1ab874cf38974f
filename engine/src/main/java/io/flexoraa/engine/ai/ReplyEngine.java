package io.flexoraa.engine.ai;

import com.typesafe.config.Config;
import io.flexoraa.engine.ai.builtin.BuiltInReplies;
import io.flexoraa.engine.ports.EngineMetrics;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reply stage (docs/decisions/0028-ai-profile-and-replies.md). HOLDING and HANDOFF are always the approved
 * wording: nothing generated reaches a lead whose message was high-risk or escalated. QUESTION goes to the provider.
 * PERSUASION answering a question tries, in order: the tenant's FAQ (no AI call), the tenant's semantic cache (no AI
 * call), the provider. Whatever the provider generates passes the {@link FactGuard} or is replaced by the approved
 * wording; only a generated answer that states nothing but the profile's facts is cached for other leads. Any failure
 * (provider, embedder) ends in the approved wording: this stage always answers.
 */
public final class ReplyEngine implements Replies {
  private static final Logger log = LoggerFactory.getLogger(ReplyEngine.class);
  /** The FAQ answers' model name in a draft. */
  public static final String FAQ_MODEL = "faq";

  /**
   * @param faqThreshold the cosine a lead's question needs to a FAQ question to get its answer
   * @param faqIndexTenants tenants whose FAQ vectors this node keeps
   */
  public record Settings(double faqThreshold, int faqIndexTenants) {
    /** {@code flexoraa.ai.replies}. */
    public static Settings fromConfig(Config config) {
      Config replies = config.getConfig("flexoraa.ai.replies");
      return new Settings(replies.getDouble("faq-threshold"), replies.getInt("faq-index-tenants"));
    }
  }

  /** How this node's replies were served since it started. */
  public record Stats(long faq, long cache, long provider, long template, long hallucinationsPrevented) {}

  private record Generated(ReplyDraft draft, boolean byProvider) {}

  private record FaqEntry(AiProfile.Faq faq, float[] vector, Set<String> facts) {}

  private record FaqIndex(String space, List<AiProfile.Faq> faq, List<FaqEntry> entries) {}

  /** A profile as the cache sees it: any change to it is a new version, even one without a new {@code updatedAt}. */
  private record ProfileVersion(Instant updatedAt, int contents) {
    static ProfileVersion of(AiProfile profile) {
      return new ProfileVersion(profile.updatedAt(), profile.hashCode());
    }
  }

  private final AiProvider provider;
  private final BuiltInReplies builtIn;
  private final Embedder embedder;
  private final SemanticCache cache;
  private final FactGuard guard;
  private final Settings settings;
  private final EngineMetrics metrics;
  private final Map<String, FaqIndex> faqIndexes;
  private final Map<String, AtomicLong> served = new LinkedHashMap<>();
  private final AtomicLong hallucinationsPrevented = new AtomicLong();

  public ReplyEngine(AiProvider provider, BuiltInReplies builtIn, Embedder embedder, SemanticCache cache,
      FactGuard guard, Settings settings, EngineMetrics metrics) {
    this.provider = provider;
    this.builtIn = builtIn;
    this.embedder = embedder;
    this.cache = cache;
    this.guard = guard;
    this.settings = settings;
    this.metrics = metrics;
    this.faqIndexes = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, FaqIndex> eldest) {
        return size() > settings.faqIndexTenants();
      }
    });
    for (String source : List.of(ReplyDraft.FAQ, ReplyDraft.CACHE, ReplyDraft.PROVIDER, ReplyDraft.TEMPLATE)) {
      served.put(source, new AtomicLong());
    }
  }

  @Override
  public CompletionStage<ReplyDraft> reply(ReplyRequest request) {
    try {
      return switch (request.kind()) {
        case HOLDING, HANDOFF -> CompletableFuture.completedFuture(approved(request));
        case QUESTION -> generate(request).thenApply(Generated::draft);
        case PERSUASION -> persuade(request);
      };
    } catch (RuntimeException failure) {
      log.warn("Reply {} fell back to the approved wording: {}", request.reference(), failure.toString());
      return CompletableFuture.completedFuture(approved(request));
    }
  }

  public Stats stats() {
    return new Stats(served.get(ReplyDraft.FAQ).get(), served.get(ReplyDraft.CACHE).get(),
        served.get(ReplyDraft.PROVIDER).get(), served.get(ReplyDraft.TEMPLATE).get(), hallucinationsPrevented.get());
  }

  private CompletionStage<ReplyDraft> persuade(ReplyRequest request) {
    if (!builtIn.isQuestion(request)) return generate(request).thenApply(Generated::draft);
    String language = builtIn.replyLanguage(request);
    return embedder.embed(request.tenantId(), request.inbound())
        .handle((vector, failure) -> {
          if (failure != null) log.warn("Embedding failed for reply {}: {}", request.reference(), failure.toString());
          return failure == null ? vector : null;
        })
        .thenCompose(vector -> vector == null
            ? generate(request).thenApply(Generated::draft)
            : faqAnswer(request, language, vector).thenCompose(faq -> faq.isPresent()
                ? CompletableFuture.completedFuture(served(faq.get()))
                : cachedOrGenerated(request, language, vector)));
  }

  private CompletionStage<Optional<ReplyDraft>> faqAnswer(ReplyRequest request, String language, float[] vector) {
    AiProfile profile = request.profile();
    if (profile.faq().isEmpty()) return CompletableFuture.completedFuture(Optional.empty());
    return faqIndex(request.tenantId(), profile).thenApply(index -> {
      Set<String> facts = guard.factsNamed(request.inbound(), profile);
      FaqEntry best = null;
      double bestSimilarity = -1;
      for (FaqEntry entry : index.entries()) {
        String faqLanguage = entry.faq().language();
        if (faqLanguage != null && !faqLanguage.equalsIgnoreCase(language)) continue;
        if (!entry.facts().equals(facts)) continue;
        double similarity = Embedder.cosine(vector, entry.vector());
        if (similarity > bestSimilarity) {
          best = entry;
          bestSimilarity = similarity;
        }
      }
      if (best == null || bestSimilarity < settings.faqThreshold()) return Optional.empty();
      String answerLanguage = best.faq().language() == null ? language : best.faq().language();
      return Optional.of(new ReplyDraft(best.faq().answer(), answerLanguage, ReplyDraft.FAQ,
          Analysis.PROVIDER_BUILTIN, FAQ_MODEL, "faq"));
    });
  }

  /** The tenant's FAQ questions embedded once per FAQ version, not on every reply. */
  private CompletionStage<FaqIndex> faqIndex(String tenantId, AiProfile profile) {
    FaqIndex known = faqIndexes.get(tenantId);
    if (known != null && known.space().equals(embedder.name()) && known.faq().equals(profile.faq())) {
      return CompletableFuture.completedFuture(known);
    }
    List<CompletableFuture<FaqEntry>> entries = new ArrayList<>();
    for (AiProfile.Faq faq : profile.faq()) {
      entries.add(embedder.embed(tenantId, faq.question()).toCompletableFuture()
          .thenApply(vector -> new FaqEntry(faq, vector, guard.factsNamed(faq.question(), profile))));
    }
    return CompletableFuture.allOf(entries.toArray(CompletableFuture[]::new)).thenApply(done -> {
      FaqIndex index = new FaqIndex(embedder.name(), profile.faq(),
          entries.stream().map(CompletableFuture::join).toList());
      faqIndexes.put(tenantId, index);
      return index;
    });
  }

  private CompletionStage<ReplyDraft> cachedOrGenerated(ReplyRequest request, String language, float[] vector) {
    AiProfile profile = request.profile();
    SemanticCache.Key key = new SemanticCache.Key(request.tenantId(), language,
        request.band() == null ? "WARM" : request.band().toUpperCase(Locale.ROOT), embedder.name());
    ProfileVersion version = ProfileVersion.of(profile);
    Set<String> facts = guard.factsNamed(request.inbound(), profile);
    Optional<SemanticCache.Hit> hit = cache.lookup(key, version, vector, facts);
    if (hit.isPresent()) {
      ReplyDraft cached = hit.get().draft();
      return CompletableFuture.completedFuture(served(new ReplyDraft(cached.text(), cached.language(), ReplyDraft.CACHE,
          cached.provider(), cached.model(), cached.strategy())));
    }
    return generate(request).thenApply(generated -> {
      if (generated.byProvider() && guard.statesOnlyProfileFacts(generated.draft().text(), profile)) {
        cache.store(key, version, vector, facts, generated.draft());
      }
      return generated.draft();
    });
  }

  /** The provider's reply when it states only facts it was given; otherwise, or when it fails, the approved wording. */
  private CompletionStage<Generated> generate(ReplyRequest request) {
    CompletionStage<ReplyDraft> call;
    try {
      call = provider.compose(request);
    } catch (RuntimeException failure) {
      call = CompletableFuture.failedFuture(failure);
    }
    return call.handle((draft, failure) -> {
      if (failure != null || draft == null || draft.text() == null || draft.text().isBlank()) {
        if (failure != null) log.warn("Provider {} failed reply {}: {}", provider.name(), request.reference(), failure.toString());
        return new Generated(approved(request), false);
      }
      if (ReplyDraft.TEMPLATE.equals(draft.source())) return new Generated(served(draft), false);
      FactGuard.Verdict verdict = guard.check(draft.text(), request.profile(), leadWords(request));
      if (!verdict.allowed()) {
        hallucinationsPrevented.incrementAndGet();
        metrics.aiHallucinationPrevented();
        // what kind of fact, never the text: replies and the lead's words are personal data
        log.info("Reply {} from {} stated {} fact(s) not in the profile; the approved wording was sent instead",
            request.reference(), provider.name(), verdict.unsupported().size());
        return new Generated(approved(request), false);
      }
      return new Generated(served(draft), true);
    });
  }

  private ReplyDraft approved(ReplyRequest request) {
    return served(builtIn.compose(request));
  }

  private ReplyDraft served(ReplyDraft draft) {
    AtomicLong counter = served.get(draft.source());
    if (counter != null) counter.incrementAndGet();
    metrics.aiReplySource(draft.source());
    return draft;
  }

  /** What the lead itself wrote: this burst, its earlier messages in the context, the recalled memories. */
  private static List<String> leadWords(ReplyRequest request) {
    List<String> words = new ArrayList<>();
    words.add(request.inbound());
    for (ConversationTurn turn : request.context()) {
      if (ConversationTurn.LEAD.equals(turn.role())) words.add(turn.text());
    }
    words.addAll(request.memories());
    return words;
  }
}
