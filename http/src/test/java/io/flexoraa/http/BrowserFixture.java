package io.flexoraa.http;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.AriaRole;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What every dashboard browser test needs: Debian's chromium driven by Playwright for Java (as DEPENDENCIES.md
 * says: no browser download, the flags that work here), pages that record console errors, signing in through the
 * form, screenshots for the README, and leads submitted the way a client would (retrying a 429).
 *
 * <p>Without chromium the test fails, saying how to install it: a browser test that skips would let the dashboard
 * break unnoticed. {@code .ci/run} installs it.
 */
final class BrowserFixture implements AutoCloseable {
  static final Path CHROMIUM = Paths.get("/usr/bin/chromium");
  static final List<String> CHROMIUM_ARGS = List.of("--no-sandbox", "--disable-gpu", "--disable-quic",
      "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync");
  static final Path SCREENSHOTS = Paths.get("..", "docs", "screenshots");

  private final Playwright playwright;
  private final BrowserContext browser;

  private BrowserFixture(Playwright playwright, BrowserContext browser) {
    this.playwright = playwright;
    this.browser = browser;
  }

  /** Chromium with its own profile in {@code userDataDirectory}, 1280 × 800. */
  static BrowserFixture launch(Path userDataDirectory) {
    assertThat(Files.isExecutable(CHROMIUM))
        .withFailMessage("the browser tests need Debian's chromium at %s: apt-get install -y chromium "
            + "(.ci/run installs it); see ../shared/spec/DEPENDENCIES.md, \"Browser tests\"", CHROMIUM)
        .isTrue();
    Playwright playwright = Playwright.create(new Playwright.CreateOptions()
        .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
    BrowserContext browser = playwright.chromium().launchPersistentContext(userDataDirectory,
        new BrowserType.LaunchPersistentContextOptions()
            .setExecutablePath(CHROMIUM)
            .setArgs(CHROMIUM_ARGS)
            .setHeadless(true)
            .setViewportSize(1280, 800));
    return new BrowserFixture(playwright, browser);
  }

  BrowserContext context() {
    return browser;
  }

  /** A page, and where its console errors and uncaught exceptions go (assert on the list at the end). */
  record Tab(Page page, List<String> problems) {}

  Tab newTab() {
    Page page = browser.newPage();
    List<String> problems = new CopyOnWriteArrayList<>();
    page.onConsoleMessage(message -> {
      if (message.type().equals("error")) problems.add(message.text());
    });
    page.onPageError(problems::add);
    return new Tab(page, problems);
  }

  /**
   * Signs in through the form at {@code baseUrl}: e-mail, password and, when {@code totpSecret} is set, the code an
   * authenticator app shows now. Returns once the main navigation is shown.
   */
  static void signIn(Page page, String baseUrl, String email, String password, String totpSecret) {
    page.navigate(baseUrl + "/");
    page.getByLabel("E-mail").fill(email);
    page.getByLabel("Password").fill(password);
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();
    if (totpSecret != null) {
      Locator code = page.getByLabel("Authenticator code");
      assertThat(code).isVisible();
      code.fill(TestEngine.totp(totpSecret, TestEngine.totpStep()));
      page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();
    }
    assertThat(page.getByRole(AriaRole.NAVIGATION, new Page.GetByRoleOptions().setName("Main"))).isVisible();
  }

  /** Follows the main navigation's link named {@code name} (Inbox, Leads, My queue, Tokens...). */
  static void open(Page page, String name) {
    page.getByRole(AriaRole.NAVIGATION, new Page.GetByRoleOptions().setName("Main"))
        .getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName(name).setExact(true)).click();
  }

  /** A full-page screenshot at {@code docs/screenshots/<name>.png}, for the README. */
  static void screenshot(Page page, String name) {
    try {
      Files.createDirectories(SCREENSHOTS);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve(name + ".png")).setFullPage(true));
  }

  /** How far the page runs off the side of the viewport, in CSS pixels (0 or less: it fits). */
  static int horizontalOverflow(Page page) {
    Object overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
    return ((Number) overflow).intValue();
  }

  /**
   * Submits a lead as a web form would ({@code POST /leads} with the operator key) and returns its id. The
   * cluster's rate budget grants nothing for one lease after start (decision 14) and the tenant takes 5/s: a 429 is
   * retried as a client would.
   */
  static String submitLead(TestEngine engine, String tenant, String name, String phone) {
    @SuppressWarnings("unchecked")
    HttpResponse<String>[] answer = new HttpResponse[1];
    TestEngine.eventually(() -> {
      answer[0] = engine.post("/api/v1/tenants/" + tenant + "/leads", TestEngine.OPERATOR_KEY,
          "{\"name\":\"" + name + "\",\"phone\":\"" + phone + "\",\"source\":\"website\"}");
      return answer[0].statusCode() != 429;
    }, "lead " + name + " admitted");
    assertThat(answer[0].statusCode()).as(answer[0].body()).isEqualTo(201);
    return TestEngine.json(answer[0]).get("leadId").asText();
  }

  @Override
  public void close() {
    browser.close();
    playwright.close();
  }
}
