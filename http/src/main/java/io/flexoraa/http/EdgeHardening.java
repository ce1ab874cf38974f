package io.flexoraa.http;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;
import org.apache.pekko.http.cors.javadsl.CorsDirectives;
import org.apache.pekko.http.cors.javadsl.CorsRejection;
import org.apache.pekko.http.cors.javadsl.model.HttpHeaderRange;
import org.apache.pekko.http.cors.javadsl.model.HttpOriginMatcher;
import org.apache.pekko.http.cors.javadsl.settings.CorsSettings;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpMethod;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.RequestEntity;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.HttpOrigin;
import org.apache.pekko.http.javadsl.model.headers.Origin;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.RejectionHandler;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.scaladsl.model.EntityStreamSizeException;

/**
 * The outermost layer of the HTTP edge: what every response carries and what every request may bring, whichever
 * route answers it (issue "HTTP hardening"). Browsers get headers that forbid sniffing, framing, referrers and
 * anything the API does not need; cross-origin access is exactly what configuration allows; no request body is read
 * past its limit.
 *
 * <p>It goes outside {@link EdgeErrors#seal}: the sealed route turns every rejection and exception into a finished
 * response, so the headers added here reach 404, 405, 413 and 500 answers too. Inside the seal they would miss
 * everything the rejection and exception handlers produce. What this layer itself refuses (a CORS preflight, an
 * oversized body) it answers with the same problem+json, through the same handlers.
 *
 * <p>The security headers are defaults: a route that sets its own (the dashboard's pages need a wider
 * Content-Security-Policy) keeps it.
 */
public final class EdgeHardening extends AllDirectives {
  /** Webhook bodies are read, limited (3 MB, Meta's maximum) and counted by {@link WebhookRoutes} itself. */
  private static final String WEBHOOK_PATHS = "/webhooks/";
  /** The CSV lead import streams its body, under a limit of its own ({@code lead-import.max-body-bytes}). */
  private static final Pattern LEAD_IMPORT_PATH = Pattern.compile("/api/v1/tenants/[^/]+/leads/import/?");
  private static final String API_PATH = "/api";
  private static final Pattern ORIGIN = Pattern.compile("[a-zA-Z][a-zA-Z0-9+.-]*://[^/?#\\s]+");

  private final Settings settings;
  private final List<HttpHeader> securityHeaders;
  private final HttpHeader noStore = RawHeader.create("Cache-Control", "no-store");
  private final HttpOriginMatcher allowedOrigins;
  private final CorsSettings cors;

  public EdgeHardening(Settings settings) {
    this.settings = settings;
    this.securityHeaders = securityHeaders(settings);
    this.allowedOrigins = settings.allowedOrigins().contains("*")
        ? HttpOriginMatcher.ALL
        : HttpOriginMatcher.strict(settings.allowedOrigins().stream().map(HttpOrigin::parse).toArray(HttpOrigin[]::new));
    this.cors = CorsSettings.defaultSettings()
        .withAllowGenericHttpRequests(true)
        .withAllowCredentials(settings.allowCredentials())
        .withAllowedOrigins(allowedOrigins)
        .withAllowedMethods(settings.allowedMethods().stream().map(EdgeHardening::method).toList())
        .withAllowedHeaders(HttpHeaderRange.create(settings.allowedHeaders().toArray(String[]::new)))
        .withExposedHeaders(List.of())
        .withMaxAge(OptionalLong.of(settings.corsMaxAge().toSeconds()));
  }

  public static EdgeHardening fromConfig(Config config) {
    return new EdgeHardening(Settings.fromConfig(config));
  }

  /** Everything the node serves, hardened; {@code inner} is expected to be sealed by {@link EdgeErrors#seal}. */
  public Route wrap(Route inner) {
    return respondWithDefaultHeaders(securityHeaders, () -> noStoreUnderApi(() -> sealed(
        crossOrigin(() -> limitedBody(inner)))));
  }

  // ---- headers ----

  private static List<HttpHeader> securityHeaders(Settings settings) {
    List<HttpHeader> headers = new ArrayList<>(List.of(
        RawHeader.create("X-Content-Type-Options", "nosniff"),
        RawHeader.create("X-Frame-Options", "DENY"),
        RawHeader.create("Referrer-Policy", "no-referrer")));
    // an empty value in configuration leaves the header out (HSTS, for one, belongs to whoever terminates TLS)
    if (!settings.contentSecurityPolicy().isBlank()) {
      headers.add(RawHeader.create("Content-Security-Policy", settings.contentSecurityPolicy()));
    }
    if (!settings.strictTransportSecurity().isBlank()) {
      headers.add(RawHeader.create("Strict-Transport-Security", settings.strictTransportSecurity()));
    }
    if (!settings.permissionsPolicy().isBlank()) {
      headers.add(RawHeader.create("Permissions-Policy", settings.permissionsPolicy()));
    }
    return List.copyOf(headers);
  }

