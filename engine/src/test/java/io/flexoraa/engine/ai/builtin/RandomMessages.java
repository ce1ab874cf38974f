package io.flexoraa.engine.ai.builtin;

import java.util.Random;

/** Messages for fuzzing the extractors: mostly their own vocabulary, so patterns half-match, a quarter any BMP char. */
final class RandomMessages {
  private RandomMessages() {}

  static String next(Random random, String vocabulary, int maxLength) {
    StringBuilder text = new StringBuilder();
    int length = random.nextInt(maxLength);
    for (int j = 0; j < length; j++) {
      if (random.nextInt(4) == 0) text.append((char) random.nextInt(0x3000));
      else text.append(vocabulary.charAt(random.nextInt(vocabulary.length())));
    }
    return text.toString();
  }
}
