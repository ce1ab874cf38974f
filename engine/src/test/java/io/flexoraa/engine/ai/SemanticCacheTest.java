package io.flexoraa.engine.ai;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexoraa.engine.ai.builtin.HashingEmbedder;
import io.flexoraa.engine.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The cache on its own: served at the threshold and not below, never across tenants, languages, bands or named facts,
 * gone when the profile changes or the answer expires, bounded per tenant and in tenants.
 */
class SemanticCacheTest {
  private static final Instant START = Instant.parse("2026-11-21T10:00:00Z");
  private static final String VERSION = "profile-1";

  private final ManualClock clock = new ManualClock(START);
  private final HashingEmbedder embedder = new HashingEmbedder(1024);
  private final SemanticCache cache =
      new SemanticCache(new SemanticCache.Settings(0.92, 3, 2, Duration.ofHours(24)), clock);

  private static SemanticCache.Key key(String tenant, String language, String band) {
    return new SemanticCache.Key(tenant, language, band, HashingEmbedder.NAME);
  }

  private static ReplyDraft answer(String text) {
    return new ReplyDraft(text, "en", ReplyDraft.PROVIDER, "openai", "gpt-test", "social-proof+soft-call");
  }

  @Test
  void aRewordedQuestionGetsTheAnswerAndAnotherQuestionDoesNot() {
    cache.store(key("t1", "en", "WARM"), VERSION, embedder.vector("Do you have parking?"), Set.of(),
        answer("Yes, covered parking."));

    var hit = cache.lookup(key("t1", "en", "WARM"), VERSION, embedder.vector("do u have parking"), Set.of());
    assertThat(hit).isPresent();
    assertThat(hit.get().draft().text()).isEqualTo("Yes, covered parking.");
    assertThat(hit.get().similarity()).isGreaterThanOrEqualTo(0.92);
    assertThat(cache.lookup(key("t1", "en", "WARM"), VERSION, embedder.vector("Do you have a swimming pool?"),
        Set.of())).isEmpty();
  }

  @Test
  void anAnswerNeverCrossesTenantsLanguagesBandsOrNamedFacts() {
    float[] question = embedder.vector("price of the 3BHK?");
    cache.store(key("t1", "en", "WARM"), VERSION, question, Set.of("name:3bhk"), answer("₹95 lakh"));

    assertThat(cache.lookup(key("t2", "en", "WARM"), VERSION, question, Set.of("name:3bhk"))).isEmpty();
    assertThat(cache.lookup(key("t1", "hi-Latn", "WARM"), VERSION, question, Set.of("name:3bhk"))).isEmpty();
    assertThat(cache.lookup(key("t1", "en", "HOT"), VERSION, question, Set.of("name:3bhk"))).isEmpty();
    assertThat(cache.lookup(key("t1", "en", "WARM"), VERSION, question, Set.of("name:2bhk"))).isEmpty();
    assertThat(new SemanticCache.Key("t1", "en", "WARM", "openai-small")).isNotEqualTo(key("t1", "en", "WARM"));
    assertThat(cache.lookup(key("t1", "en", "WARM"), VERSION, question, Set.of("name:3bhk"))).isPresent();
  }

  @Test
  void aNewProfileVersionDropsTheTenantsAnswers() {
    float[] question = embedder.vector("Do you have parking?");
    cache.store(key("t1", "en", "WARM"), VERSION, question, Set.of(), answer("Yes."));
    cache.store(key("t2", "en", "WARM"), VERSION, question, Set.of(), answer("No."));

    assertThat(cache.lookup(key("t1", "en", "WARM"), "profile-2", question, Set.of())).isEmpty();
    assertThat(cache.size("t1")).isZero();
    assertThat(cache.lookup(key("t2", "en", "WARM"), VERSION, question, Set.of())).isPresent();

    cache.invalidate("t2");
    assertThat(cache.size("t2")).isZero();
  }

  @Test
  void answersExpire() {
    float[] question = embedder.vector("Do you have parking?");
    cache.store(key("t1", "en", "WARM"), VERSION, question, Set.of(), answer("Yes."));
    clock.advance(Duration.ofHours(23).plusMinutes(59));
    assertThat(cache.lookup(key("t1", "en", "WARM"), VERSION, question, Set.of())).isPresent();
    clock.advance(Duration.ofMinutes(1));
    assertThat(cache.lookup(key("t1", "en", "WARM"), VERSION, question, Set.of())).isEmpty();
    assertThat(cache.size("t1")).isZero();
  }

  @Test
  void theLeastRecentlyUsedAnswerAndTheLeastRecentlyActiveTenantGoFirst() {
    SemanticCache.Key key = key("t1", "en", "WARM");
    cache.store(key, VERSION, embedder.vector("parking?"), Set.of(), answer("parking"));
    cache.store(key, VERSION, embedder.vector("swimming pool?"), Set.of(), answer("pool"));
    cache.store(key, VERSION, embedder.vector("clubhouse?"), Set.of(), answer("clubhouse"));
    assertThat(cache.lookup(key, VERSION, embedder.vector("parking?"), Set.of())).isPresent();
    cache.store(key, VERSION, embedder.vector("gym?"), Set.of(), answer("gym"));

    assertThat(cache.size("t1")).isEqualTo(3);
    assertThat(cache.lookup(key, VERSION, embedder.vector("parking?"), Set.of())).isPresent();
    assertThat(cache.lookup(key, VERSION, embedder.vector("swimming pool?"), Set.of())).as("least recently used")
        .isEmpty();

    cache.store(key("t2", "en", "WARM"), VERSION, embedder.vector("parking?"), Set.of(), answer("t2"));
    cache.lookup(key, VERSION, embedder.vector("parking?"), Set.of());
    cache.store(key("t3", "en", "WARM"), VERSION, embedder.vector("parking?"), Set.of(), answer("t3"));
    assertThat(cache.size("t2")).as("least recently active tenant").isZero();
    assertThat(cache.size("t1")).isEqualTo(3);
  }

  @Test
  void theSameQuestionAnsweredAgainKeepsOnlyTheNewerAnswer() {
    SemanticCache.Key key = key("t1", "en", "WARM");
    cache.store(key, VERSION, embedder.vector("parking?"), Set.of(), answer("old"));
    cache.store(key, VERSION, embedder.vector("Parking?"), Set.of(), answer("new"));
    assertThat(cache.size("t1")).isEqualTo(1);
    assertThat(cache.lookup(key, VERSION, embedder.vector("parking"), Set.of()).orElseThrow().draft().text())
        .isEqualTo("new");
  }
}
