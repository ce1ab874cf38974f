package io.flexoraa.persistence.crypto;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The key at the root of the envelope: every tenant key is encrypted under it, so losing it makes all personal data
 * unreadable and leaking it exposes all of it. Taken from the environment when given (production, where the data
 * directory is not a safe place for secrets), otherwise from a key file in the data directory created on first run
 * (one-command local start).
 */
public final class MasterKey {
  public static final String ENVIRONMENT_VARIABLE = "FLEXORAA_MASTER_KEY";
  public static final String FILE_NAME = "master-key.json";

  private static final Logger log = LoggerFactory.getLogger(MasterKey.class);
  private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

  static {
    try {
      AeadConfig.register();
    } catch (GeneralSecurityException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final Aead aead;
  private final String origin;

  private MasterKey(Aead aead, String origin) {
    this.aead = aead;
    this.origin = origin;
  }

  /** The configured value wins; without one the key file in {@code dataDirectory} is used, created if missing. */
  public static MasterKey load(Optional<String> configuredValue, Path dataDirectory) {
    Optional<String> value = configuredValue.map(String::trim).filter(text -> !text.isEmpty());
    if (value.isPresent()) return fromValue(value.get());
    return fromFile(dataDirectory);
  }

  /** A Tink JSON keyset, as is or base64-encoded (environment variables mangle quotes and newlines less that way). */
  public static MasterKey fromValue(String value) {
    String json = toJson(value.trim());
    return new MasterKey(parse(json, ENVIRONMENT_VARIABLE), ENVIRONMENT_VARIABLE);
  }

  public static MasterKey fromFile(Path dataDirectory) {
    Path file = dataDirectory.resolve(FILE_NAME);
    try {
      if (!Files.exists(file)) create(dataDirectory, file);
      String json = Files.readString(file, StandardCharsets.UTF_8);
      return new MasterKey(parse(json, file.toString()), file.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("Could not read or create the master key file " + file, e);
    }
  }

  public Aead aead() {
    return aead;
  }

  /** Where the key came from, for the startup log; never the key itself. */
  public String origin() {
    return origin;
  }

  @Override
  public String toString() {
    return "MasterKey[" + origin + "]";
  }

  private static String toJson(String value) {
    if (value.startsWith("{")) return value;
    String compact = value.replaceAll("\\s", "");
    byte[] decoded;
    try {
      boolean urlSafe = compact.indexOf('-') >= 0 || compact.indexOf('_') >= 0;
      decoded = (urlSafe ? Base64.getUrlDecoder() : Base64.getDecoder()).decode(compact);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(
          ENVIRONMENT_VARIABLE + " is neither a Tink JSON keyset nor base64 of one (it does not start with '{'"
              + " and is not valid base64)");
    }
    String json = new String(decoded, StandardCharsets.UTF_8).trim();
    if (!json.startsWith("{")) {
      throw new IllegalStateException(
          ENVIRONMENT_VARIABLE + " is valid base64, but what it decodes to is not a Tink JSON keyset");
    }
    return json;
  }

  /**
   * Parser messages can quote fragments of their input, which here is secret, so they are replaced by a description
   * and the cause is not attached.
   */
  private static Aead parse(String json, String source) {
    KeysetHandle handle;
    try {
      handle =
          TinkJsonProtoKeysetFormat.parseKeyset(json, RegistryConfiguration.get(), InsecureSecretKeyAccess.get());
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new IllegalStateException(
          "The master key from " + source + " is not a valid Tink JSON keyset (" + e.getClass().getSimpleName()
              + "); expected the output of TinkJsonProtoKeysetFormat.serializeKeyset for an AEAD keyset");
    }
    try {
      return handle.getPrimitive(RegistryConfiguration.get(), Aead.class);
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new IllegalStateException(
          "The master key from " + source + " is a Tink keyset but not an AEAD one (for example AES256_GCM)");
    }
  }

  /**
   * Written to a private temporary file, synced, then linked into place: a crash never leaves a half-written key,
   * and if two processes race on first start the second link fails and both read back the one file that won.
   */
  private static void create(Path dataDirectory, Path file) throws IOException {
    Files.createDirectories(dataDirectory);
    String json;
    try {
      KeysetHandle handle =
          KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM, RegistryConfiguration.get());
      json =
          TinkJsonProtoKeysetFormat.serializeKeyset(handle, RegistryConfiguration.get(), InsecureSecretKeyAccess.get());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Could not generate a master key", e);
    }
    Path temporary = createPrivateTemporaryFile(dataDirectory);
    try {
      try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
        channel.write(ByteBuffer.wrap(json.getBytes(StandardCharsets.UTF_8)));
        channel.force(true);
      }
      try {
        Files.createLink(file, temporary);
      } catch (FileAlreadyExistsException lostTheRace) {
        return;
      } catch (UnsupportedOperationException | IOException noHardLinks) {
        try {
          Files.move(temporary, file);
        } catch (FileAlreadyExistsException lostTheRace) {
          return;
        }
      }
      log.warn(
          "Created a new master key in {}. Back it up (or set {}): without it no personal data can be read",
          file,
          ENVIRONMENT_VARIABLE);
    } finally {
      Files.deleteIfExists(temporary);
    }
  }

  private static Path createPrivateTemporaryFile(Path directory) throws IOException {
    boolean posix = Files.getFileStore(directory).supportsFileAttributeView("posix");
    if (posix) {
      return Files.createTempFile(directory, ".master-key", ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY));
    }
    Path temporary = Files.createTempFile(directory, ".master-key", ".tmp");
    java.io.File asFile = temporary.toFile();
    boolean restricted =
        asFile.setReadable(false, false)
            && asFile.setReadable(true, true)
            && asFile.setWritable(false, false)
            && asFile.setWritable(true, true);
    if (!restricted) log.warn("Could not restrict the master key file to its owner on this file system");
    return temporary;
  }
}
