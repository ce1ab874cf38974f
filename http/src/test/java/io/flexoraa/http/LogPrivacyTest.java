package io.flexoraa.http;

import static io.flexoraa.http.TestEngine.OPERATOR_KEY;
import static io.flexoraa.http.TestEngine.eventually;
import static io.flexoraa.http.TestEngine.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real node handles a person's messages (well-formed, malformed, unsigned, for an unknown account), lookups by
 * phone number and requests that Pekko cannot parse, all carrying distinctive personal data and keys; whatever it
 * logged meanwhile, from its start on, must not contain any of it (issue "structured logs without PII").
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LogPrivacyTest {
  private static final String BUSINESS_ACCOUNT = "720000000000001";
  private static final String PHONE_NUMBER_ID = "820000000000001";
  private static final String PHONE = "919812398765";
  private static final String NATIONAL_NUMBER = "9812398765";
  private static final String NAME = "Zephyrine Quillfeather";
  private static final String EMAIL = "zephyrine.q@example.org";
  private static final String TEXT = "flat hunt code lagoon-umbrella-7731, write to " + EMAIL;

  CapturedLogs logs;
  TestEngine engine;
  String tenantId;
  String tenantKey;

  @BeforeAll
  void start(@TempDir Path dataDirectory) {
    logs = CapturedLogs.attach();
    engine = TestEngine.start(dataDirectory);
    tenantId = engine.createTenant("Privacy Realty", "IN");
    engine.registerWhatsApp(tenantId, PHONE_NUMBER_ID, BUSINESS_ACCOUNT);
    tenantKey = engine.createApiKey(tenantId);
  }

  @AfterAll
  void stop() {
    try {
      engine.close();
    } finally {
      logs.close();
    }
  }

  @Test
  void nothingPersonalNorAnyKeyIsLogged() throws IOException {
    String messageId = "wamid.privacy." + System.nanoTime();
    String message = Payloads.texts(BUSINESS_ACCOUNT, PHONE_NUMBER_ID,
        List.of(new Payloads.Text(messageId, PHONE, NAME, TEXT, 1_760_000_000L)));
    assertThat(engine.postWebhook(message).statusCode()).isEqualTo(200);
    eventually(() -> engine.count("SELECT count(*) FROM lead_messages WHERE platform_message_id = ?", messageId) == 1,
        "the message in the read model");

    // malformed: not JSON at all, and JSON of an unexpected shape
    String truncated = message.substring(0, message.length() / 2);
    assertThat(engine.postWebhook(truncated).statusCode()).isEqualTo(400);
    String oddShape = Payloads.change(BUSINESS_ACCOUNT, PHONE_NUMBER_ID,
        "\"contacts\":[{\"profile\":{\"name\":\"" + NAME + "\"},\"wa_id\":\"" + PHONE + "\"}],"
            + "\"messages\":[{\"from\":\"" + PHONE + "\",\"id\":\"wamid.privacy.odd\",\"timestamp\":\"yesterday\","
            + "\"type\":\"hologram\",\"hologram\":{\"caption\":\"" + TEXT + "\"}}]");
    assertThat(engine.postWebhook(oddShape).statusCode()).isLessThan(500);
    // an account nobody registered: kept as unrouted
    assertThat(engine.postWebhook(Payloads.texts(BUSINESS_ACCOUNT, "829999999999999",
        List.of(new Payloads.Text("wamid.privacy.unrouted", PHONE, NAME, TEXT, 1_760_000_001L)))).statusCode())
        .isEqualTo(200);
    // a bad signature
    byte[] forged = message.replace(messageId, "wamid.privacy.forged").getBytes(StandardCharsets.UTF_8);
    assertThat(engine.postWebhook(forged, "sha256=" + "0".repeat(64)).statusCode()).isEqualTo(401);

    // the API: a lookup by phone number and the conversation
    JsonNode leads = json(engine.get("/api/v1/tenants/" + tenantId + "/leads?phone=%2B" + PHONE, tenantKey));
    assertThat(leads.get("total").asInt()).isEqualTo(1);
    String leadId = leads.get("items").get(0).get("id").asText();
    HttpResponse<String> conversation =
        engine.get("/api/v1/tenants/" + tenantId + "/leads/" + leadId + "/messages", tenantKey);
    assertThat(conversation.body()).contains(TEXT);

    // what Pekko cannot parse it logs itself: a key in a malformed Authorization header, a phone in a bad URI
    assertThat(raw("GET /api/v1/tenants/" + tenantId + " HTTP/1.1\r\nHost: localhost\r\n"
        + "Authorization: Bearer " + OPERATOR_KEY + " " + tenantKey + " ,==\r\nConnection: close\r\n\r\n"))
        .startsWith("HTTP/1.1 401");
    assertThat(raw("GET /api/v1/tenants/" + tenantId + "/leads?phone=+" + PHONE + "%zz\" HTTP/1.1\r\n"
        + "Host: localhost\r\nConnection: close\r\n\r\n"))
        .startsWith("HTTP/1.1 400");

    logs.awaitPekkoLogs(engine.server.system());
    // the capture is live: it saw the node start and Pekko's complaint about the header
    assertThat(logs.mentioning("Flexoraa Engine ready")).hasSize(1);
    assertThat(logs.mentioning("authorization")).isNotEmpty();
    for (String secret : List.of(NATIONAL_NUMBER, "Quillfeather", "Zephyrine", "lagoon-umbrella", EMAIL,
        OPERATOR_KEY, tenantKey, tenantKey.substring(tenantKey.lastIndexOf('.') + 1))) {
      assertThat(logs.mentioning(secret)).as("log events mentioning " + secret).isEmpty();
    }
  }

  /** One request written byte by byte, for what java.net.http refuses to send; returns the status line. */
  private String raw(String request) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", engine.server.port())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII)).readLine();
    }
  }
}