  /** API answers carry tenant data: no browser or proxy may keep a copy. */
  private Route noStoreUnderApi(Supplier<Route> inner) {
    return extractRequest(request -> isUnder(request, API_PATH)
        ? respondWithDefaultHeader(noStore, inner)
        : inner.get());
  }

  private static boolean isUnder(HttpRequest request, String prefix) {
    String path = request.getUri().path();
    return path.equals(prefix) || path.startsWith(prefix.endsWith("/") ? prefix : prefix + "/");
  }

  // ---- failures of this layer ----

  private Route sealed(Route route) {
    RejectionHandler corsRefusals = RejectionHandler.newBuilder()
        .handle(CorsRejection.class, rejection -> complete(Problems.of(StatusCodes.FORBIDDEN, "Forbidden",
            "cross-origin request refused: " + reason(rejection.cause()))))
        .build();
    return route.seal(corsRefusals.withFallback(EdgeErrors.rejections()), EdgeErrors.exceptions());
  }

  /** Why, without echoing what the browser sent. */
  private static String reason(CorsRejection.Cause cause) {
    if (cause instanceof CorsRejection.InvalidOrigin) return "this origin is not allowed";
    if (cause instanceof CorsRejection.InvalidMethod) return "this method is not allowed";
    if (cause instanceof CorsRejection.InvalidHeaders) return "these request headers are not allowed";
    return "the CORS request is malformed";
  }

  // ---- CORS ----

  /**
   * A preflight goes to the CORS directive, which answers it (200 with the CORS headers, or a rejection: 403). An
   * actual request from an allowed origin gets the CORS headers. An actual request from any other origin is served
   * as if it had no Origin, without CORS headers, so the browser keeps the answer from the page: refusing it
   * outright would also refuse the engine's own pages (browsers send Origin on same-origin POSTs), and the API's
   * bearer keys are never sent by a browser on its own, so there is nothing to forge.
   */
  private Route crossOrigin(Supplier<Route> inner) {
    return extractRequest(request -> {
      Optional<Origin> origin = request.getHeader(Origin.class);
      if (origin.isEmpty()) return inner.get();
      boolean preflight = request.method().equals(HttpMethods.OPTIONS)
          && request.getHeader("Access-Control-Request-Method").isPresent();
      return preflight || allowed(origin.get()) ? CorsDirectives.cors(cors, inner) : inner.get();
    });
  }

  private boolean allowed(Origin origin) {
    List<HttpOrigin> origins = StreamSupport.stream(origin.getOrigins().spliterator(), false).toList();
    return !origins.isEmpty() && origins.stream().allMatch(allowedOrigins::matches);
  }

  private static HttpMethod method(String name) {
    return HttpMethods.lookup(name.toUpperCase(Locale.ROOT))
        .orElseThrow(() -> new IllegalArgumentException("flexoraa.http.cors.allowed-methods: unknown method " + name));
  }

  // ---- request bodies ----

  /**
   * A declared Content-Length over the limit is refused before a byte is read; a body of unknown length (chunked)
   * is read up to the limit and refused there. Either way 413, and the routes get the body whole (strict), so no
   * route can forget the limit or meet it half-way through its own parsing. The one exception is the CSV lead import:
   * its body is streamed to the route (rows are stored while the file arrives) with its own, larger limit on the
   * stream, which fails there with the same EntityStreamSizeException the route reports.
   */
  private Route limitedBody(Route inner) {
    return extractRequest(request -> {
      if (isUnder(request, WEBHOOK_PATHS)) return inner;
      if (LEAD_IMPORT_PATH.matcher(request.getUri().path()).matches()) return streamedImport(request, inner);
      long limit = settings.apiMaxBodyBytes();
      HttpEntity entity = request.entity();
      OptionalLong declared = entity.getContentLengthOption();
      if (declared.isPresent() && declared.getAsLong() > limit) return complete(payloadTooLarge());
      if (entity.isKnownEmpty() || entity instanceof HttpEntity.Strict) return inner;
      // the entity's size limit fails its stream with EntityStreamSizeException past the limit; toStrict's own
      // maximum (one byte more, so it never fires first) would fail with a generic EntityStreamException instead
      return extractMaterializer(materializer -> onComplete(
          entity.withSizeLimit(limit).toStrict(settings.bodyReadTimeout().toMillis(), limit + 1, materializer),
          read -> read.isSuccess()
              ? mapRequest(original -> original.withEntity((RequestEntity) read.get()), () -> inner)
              : complete(unreadable(read.failed().get()))));
    });
  }

