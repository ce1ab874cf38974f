package io.flexoraa.http;

import static io.flexoraa.http.TestEngine.eventually;
import static io.flexoraa.http.TestEngine.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.flexoraa.engine.ports.Mailer;
import io.flexoraa.engine.ports.Notifier.Notice;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Notifications end to end on a real engine (embedded PostgreSQL, real HTTP) with GreenMail as the SMTP server:
 * stored once per recipient, pushed on the live stream, resumed with Last-Event-ID, e-mailed (and recorded when the
 * server is down), listed and marked read under the access rules.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NotificationApiTest {
  private static final String PASSWORD = "correct horse battery staple";

  private GreenMail mail;
  private ServerSetup smtp;
  private TestEngine engine;
  private String tenant;
  private String adminId;
  private String managerId;
  private String sdrId;
  private String sdrToken;
  private String managerToken;

  @BeforeAll
  void start(@TempDir Path dataDirectory) {
    mail = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
    mail.start();
    smtp = ServerSetupTest.SMTP.withPort(mail.getSmtp().getPort());
    engine = TestEngine.start(dataDirectory, Map.of(
        "flexoraa.smtp.host", "127.0.0.1",
        "flexoraa.smtp.port", mail.getSmtp().getPort(),
        "flexoraa.smtp.from", "Flexoraa <alerts@flexoraa.test>",
        "flexoraa.smtp.connect-timeout", "2s",
        "flexoraa.notifications.dashboard-url", "https://app.flexoraa.test/",
        "flexoraa.notifications.heartbeat", "200ms"));
    tenant = engine.createTenant("Acme Realty", "IN");
    adminId = engine.createUser(tenant, "admin@acme.test", "Admin", PASSWORD);
    managerId = engine.createUser(tenant, "manager@acme.test", "Manager", PASSWORD);
    sdrId = engine.createUser(tenant, "sdr@acme.test", "SDR", PASSWORD);
    engine.createUser(tenant, "auditor@acme.test", "Auditor", PASSWORD);
    sdrToken = engine.signIn("sdr@acme.test", PASSWORD);
    managerToken = engine.signIn("manager@acme.test", PASSWORD);
  }

  @AfterAll
  void stop() {
    if (engine != null) engine.close();
    if (mail != null) mail.stop();
  }

  @Test
  void aNoticeToAUserAndToTheManagersIsStoredOncePerRecipientAndARetryStoresNothingNew() throws Exception {
    Notice notice = notice("n-store", List.of(sdrId, Notice.MANAGERS, "no-such-user"), false);
    notify(notice);
    notify(notice);

    assertThat(rows("n-store")).isEqualTo(3);
    assertThat(engine.count("SELECT count(*) FROM notifications WHERE notice_id = 'n-store' AND user_id IN (?, ?, ?)",
        sdrId, managerId, adminId)).as("the SDR, the Manager and the Admin; not the Auditor").isEqualTo(3);
    JsonNode item = first(list(sdrToken, ""), "n-store");
    assertThat(item.get("kind").asText()).isEqualTo("lead.assigned");
    assertThat(item.get("title").asText()).isEqualTo("Title n-store");
    assertThat(item.get("body").asText()).isEqualTo("Body n-store");
    assertThat(item.get("leadId").asText()).isEqualTo("lead-n-store");
    assertThat(item.get("data").get("band").asText()).isEqualTo("HOT");
    assertThat(item.get("readAt").isNull()).isTrue();
    assertThat(item.get("email").asText()).isEqualTo("none");
  }

  @Test
  void aNoticeAppearsOnAnOpenStreamAndLastEventIdResumesWhatWasMissed() throws Exception {
    String firstId;
    try (SseStream stream = SseStream.open(streamUrl(""), sdrToken, null).awaitOpen()) {
      assertThat(stream.status).isEqualTo(200);
      notify(notice("n-live-1", List.of(sdrId), false));
      notify(notice("n-live-other", List.of(managerId), false));
      SseStream.Event event = stream.next();
      assertThat(event.type()).isEqualTo("lead.assigned");
      assertThat(json(event.data()).get("noticeId").asText()).isEqualTo("n-live-1");
      assertThat(json(event.data()).get("id").asText()).isEqualTo(event.id());
      firstId = event.id();
      assertThat(stream.poll(Duration.ofMillis(500))).as("the manager's notice is not on the SDR's stream").isNull();
    }
    notify(notice("n-missed-1", List.of(sdrId), false));
    notify(notice("n-missed-2", List.of(sdrId), false));

    try (SseStream resumed = SseStream.open(streamUrl(""), sdrToken, firstId)) {
      assertThat(json(resumed.next().data()).get("noticeId").asText()).isEqualTo("n-missed-1");
      assertThat(json(resumed.next().data()).get("noticeId").asText()).isEqualTo("n-missed-2");
      notify(notice("n-live-2", List.of(sdrId), false));
      assertThat(json(resumed.next().data()).get("noticeId").asText()).isEqualTo("n-live-2");
    }
  }

  @Test
  void aManagerMayWatchAnSdrsStreamButAnSdrMayNotWatchAManagers() throws Exception {
    try (SseStream refused = SseStream.open(streamUrl("?userId=" + managerId), sdrToken, null)) {
      assertThat(refused.status).isEqualTo(403);
    }
    try (SseStream watching = SseStream.open(streamUrl("?userId=" + sdrId), managerToken, null).awaitOpen()) {
      assertThat(watching.status).isEqualTo(200);
      notify(notice("n-watched", List.of(sdrId), false));
      assertThat(json(watching.next().data()).get("userId").asText()).isEqualTo(sdrId);
    }
    try (SseStream badId = SseStream.open(streamUrl(""), sdrToken, "not-a-number")) {
      assertThat(badId.status).isEqualTo(400);
    }
  }

  @Test
  void anEmailNoticeReachesTheSmtpServerWithItsSubjectBodyAndLeadLink() throws Exception {
    notify(notice("n-mail", List.of(sdrId), true));

    MimeMessage message = awaitMessage("Title n-mail");
    assertThat(message.getAllRecipients()[0].toString()).isEqualTo("sdr@acme.test");
    assertThat(message.getFrom()[0].toString()).contains("alerts@flexoraa.test");
    String body = GreenMailUtil.getBody(message);
    assertThat(body).contains("Body n-mail").contains("https://app.flexoraa.test/leads/lead-n-mail");
    eventually(() -> "sent".equals(first(list(sdrToken, ""), "n-mail").get("email").asText()), "the e-mail recorded");
    assertThat(first(list(sdrToken, ""), "n-mail").get("emailedAt").isNull()).isFalse();
  }

  @Test
  void theMailerSendsAttachmentsAsMimeParts() throws Exception {
    byte[] ics = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n".getBytes(StandardCharsets.UTF_8);
    Mailer mailer = engine.server.sales().mailer();
    assertThat(mailer.enabled()).isTrue();
    mailer.send(new Mailer.Email(List.of("lead@customer.test"), "Your call on Monday", "See the invite.",
        List.of(new Mailer.Attachment("invite.ics", "text/calendar; method=REQUEST; charset=UTF-8", ics))))
        .toCompletableFuture().get(10, TimeUnit.SECONDS);

    MimeMessage message = awaitMessage("Your call on Monday");
    Multipart parts = (Multipart) message.getContent();
    assertThat(parts.getCount()).isEqualTo(2);
    assertThat(parts.getBodyPart(0).getContent().toString()).contains("See the invite.");
    Part invite = parts.getBodyPart(1);
    assertThat(invite.getFileName()).isEqualTo("invite.ics");
    assertThat(invite.getContentType()).startsWith("text/calendar").contains("method=REQUEST");
    assertThat(new String(invite.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).contains("METHOD:REQUEST");
  }

  @Test
  void withTheSmtpServerDownANoticeIsStillStoredAndPushedAndTheErrorIsRecorded() throws Exception {
    try (SseStream stream = SseStream.open(streamUrl(""), sdrToken, null).awaitOpen()) {
      mail.stop();
      try {
        notify(notice("n-smtp-down", List.of(sdrId), true));
        assertThat(json(stream.next().data()).get("noticeId").asText()).isEqualTo("n-smtp-down");
        eventually(() -> "failed".equals(first(list(sdrToken, ""), "n-smtp-down").get("email").asText()),
            "the e-mail failure recorded");
        assertThat(first(list(sdrToken, ""), "n-smtp-down").get("emailError").asText()).isNotBlank();
      } finally {
        mail = new GreenMail(smtp);
        mail.start();
      }
    }
  }

  @Test
  void listingAndMarkingReadFollowTheAccessRules() throws Exception {
    notify(notice("n-rules-1", List.of(sdrId, managerId), false));
    notify(notice("n-rules-2", List.of(sdrId), false));
    String managersCopy = first(list(managerToken, ""), "n-rules-1").get("id").asText();
    String sdrsCopy = first(list(sdrToken, ""), "n-rules-1").get("id").asText();

    assertThat(engine.get(listPath("?userId=" + managerId), sdrToken).statusCode()).isEqualTo(403);
    assertThat(first(list(managerToken, "?userId=" + sdrId), "n-rules-2").get("userId").asText()).isEqualTo(sdrId);
    assertThat(engine.post(readPath(managersCopy), sdrToken, "{}").statusCode()).as("another user's").isEqualTo(404);
    assertThat(engine.post(readPath("999999999"), sdrToken, "{}").statusCode()).isEqualTo(404);

    HttpResponse<String> read = engine.post(readPath(sdrsCopy), sdrToken, "{}");
    assertThat(read.statusCode()).isEqualTo(200);
    assertThat(json(read).get("readAt").isNull()).isFalse();
    assertThat(ids(list(sdrToken, "?unread=true"))).doesNotContain(sdrsCopy);
    assertThat(ids(list(sdrToken, "?unread=false"))).contains(sdrsCopy);
    assertThat(first(list(managerToken, ""), "n-rules-1").get("readAt").isNull()).as("the manager's copy").isTrue();

    JsonNode page = list(sdrToken, "?limit=1");
    assertThat(page.get("items")).hasSize(1);
    String cursor = page.get("nextCursor").asText();
    JsonNode next = list(sdrToken, "?limit=1&cursor=" + cursor);
    assertThat(Long.parseLong(next.get("items").get(0).get("id").asText())).isLessThan(Long.parseLong(cursor) + 1)
        .isNotEqualTo(Long.parseLong(page.get("items").get(0).get("id").asText()));

    for (String bad : List.of("?limit=0", "?limit=x", "?cursor=abc", "?unread=maybe")) {
      HttpResponse<String> refused = engine.get(listPath(bad), sdrToken);
      assertThat(refused.statusCode()).as(bad).isEqualTo(400);
      assertThat(refused.headers().firstValue("Content-Type").orElse("")).contains("problem+json");
    }
    String adminKey = engine.createApiKey(tenant, "Admin");
    assertThat(engine.get(listPath(""), adminKey).statusCode()).as("a key has no notifications").isEqualTo(400);
    assertThat(first(list(adminKey, "?userId=" + sdrId), "n-rules-2")).isNotNull();
  }

  // ---- helpers ----

  private Notice notice(String id, List<String> recipients, boolean email) {
    return new Notice(id, tenant, recipients, "lead.assigned", "Title " + id, "Body " + id, "lead-" + id,
        Map.of("band", "HOT"), email, Instant.now());
  }

  private void notify(Notice notice) throws Exception {
    engine.server.sales().notifier().notify(notice).toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private long rows(String noticeId) {
    return engine.count("SELECT count(*) FROM notifications WHERE notice_id = ?", noticeId);
  }

  private String streamUrl(String query) {
    return engine.baseUrl() + "/api/v1/tenants/" + tenant + "/notifications/stream" + query;
  }

  private String listPath(String query) {
    return "/api/v1/tenants/" + tenant + "/notifications" + query;
  }

  private String readPath(String id) {
    return "/api/v1/tenants/" + tenant + "/notifications/" + id + "/read";
  }

  private JsonNode list(String token, String query) {
    HttpResponse<String> response = engine.get(listPath(query), token);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return json(response);
  }

  private static JsonNode first(JsonNode page, String noticeId) {
    for (JsonNode item : page.get("items")) if (item.get("noticeId").asText().equals(noticeId)) return item;
    throw new AssertionError("no notification of notice " + noticeId + " in " + page);
  }

  private static List<String> ids(JsonNode page) {
    return java.util.stream.StreamSupport.stream(page.get("items").spliterator(), false)
        .map(item -> item.get("id").asText()).toList();
  }

  private MimeMessage awaitMessage(String subject) {
    MimeMessage[] found = new MimeMessage[1];
    eventually(() -> {
      found[0] = Arrays.stream(mail.getReceivedMessages()).filter(message -> {
        try {
          return subject.equals(message.getSubject());
        } catch (Exception e) {
          return false;
        }
      }).findFirst().orElse(null);
      return found[0] != null;
    }, "an e-mail '" + subject + "'");
    return found[0];
  }
}
