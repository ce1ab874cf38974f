package io.flexoraa.http;

import static io.flexoraa.http.TestEngine.OPERATOR_KEY;
import static io.flexoraa.http.TestEngine.eventually;
import static io.flexoraa.http.TestEngine.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Signed WhatsApp webhooks against a real node and PostgreSQL: exactly-once storage, acks after persistence. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebhookIngestTest {
  private static final String WABA = "700000000000001";
  private static final AtomicInteger NEXT = new AtomicInteger();

  TestEngine engine;
  String tenantId;

  @BeforeAll
  void start(@TempDir Path dataDirectory) {
    engine = TestEngine.start(dataDirectory);
    tenantId = engine.createTenant("Acme Realty", "IN");
    engine.registerWhatsApp(tenantId, "800000000000001", WABA);
  }

  @AfterAll
  void stop() {
    engine.close();
  }

  private static String uniqueId() {
    return "wamid.test." + NEXT.incrementAndGet() + "." + System.nanoTime();
  }

  private static String uniquePhone() {
    return "91987" + String.format("%07d", NEXT.incrementAndGet() * 7 % 10_000_000);
  }

  private long journalRows() {
    return engine.count("SELECT count(*) FROM event_journal");
  }

  private long messagesWithId(String id) {
    return engine.count("SELECT count(*) FROM lead_messages WHERE platform_message_id = ?", id);
  }

  private JsonNode leadByPhone(String e164) {
    HttpResponse<String> response = engine.get(
        "/api/v1/tenants/" + tenantId + "/leads?phone=" + e164.replace("+", "%2B"), OPERATOR_KEY);
    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode items = json(response).get("items");
    return items.size() == 0 ? null : items.get(0);
  }

  @Test
  void acknowledgesOnlyAfterTheMessageIsInTheJournal() {
    String id = uniqueId();
    String phone = uniquePhone();
    long before = journalRows();
    HttpResponse<String> response = engine.postWebhook(Payloads.text(WABA, "800000000000001", id, phone, "Need a 2BHK"));
    assertThat(response.statusCode()).isEqualTo(200);
    // no waiting: by the time the 200 is out, LeadCreated and MessageReceived are committed
    assertThat(journalRows()).isEqualTo(before + 2);

    eventually(() -> messagesWithId(id) == 1, "the message in the read model");
    JsonNode lead = leadByPhone("+" + phone);
    assertThat(lead.get("name").asText()).isEqualTo("Asha Rao");
    assertThat(lead.get("waId").asText()).isEqualTo(phone);
    JsonNode messages = json(engine.get(
        "/api/v1/tenants/" + tenantId + "/leads/" + lead.get("id").asText() + "/messages", OPERATOR_KEY));
    assertThat(messages.get("total").asInt()).isEqualTo(1);
    JsonNode message = messages.get("items").get(0);
    assertThat(message.get("platformMessageId").asText()).isEqualTo(id);
    assertThat(message.get("direction").asText()).isEqualTo("inbound");
    assertThat(message.get("type").asText()).isEqualTo("text");
    assertThat(message.get("text").asText()).isEqualTo("Need a 2BHK");
    assertThat(message.get("sentAt").asText()).isEqualTo("2025-10-09T08:53:20Z");
  }

  @Test
  void storesEachMessageOnceHoweverOftenAndHoweverBatchedItArrives() {
    String id = uniqueId();
    String phone = uniquePhone();
    String single = Payloads.text(WABA, "800000000000001", id, phone, "hello");
    String twiceInOnePost = Payloads.texts(WABA, "800000000000001", List.of(
        new Payloads.Text(id, phone, "Asha Rao", "hello", 1_760_000_000L),
        new Payloads.Text(id, phone, "Asha Rao", "hello", 1_760_000_000L)));
    assertThat(engine.postWebhook(single).statusCode()).isEqualTo(200);
    long afterFirst = journalRows();
    assertThat(engine.postWebhook(single).statusCode()).isEqualTo(200);
    assertThat(engine.postWebhook(twiceInOnePost).statusCode()).isEqualTo(200);
    assertThat(journalRows()).isEqualTo(afterFirst);

    eventually(() -> messagesWithId(id) == 1, "the message");
    assertThat(leadByPhone("+" + phone).get("inboundCount").asInt()).isEqualTo(1);
  }

  @Test
  void aBatchOfEntriesChangesAndSendersIsStoredWhole() {
    String first = uniquePhone();
    String second = uniquePhone();
    List<String> ids = List.of(uniqueId(), uniqueId(), uniqueId(), uniqueId());
    String changeA = Payloads.texts(WABA, "800000000000001", List.of(
        new Payloads.Text(ids.get(0), first, "First", "one", 1_760_000_001L),
        new Payloads.Text(ids.get(1), second, "Second", "two", 1_760_000_002L)));
    String changeB = Payloads.texts(WABA, "800000000000001", List.of(
        new Payloads.Text(ids.get(2), first, "First", "three", 1_760_000_003L),
        new Payloads.Text(ids.get(3), second, "Second", "four", 1_760_000_004L)));
    // two entries, each with its change, in one POST
    String body = "{\"object\":\"whatsapp_business_account\",\"entry\":["
        + entryOf(changeA) + "," + entryOf(changeB) + "]}";
    assertThat(engine.postWebhook(body).statusCode()).isEqualTo(200);

    eventually(() -> ids.stream().allMatch(id -> messagesWithId(id) == 1), "all four messages");
    assertThat(leadByPhone("+" + first).get("inboundCount").asInt()).isEqualTo(2);
    assertThat(leadByPhone("+" + second).get("inboundCount").asInt()).isEqualTo(2);
  }

  private static String entryOf(String payload) {
    try {
      return Json.MAPPER.readTree(payload).get("entry").get(0).toString();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void rejectsMissingOrWrongSignaturesAndStoresNothing() {
    String body = Payloads.text(WABA, "800000000000001", uniqueId(), uniquePhone(), "forged");
    long journal = journalRows();
    long unrouted = engine.count("SELECT count(*) FROM unrouted_webhooks");
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);

    HttpResponse<String> missing = engine.postWebhook(bytes, null);
    HttpResponse<String> wrong = engine.postWebhook(bytes, "sha256=" + "0".repeat(64));
    HttpResponse<String> garbage = engine.postWebhook(bytes, "sha256=not-hex");
    HttpResponse<String> otherSecret = engine.postWebhook(bytes, new WebhookSignature("another-secret").sign(bytes));

    for (HttpResponse<String> response : List.of(missing, wrong, garbage, otherSecret)) {
      assertThat(response.statusCode()).isEqualTo(401);
      assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    }
    assertThat(journalRows()).isEqualTo(journal);
    assertThat(engine.count("SELECT count(*) FROM unrouted_webhooks")).isEqualTo(unrouted);
  }

  @Test
  void badBodiesAreClear4xx() {
    WebhookSignature signature = new WebhookSignature(TestEngine.APP_SECRET);
    byte[] notJson = "this is not json".getBytes(StandardCharsets.UTF_8);
    assertThat(engine.postWebhook(notJson, signature.sign(notJson)).statusCode()).isEqualTo(400);
    byte[] array = "[1,2,3]".getBytes(StandardCharsets.UTF_8);
    assertThat(engine.postWebhook(array, signature.sign(array)).statusCode()).isEqualTo(400);

    byte[] huge = new byte[3 * 1024 * 1024 + 10];
    java.util.Arrays.fill(huge, (byte) ' ');
    HttpResponse<String> tooLarge = engine.postWebhook(huge, signature.sign(huge));
    assertThat(tooLarge.statusCode()).isEqualTo(413);
    assertThat(json(tooLarge).get("status").asInt()).isEqualTo(413);
  }

  @Test
  void unknownAccountsAreKeptAsUnroutedAndListedForOperatorsOnly() {
    String id = uniqueId();
    String body = Payloads.text("999", "555000111222", id, uniquePhone(), "who am I");
    assertThat(engine.postWebhook(body).statusCode()).isEqualTo(200);
    assertThat(engine.count("SELECT count(*) FROM lead_identities WHERE tenant_id = ?", tenantId)).isPositive();

    HttpResponse<String> listed = engine.get("/api/v1/ops/unrouted?limit=100", OPERATOR_KEY);
    assertThat(listed.statusCode()).isEqualTo(200);
    assertThat(listed.body()).contains(id).contains("unknown WhatsApp phone-number id").contains("555000111222");
    assertThat(json(listed).get("total").asLong()).isPositive();

    String tenantKey = engine.createApiKey(tenantId);
    assertThat(engine.get("/api/v1/ops/unrouted", tenantKey).statusCode()).isEqualTo(403);
  }

  @Test
  void concurrentFirstMessagesFromOnePersonMakeOneLead() throws Exception {
    String phone = uniquePhone();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 24; i++) ids.add(uniqueId());
    ExecutorService pool = Executors.newFixedThreadPool(12);
    try {
      List<CompletableFuture<Integer>> posts = ids.stream()
          .map(id -> CompletableFuture.supplyAsync(() ->
              engine.postWebhook(Payloads.text(WABA, "800000000000001", id, phone, "hi " + id)).statusCode(), pool))
          .toList();
      for (CompletableFuture<Integer> post : posts) assertThat(post.get()).isEqualTo(200);
    } finally {
      pool.shutdown();
    }
    eventually(() -> ids.stream().allMatch(id -> messagesWithId(id) == 1), "all messages");
    assertThat(ids.stream().map(this::leadIdOf).distinct()).hasSize(1);
    assertThat(engine.count("SELECT count(*) FROM leads WHERE lead_id = ?", leadIdOf(ids.get(0)))).isEqualTo(1);
    assertThat(leadByPhone("+" + phone).get("inboundCount").asInt()).isEqualTo(24);
  }

  @Test
  void aStatusNeverMovesBackwards() {
    String phone = uniquePhone();
    assertThat(engine.postWebhook(Payloads.text(WABA, "800000000000001", uniqueId(), phone, "hi")).statusCode())
        .isEqualTo(200);
    String outbound = "wamid.outbound." + System.nanoTime();
    for (String status : List.of("sent", "read", "delivered", "sent")) {
      assertThat(engine.postWebhook(
          Payloads.status(WABA, "800000000000001", outbound, phone, status, 1_760_000_500L)).statusCode()).isEqualTo(200);
    }
    eventually(() -> engine.count("SELECT count(*) FROM lead_messages WHERE platform_message_id = ? AND status = 'read'",
        outbound) == 1, "the read status");
    JsonNode lead = leadByPhone("+" + phone);
    assertThat(lead.get("lastStatus").asText()).isEqualTo("read");
    assertThat(lead.get("outboundCount").asInt()).isEqualTo(1);
    // only sent and read were events: the late delivered and the repeated sent persisted nothing
    assertThat(engine.count("SELECT count(*) FROM event_journal WHERE event_ser_manifest LIKE '%MessageStatusChanged%'"
        + " AND persistence_id = ?", "Lead|" + tenantId + ":" + lead.get("id").asText())).isEqualTo(2);
  }

  @Test
  void aNumberChangeReKeysTheLeadAndKeepsItsHistory() {
    String oldPhone = uniquePhone();
    String newPhone = uniquePhone();
    String firstId = uniqueId();
    assertThat(engine.postWebhook(Payloads.text(WABA, "800000000000001", firstId, oldPhone, "old number")).statusCode())
        .isEqualTo(200);
    assertThat(engine.postWebhook(Payloads.numberChange(WABA, "800000000000001", uniqueId(), oldPhone, newPhone))
        .statusCode()).isEqualTo(200);
    String laterId = uniqueId();
    assertThat(engine.postWebhook(Payloads.text(WABA, "800000000000001", laterId, newPhone, "new number")).statusCode())
        .isEqualTo(200);

    eventually(() -> messagesWithId(laterId) == 1, "the message from the new number");
    JsonNode lead = leadByPhone("+" + newPhone);
    assertThat(lead).isNotNull();
    assertThat(lead.get("phone").asText()).isEqualTo("+" + newPhone);
    assertThat(lead.get("inboundCount").asInt()).isEqualTo(3);
    String leadId = lead.get("id").asText();
    assertThat(engine.count("SELECT count(*) FROM lead_messages WHERE lead_id = ? AND platform_message_id = ?",
        leadId, firstId)).isEqualTo(1);
  }

  @Test
  void aSenderKnownOnlyByBusinessScopedUserIdBecomesALead() {
    String id = uniqueId();
    String userId = "IN." + System.nanoTime();
    String body = Payloads.change(WABA, "800000000000001",
        "\"contacts\":[{\"profile\":{\"name\":\"Kiran\",\"username\":\"kiran\"},\"user_id\":\"" + userId + "\"}],"
            + "\"messages\":[{\"from_user_id\":\"" + userId + "\",\"id\":\"" + id + "\",\"timestamp\":\"1760000000\","
            + "\"type\":\"text\",\"text\":{\"body\":\"no phone here\"}}]");
    assertThat(engine.postWebhook(body).statusCode()).isEqualTo(200);
    eventually(() -> messagesWithId(id) == 1, "the message");
    String leadId = leadIdOf(id);
    JsonNode lead = json(engine.get("/api/v1/tenants/" + tenantId + "/leads/" + leadId, OPERATOR_KEY));
    assertThat(lead.get("bsuid").asText()).isEqualTo(userId);
    assertThat(lead.get("phone").isNull()).isTrue();
    assertThat(lead.get("name").asText()).isEqualTo("Kiran");
  }

  private String leadIdOf(String messageId) {
    try (var connection = engine.server.database().dataSource().getConnection();
         var statement = connection.prepareStatement("SELECT lead_id FROM lead_messages WHERE platform_message_id = ?")) {
      statement.setString(1, messageId);
      try (var result = statement.executeQuery()) {
        result.next();
        return result.getString(1);
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void handshakeEchoesTheChallengeOnlyForAKnownVerifyToken() {
    assertThat(engine.get("/webhooks/meta?hub.mode=subscribe&hub.verify_token=global-verify-token&hub.challenge=1158201444", null).body())
        .isEqualTo("1158201444");
    HttpResponse<String> account = engine.get(
        "/webhooks/meta?hub.mode=subscribe&hub.verify_token=vt-800000000000001&hub.challenge=42", null);
    assertThat(account.statusCode()).isEqualTo(200);
    assertThat(account.body()).isEqualTo("42");
    assertThat(engine.get("/webhooks/meta?hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=42", null).statusCode())
        .isEqualTo(403);
    assertThat(engine.get("/webhooks/meta?hub.mode=subscribe&hub.challenge=42", null).statusCode()).isEqualTo(400);
  }
}
