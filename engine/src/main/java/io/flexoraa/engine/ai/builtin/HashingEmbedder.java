package io.flexoraa.engine.ai.builtin;

import com.typesafe.config.Config;
import io.flexoraa.engine.ai.Embedder;
import io.flexoraa.engine.ai.Texts;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import scala.util.hashing.MurmurHash3$;

/**
 * "hashing-v1": a deterministic embedding with no model and no network, so that the semantic cache, FAQ matching and
 * memory recall work offline and give the same answer on every node. It is the hashing trick (Weinberger et al.,
 * "Feature Hashing for Large Scale Multitask Learning", 2009) over the features fastText uses for short texts:
 *
 * <ul>
 *   <li>the text normalised by {@link Texts#normalize} (NFKC, lower case, digits kept as ASCII, punctuation dropped);
 *   <li>word unigrams: content words weight 1, function words ({@code flexoraa/ai/stopwords.txt}: "what is the",
 *       "kya hai", "apakah") {@value #FUNCTION_WORD_WEIGHT}, so that questions meet on what they ask about;
 *   <li>bigrams of consecutive content words (weight {@value #BIGRAM_WEIGHT}): "3bhk flat", "gold plan";
 *   <li>character 3- to 5-grams of each content word padded as {@code <word>}, together weighted like one word:
 *       typos, inflections and romanisation variants ("kitna" / "kitne", "prise" / "price") share most of them;
 * </ul>
 *
 * each feature hashed with MurmurHash3 (Scala's standard library) to one of {@code dimension} buckets, with a second
 * hash choosing its sign so that collisions cancel out on average, then the vector L2-normalised: the cosine of two
 * vectors is their dot product. Numbers are kept as words, so "2 bhk" and "3 bhk" differ in two features only: the
 * cache does not rely on the vector alone to tell them apart (see {@code SemanticCache}).
 */
public final class HashingEmbedder implements Embedder {
  public static final String NAME = "hashing-v1";
  static final double BIGRAM_WEIGHT = 0.5;
  static final double FUNCTION_WORD_WEIGHT = 0.1;
  private static final int INDEX_SEED = 0x5eed_0001;
  private static final int SIGN_SEED = 0x5eed_0002;
  private static final MurmurHash3$ MURMUR = MurmurHash3$.MODULE$;

  private static final Set<String> FUNCTION_WORDS = functionWords();

  private final int dimension;

  public HashingEmbedder(int dimension) {
    if (dimension < 16) throw new IllegalArgumentException("dimension must be at least 16, was " + dimension);
    this.dimension = dimension;
  }

  private static Set<String> functionWords() {
    String resource = "flexoraa/ai/stopwords.txt";
    try (InputStream in = HashingEmbedder.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) throw new IllegalStateException(resource + " is missing");
      Set<String> words = new HashSet<>();
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\\R")) {
        String word = Texts.normalize(line);
        if (!line.startsWith("#") && !word.isEmpty()) words.add(word);
      }
      return Set.copyOf(words);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code flexoraa.ai.replies.embedder.dimension}. */
  public static HashingEmbedder fromConfig(Config config) {
    return new HashingEmbedder(config.getInt("flexoraa.ai.replies.embedder.dimension"));
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public CompletionStage<float[]> embed(String tenantId, String text) {
    return CompletableFuture.completedFuture(vector(text));
  }

  /** The unit vector of the text (all zeros for a text without letters or digits). */
  public float[] vector(String text) {
    float[] vector = new float[dimension];
    String previous = null;
    for (String written : Texts.words(text)) {
      String word = singular(written);
      if (FUNCTION_WORDS.contains(word)) {
        add(vector, "w|" + word, FUNCTION_WORD_WEIGHT);
        continue;
      }
      add(vector, "w|" + word, 1.0);
      if (previous != null) add(vector, "b|" + previous + " " + word, BIGRAM_WEIGHT);
      addCharacterGrams(vector, word);
      previous = word;
    }
    normalize(vector);
    return vector;
  }

  /**
   * Harman's S-stemmer (1991) on Latin-script words, so "loans" meets "loan" and "amenities" "amenity": "-ies" to
   * "-y" (not "-eies", "-aies"), "-es" to "-e" (not "-aes", "-ees", "-oes"), a final "-s" dropped (not "-us", "-ss").
   */
  static String singular(String word) {
    if (word.length() <= 3 || word.charAt(word.length() - 1) != 's' || !isLatin(word)) return word;
    if (word.endsWith("ies") && !word.endsWith("eies") && !word.endsWith("aies")) {
      return word.substring(0, word.length() - 3) + "y";
    }
    if (word.endsWith("es") && !word.endsWith("aes") && !word.endsWith("ees") && !word.endsWith("oes")) {
      return word.substring(0, word.length() - 1);
    }
    if (word.endsWith("us") || word.endsWith("ss")) return word;
    return word.substring(0, word.length() - 1);
  }

  private static boolean isLatin(String word) {
    return word.codePoints().allMatch(codePoint -> codePoint < 0x250);
  }

  public int dimension() {
    return dimension;
  }

  private void addCharacterGrams(float[] vector, String word) {
    String padded = "<" + word + ">";
    int[] codePoints = padded.codePoints().toArray();
    int grams = 0;
    for (int n = 3; n <= 5; n++) grams += Math.max(0, codePoints.length - n + 1);
    if (grams == 0) return;
    double weight = 1.0 / Math.sqrt(grams);
    for (int n = 3; n <= 5; n++) {
      for (int start = 0; start + n <= codePoints.length; start++) {
        add(vector, "c|" + new String(codePoints, start, n), weight);
      }
    }
  }

  private void add(float[] vector, String feature, double weight) {
    int index = Math.floorMod(MURMUR.stringHash(feature, INDEX_SEED), dimension);
    double sign = MURMUR.stringHash(feature, SIGN_SEED) >= 0 ? 1.0 : -1.0;
    vector[index] += (float) (sign * weight);
  }

  private static void normalize(float[] vector) {
    double sum = 0;
    for (float value : vector) sum += (double) value * value;
    if (sum == 0) return;
    float scale = (float) (1.0 / Math.sqrt(sum));
    for (int i = 0; i < vector.length; i++) vector[i] *= scale;
  }
}
