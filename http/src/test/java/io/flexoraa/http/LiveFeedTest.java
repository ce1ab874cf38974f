package io.flexoraa.http;

import static io.flexoraa.http.TestEngine.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.flexoraa.persistence.live.LiveSignals;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /api/v1/tenants/{t}/live} end to end: a WhatsApp message and its delivery status posted to the real
 * webhook come out of a signed-in user's stream as {@code lead.message} once the projection committed them (so the
 * re-read that follows already finds the message), only on that tenant's streams; credentials are checked like
 * every endpoint's; a client that stops reading is cut off with {@code overflow} while another keeps receiving.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LiveFeedTest {
  private static final String WABA = "102290129340398";
  private static final String PHONE_NUMBER_ID = "106540352242922";
  private static final String PASSWORD = "correct-horse-battery";
  /** Small, so a client that stops reading overflows within a test; larger than one notification's chunk. */
  private static final int BUFFER = 256;
  /** Lead ids as long as real ones can be, so the burst is megabytes. */
  private static final String PADDING = "-" + "x".repeat(100);

  TestEngine engine;
  String tenant;
  String sdrToken;
  String adminKey;
  String otherTenant;
  String otherKey;

  @BeforeAll
  void start(@TempDir Path dataDirectory) {
    // the server's socket send buffer fixed small: on loopback the kernel would otherwise hold megabytes for a client
    // that stopped reading before the stream's own buffer filled
    engine = TestEngine.start(dataDirectory, Map.of("flexoraa.live.buffer", BUFFER, "flexoraa.live.heartbeat", "1s",
        "pekko.http.server.socket-options.so-send-buffer-size", "16k"));
    tenant = engine.createTenant("Acme Realty", "IN");
    engine.registerWhatsApp(tenant, PHONE_NUMBER_ID, WABA);
    engine.createUser(tenant, "asha@acme.example", "SDR", PASSWORD);
    sdrToken = engine.signIn("asha@acme.example", PASSWORD);
    adminKey = engine.createApiKey(tenant);
    otherTenant = engine.createTenant("Other Co", "AE");
    otherKey = engine.createApiKey(otherTenant, "Manager");
  }

  @AfterAll
  void stop() {
    if (engine != null) engine.close();
  }

  @Test
  void aWebhookMessageAndItsStatusArriveAsLeadMessagesOnTheTenantsStreamOnly() throws Exception {
    try (SseStream stream = SseStream.open(live(tenant), sdrToken, null).awaitOpen();
         SseStream other = SseStream.open(live(otherTenant), otherKey, null).awaitOpen()) {
      assertThat(stream.status).isEqualTo(200);
      assertThat(engine.postWebhook(Payloads.text(WABA, PHONE_NUMBER_ID, "wamid.live-in-1", "919800000001",
          "Is the 2BHK in Baner still available?")).statusCode()).isEqualTo(200);

      JsonNode message = awaitMessage(stream, "wamid.live-in-1");
      assertThat(message.get("direction").asText()).isEqualTo("inbound");
      String leadId = message.get("leadId").asText();
      // announced at the commit: the re-read finds the message at once, no waiting
      JsonNode messages = json(engine.get(leads() + "/" + leadId + "/messages", adminKey));
      assertThat(messages.get("items").toString()).contains("Is the 2BHK in Baner still available?");

      assertThat(engine.postWebhook(Payloads.status(WABA, PHONE_NUMBER_ID, "wamid.live-out-1", "919800000001",
          "delivered", 1_760_000_100L)).statusCode()).isEqualTo(200);
      JsonNode status = awaitMessage(stream, "wamid.live-out-1");
      assertThat(status.get("direction").asText()).isEqualTo("outbound");
      assertThat(status.get("leadId").asText()).isEqualTo(leadId);
      assertThat(status.has("t")).as("the tenant is the stream's, not repeated").isFalse();

      // the other tenant's stream heard nothing of it (its own token account opening, at most)
      for (SseStream.Event event = other.poll(Duration.ofMillis(1500)); event != null;
          event = other.poll(Duration.ofMillis(500))) {
        assertThat(event.type()).isEqualTo("tokens.changed");
      }
    }
  }

  @Test
  void credentialsAreCheckedLikeEveryEndpoints() {
    assertThat(engine.get("/api/v1/tenants/" + tenant + "/live", null).statusCode()).isEqualTo(401);
    assertThat(engine.get("/api/v1/tenants/" + tenant + "/live", "not-a-token").statusCode()).isEqualTo(401);
    assertThat(engine.get("/api/v1/tenants/" + otherTenant + "/live", sdrToken).statusCode()).isEqualTo(403);
    assertThat(engine.get("/api/v1/tenants/" + tenant + "/live", otherKey).statusCode()).isEqualTo(403);
  }

  /**
   * A client that never reads: once its buffer is full it is sent {@code overflow} and its stream ends, backlog
   * dropped. Meanwhile a client that reads gets every signal. The burst is NOTIFYed straight from the database (what
   * the projections send), since thousands of webhook messages would take minutes here.
   */
  @Test
  void aClientThatStopsReadingIsCutOffWithOverflowWithoutAffectingOthers() throws Exception {
    int notifications = 600;
    int perNotification = 20;
    try (Socket stuck = new Socket();
         SseStream reader = SseStream.open(live(tenant), sdrToken, null).awaitOpen()) {
      stuck.setReceiveBufferSize(4096);
      stuck.connect(new java.net.InetSocketAddress("127.0.0.1", engine.server.port()));
      OutputStream request = stuck.getOutputStream();
      request.write(("GET /api/v1/tenants/" + tenant + "/live HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
          + sdrToken + "\r\nAccept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      request.flush();
      Thread.sleep(500); // subscribed

      try (Connection connection = engine.server.database().dataSource().getConnection()) {
        for (int n = 0; n < notifications; n++) {
          LiveSignals burst = new LiveSignals();
          for (int i = 0; i < perNotification; i++) burst.leadUpdated(tenant, "burst-" + n + "-" + i + PADDING);
          burst.send(connection); // auto-commit: delivered at once
          Thread.sleep(10);
        }
      }

      Set<String> received = new HashSet<>();
      while (received.size() < notifications * perNotification) {
        SseStream.Event event = reader.next();
        assertThat(event.type()).as("the reading client is not cut off after " + received.size())
            .isEqualTo("lead.updated");
        received.add(json(event.data()).get("leadId").asText());
      }

      String stuckSaw = readToEnd(stuck);
      assertThat(stuckSaw).contains("event:overflow");
      assertThat(stuckSaw).as("the stream ended after it").endsWith("0\r\n\r\n");
      int delivered = count(stuckSaw, "event:lead.updated");
      assertThat(delivered).as("the backlog was dropped").isLessThan(notifications * perNotification);
    }
  }

  private JsonNode awaitMessage(SseStream stream, String messageId) {
    while (true) {
      SseStream.Event event = stream.next();
      if (!"lead.message".equals(event.type())) continue;
      JsonNode data = json(event.data());
      assertThat(data.get("type").asText()).isEqualTo("lead.message");
      if (messageId.equals(data.path("messageId").asText())) return data;
    }
  }

  /** What the server sent until the chunked stream's last chunk, the connection's end, 15 s of silence or 30 s. */
  private static String readToEnd(Socket socket) throws Exception {
    socket.setSoTimeout(15_000);
    InputStream in = socket.getInputStream();
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    byte[] buffer = new byte[65536];
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    try {
      for (int read = in.read(buffer); read >= 0 && System.nanoTime() < deadline; read = in.read(buffer)) {
        all.write(buffer, 0, read);
        if (all.toString(StandardCharsets.UTF_8).endsWith("\r\n0\r\n\r\n")) break;
      }
    } catch (SocketTimeoutException silent) {
      // what came so far is the answer
    }
    return all.toString(StandardCharsets.UTF_8);
  }

  private static int count(String text, String what) {
    Matcher matcher = Pattern.compile(Pattern.quote(what)).matcher(text);
    int count = 0;
    while (matcher.find()) count++;
    return count;
  }

  private String live(String tenantId) {
    return engine.baseUrl() + "/api/v1/tenants/" + tenantId + "/live";
  }

  private String leads() {
    return "/api/v1/tenants/" + tenant + "/leads";
  }
}
