package io.flexoraa.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every WhatsApp payload fixture (Meta's documentation examples and our own, in every shape the parser knows,
 * malformed ones included) is accepted when signed, refused when not, and absorbed when delivered again.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FixtureCorpusTest {
  TestEngine engine;
  List<Path> fixtures;

  @BeforeAll
  void start(@TempDir Path dataDirectory) throws IOException, URISyntaxException {
    engine = TestEngine.start(dataDirectory);
    String tenantId = engine.createTenant("Corpus", "IN");
    // the ids Meta's examples use, so those payloads are routed to a tenant rather than kept as unrouted
    engine.registerWhatsApp(tenantId, "106540352242922", "102290129340398");
    engine.registerWhatsApp(tenantId, "1122334455667", "1234567890987654321");
    try (Stream<Path> files = Files.list(Path.of(getClass().getResource("/whatsapp").toURI()))) {
      fixtures = files.filter(file -> file.toString().endsWith(".json")).sorted().toList();
    }
  }

  @AfterAll
  void stop() {
    engine.close();
  }

  @Test
  void everyFixtureIsAcceptedSignedRefusedUnsignedAndAbsorbedTwice() throws IOException {
    assertThat(fixtures).hasSizeGreaterThan(40);
    for (Path fixture : fixtures) {
      byte[] body = Files.readAllBytes(fixture);
      assertThat(engine.postWebhook(body, null).statusCode()).as("unsigned " + fixture.getFileName()).isEqualTo(401);
    }
    for (Path fixture : fixtures) {
      assertThat(engine.postWebhook(Files.readString(fixture)).statusCode()).as(fixture.getFileName().toString())
          .isEqualTo(200);
    }
    long journal = engine.count("SELECT count(*) FROM event_journal");
    long unrouted = engine.count("SELECT count(*) FROM unrouted_webhooks");
    assertThat(engine.count("SELECT count(*) FROM event_journal WHERE persistence_id LIKE 'Lead|%'")).isPositive();
    assertThat(engine.count("SELECT count(*) FROM event_journal WHERE persistence_id LIKE 'ChannelAccount|%'")).isPositive();
    assertThat(unrouted).isPositive();

    for (Path fixture : fixtures) {
      assertThat(engine.postWebhook(Files.readString(fixture)).statusCode()).isEqualTo(200);
    }
    assertThat(engine.count("SELECT count(*) FROM event_journal")).isEqualTo(journal);
    assertThat(engine.count("SELECT count(*) FROM unrouted_webhooks")).isEqualTo(unrouted);
  }
}
