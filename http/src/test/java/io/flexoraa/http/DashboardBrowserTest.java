package io.flexoraa.http;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard in a real browser (Debian's chromium driven by Playwright for Java, as DEPENDENCIES.md says) against
 * a real engine: an SDR signs in through the form, sees the pages their role allows and their leads on the board by
 * band. It writes the sign-in page's screenshot ({@code docs/screenshots/sign-in.png}); BoardAndQueueBrowserTest
 * writes the board's.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardBrowserTest {
  private static final String SDR_EMAIL = "asha@acme.example";
  private static final String SDR_PASSWORD = "correct-horse-battery";

  TestEngine engine;
  BrowserFixture browser;
  String tenant;

  @BeforeAll
  void start(@TempDir Path dataDirectory, @TempDir Path userDataDirectory) {
    browser = BrowserFixture.launch(userDataDirectory);
    engine = TestEngine.start(dataDirectory);
    tenant = engine.createTenant("Acme Realty", "IN");
    String sdr = engine.createUser(tenant, SDR_EMAIL, "SDR", SDR_PASSWORD);
    lead(sdr, "Ravi Kumar", "+919812300001", 82, "HOT");
    lead(sdr, "Meera Shah", "+919812300002", 47, "WARM");
    lead(sdr, "Imran Ali", "+919812300003", 55, "WARM");
    lead(sdr, "Dana Cole", "+919812300004", 12, "COLD");
    lead(null, "Someone Else's Lead", "+919812300005", 90, "HOT");
  }

  @AfterAll
  void stop() {
    if (browser != null) browser.close();
    if (engine != null) engine.close();
  }

  /** A lead handed in by a web form, given its AI score and (when {@code sdr} is set) its SDR. */
  private void lead(String sdr, String name, String phone, int score, String band) {
    String leadId = BrowserFixture.submitLead(engine, tenant, name, phone);
    // the AI's score and the routing desk's assignment, as their projections would have written them
    engine.update("INSERT INTO lead_ai (tenant_id, lead_id, score, band, scored_at, last_seq_nr, updated_at) VALUES (?, ?, ?, ?, now(), 0, now())",
        tenant, leadId, score, band);
    if (sdr != null) {
      // the leads read model has the row once its projection caught up
      TestEngine.eventually(() -> engine.update("UPDATE leads SET assigned_user_id = ? WHERE tenant_id = ? AND lead_id = ?",
          sdr, tenant, leadId) == 1, "lead " + name + " in the read model");
    }
  }

  @Test
  void anSdrSignsInAndSeesTheirLeadsByBand() throws IOException {
    BrowserFixture.Tab tab = browser.newTab();
    Page page = tab.page();
    List<String> problems = tab.problems();

    page.navigate(engine.baseUrl() + "/");
    assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Sign in"))).isVisible();
    assertThat(page.getByLabel("E-mail")).isFocused();
    BrowserFixture.screenshot(page, "sign-in");

    // a wrong password is refused on the page, and says why
    page.getByLabel("E-mail").fill(SDR_EMAIL);
    page.getByLabel("Password").fill("not-the-password");
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();
    assertThat(page.getByRole(AriaRole.ALERT)).containsText("e-mail or password is wrong");

    // the keyboard alone gets through the form: password field, then Enter
    page.getByLabel("Password").fill(SDR_PASSWORD);
    page.getByLabel("Password").press("Enter");

    Locator nav = page.getByRole(AriaRole.NAVIGATION, new Page.GetByRoleOptions().setName("Main"));
    assertThat(nav.getByRole(AriaRole.LINK)).hasText(new String[] {"Inbox", "Leads", "My queue"});
    assertThat(page.getByText("SDR Person · SDR")).isVisible();

    nav.getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("Leads")).click();
    assertThat(page).hasURL(engine.baseUrl() + "/leads");
    assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Leads board"))).isVisible();
    assertThat(page.locator(".summary")).hasText("4 leads");
    assertColumn(page, "HOT", "1", "Ravi Kumar");
    // most recent first, as the API lists them
    assertColumn(page, "WARM", "2", "Imran Ali", "Meera Shah");
    assertColumn(page, "COLD", "1", "Dana Cole");
    assertColumn(page, "NONE", "0");
    assertThat(page.getByText("Someone Else's Lead")).hasCount(0);

    // a reload keeps the session (this tab's sessionStorage) and the page (the engine serves it at /leads)
    page.reload();
    assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Leads board"))).isVisible();
    assertColumn(page, "WARM", "2", "Imran Ali", "Meera Shah");

    // a phone's width: nothing runs off the side of the page
    page.setViewportSize(360, 740);
    assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Leads board"))).isVisible();
    assertThat(BrowserFixture.horizontalOverflow(page)).as("horizontal overflow at 360 px").isLessThanOrEqualTo(0);

    // signing out ends the session in this tab
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign out")).click();
    assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Sign in"))).isVisible();
    assertThat(page.evaluate("() => sessionStorage.getItem('flexoraa.session')")).isNull();

    // the wrong password above is the one expected console error (the browser logs the 401); nothing else, and in
    // particular no Content-Security-Policy violation
    assertThat(problems).allSatisfy(problem -> assertThat(problem).contains("401"));
  }

  @Test
  void aManagerSignsInWithTheirAuthenticatorCodeAndSeesTheManagersPages() {
    engine.createUser(tenant, "mira@acme.example", "Manager", SDR_PASSWORD);
    String secret = engine.enrolSecondFactor("mira@acme.example", SDR_PASSWORD);
    BrowserFixture.Tab tab = browser.newTab();
    Page page = tab.page();
    BrowserFixture.signIn(page, engine.baseUrl(), "mira@acme.example", SDR_PASSWORD, secret);
    Locator nav = page.getByRole(AriaRole.NAVIGATION, new Page.GetByRoleOptions().setName("Main"));
    assertThat(nav.getByRole(AriaRole.LINK))
        .hasText(new String[] {"Inbox", "Leads", "My queue", "Tokens", "Compliance", "Audit"});
    // a Manager sees every lead of the tenant, not only their own
    BrowserFixture.open(page, "Leads");
    assertThat(page.locator(".summary")).hasText("5 leads");
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign out")).click();
    // the first attempt without the code is answered with a 401 asking for it
    assertThat(tab.problems()).allSatisfy(problem -> assertThat(problem).contains("401"));
  }

  private static void assertColumn(Page page, String band, String count, String... names) {
    Locator column = page.locator("[data-band=" + band + "]");
    assertThat(column.locator(".count")).hasText(count);
    assertThat(column.locator(".lead-name")).hasText(names);
  }
}
