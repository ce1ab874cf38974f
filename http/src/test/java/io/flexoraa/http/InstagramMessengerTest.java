package io.flexoraa.http;

import static io.flexoraa.http.TestEngine.eventually;
import static io.flexoraa.http.TestEngine.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Instagram and Messenger at {@code /webhooks/meta}, end to end over real HTTP and PostgreSQL: every fixture shape
 * is accepted when signed and absorbed when repeated; people become leads by IGSID and PSID, their messages, echoes,
 * receipts, unsent messages and marketing opt-ins show through the API; unknown accounts are kept as unrouted.
 * Merging two leads (PRODUCT §3) joins their conversations, is audited and respects the plan's scope.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InstagramMessengerTest {
  private static final String IG = "17841400000000001";
  private static final String IG_DOC = "17841405726653026";
  private static final String PAGE = "108000000000001";

  private TestEngine engine;
  private String tenantId;
  private String key;

  @BeforeAll
  void start(@TempDir Path dataDirectory) {
    engine = TestEngine.start(dataDirectory);
    tenantId = createTenant("Teak House", "full-os");
    key = engine.createApiKey(tenantId);
    // the account ids our fixtures use (Meta's documentation examples keep theirs)
    register(tenantId, "instagram", IG);
    register(tenantId, "instagram", IG_DOC);
    register(tenantId, "messenger", PAGE);
    register(tenantId, "messenger", "108000000000002");
    register(tenantId, "messenger", "108000000000003");
  }

  @AfterAll
  void stop() {
    engine.close();
  }

  // ---- helpers ----

  private String createTenant(String name, String plan) {
    HttpResponse<String> response = engine.post("/api/v1/tenants", TestEngine.OPERATOR_KEY,
        "{\"name\":\"" + name + "\",\"plan\":\"" + plan + "\",\"defaultRegion\":\"IN\"}");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    return json(response).get("id").asText();
  }

  private void register(String tenant, String channel, String externalId) {
    HttpResponse<String> response = engine.post("/api/v1/tenants/" + tenant + "/channel-accounts",
        TestEngine.OPERATOR_KEY, "{\"channel\":\"" + channel + "\",\"externalId\":\"" + externalId
            + "\",\"displayName\":\"Teak House\",\"verifyToken\":\"vt-" + externalId + "\"}");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
  }

  private List<Path> fixtures(String folder) throws IOException, URISyntaxException {
    try (Stream<Path> files = Files.list(Path.of(getClass().getResource("/" + folder).toURI()))) {
      return files.filter(file -> file.toString().endsWith(".json")).sorted().toList();
    }
  }

  private static String messaging(String object, String accountId, String item) {
    return "{\"object\":\"" + object + "\",\"entry\":[{\"id\":\"" + accountId + "\",\"time\":" + System.currentTimeMillis()
        + ",\"messaging\":[" + item + "]}]}";
  }

  private static String text(String sender, String account, String mid, String text, long at) {
    return "{\"sender\":{\"id\":\"" + sender + "\"},\"recipient\":{\"id\":\"" + account + "\"},\"timestamp\":" + at
        + ",\"message\":{\"mid\":\"" + mid + "\",\"text\":\"" + text + "\"}}";
  }

  private String leadOf(String tenant, String platformMessageId) {
    List<String> found = new ArrayList<>();
    eventually(() -> {
      found.clear();
      try (var connection = engine.server.database().dataSource().getConnection();
           var select = connection.prepareStatement(
               "SELECT lead_id FROM lead_messages WHERE tenant_id = ? AND platform_message_id = ?")) {
        select.setString(1, tenant);
        select.setString(2, platformMessageId);
        try (var result = select.executeQuery()) {
          if (result.next()) found.add(result.getString(1));
        }
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
      return !found.isEmpty();
    }, "message " + platformMessageId + " in the read model");
    return found.get(0);
  }

  private JsonNode messagesOf(String tenant, String apiKey, String leadId) {
    HttpResponse<String> response =
        engine.get("/api/v1/tenants/" + tenant + "/leads/" + leadId + "/messages?limit=500", apiKey);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return json(response).get("items");
  }

  private JsonNode message(JsonNode messages, String platformMessageId) {
    for (JsonNode message : messages) {
      if (platformMessageId.equals(message.get("platformMessageId").asText())) return message;
    }
    throw new AssertionError("no message " + platformMessageId + " in " + messages);
  }

  // ---- ingest ----

  @Test
  void everyInstagramAndMessengerFixtureIsAcceptedSignedRefusedUnsignedAndAbsorbedTwice() throws Exception {
    List<Path> all = new ArrayList<>(fixtures("instagram"));
    all.addAll(fixtures("messenger"));
    assertThat(all).hasSizeGreaterThan(60);
    for (Path fixture : all) {
      assertThat(engine.postWebhook(Files.readAllBytes(fixture), null).statusCode())
          .as("unsigned " + fixture.getFileName()).isEqualTo(401);
    }
    for (Path fixture : all) {
      HttpResponse<String> response = engine.postWebhook(Files.readString(fixture));
      assertThat(response.statusCode()).as(fixture.getFileName() + ": " + response.body()).isEqualTo(200);
    }
    // a second round: an echo to a person whose lead a later fixture created now finds that lead
    for (Path fixture : all) {
      assertThat(engine.postWebhook(Files.readString(fixture)).statusCode()).isEqualTo(200);
    }
    // the tenants' activity reports (abuse baselines, every second) are written on their own clock, not by a retry
    String messagingEvents = "SELECT count(*) FROM event_journal WHERE persistence_id NOT LIKE 'Tenant|%'";
    long journal = engine.count(messagingEvents);
    long unrouted = engine.count("SELECT count(*) FROM unrouted_webhooks");
    for (Path fixture : all) {
      assertThat(engine.postWebhook(Files.readString(fixture)).statusCode()).isEqualTo(200);
    }
    assertThat(engine.count(messagingEvents)).as("a retry persists nothing").isEqualTo(journal);
    assertThat(engine.count("SELECT count(*) FROM unrouted_webhooks")).isEqualTo(unrouted);

    // an Instagram DM: a lead known by its IGSID, the message and the account's echo in its conversation
    String igLead = leadOf(tenantId, "m_ig_text");
    JsonNode igMessages = messagesOf(tenantId, key, igLead);
    assertThat(message(igMessages, "m_ig_text").get("text").asText()).isEqualTo("Hi, is the teak bookshelf still available?");
    assertThat(message(igMessages, "m_ig_text").get("channel").asText()).isEqualTo("instagram");
    assertThat(message(igMessages, "m_ig_text").get("channelAccount").asText()).isEqualTo("instagram:" + IG);
    assertThat(message(igMessages, "m_ig_like_heart").get("type").asText()).isEqualTo("like_heart");
    eventually(() -> messagesOf(tenantId, key, igLead).toString().contains("m_ig_echo"), "the echo");
    assertThat(message(messagesOf(tenantId, key, igLead), "m_ig_echo").get("direction").asText()).isEqualTo("outbound");
    assertThat(engine.count("SELECT count(*) FROM lead_messages WHERE platform_message_id = 'm_ig_duplicate_mid_two_entries'"))
        .as("the same mid in two entries").isEqualTo(1);
    JsonNode lead = json(engine.get("/api/v1/tenants/" + tenantId + "/leads/" + igLead, key));
    assertThat(lead.get("igsid").asText()).isEqualTo("6200000000000001");

    // a comment is a lead message of type comment; the account's own comment and mentions are the account's
    String commenter = leadOf(tenantId, "17865799348089039");
    assertThat(message(messagesOf(tenantId, key, commenter), "17865799348089039").get("type").asText()).isEqualTo("comment");
    assertThat(engine.count("SELECT count(*) FROM lead_messages WHERE platform_message_id = '17865799348089040'")).isZero();
    assertThat(engine.count("SELECT count(*) FROM event_journal WHERE persistence_id = 'ChannelAccount|" + tenantId
        + ":instagram:" + IG_DOC + "'")).as("registered, and mentions recorded").isGreaterThanOrEqualTo(3);

    // bodies without "object" are routed by the account id; a story reply from the dashboard-style factory
    assertThat(message(messagesOf(tenantId, key, leadOf(tenantId, "m_ig_story_reply")), "m_ig_story_reply")
        .get("type").asText()).isEqualTo("story_reply");

    // Messenger: marketing opt-in recorded as consent, then withdrawn at once by STOP_NOTIFICATIONS
    String psidLead = leadOf(tenantId, "m_fb_attachment_fallback");
    assertThat(json(engine.get("/api/v1/tenants/" + tenantId + "/leads/" + psidLead, key)).get("psid").asText())
        .isEqualTo("7100000000000001");
    eventually(() -> engine.count("SELECT count(*) FROM consent_records WHERE lead_id = ? AND purpose = 'marketing'"
        + " AND channel = 'messenger'", psidLead) == 2, "both marketing consent records");
    assertThat(engine.count("SELECT count(*) FROM consent_records WHERE lead_id = ? AND purpose = 'marketing'"
        + " AND granted = false AND source = 'messenger-optin:notification_messages'", psidLead)).isEqualTo(1);

    // what cannot be routed is kept with a reason: an unknown page, a receipt for nobody, broken items
    assertThat(engine.count("SELECT count(*) FROM unrouted_webhooks WHERE account_ref = '108000000000099'")).isEqualTo(1);
    assertThat(engine.count("SELECT count(*) FROM unrouted_webhooks WHERE reason = 'empty messaging item'")).isEqualTo(1);
    assertThat(engine.count("SELECT count(*) FROM unrouted_webhooks WHERE reason = 'messaging item carries no event'"))
        .isEqualTo(2);
    assertThat(engine.count("SELECT count(*) FROM unrouted_webhooks WHERE source = 'meta' AND reason = "
        + "'unknown Instagram or Messenger account' AND account_ref = '0'")).as("Meta's dashboard test").isEqualTo(1);
  }

  @Test
  void echoesReceiptsAndUnsentMessagesShowInTheConversation() {
    long now = System.currentTimeMillis();
    String person = "7100000000000777";
    String in = "m_conv_in_" + now;
    String out = "m_conv_out_" + now;
    String later = "m_conv_later_" + now;
    assertThat(engine.postWebhook(messaging("page", PAGE, text(person, PAGE, in, "Is delivery free?", now - 60_000)))
        .statusCode()).isEqualTo(200);
    String echo = "{\"sender\":{\"id\":\"" + PAGE + "\"},\"recipient\":{\"id\":\"" + person + "\"},\"timestamp\":"
        + (now - 50_000) + ",\"message\":{\"is_echo\":true,\"mid\":\"" + out + "\",\"text\":\"Yes, above 5000\"}}";
    String echoLater = echo.replace(out, later).replace(String.valueOf(now - 50_000), String.valueOf(now - 10_000));
    assertThat(engine.postWebhook(messaging("page", PAGE, echo + "," + echoLater)).statusCode()).isEqualTo(200);
    String read = "{\"sender\":{\"id\":\"" + person + "\"},\"recipient\":{\"id\":\"" + PAGE + "\"},\"timestamp\":"
        + (now - 20_000) + ",\"read\":{\"watermark\":" + (now - 30_000) + "}}";
    String delivery = "{\"sender\":{\"id\":\"" + person + "\"},\"recipient\":{\"id\":\"" + PAGE + "\"},\"timestamp\":"
        + (now - 5_000) + ",\"delivery\":{\"mids\":[\"" + out + "\",\"" + later + "\"],\"watermark\":" + (now - 5_000) + "}}";
    String unsend = "{\"sender\":{\"id\":\"" + person + "\"},\"recipient\":{\"id\":\"" + PAGE + "\"},\"timestamp\":"
        + now + ",\"message\":{\"mid\":\"" + in + "\",\"is_deleted\":true}}";
    // one POST: the read receipt first, then a late delivery receipt, then the person unsends their question
    assertThat(engine.postWebhook(messaging("page", PAGE, read + "," + delivery + "," + unsend)).statusCode())
        .isEqualTo(200);
    String leadId = leadOf(tenantId, in);
    eventually(() -> {
      JsonNode messages = messagesOf(tenantId, key, leadId);
      return messages.size() == 3 && "delivered".equals(message(messages, later).path("status").asText())
          && !message(messages, in).path("deletedAt").isNull();
    }, "receipts and the deletion in the read model");
    JsonNode messages = messagesOf(tenantId, key, leadId);
    assertThat(message(messages, out).get("status").asText()).as("read before the watermark; delivered never undoes it")
        .isEqualTo("read");
    assertThat(message(messages, out).get("text").asText()).isEqualTo("Yes, above 5000");
    assertThat(message(messages, later).get("status").asText()).isEqualTo("delivered");
    assertThat(message(messages, in).get("text").isNull()).as("an unsent message is blanked").isTrue();
    assertThat(messages.get(0).get("platformMessageId").asText()).isEqualTo(in);
  }

  // ---- merge ----

  @Test
  void mergingAWhatsAppAndAnInstagramLeadJoinsTheirConversationsAndIsAudited() {
    String waba = "730000000000901";
    String number = "830000000000901";
    engine.registerWhatsApp(tenantId, number, waba);
    String wamid = "wamid.merge-" + System.nanoTime();
    assertThat(engine.postWebhook(Payloads.text(waba, number, wamid, "919800011122", "Hello from WhatsApp"))
        .statusCode()).isEqualTo(200);
    String igsid = "6200000000000901";
    long now = System.currentTimeMillis();
    String igMid = "m_merge_ig_" + now;
    assertThat(engine.postWebhook(messaging("instagram", IG, text(igsid, IG, igMid, "Hello from Instagram", now)))
        .statusCode()).isEqualTo(200);
    String survivor = leadOf(tenantId, wamid);
    String absorbed = leadOf(tenantId, igMid);
    assertThat(survivor).isNotEqualTo(absorbed);
    String path = "/api/v1/tenants/" + tenantId + "/leads/" + survivor + "/merge";

    HttpResponse<String> merged = engine.post(path, key, "{\"otherLeadId\":\"" + absorbed + "\"}");
    assertThat(merged.statusCode()).as(merged.body()).isEqualTo(200);
    JsonNode outcome = json(merged);
    assertThat(outcome.get("survivorLeadId").asText()).isEqualTo(survivor);
    assertThat(outcome.get("absorbedLeadId").asText()).isEqualTo(absorbed);
    assertThat(outcome.get("channels").toString()).contains("instagram");
    HttpResponse<String> again = engine.post(path, key, "{\"otherLeadId\":\"" + absorbed + "\"}");
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(json(again)).as("the same merge, the same answer").isEqualTo(outcome);

    eventually(() -> messagesOf(tenantId, key, survivor).size() == 2, "both conversations in one");
    JsonNode joined = messagesOf(tenantId, key, survivor);
    assertThat(message(joined, igMid).get("text").asText()).as("opened with the absorbed lead's key")
        .isEqualTo("Hello from Instagram");
    assertThat(message(joined, wamid).get("text").asText()).isEqualTo("Hello from WhatsApp");
    JsonNode gone = json(engine.get("/api/v1/tenants/" + tenantId + "/leads/" + absorbed, key));
    assertThat(gone.get("mergedInto").asText()).isEqualTo(survivor);
    eventually(() -> json(engine.get("/api/v1/tenants/" + tenantId + "/leads/" + survivor, key)).path("igsid")
        .asText().equals(igsid), "the survivor shows the IGSID");
    eventually(() -> json(engine.get("/api/v1/tenants/" + tenantId + "/audit?action=lead.merged&subject=" + survivor,
        key)).get("items").size() == 1, "one audit entry for the merge");
    JsonNode entry = json(engine.get("/api/v1/tenants/" + tenantId + "/audit?action=lead.merged&subject=" + survivor,
        key)).get("items").get(0);
    assertThat(entry.toString()).contains(absorbed).contains("api-key");

    // the Instagram person's next message lands in the survivor's conversation
    String next = "m_merge_ig_next_" + now;
    assertThat(engine.postWebhook(messaging("instagram", IG, text(igsid, IG, next, "Any update?", now + 1000)))
        .statusCode()).isEqualTo(200);
    assertThat(leadOf(tenantId, next)).isEqualTo(survivor);

    assertThat(engine.post(path, key, "{\"otherLeadId\":\"" + survivor + "\"}").statusCode()).as("itself")
        .isEqualTo(400);
    assertThat(engine.post(path, key, "{\"otherLeadId\":\"no-such-lead\"}").statusCode()).isEqualTo(404);
    assertThat(engine.post(path, key, "{}").statusCode()).isEqualTo(400);
    HttpResponse<String> reverse = engine.post("/api/v1/tenants/" + tenantId + "/leads/" + absorbed + "/merge", key,
        "{\"otherLeadId\":\"" + survivor + "\"}");
    assertThat(reverse.statusCode()).as("the absorbed lead cannot absorb").isEqualTo(409);
    assertThat(reverse.headers().firstValue("Content-Type")).hasValue("application/problem+json");
  }

  @Test
  void aLeadOsPlanMergesWhatsAppLeadsOnly() {
    String leadOs = createTenant("Teak Forms", "leados-pro");
    String leadOsKey = engine.createApiKey(leadOs);
    String account = "17841400000000777";
    register(leadOs, "instagram", account);
    String waba = "730000000000902";
    String number = "830000000000902";
    engine.registerWhatsApp(leadOs, number, waba);
    String wamid = "wamid.leados-" + System.nanoTime();
    String otherWamid = "wamid.leados-other-" + System.nanoTime();
    engine.postWebhook(Payloads.text(waba, number, wamid, "919800011133", "Hi"));
    engine.postWebhook(Payloads.text(waba, number, otherWamid, "919800011144", "Hi again"));
    long now = System.currentTimeMillis();
    String igMid = "m_leados_" + now;
    engine.postWebhook(messaging("instagram", account, text("6200000000000902", account, igMid, "Hi", now)));
    String whatsappLead = leadOf(leadOs, wamid);
    String instagramLead = leadOf(leadOs, igMid);

    HttpResponse<String> refused = engine.post("/api/v1/tenants/" + leadOs + "/leads/" + whatsappLead + "/merge",
        leadOsKey, "{\"otherLeadId\":\"" + instagramLead + "\"}");
    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(422);
    assertThat(json(refused).get("detail").asText()).contains("leados-pro").contains("WhatsApp leads only");
    assertThat(engine.count("SELECT count(*) FROM event_journal WHERE persistence_id = ?",
        "Lead|" + leadOs + ":" + instagramLead)).as("created and its message; no merge").isEqualTo(2);

    HttpResponse<String> allowed = engine.post("/api/v1/tenants/" + leadOs + "/leads/" + whatsappLead + "/merge",
        leadOsKey, "{\"otherLeadId\":\"" + leadOf(leadOs, otherWamid) + "\"}");
    assertThat(allowed.statusCode()).as(allowed.body()).isEqualTo(200);
  }
}
