package io.flexoraa.http;

import io.flexoraa.engine.tenant.Tenant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.Allow;
import org.apache.pekko.http.javadsl.model.headers.HttpChallenge;
import org.apache.pekko.http.javadsl.model.headers.WWWAuthenticate;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Serves {@code /api/v1} from the {@link Endpoint} table: matches the path against the templates, authenticates,
 * applies the one access decision ({@link #decide}), loads the tenant named in the path, then hands over to the
 * endpoint's handler. Construction fails when an endpoint has no handler, so nothing is reachable that the table
 * does not guard and nothing in the table is left unserved.
 */
final class ApiRouter extends AllDirectives {
  private static final Pattern PATH_VARIABLE = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  @FunctionalInterface
  interface Handler {
    Route handle(Call call);
  }

  /** One request to one endpoint; {@code principal} is null only for public endpoints, {@code tenant} only when the path names none. */
  record Call(Endpoint endpoint, Principal principal, Map<String, String> variables, Tenant.View tenant) {
    String variable(String name) {
      return variables.get(name);
    }
  }

  private final Map<Endpoint, Handler> handlers;
  private final Authenticator authenticator;
  private final Function<String, CompletionStage<Optional<Tenant.View>>> tenants;

  ApiRouter(List<Map<Endpoint, Handler>> handlerGroups, Authenticator authenticator,
      Function<String, CompletionStage<Optional<Tenant.View>>> tenants) {
    Map<Endpoint, Handler> all = new EnumMap<>(Endpoint.class);
    for (Map<Endpoint, Handler> group : handlerGroups) {
      group.forEach((endpoint, handler) -> {
        if (all.put(endpoint, handler) != null) throw new IllegalStateException("two handlers for " + endpoint);
      });
    }
    Set<Endpoint> missing = EnumSet.allOf(Endpoint.class);
    missing.removeAll(all.keySet());
    if (!missing.isEmpty()) throw new IllegalStateException("endpoints without a handler: " + missing);
    this.handlers = Collections.unmodifiableMap(all);
    this.authenticator = authenticator;
    this.tenants = tenants;
  }

  Route route() {
    return pathPrefix(PathMatchers.segment("api").slash("v1"), () -> extractMethod(method ->
        extractUnmatchedPath(path -> dispatch(method.name(), path))));
  }

  private Route dispatch(String method, String path) {
    List<String> segments = Arrays.stream(path.split("/")).filter(segment -> !segment.isEmpty()).toList();
    List<Match> matches = new ArrayList<>();
    for (Endpoint endpoint : Endpoint.values()) {
      Map<String, String> variables = match(endpoint.segments(), segments);
      if (variables != null) matches.add(new Match(endpoint, variables));
    }
    if (matches.isEmpty()) return complete(Problems.notFound("no such resource"));
    int bestSpecificity = matches.stream().mapToInt(Match::literals).max().orElseThrow();
    List<Match> best = matches.stream().filter(match -> match.literals() == bestSpecificity).toList();
    Optional<Match> chosen = best.stream().filter(match -> match.endpoint().method().equals(method)).findFirst();
    if (chosen.isEmpty()) {
      List<org.apache.pekko.http.javadsl.model.HttpMethod> allowed = best.stream()
          .map(match -> HttpMethods.lookup(match.endpoint().method()).orElseThrow()).distinct().toList();
      return complete(Problems.of(StatusCodes.METHOD_NOT_ALLOWED, "Method not allowed",
              method + " is not supported here; use " + best.stream().map(m -> m.endpoint().method()).distinct()
                  .collect(Collectors.joining(", ")))
          .addHeader(Allow.create(allowed.toArray(org.apache.pekko.http.javadsl.model.HttpMethod[]::new))));
    }
    return serve(chosen.get());
  }

  private record Match(Endpoint endpoint, Map<String, String> variables) {
    int literals() {
      return endpoint.segments().size() - variables.size();
    }
  }

  /** The template's variables bound to the path's segments, or null when the path does not fit the template. */
  private static Map<String, String> match(List<String> template, List<String> segments) {
    if (template.size() != segments.size()) return null;
    Map<String, String> variables = new LinkedHashMap<>();
    for (int i = 0; i < template.size(); i++) {
      String expected = template.get(i);
      String actual = segments.get(i);
      if (expected.startsWith("{")) {
        if (!PATH_VARIABLE.matcher(actual).matches()) return null;
        variables.put(expected.substring(1, expected.length() - 1), actual);
      } else if (!expected.equals(actual)) {
        return null;
      }
    }
    return variables;
  }

  private Route serve(Match match) {
    Endpoint endpoint = match.endpoint();
    if (endpoint.access() == Endpoint.Access.PUBLIC) {
      return handlers.get(endpoint).handle(new Call(endpoint, null, match.variables(), null));
    }
    return optionalHeaderValueByName("Authorization", header -> {
      Optional<String> bearer = header
          .filter(value -> value.regionMatches(true, 0, "Bearer ", 0, 7))
          .map(value -> value.substring(7).trim());
      if (bearer.isEmpty()) return complete(unauthorized("an Authorization: Bearer <key or token> header is required"));
      return onSuccess(authenticator.authenticate(bearer.get()), principal -> {
        if (principal.isEmpty()) return complete(unauthorized("the key or token is not valid, expired or revoked"));
        String tenantId = match.variables().get("tenant");
        Optional<HttpResponse> denial = decide(principal.get(), endpoint, tenantId);
        if (denial.isPresent()) return complete(denial.get());
        if (tenantId == null) return handlers.get(endpoint).handle(new Call(endpoint, principal.get(), match.variables(), null));
        return onSuccess(tenants.apply(tenantId), tenant -> tenant
            .map(view -> handlers.get(endpoint).handle(new Call(endpoint, principal.get(), match.variables(), view)))
            .orElseGet(() -> complete(Problems.notFound("no such tenant"))));
      });
    });
  }

  /**
   * The access decision for an authenticated caller, or empty when allowed. Order matters for what the caller
   * learns: an unfinished second factor first, then the tenant boundary, then the role.
   */
  static Optional<HttpResponse> decide(Principal principal, Endpoint endpoint, String tenantId) {
    boolean awaitingSecondFactor = principal instanceof Principal.User user && user.awaitingSecondFactor();
    switch (endpoint.access()) {
      case PUBLIC:
        return Optional.empty();
      case SELF_BEFORE_SECOND_FACTOR:
        return principal instanceof Principal.User
            ? Optional.empty()
            : Optional.of(Problems.forbidden("only a signed-in person can do this"));
      case SELF:
        if (!(principal instanceof Principal.User)) return Optional.of(Problems.forbidden("only a signed-in person can do this"));
        return awaitingSecondFactor ? Optional.of(secondFactorRequired()) : Optional.empty();
      case OPERATOR:
        return principal instanceof Principal.Operator
            ? Optional.empty()
            : Optional.of(Problems.forbidden("only the platform operator may do this"));
      case PERMISSION:
      default:
        if (awaitingSecondFactor) return Optional.of(secondFactorRequired());
        if (tenantId == null || !principal.mayAccessTenant(tenantId)) {
          return Optional.of(Problems.forbidden("these credentials belong to another tenant"));
        }
        if (!principal.holds(endpoint.permission())) {
          return Optional.of(Problems.forbidden("your role may not " + endpoint.permission().action().name().toLowerCase()
              + " " + endpoint.permission().resource().name().toLowerCase().replace('_', ' ')));
        }
        return Optional.empty();
    }
  }

  private static HttpResponse secondFactorRequired() {
    return Problems.of(StatusCodes.FORBIDDEN, "Second factor required",
        "admins and managers must enrol and verify a TOTP authenticator (POST /api/v1/auth/mfa/enroll, then /verify) first");
  }

  private static HttpResponse unauthorized(String detail) {
    return Problems.of(StatusCodes.UNAUTHORIZED, "Unauthorized", detail)
        .addHeader(WWWAuthenticate.create(HttpChallenge.create("Bearer", "flexoraa")));
  }
}
