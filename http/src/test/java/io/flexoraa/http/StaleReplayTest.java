package io.flexoraa.http;

import static io.flexoraa.http.TestEngine.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * PRODUCT §2: a message that reaches us older than {@code flexoraa.ingest.stale-after} (here the default, 1 h) is
 * stored and shown but starts no AI work — on every channel; a fresh one starts it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StaleReplayTest {
  private static final String WABA = "730000000000951";
  private static final String NUMBER = "830000000000951";
  private static final String IG = "17841400000000951";

  private TestEngine engine;
  private String tenantId;

  @BeforeAll
  void start(@TempDir Path dataDirectory) {
    engine = TestEngine.start(dataDirectory, Map.of("flexoraa.ingest.stale-after", "1h"));
    tenantId = engine.createTenant("Replays", "IN");
    engine.registerWhatsApp(tenantId, NUMBER, WABA);
    assertThat(engine.post("/api/v1/tenants/" + tenantId + "/channel-accounts", TestEngine.OPERATOR_KEY,
        "{\"channel\":\"instagram\",\"externalId\":\"" + IG + "\",\"displayName\":\"IG\",\"verifyToken\":\"vt-ig\"}")
        .statusCode()).isEqualTo(201);
  }

  @AfterAll
  void stop() {
    engine.close();
  }

  private String aiScreenOf(String platformMessageId) {
    eventually(() -> engine.count("SELECT count(*) FROM lead_messages WHERE platform_message_id = ?",
        platformMessageId) == 1, platformMessageId + " in the read model");
    return engine.count("SELECT count(*) FROM lead_messages WHERE platform_message_id = ? AND ai_screen = ?",
        platformMessageId, "stale-replay") == 1 ? "stale-replay"
        : engine.count("SELECT count(*) FROM lead_messages WHERE platform_message_id = ? AND ai_screen IS NULL",
            platformMessageId) == 1 ? null : "other";
  }

  private static String instagram(String sender, String mid, long timestampMillis) {
    return "{\"object\":\"instagram\",\"entry\":[{\"id\":\"" + IG + "\",\"time\":" + timestampMillis
        + ",\"messaging\":[{\"sender\":{\"id\":\"" + sender + "\"},\"recipient\":{\"id\":\"" + IG + "\"},\"timestamp\":"
        + timestampMillis + ",\"message\":{\"mid\":\"" + mid + "\",\"text\":\"price?\"}}]}]}";
  }

  @Test
  void anOldMessageIsStoredForHumansAndAFreshOneIsAnsweredOnEveryChannel() {
    long nowSeconds = System.currentTimeMillis() / 1000;
    String oldWamid = "wamid.stale-" + nowSeconds;
    String freshWamid = "wamid.fresh-" + nowSeconds;
    engine.postWebhook(Payloads.texts(WABA, NUMBER, List.of(
        new Payloads.Text(oldWamid, "919800022211", "Ravi", "still there?", nowSeconds - 2 * 3600))));
    engine.postWebhook(Payloads.texts(WABA, NUMBER, List.of(
        new Payloads.Text(freshWamid, "919800022222", "Mira", "hello", nowSeconds - 60))));
    assertThat(aiScreenOf(oldWamid)).isEqualTo("stale-replay");
    assertThat(aiScreenOf(freshWamid)).isNull();

    long nowMillis = System.currentTimeMillis();
    engine.postWebhook(instagram("6200000000000951", "m_stale_" + nowMillis, nowMillis - 3 * 3_600_000L));
    engine.postWebhook(instagram("6200000000000952", "m_fresh_" + nowMillis, nowMillis - 1_000L));
    assertThat(aiScreenOf("m_stale_" + nowMillis)).isEqualTo("stale-replay");
    assertThat(aiScreenOf("m_fresh_" + nowMillis)).isNull();

    // shown through the messages API as kept from AI work, for a human to answer
    String key = engine.createApiKey(tenantId);
    String body = engine.get("/api/v1/tenants/" + tenantId + "/leads?limit=50", key).body();
    assertThat(body).contains("instagram").contains("whatsapp");
    assertThat(engine.count("SELECT count(*) FROM lead_messages WHERE tenant_id = ? AND ai_screen = 'stale-replay'",
        tenantId)).isEqualTo(2);
  }
}
