package io.flexoraa.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A measurement, not part of the suite (its name is outside surefire's patterns, and the project's tests never read
 * outside the repository): posts every Instagram and Messenger payload of an outside corpus to a real engine, signed
 * and unsigned, then again. Run it with
 * {@code mvn -o -pl http -am test -Dtest=SharedCorpusCheck -Dsurefire.failIfNoSpecifiedTests=false
 * -Dflexoraa.corpus=/work/shared/corpus}; without {@code flexoraa.corpus} it fails rather than pass on nothing.
 * The account ids the payloads name are registered first (Instagram or Messenger by the payload's object), so the
 * messages reach leads instead of the unrouted store.
 */
class SharedCorpusCheck {

  @Test
  void everyInstagramAndMessengerPayloadIsAcceptedWhenSignedRefusedUnsignedAndAbsorbedTwice(@TempDir Path data)
      throws Exception {
    String corpus = System.getProperty("flexoraa.corpus");
    assertThat(corpus).as("-Dflexoraa.corpus=<directory with instagram/ and messenger/>").isNotBlank();
    List<Path> files = new ArrayList<>();
    for (String folder : List.of("instagram", "messenger")) {
      try (Stream<Path> listed = Files.list(Path.of(corpus, folder))) {
        listed.filter(file -> file.toString().endsWith(".json")).sorted().forEach(files::add);
      }
    }
    assertThat(files).isNotEmpty();
    try (TestEngine engine = TestEngine.start(data)) {
      String tenantId = engine.createTenant("Corpus check", "IN");
      Map<String, String> accounts = new LinkedHashMap<>();
      for (Path file : files) {
        JsonNode root = TestEngine.json(Files.readString(file));
        String channel = "page".equals(root.path("object").asText()) ? "messenger" : "instagram";
        for (JsonNode entry : root.path("entry")) {
          if (entry.path("id").isTextual() || entry.path("id").isNumber()) accounts.putIfAbsent(entry.path("id").asText(), channel);
        }
      }
      accounts.forEach((id, channel) -> engine.post("/api/v1/tenants/" + tenantId + "/channel-accounts",
          TestEngine.OPERATOR_KEY, "{\"channel\":\"" + channel + "\",\"externalId\":\"" + id
              + "\",\"displayName\":\"corpus\",\"verifyToken\":\"vt-" + id + "\"}"));
      int accepted = 0;
      for (Path file : files) {
        byte[] body = Files.readAllBytes(file);
        assertThat(engine.postWebhook(body, null).statusCode()).as("unsigned " + file.getFileName()).isEqualTo(401);
        assertThat(engine.postWebhook(Files.readString(file)).statusCode()).as(file.getFileName().toString())
            .isEqualTo(200);
        accepted++;
      }
      // the tenant's own journal also gets the periodic activity report (new leads per second), which may land now
      String deliveries = "SELECT count(*) FROM event_journal WHERE persistence_id NOT LIKE 'Tenant|%'";
      long journal = engine.count(deliveries);
      for (Path file : files) assertThat(engine.postWebhook(Files.readString(file)).statusCode()).isEqualTo(200);
      assertThat(engine.count(deliveries)).as("a second delivery persists nothing")
          .isEqualTo(journal);
      System.out.printf("corpus check: %d payloads (%d accounts) accepted signed, refused unsigned, absorbed twice;"
          + " %d lead events%n", accepted, accounts.size(),
          engine.count("SELECT count(*) FROM event_journal WHERE persistence_id LIKE 'Lead|%'"));
    }
  }
}
