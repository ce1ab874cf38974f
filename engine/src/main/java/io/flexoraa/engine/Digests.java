package io.flexoraa.engine;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 as lowercase hex, for content fingerprints and for hashing high-entropy secrets such as API keys. */
public final class Digests {
  private Digests() {}

  /** Digest of the parts, each followed by a zero byte, so ("ab", "c") and ("a", "bc") differ. */
  public static String sha256Hex(String... parts) {
    MessageDigest sha = sha256();
    for (String part : parts) {
      sha.update(String.valueOf(part).getBytes(StandardCharsets.UTF_8));
      sha.update((byte) 0);
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JVM", e);
    }
  }
}
