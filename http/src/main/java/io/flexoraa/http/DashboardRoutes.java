package io.flexoraa.http;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The dashboard (issue 8, decision 33), served by the engine itself: its pages, scripts and strings from the jar's
 * {@code dashboard/} folder, the front-end library from its WebJar ({@code META-INF/resources/webjars/}), and
 * {@code index.html} for every other page path, so that a link such as {@code /leads} opens the single-page app at
 * that page. The pages only ever call the REST API; nothing here reads a projection itself.
 *
 * <p>It goes last among the node's routes: the API, webhooks and probes answer first, and paths under their prefixes
 * are never given the page (an unknown {@code /api/...} stays a 404 problem). The pages set their own
 * Content-Security-Policy, which {@link EdgeHardening} keeps in place of the API's {@code default-src 'none'}; the
 * other security headers still come from there. Paths that try to climb out of a folder ({@code ..}, an encoded
 * slash) match no resource and no page, so they are 404.
 */
public final class DashboardRoutes extends AllDirectives {
  private static final String PAGES = "dashboard";
  private static final String WEBJARS = "META-INF/resources/webjars";
  /** First path segments of the node's other routes: the API, webhooks and probes. */
  private static final Set<String> OTHER_ROUTES = Set.of("api", "webhooks", "live", "ready", "health", "metrics");
  /** ...and of the dashboard's own files: a missing file there is a 404, not the page. */
  private static final Set<String> NOT_PAGES = union(OTHER_ROUTES, Set.of("webjars", "app", "i18n"));
  /** A page path: plain segments such as {@code leads} or {@code inbox/lead-42}; a file name (with a dot) is not. */
  private static final Pattern PAGE_PATH = Pattern.compile("(/[A-Za-z0-9_-]+)+/?");

  private final List<HttpHeader> pageHeaders;
  private final List<HttpHeader> webjarHeaders;

  public DashboardRoutes(Settings settings) {
    this.pageHeaders = List.of(
        RawHeader.create("Content-Security-Policy", settings.contentSecurityPolicy()),
        // revalidated on every load (Last-Modified), so a new engine version reaches the browser at once
        RawHeader.create("Cache-Control", "no-cache"));
    this.webjarHeaders = List.of(
        RawHeader.create("Content-Security-Policy", settings.contentSecurityPolicy()),
        RawHeader.create("Cache-Control", "public, max-age=" + settings.webjarsMaxAge().toSeconds() + ", immutable"));
  }

  public static DashboardRoutes fromConfig(Config config) {
    return new DashboardRoutes(Settings.fromConfig(config));
  }

  public Route route() {
    // paths of the other routes are left alone whatever the method: a POST to an unknown API path stays a 404, not
    // a 405 for want of GET here
    return extractUnmatchedPath(path -> OTHER_ROUTES.contains(firstSegment(path)) ? reject() : get(() -> concat(
        pathPrefix("webjars", () -> respondWithHeaders(webjarHeaders, () -> getFromResourceDirectory(WEBJARS))),
        respondWithHeaders(pageHeaders, () -> concat(
            pathSingleSlash(this::index),
            getFromResourceDirectory(PAGES),
            extractUnmatchedPath(page -> isPagePath(page) ? index() : reject()))))));
  }

  private Route index() {
    return getFromResource(PAGES + "/index.html", ContentTypes.TEXT_HTML_UTF8);
  }

  static boolean isPagePath(String path) {
    return PAGE_PATH.matcher(path).matches() && !NOT_PAGES.contains(firstSegment(path));
  }

  private static Set<String> union(Set<String> first, Set<String> second) {
    Set<String> all = new java.util.HashSet<>(first);
    all.addAll(second);
    return Set.copyOf(all);
  }

  private static String firstSegment(String path) {
    String relative = path.startsWith("/") ? path.substring(1) : path;
    int slash = relative.indexOf('/');
    return slash < 0 ? relative : relative.substring(0, slash);
  }

  /** Section {@code flexoraa.http.dashboard} of the configuration. */
  public record Settings(String contentSecurityPolicy, Duration webjarsMaxAge) {
    public Settings {
      if (contentSecurityPolicy.isBlank()) {
        throw new IllegalArgumentException("flexoraa.http.dashboard.content-security-policy must not be empty");
      }
      if (webjarsMaxAge.isNegative()) {
        throw new IllegalArgumentException("flexoraa.http.dashboard.webjars-max-age must not be negative");
      }
    }

    public static Settings fromConfig(Config root) {
      Config dashboard = root.getConfig("flexoraa.http.dashboard");
      return new Settings(dashboard.getString("content-security-policy"), dashboard.getDuration("webjars-max-age"));
    }
  }
}
