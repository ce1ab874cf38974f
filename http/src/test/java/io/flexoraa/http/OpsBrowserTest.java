package io.flexoraa.http;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.options.AriaRole;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Ops page in a real browser against a real engine: the platform operator signs in with the operator key through
 * the sign-in page's secondary form, sees the Ops page only, the cluster member, the shard table with the leads
 * just created, the webhook ingest rate (rising on the next refresh after more webhooks) and the backpressure mode.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpsBrowserTest {
  private static final AtomicLong NEXT = new AtomicLong();
  private static final String WABA = "waba-ops-browser";
  private static final String PHONE_NUMBER_ID = "7009008001";

  TestEngine engine;
  BrowserFixture browser;

  @BeforeAll
  void start(@TempDir Path dataDirectory, @TempDir Path userDataDirectory) {
    browser = BrowserFixture.launch(userDataDirectory);
    engine = TestEngine.start(dataDirectory);
    String tenant = engine.createTenant("Acme Realty", "IN");
    engine.createTenant("Sunrise Homes", "IN");
    engine.registerWhatsApp(tenant, PHONE_NUMBER_ID, WABA);
  }

  @AfterAll
  void stop() {
    if (browser != null) browser.close();
    if (engine != null) engine.close();
  }

  /** A WhatsApp message from a new sender, through the signed webhook: a new lead. */
  private void message(String text) {
    String from = "91985" + String.format("%07d", NEXT.incrementAndGet() * 17 % 10_000_000);
    String body = Payloads.text(WABA, PHONE_NUMBER_ID, "wamid.opsui." + NEXT.incrementAndGet() + "." + System.nanoTime(),
        from, text);
    assertThat(engine.postWebhook(body).statusCode()).isEqualTo(200);
  }

  @Test
  void theOperatorSignsInWithTheKeyAndWatchesTheCluster() {
    message("Hi, is the 2BHK in Whitefield available?");
    message("Price for the villa?");
    message("Site visit on Saturday");
    // a message for an account no tenant registered: kept as unrouted
    assertThat(engine.postWebhook(Payloads.text("waba-unknown", "5550001234", "wamid.opsui.lost", "919800000001",
        "hello?")).statusCode()).isEqualTo(200);

    BrowserFixture.Tab tab = browser.newTab();
    Page page = tab.page();
    page.navigate(engine.baseUrl() + "/");
    Locator toggle = page.getByRole(AriaRole.BUTTON,
        new Page.GetByRoleOptions().setName("Platform operator? Use the operator key"));
    assertThat(toggle).hasAttribute("aria-expanded", "false");
    toggle.click();
    assertThat(toggle).hasAttribute("aria-expanded", "true");
    Locator key = page.getByLabel("Operator key");
    assertThat(key).isFocused();
    assertThat(key).hasAttribute("type", "password");

    // a wrong key is refused on the page
    key.fill("op_not_the_key");
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Continue as operator")).click();
    assertThat(page.getByRole(AriaRole.ALERT)).hasText("That is not the operator key.");

    key.fill(TestEngine.OPERATOR_KEY);
    key.press("Enter");
    Locator nav = page.getByRole(AriaRole.NAVIGATION, new Page.GetByRoleOptions().setName("Main"));
    assertThat(nav.getByRole(AriaRole.LINK)).hasText(new String[] {"Ops"});
    assertThat(page.getByText("Platform operator · Operator")).isVisible();
    assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Operations"))).isVisible();

    JsonNode overview = TestEngine.json(engine.get("/api/v1/ops/overview", TestEngine.OPERATOR_KEY));
    String self = overview.get("node").asText();
    String shortSelf = self.substring(self.indexOf('@') + 1);
    Locator members = page.locator("#ops-members tbody tr");
    assertThat(members).hasCount(1);
    assertThat(members.locator("th")).containsText(shortSelf);
    assertThat(members.locator("td").first()).hasText("Up");

    // the shard table: the three leads just created live on this node
    long leadEntities = StreamSupport.stream(overview.get("shards").spliterator(), false)
        .filter(type -> type.get("entity").asText().equals("Lead")).findFirst().orElseThrow().get("entities").asLong();
    assertThat(leadEntities).isGreaterThanOrEqualTo(3);
    Locator leadRow = page.locator("#ops-shard-table tr[data-entity=Lead]");
    assertThat(leadRow.locator(".ops-entities")).hasText(String.valueOf(leadEntities));
    assertThat(leadRow.locator(".ops-per-node li")).containsText(shortSelf);
    assertThat(page.locator("#ops-shard-table tbody tr")).hasCount(OpsOverview.SHARDED.size());

    // four webhooks in the last minute: 4/60 per second; mode normal, announced politely
    assertThat(page.locator("#ops-webhook-rate")).hasText("0.07/s");
    Locator mode = page.locator("#ops-mode");
    assertThat(mode).hasText("Normal");
    assertThat(mode).hasAttribute("aria-live", "polite");
    assertThat(page.locator("#ops-unrouted-title")).hasText("Unrouted webhook content (1)");
    assertThat(page.locator("#ops-unrouted tbody")).containsText("unknown WhatsApp phone-number id");

    // eight more webhooks: the next refresh (every 5 s while visible) shows 12/60 per second without a reload
    for (int i = 0; i < 8; i++) message("Following up " + i);
    assertThat(page.locator("#ops-webhook-rate"))
        .hasText("0.2/s", new LocatorAssertions.HasTextOptions().setTimeout(12_000));
    Locator ingestTotal = page.locator("#ops-ingest tr.ops-total");
    assertThat(ingestTotal.locator("td").nth(4)).not().hasText("—");
    BrowserFixture.screenshot(page, "ops");

    // a phone's width: the tables scroll inside their regions, the page does not
    page.setViewportSize(360, 740);
    assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Operations"))).isVisible();
    assertThat(BrowserFixture.horizontalOverflow(page)).as("horizontal overflow at 360 px").isLessThanOrEqualTo(0);

    // signing out forgets the key: nothing is asked of the engine, and the tab holds no session
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign out")).click();
    assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Sign in"))).isVisible();
    assertThat(page.evaluate("() => sessionStorage.getItem('flexoraa.session')")).isNull();

    // the wrong key's 401 is the one expected console error
    assertThat(tab.problems()).allSatisfy(problem -> assertThat(problem).contains("401"));
  }
}
