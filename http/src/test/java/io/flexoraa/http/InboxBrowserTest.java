package io.flexoraa.http;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The inbox in a real browser against a real engine (docs/decisions/0035-inbox-and-takeover.md): a lead writes on
 * WhatsApp (text, Arabic, a photo) and on Instagram, the two leads are merged, and both are assigned to an SDR through
 * the routing API. The SDR signs in, reads the one thread across channels (right-to-left Arabic, a photo placeholder),
 * replies through the compliance gate (WireMock is the Graph API) and sees "Sent", then the delivery ticks after
 * Meta's status webhooks; on a lead whose last message is 25 hours old the window is said to be closed before sending
 * and the reply goes as the approved template; takeover and hand-back show on the page and in the API.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InboxBrowserTest {
  private static final String WABA = "302000000000835";
  private static final String PHONE_NUMBER_ID = "402000000000835";
  private static final String IG = "17841400000000835";
  private static final String VERSION = "v21.0";
  private static final String SDR_EMAIL = "asha@inbox.example";
  private static final String PASSWORD = "correct-horse-battery";
  private static final String FARAH = "919700083501";
  private static final String OLD = "919700083502";

  private WireMockServer graph;
  private TestEngine engine;
  private BrowserFixture browser;
  private String tenant;
  private String admin;
  private String sdrId;
  private String farah;
  private String oldLead;

  @BeforeAll
  void start(@TempDir Path dataDirectory, @TempDir Path userDataDirectory) {
    graph = GraphStub.whatsApp(VERSION, PHONE_NUMBER_ID);
    browser = BrowserFixture.launch(userDataDirectory);
    engine = TestEngine.start(dataDirectory, Map.of(
        "flexoraa.meta.graph.base-url", graph.baseUrl(),
        "flexoraa.meta.graph.api-version", VERSION));
    // a plan that joins Instagram and WhatsApp conversations (leados plans merge WhatsApp leads only)
    HttpResponse<String> created = engine.post("/api/v1/tenants", TestEngine.OPERATOR_KEY,
        "{\"name\":\"Noor Homes\",\"plan\":\"full-os\",\"defaultRegion\":\"IN\"}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    tenant = TestEngine.json(created).get("id").asText();
    admin = engine.createApiKey(tenant, "Admin");
    engine.connectWhatsApp(tenant, admin, PHONE_NUMBER_ID, WABA, "EAAG-inbox");
    assertThat(engine.post("/api/v1/tenants/" + tenant + "/channel-accounts", TestEngine.OPERATOR_KEY,
        "{\"channel\":\"instagram\",\"externalId\":\"" + IG + "\",\"displayName\":\"Noor Homes\",\"verifyToken\":\"vt-ig\"}")
        .statusCode()).isEqualTo(201);
    sdrId = engine.createUser(tenant, SDR_EMAIL, "SDR", PASSWORD);
    assertThat(engine.post("/api/v1/tenants/" + tenant + "/sdrs", admin, "{\"userId\":\"" + sdrId
        + "\",\"seniority\":\"senior\",\"capacity\":10,\"workingHours\":" + RoutingApiTest.ALWAYS
        + ",\"presence\":\"offline\",\"languages\":[\"en\",\"ar\"]}").statusCode()).isEqualTo(201);

    // Farah first writes on Instagram, then on WhatsApp: English, Arabic and a photo of the flat she likes
    long now = Instant.now().getEpochSecond();
    String igMid = "m_inbox_ig_" + now;
    assertThat(engine.postWebhook("{\"object\":\"instagram\",\"entry\":[{\"id\":\"" + IG + "\",\"time\":"
        + System.currentTimeMillis() + ",\"messaging\":[{\"sender\":{\"id\":\"6200000000000835\"},\"recipient\":{\"id\":\""
        + IG + "\"},\"timestamp\":" + (now - 900) * 1000 + ",\"message\":{\"mid\":\"" + igMid
        + "\",\"text\":\"I saw your reel of the Baner towers\"}}]}]}").statusCode()).isEqualTo(200);
    String instagramLead = leadWith(igMid);
    whatsApp(FARAH, "Farah Khan", "wamid.inbox-1", now - 600, "\"type\":\"text\",\"text\":{\"body\":"
        + "\"Hello, I am looking for a 2BHK flat in Pune\"}");
    whatsApp(FARAH, "Farah Khan", "wamid.inbox-2", now - 540, "\"type\":\"text\",\"text\":{\"body\":"
        + "\"مرحبا، ميزانيتي حوالي ٣٥ لاك\"}");
    whatsApp(FARAH, "Farah Khan", "wamid.inbox-3", now - 480, "\"type\":\"image\",\"image\":{\"id\":\"1290001\","
        + "\"mime_type\":\"image/jpeg\",\"sha256\":\"abc\",\"caption\":\"Like this one\"}");
    farah = GraphStub.leadOf(engine, tenant, admin, FARAH);
    HttpResponse<String> merged = engine.post("/api/v1/tenants/" + tenant + "/leads/" + farah + "/merge", admin,
        "{\"otherLeadId\":\"" + instagramLead + "\"}");
    assertThat(merged.statusCode()).as(merged.body()).isEqualTo(200);
    // a lead whose last message is 25 hours old: WhatsApp's window is closed for free text
    whatsApp(OLD, "Vikram Rao", "wamid.inbox-old", now - Duration.ofHours(25).toSeconds(),
        "\"type\":\"text\",\"text\":{\"body\":\"Send me the price list\"}");
    oldLead = GraphStub.leadOf(engine, tenant, admin, OLD);
    approveTemplate("follow_up_price", "en", "follow-up");
    for (String lead : List.of(oldLead, farah)) {
      HttpResponse<String> assigned = engine.post("/api/v1/tenants/" + tenant + "/leads/" + lead + "/assignment",
          admin, "{\"userId\":\"" + sdrId + "\"}");
      assertThat(assigned.statusCode()).as(assigned.body()).isEqualTo(200);
    }
    // the AI's reading of Farah, as its projection writes it (the agent is off here: the test drives the replies)
    engine.update("INSERT INTO lead_ai (tenant_id, lead_id, score, band, top_factors, score_reason, scored_at, slots,"
        + " questions_asked, qualification_status, analyzed, last_seq_nr, updated_at) VALUES (?, ?, 78, 'HOT',"
        + " '[{\"name\":\"budget\",\"points\":25,\"value\":1,\"reason\":\"Budget fits: 35 lakh\"},"
        + "{\"name\":\"intent\",\"points\":20,\"value\":1,\"reason\":\"Asked for a 2BHK in Pune\"},"
        + "{\"name\":\"latency\",\"points\":12,\"value\":1,\"reason\":\"Replies within minutes\"}]'::jsonb,"
        + " 'hot lead', now(), '{\"NEED\":\"filled\",\"BUDGET\":\"filled\",\"TIMELINE\":\"asked\"}'::jsonb, 3,"
        + " 'interviewing', 4, 0, now())", tenant, farah);
    TestEngine.eventually(() -> engine.count("SELECT count(*) FROM leads WHERE tenant_id = ? AND assigned_user_id = ?",
        tenant, sdrId) == 2, "both leads the SDR's");
  }

  @AfterAll
  void stop() {
    if (browser != null) browser.close();
    if (engine != null) engine.close();
    if (graph != null) graph.stop();
  }

  private void whatsApp(String from, String name, String id, long timestamp, String content) {
    String message = "{\"from\":\"" + from + "\",\"id\":\"" + id + "\",\"timestamp\":\"" + timestamp + "\"," + content + "}";
    assertThat(engine.postWebhook(Payloads.change(WABA, PHONE_NUMBER_ID, "\"contacts\":[{\"profile\":{\"name\":\""
        + name + "\"},\"wa_id\":\"" + from + "\"}],\"messages\":[" + message + "]")).statusCode()).isEqualTo(200);
  }

  private String leadWith(String platformMessageId) {
    String[] lead = new String[1];
    TestEngine.eventually(() -> {
      JsonNode page = TestEngine.json(engine.get("/api/v1/tenants/" + tenant + "/leads?limit=50", admin));
      for (JsonNode item : page.path("items")) {
        if ("instagram".equals(item.path("channel").asText())) lead[0] = item.path("id").asText();
      }
      return lead[0] != null;
    }, "the lead of " + platformMessageId);
    return lead[0];
  }

  private void approveTemplate(String name, String language, String purpose) {
    assertThat(engine.post("/api/v1/tenants/" + tenant + "/channel-accounts/whatsapp/" + PHONE_NUMBER_ID
        + "/templates", admin, "{\"name\":\"" + name + "\",\"language\":\"" + language + "\",\"category\":\"UTILITY\","
        + "\"purpose\":\"" + purpose + "\"}").statusCode()).isIn(200, 201);
    assertThat(engine.postWebhook("{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"" + WABA
        + "\",\"time\":" + Instant.now().getEpochSecond() + ",\"changes\":[{\"value\":{\"event\":\"APPROVED\","
        + "\"message_template_id\":" + Math.abs(name.hashCode()) + ",\"message_template_name\":\"" + name
        + "\",\"message_template_language\":\"" + language + "\",\"reason\":\"NONE\"},"
        + "\"field\":\"message_template_status_update\"}]}]}").statusCode()).isEqualTo(200);
  }

  private String outboundWamid(String leadId, String text) {
    String[] wamid = new String[1];
    TestEngine.eventually(() -> {
      for (JsonNode message : TestEngine.json(engine.get("/api/v1/tenants/" + tenant + "/leads/" + leadId
          + "/messages?limit=100", admin)).path("items")) {
        if (text.equals(message.path("text").asText()) && message.path("platformMessageId").asText().startsWith("wamid.")) {
          wamid[0] = message.path("platformMessageId").asText();
        }
      }
      return wamid[0] != null;
    }, "the reply in the read model");
    return wamid[0];
  }

  @Test
  void anSdrReadsOneThreadAcrossChannelsRepliesThroughTheGateAndTakesOver() {
    BrowserFixture.Tab tab = browser.newTab();
    Page page = tab.page();
    BrowserFixture.signIn(page, engine.baseUrl(), SDR_EMAIL, PASSWORD, null);
    BrowserFixture.open(page, "Inbox");
    assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Inbox"))).isVisible();
    Locator conversations = page.getByRole(AriaRole.NAVIGATION, new Page.GetByRoleOptions().setName("Conversations"));
    assertThat(conversations.getByRole(AriaRole.LINK)).hasCount(2);
    // most recent message first, both new to this person
    assertThat(conversations.locator(".conv-name")).hasText(new String[] {"Farah Khan", "Vikram Rao"});
    assertThat(conversations.locator(".new")).hasCount(2);

    conversations.getByRole(AriaRole.LINK).first().click();
    assertThat(page).hasURL(engine.baseUrl() + "/inbox/" + farah);
    Locator messages = page.getByRole(AriaRole.LIST, new Page.GetByRoleOptions().setName("Messages, oldest first"));
    assertThat(messages.locator(".msg")).hasCount(4);
    assertThat(messages.locator(".msg .badge")).hasText(new String[] {"Instagram", "WhatsApp", "WhatsApp", "WhatsApp"});
    Locator arabic = messages.locator(".msg-text").nth(2);
    assertThat(arabic).hasText("مرحبا، ميزانيتي حوالي ٣٥ لاك");
    assertThat(arabic.evaluate("node => getComputedStyle(node).direction")).isEqualTo("rtl");
    assertThat(messages.locator(".msg-text").nth(1).evaluate("node => getComputedStyle(node).direction")).isEqualTo("ltr");
    assertThat(messages.locator(".media")).hasText("📷 Photo");
    assertThat(messages.locator(".msg").first()).containsText("I saw your reel of the Baner towers");

    // the panel: profile with both identities, score with its top-3 factors, the interview, assignment
    Locator panel = page.getByRole(AriaRole.COMPLEMENTARY);
    assertThat(panel.getByRole(AriaRole.HEADING, new Locator.GetByRoleOptions().setName("Farah Khan"))).isVisible();
    assertThat(panel).containsText(FARAH);
    assertThat(panel).containsText("6200000000000835");
    assertThat(panel.locator(".factors li")).hasText(new String[] {
        "Budget fits: 35 lakh", "Asked for a 2BHK in Pune", "Replies within minutes"});
    assertThat(panel).containsText("2 of 6 answered, 3 asked");
    assertThat(panel).containsText("Assigned to you");
    assertThat(panel.locator(".handled-by")).hasText("The AI answers this lead.");

    // a reply inside the window: the gate lets it through and the page says so
    page.getByLabel("Reply").fill("Yes, we have 2BHK flats in Baner from 34 lakh. Shall I send the floor plan?");
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Send")).click();
    assertThat(page.locator(".gate")).hasText("Sent");
    assertThat(messages.locator(".msg-out")).hasCount(1);
    assertThat(messages.locator(".msg-out .author")).hasText("Person");
    String wamid = outboundWamid(farah, "Yes, we have 2BHK flats in Baner from 34 lakh. Shall I send the floor plan?");
    long now = Instant.now().getEpochSecond();
    assertThat(engine.postWebhook(Payloads.status(WABA, PHONE_NUMBER_ID, wamid, FARAH, "delivered", now)).statusCode())
        .isEqualTo(200);
    assertThat(engine.postWebhook(Payloads.status(WABA, PHONE_NUMBER_ID, wamid, FARAH, "read", now + 1)).statusCode())
        .isEqualTo(200);
    TestEngine.eventually(() -> engine.count("SELECT count(*) FROM lead_messages WHERE tenant_id = ?"
        + " AND platform_message_id = ? AND status = 'read'", tenant, wamid) == 1, "the read status stored");
    // the status webhooks reach the open thread live (no reload, no Refresh)
    assertThat(messages.locator(".msg-out .ticks")).hasAttribute("data-status", "read");
    assertThat(messages.locator(".msg-out .ticks .sr-only")).hasText("Read");

    // take over from the AI and hand back: the button follows, the API shows it
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Take over from AI")).click();
    assertThat(panel.locator(".handled-by")).hasText("You took this conversation over: the AI stays silent.");
    assertThat(page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Hand back to AI"))).isVisible();
    TestEngine.eventually(() -> "human".equals(TestEngine.json(engine.get("/api/v1/tenants/" + tenant + "/leads/"
        + farah, admin)).path("handledBy").asText()), "the lead shows the takeover");
    BrowserFixture.screenshot(page, "inbox");

    page.setViewportSize(360, 740);
    assertThat(page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("← All conversations"))).isVisible();
    assertThat(conversations).isHidden();
    assertThat(BrowserFixture.horizontalOverflow(page)).as("horizontal overflow at 360 px").isLessThanOrEqualTo(0);
    BrowserFixture.screenshot(page, "inbox-phone");
    page.setViewportSize(1280, 800);

    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Hand back to AI")).click();
    assertThat(panel.locator(".handled-by")).hasText("The AI answers this lead.");
    assertThat(page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Take over from AI"))).isVisible();
    TestEngine.eventually(() -> "ai".equals(TestEngine.json(engine.get("/api/v1/tenants/" + tenant + "/leads/"
        + farah, admin)).path("handledBy").asText()), "the lead shows the hand-back");

    // the lead who wrote 25 hours ago: the window is said to be closed before sending, the template goes instead
    conversations.getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("Vikram Rao")).click();
    assertThat(page).hasURL(engine.baseUrl() + "/inbox/" + oldLead);
    assertThat(page.locator(".window-closed")).containsText("The 24-hour window is closed");
    page.getByLabel("Reply").fill("Here is the price list you asked for");
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Send")).click();
    assertThat(page.locator(".gate")).hasText(
        "Sent as the approved template \"follow_up_price\" because the 24-hour window is closed");

    // the reload keeps the chosen lead (the engine serves the page at /inbox/<leadId>)
    page.reload();
    assertThat(page.getByRole(AriaRole.COMPLEMENTARY)
        .getByRole(AriaRole.HEADING, new Locator.GetByRoleOptions().setName("Vikram Rao"))).isVisible();
    assertThat(tab.problems()).isEmpty();
  }

  /**
   * The "done when": a message posted to the webhook appears in the open inbox, live, with no reload. Ten
   * messages, one after another: each is timed from the webhook's 200 (the message is persisted) to its text being
   * shown in the thread, and the figures are printed (docs/benchmarks/live-feed.md records them: median ≈ 0.8 s
   * here). The assertion is deliberately looser than the one-second goal, so a slow CI machine does not fail it, yet
   * it catches a page that only catches up on a reload or a slow poll.
   */
  @Test
  void aWebhookMessageAppearsLiveInTheOpenThread() {
    String zara = "919700083503";
    long start = Instant.now().getEpochSecond();
    whatsApp(zara, "Zara Sheikh", "wamid.live-0", start, "\"type\":\"text\",\"text\":{\"body\":\"Hi, is the Baner project ready?\"}");
    String lead = GraphStub.leadOf(engine, tenant, admin, zara);
    HttpResponse<String> assigned = engine.post("/api/v1/tenants/" + tenant + "/leads/" + lead + "/assignment",
        admin, "{\"userId\":\"" + sdrId + "\"}");
    assertThat(assigned.statusCode()).as(assigned.body()).isEqualTo(200);
    TestEngine.eventually(() -> engine.count("SELECT count(*) FROM leads WHERE tenant_id = ? AND lead_id = ?"
        + " AND assigned_user_id = ?", tenant, lead, sdrId) == 1, "Zara's lead the SDR's");

    BrowserFixture.Tab tab = browser.newTab();
    Page page = tab.page();
    BrowserFixture.signIn(page, engine.baseUrl(), SDR_EMAIL, PASSWORD, null);
    page.navigate(engine.baseUrl() + "/inbox/" + lead);
    Locator messages = page.getByRole(AriaRole.LIST, new Page.GetByRoleOptions().setName("Messages, oldest first"));
    assertThat(messages.locator(".msg")).hasCount(1);
    assertThat(page.locator(".live-status")).containsText("Live");

    List<Long> millis = new java.util.ArrayList<>();
    for (int i = 1; i <= 10; i++) {
      String text = "Live message " + i + ": what is the price of a 3BHK?";
      whatsApp(zara, "Zara Sheikh", "wamid.live-" + i, start + i, "\"type\":\"text\",\"text\":{\"body\":\"" + text + "\"}");
      long acknowledged = System.nanoTime();
      assertThat(messages.locator(".msg-text").filter(new Locator.FilterOptions().setHasText(text))).isVisible();
      millis.add((System.nanoTime() - acknowledged) / 1_000_000);
    }
    assertThat(messages.locator(".msg")).hasCount(11);
    List<Long> sorted = millis.stream().sorted().toList();
    System.out.printf("webhook 200 -> shown in the open thread, 10 messages: median %d ms, max %d ms, all %s%n",
        sorted.get(4), sorted.get(9), millis);
    assertThat(sorted.get(4)).as("median ms from the webhook's 200 to the message shown: " + millis)
        .isLessThan(2500L);
    assertThat(tab.problems()).isEmpty();
  }
}
