package io.flexoraa.http;

import io.flexoraa.engine.Digests;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/** Random secrets, their digests, constant-time comparison, and the operator key's file in the data directory. */
public final class Secrets {
  private static final SecureRandom RANDOM = new SecureRandom();

  private Secrets() {}

  public static String random(int bytes) {
    byte[] value = new byte[bytes];
    RANDOM.nextBytes(value);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(value);
  }

  /** The secrets hashed here (API keys, verify tokens) are random and long, so a fast hash is the right one. */
  public static String sha256Hex(String value) {
    return Digests.sha256Hex(value);
  }

  public static boolean constantTimeEquals(String a, String b) {
    if (a == null || b == null) return false;
    return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }

  /** The configured operator key, or the one stored in the data directory, or a new one stored there. */
  public record OperatorKey(String value, boolean generated) {}

  public static OperatorKey operatorKey(String configured, Path dataDirectory) {
    if (configured != null && !configured.isBlank()) return new OperatorKey(configured.trim(), false);
    Path file = dataDirectory.resolve("operator-key");
    try {
      if (Files.exists(file)) return new OperatorKey(Files.readString(file).trim(), false);
      Files.createDirectories(dataDirectory);
      String key = "op_" + random(32);
      Files.writeString(file, key + "\n");
      try {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException notPosix) {
        // best effort on file systems without POSIX permissions
      }
      return new OperatorKey(key, true);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create the operator key in " + dataDirectory, e);
    }
  }
}
