package io.flexoraa.http;

import io.flexoraa.engine.Digests;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.function.Supplier;

/**
 * Random secrets, their digests, constant-time comparison, and the secrets kept in files of the data directory when
 * the environment gives none (the operator key, the access-token signing key): a one-command local start needs no
 * setup, and a restart keeps them.
 */
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
    StoredSecret stored = storedSecret(dataDirectory, "operator-key", () -> "op_" + random(32));
    return new OperatorKey(stored.value(), stored.created());
  }

  /** A secret kept in a file of the data directory: its value, and whether this call created the file. */
  public record StoredSecret(String value, boolean created) {
    @Override
    public String toString() {
      return "StoredSecret[created=" + created + "]";
    }
  }

  /**
   * The secret in {@code dataDirectory/fileName}, created with {@code generator} when missing. The file is readable
   * by its owner only from the moment it exists (it is written privately, then linked into place), and when two
   * processes race on first start the second link fails and both use the one file that won.
   */
  public static StoredSecret storedSecret(Path dataDirectory, String fileName, Supplier<String> generator) {
    Path file = dataDirectory.resolve(fileName);
    try {
      if (Files.exists(file)) return new StoredSecret(Files.readString(file).trim(), false);
      Files.createDirectories(dataDirectory);
      String value = generator.get();
      Path temporary = createPrivateFile(dataDirectory, fileName);
      try {
        Files.writeString(temporary, value + "\n");
        try {
          Files.createLink(file, temporary);
        } catch (FileAlreadyExistsException lostTheRace) {
          return new StoredSecret(Files.readString(file).trim(), false);
        } catch (UnsupportedOperationException | IOException noHardLinks) {
          try {
            Files.move(temporary, file);
          } catch (FileAlreadyExistsException lostTheRace) {
            return new StoredSecret(Files.readString(file).trim(), false);
          }
        }
        return new StoredSecret(value, true);
      } finally {
        Files.deleteIfExists(temporary);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create " + fileName + " in " + dataDirectory, e);
    }
  }

  private static Path createPrivateFile(Path directory, String fileName) throws IOException {
    try {
      return Files.createTempFile(directory, "." + fileName, ".tmp",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException notPosix) {
      // best effort on file systems without POSIX permissions
      return Files.createTempFile(directory, "." + fileName, ".tmp");
    }
  }
}
