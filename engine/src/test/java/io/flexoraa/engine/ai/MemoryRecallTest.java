package io.flexoraa.engine.ai;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexoraa.engine.ai.builtin.HashingEmbedder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The three older messages closest to what the lead just wrote, most relevant first; unrelated ones never. */
class MemoryRecallTest {
  private final MemoryRecall recall = new MemoryRecall(new HashingEmbedder(1024), 0.2);

  @Test
  void theMostRelevantOlderMessagesComeFirstAndUnrelatedOnesNotAtAll() throws Exception {
    List<String> older = List.of(
        "we have two kids so a school nearby matters",
        "my budget is 90 lakh for a 3bhk",
        "I work from home, need a quiet study room",
        "is there a school within 2 km?",
        "the metro station distance is important",
        "my wife prefers a higher floor");

    List<String> recalled = recall.recall("t", "which school is closest to the tower?", older, 3)
        .toCompletableFuture().get();

    assertThat(recalled).containsExactlyInAnyOrder(
        "is there a school within 2 km?", "we have two kids so a school nearby matters");
  }

  @Test
  void nothingToRecallGivesNothing() throws Exception {
    assertThat(recall.recall("t", "hello", List.of(), 3).toCompletableFuture().get()).isEmpty();
    assertThat(recall.recall("t", "hello", List.of("a school nearby"), 0).toCompletableFuture().get()).isEmpty();
    assertThat(recall.recall("t", "price of the villa?", List.of("the weather is nice"), 3).toCompletableFuture().get())
        .isEmpty();
  }

  @Test
  void betweenEquallyRelevantMessagesTheNewerWins() throws Exception {
    List<String> older = List.of("parking for two cars", "parking for two cars", "parking for two cars");
    List<String> recalled = recall.recall("t", "how many cars can I park", older, 1).toCompletableFuture().get();
    assertThat(recalled).containsExactly("parking for two cars");
  }
}
