package io.flexoraa.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretsTest {

  @Test
  void aStoredSecretIsCreatedOwnerOnlyOnceAndThenReadBack(@TempDir Path dataDirectory) throws Exception {
    Path directory = dataDirectory.resolve("not-yet-there");

    Secrets.StoredSecret created = Secrets.storedSecret(directory, "some-secret", () -> "first");
    Secrets.StoredSecret again = Secrets.storedSecret(directory, "some-secret", () -> "second");

    assertThat(created).isEqualTo(new Secrets.StoredSecret("first", true));
    assertThat(again).isEqualTo(new Secrets.StoredSecret("first", false));
    assertThat(created.toString()).doesNotContain("first");
    Path file = directory.resolve("some-secret");
    assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
    try (var files = Files.list(directory)) {
      assertThat(files).as("no temporary file left behind").containsExactly(file);
    }
  }

  @Test
  void theOperatorKeyIsTheConfiguredOneOrOneKeptInTheDataDirectory(@TempDir Path dataDirectory) {
    assertThat(Secrets.operatorKey(" op_configured ", dataDirectory))
        .isEqualTo(new Secrets.OperatorKey("op_configured", false));

    Secrets.OperatorKey generated = Secrets.operatorKey("", dataDirectory);
    assertThat(generated.generated()).isTrue();
    assertThat(generated.value()).startsWith("op_").hasSizeGreaterThan(40);
    assertThat(Secrets.operatorKey(null, dataDirectory)).isEqualTo(new Secrets.OperatorKey(generated.value(), false));
  }
}