  private Route streamedImport(HttpRequest request, Route inner) {
    long limit = settings.importMaxBodyBytes();
    OptionalLong declared = request.entity().getContentLengthOption();
    if (declared.isPresent() && declared.getAsLong() > limit) return complete(payloadTooLarge(limit));
    return mapRequest(original -> original.withEntity((RequestEntity) original.entity().withSizeLimit(limit)),
        () -> inner);
  }

  private HttpResponse payloadTooLarge() {
    return payloadTooLarge(settings.apiMaxBodyBytes());
  }

  private static HttpResponse payloadTooLarge(long limit) {
    return Problems.of(StatusCodes.PAYLOAD_TOO_LARGE, "Payload too large",
        "request bodies are limited to " + limit + " bytes");
  }

  private HttpResponse unreadable(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
      if (cause instanceof EntityStreamSizeException) return payloadTooLarge();
      if (cause instanceof TimeoutException) {
        return Problems.of(StatusCodes.REQUEST_TIMEOUT, "Request timeout",
            "the request body did not arrive within " + settings.bodyReadTimeout().toSeconds() + " s");
      }
    }
    return Problems.badRequest("body", "the request body could not be read");
  }

  /**
   * Configuration of the hardening, section {@code flexoraa.http} (see application.conf). Invalid combinations fail
   * at start rather than at the first browser request.
   */
  public record Settings(
      String contentSecurityPolicy,
      String strictTransportSecurity,
      String permissionsPolicy,
      List<String> allowedOrigins,
      boolean allowCredentials,
      List<String> allowedMethods,
      List<String> allowedHeaders,
      Duration corsMaxAge,
      long apiMaxBodyBytes,
      Duration bodyReadTimeout,
      long importMaxBodyBytes) {

    public Settings {
      allowedOrigins = List.copyOf(allowedOrigins);
      allowedMethods = List.copyOf(allowedMethods);
      allowedHeaders = List.copyOf(allowedHeaders);
      if (allowedOrigins.contains("*") && allowCredentials) {
        // browsers refuse it, and it would mean any site may act with the user's credentials
        throw new IllegalArgumentException(
            "flexoraa.http.cors: allowed-origins \"*\" cannot be combined with allow-credentials = true");
      }
      for (String origin : allowedOrigins) {
        if (!origin.equals("*") && !validOrigin(origin)) {
          throw new IllegalArgumentException("flexoraa.http.cors.allowed-origins: \"" + origin
              + "\" is not an origin; expected scheme://host[:port] without a path, such as https://app.example.com");
        }
      }
      allowedMethods.forEach(EdgeHardening::method);
      if (apiMaxBodyBytes <= 0) throw new IllegalArgumentException("flexoraa.http.api-max-body-bytes must be positive");
      if (importMaxBodyBytes <= 0) {
        throw new IllegalArgumentException("flexoraa.http.lead-import.max-body-bytes must be positive");
      }
      if (corsMaxAge.isNegative()) throw new IllegalArgumentException("flexoraa.http.cors.max-age must not be negative");
    }

    public static Settings fromConfig(Config root) {
      Config http = root.getConfig("flexoraa.http");
      Config headers = http.getConfig("security-headers");
      Config cors = http.getConfig("cors");
      return new Settings(
          headers.getString("content-security-policy"),
          headers.getString("strict-transport-security"),
          headers.getString("permissions-policy"),
          listOrCommaSeparated(cors, "allowed-origins"),
          cors.getBoolean("allow-credentials"),
          cors.getStringList("allowed-methods"),
          cors.getStringList("allowed-headers"),
          cors.getDuration("max-age"),
          http.getBytes("api-max-body-bytes"),
          http.getDuration("body-read-timeout"),
          http.getBytes("lead-import.max-body-bytes"));
    }

    /** A list in HOCON, or a comma-separated string from an environment variable. */
    private static List<String> listOrCommaSeparated(Config config, String path) {
      if (config.getValue(path).valueType() == ConfigValueType.LIST) return config.getStringList(path);
      return Arrays.stream(config.getString(path).split(",")).map(String::trim).filter(value -> !value.isEmpty()).toList();
    }

    private static boolean validOrigin(String origin) {
      if (!ORIGIN.matcher(origin).matches()) return false;
      try {
        HttpOrigin.parse(origin);
        return true;
      } catch (RuntimeException unparsable) {
        return false;
      }
    }
  }
}
