package io.flexoraa.http;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.options.AriaRole;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The leads board's filters and SLA timers, and My queue, in a real browser against a real engine (issue 8 items
 * 3 and 4; decision 36), on the sales floor {@link BoardData} makes through the API and the webhook: a Manager
 * filters by channel, SDR and language, searches a phone and a name, and the address bar keeps the filters across a
 * reload; a running SLA counts down and a breached one says so; an SDR sees their leads by urgency, how many wait,
 * sets their presence and sees an appointment booked through the API with its reminders.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BoardAndQueueBrowserTest {
  private static final Pattern RUNNING = Pattern.compile("SLA \\d+:\\d\\d:\\d\\d left");

  TestEngine engine;
  BrowserFixture browser;
  BoardData data;
  String managerSecret;

  @BeforeAll
  void start(@TempDir Path dataDirectory, @TempDir Path userDataDirectory) {
    browser = BrowserFixture.launch(userDataDirectory);
    engine = TestEngine.start(dataDirectory);
    data = BoardData.create(engine);
    data.book();
    managerSecret = engine.enrolSecondFactor(BoardData.MANAGER_EMAIL, BoardData.PASSWORD);
  }

  @AfterAll
  void stop() {
    if (browser != null) browser.close();
    if (engine != null) engine.close();
  }

  private Locator card(Page page, String leadId) {
    return page.locator("[data-lead=\"" + leadId + "\"]");
  }

  @Test
  void aManagerFiltersTheBoardAndTheAddressBarKeepsTheFilters() {
    BrowserFixture.Tab tab = browser.newTab();
    Page page = tab.page();
    BrowserFixture.signIn(page, engine.baseUrl(), BoardData.MANAGER_EMAIL, BoardData.PASSWORD, managerSecret);
    BrowserFixture.open(page, "Leads");
    Locator summary = page.locator(".summary");
    assertThat(summary).hasText("6 leads");
    assertThat(page.locator("[data-band=HOT] .count")).hasText("2");
    assertThat(card(page, data.fatima).locator(".lead-name")).hasText("فاطمة الصايغ");
    assertThat(card(page, data.fatima).locator(".lead-name")).hasAttribute("dir", "auto");

    // Ravi's first-response SLA runs (24 h): the countdown ticks without a reload
    Locator timer = card(page, data.ravi).locator(".sla");
    assertThat(timer).hasText(RUNNING);
    String first = timer.textContent();
    assertThat(timer).not().hasText(first, new LocatorAssertions.HasTextOptions().setTimeout(2500));
    assertThat(timer).hasText(RUNNING);
    // Meera's ran out: shown as breached
    assertThat(card(page, data.meera).locator("[data-sla=breached]")).hasText(Pattern.compile("SLA breached \\d+ min ago"));
    // the queued ones wait on the queue's clock
    assertThat(card(page, data.kiran).locator(".sla")).hasText(Pattern.compile("Waiting · SLA .* left"));
    BrowserFixture.screenshot(page, "leads-board");

    page.getByLabel("Channel").selectOption("whatsapp");
    assertThat(summary).hasText("3 leads");
    assertThat(page.locator("[data-band=HOT] .lead-name")).hasText(new String[] {"Kiran Patel", "Ravi Kumar"});
    assertThat(page).hasURL(Pattern.compile("/leads\\?channel=whatsapp$"));
    page.reload();
    assertThat(page.getByLabel("Channel")).hasValue("whatsapp");
    assertThat(summary).hasText("3 leads");

    // and Asha's WhatsApp leads only
    page.getByLabel("SDR", new Page.GetByLabelOptions().setExact(true)).selectOption(new String[] {"Asha Rao"});
    assertThat(summary).hasText("1 leads");
    assertThat(page.locator(".lead-name")).hasText(new String[] {"Ravi Kumar"});
    assertThat(page).hasURL(Pattern.compile("channel=whatsapp&assignedTo=" + data.asha));

    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Clear filters")).click();
    assertThat(summary).hasText("6 leads");
    page.getByLabel("Language").selectOption("ar");
    assertThat(summary).hasText("1 leads");
    assertThat(page.locator("[data-band=WARM] .lead-name")).hasText(new String[] {"فاطمة الصايغ"});
    page.getByLabel("Language").selectOption("en");
    assertThat(summary).hasText("3 leads");
    assertThat(page).hasURL(Pattern.compile("language=en"));
    BrowserFixture.screenshot(page, "leads-board-filtered");

    // a phone number asks the API (its blind index); a name narrows what is loaded
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Clear filters")).click();
    page.getByLabel("Search").fill("+91 98123 00104");
    assertThat(summary).hasText("1 leads");
    assertThat(page.locator(".lead-name")).hasText(new String[] {"Dana Cole"});
    page.getByLabel("Search").fill("meera");
    assertThat(summary).hasText("1 of 6 leads match");
    assertThat(page.locator(".lead-name")).hasText(new String[] {"Meera Shah"});
    page.reload();
    assertThat(page.getByLabel("Search")).hasValue("meera");
    assertThat(page.locator(".lead-name")).hasText(new String[] {"Meera Shah"});

    page.setViewportSize(360, 740);
    assertThat(page.getByLabel("Search")).isVisible();
    assertThat(BrowserFixture.horizontalOverflow(page)).as("horizontal overflow at 360 px").isLessThanOrEqualTo(0);
    // the sign-in's first attempt without the code is answered with a 401 asking for it; nothing else
    assertThat(tab.problems()).allSatisfy(problem -> assertThat(problem).contains("401"));
  }

  @Test
  void anSdrWorksTheirQueueSetsTheirPresenceAndSeesTheirAppointment() {
    BrowserFixture.Tab tab = browser.newTab();
    Page page = tab.page();
    BrowserFixture.signIn(page, engine.baseUrl(), BoardData.ASHA_EMAIL, BoardData.PASSWORD, null);
    BrowserFixture.open(page, "My queue");
    assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("My queue"))).isVisible();

    // most urgent first: the breached one, then by due time (Ravi was assigned before Dana)
    Locator mine = page.locator("section[aria-labelledby=queue-mine] tbody th");
    assertThat(mine).hasText(new String[] {"Meera Shah", "Ravi Kumar", "Dana Cole"});
    assertThat(page.locator("section[aria-labelledby=queue-breaches] tbody th")).hasText(new String[] {"Meera Shah"});
    assertThat(page.locator("section[aria-labelledby=queue-mine] tbody tr").nth(1).locator(".sla")).hasText(RUNNING);

    // two leads wait for an SDR: their bands and clocks, not who they are
    Locator waiting = page.locator("section[aria-labelledby=queue-waiting] .row");
    assertThat(waiting).hasCount(2);
    assertThat(page.locator("section[aria-labelledby=queue-waiting]")).not().containsText("Kiran");
    assertThat(page.locator(".summary")).hasText("3 leads · 1 SLA breaches · 2 waiting for an SDR");

    // presence: offline as the roster has it, then online through the desk
    Locator online = page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Online"));
    assertThat(page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Offline")))
        .hasAttribute("aria-pressed", "true");
    assertThat(page.getByText("3 of 3 leads in hand")).isVisible();
    online.click();
    assertThat(online).hasAttribute("aria-pressed", "true");
    TestEngine.eventually(() -> TestEngine.json(engine.get("/api/v1/tenants/" + data.tenant + "/sdrs/" + data.asha,
        data.admin)).path("presence").asText().equals("online"), "Asha online on the desk");

    // the appointment booked through the API, with the reminders still to go out (24 h and 1 h before)
    Locator appointment = page.locator("section[aria-labelledby=queue-appointments] .appointment");
    assertThat(appointment).hasCount(1);
    assertThat(appointment).containsText("Ravi Kumar");
    assertThat(appointment).containsText("Reminders at");
    BrowserFixture.screenshot(page, "queue");

    page.setViewportSize(360, 740);
    assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("My queue"))).isVisible();
    assertThat(BrowserFixture.horizontalOverflow(page)).as("horizontal overflow at 360 px").isLessThanOrEqualTo(0);
    assertThat(tab.problems()).isEmpty();
  }
}
