package io.flexoraa.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.flexoraa.engine.channel.ChannelAccount;
import io.flexoraa.engine.channel.ChannelAccountEntity;
import io.flexoraa.engine.identity.PhoneNormalizer;
import io.flexoraa.engine.lead.LeadModel;
import io.flexoraa.engine.ports.ChannelDirectory;
import io.flexoraa.engine.ports.ChannelDirectory.ChannelRoute;
import io.flexoraa.engine.ports.ChannelDirectory.RegisterOutcome;
import io.flexoraa.engine.ports.PiiCipher;
import io.flexoraa.engine.tenant.Tenant;
import io.flexoraa.engine.tenant.TenantEntity;
import io.flexoraa.http.Authenticator.Operator;
import io.flexoraa.http.Authenticator.Principal;
import io.flexoraa.http.Problems.InvalidInput;
import io.flexoraa.persistence.directory.JdbcUnroutedStore;
import io.flexoraa.persistence.readmodel.LeadQueries;
import io.flexoraa.persistence.readmodel.LeadViews.Page;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.HttpChallenge;
import org.apache.pekko.http.javadsl.model.headers.WWWAuthenticate;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;

/**
 * The REST API under {@code /api/v1}. Every request carries a bearer key; a tenant key reaches only its own tenant
 * (403 otherwise), unknown ids are 404, invalid input is 400 naming the field. Handlers only translate: HTTP to a
 * command or query, reply to HTTP.
 */
public final class ApiRoutes extends AllDirectives {
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  private static final Pattern EXTERNAL_ID = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
  private static final Set<String> CHANNELS = Set.of("whatsapp", "instagram", "messenger");
  private static final int MAX_LIMIT = 500;

  private final ClusterSharding sharding;
  private final Authenticator authenticator;
  private final ChannelDirectory directory;
  private final LeadQueries leads;
  private final JdbcUnroutedStore unrouted;
  private final PiiCipher cipher;
  private final List<String> plans;
  private final Duration askTimeout;
  private final PhoneNormalizer phones = new PhoneNormalizer();

  public ApiRoutes(
      ActorSystem<?> system, Authenticator authenticator, ChannelDirectory directory, LeadQueries leads,
      JdbcUnroutedStore unrouted, PiiCipher cipher, List<String> plans, Duration askTimeout) {
    this.sharding = ClusterSharding.get(system);
    this.authenticator = authenticator;
    this.directory = directory;
    this.leads = leads;
    this.unrouted = unrouted;
    this.cipher = cipher;
    this.plans = List.copyOf(plans);
    this.askTimeout = askTimeout;
  }

  public Route route() {
    return pathPrefix(PathMatchers.segment("api").slash("v1"), () -> authenticated(principal -> concat(
        pathPrefix("tenants", () -> concat(
            pathEnd(() -> post(() -> operatorOnly(principal, this::createTenant))),
            pathPrefix(PathMatchers.segment(), tenantId -> tenantScope(principal, tenantId)))),
        path(PathMatchers.segment("ops").slash("unrouted"), () -> get(() -> operatorOnly(principal, this::listUnrouted))))));
  }

  private Route authenticated(Function<Principal, Route> inner) {
    return optionalHeaderValueByName("Authorization", header -> {
      Optional<String> bearer = header
          .filter(value -> value.regionMatches(true, 0, "Bearer ", 0, 7))
          .map(value -> value.substring(7).trim());
      if (bearer.isEmpty()) return complete(unauthorized("an Authorization: Bearer <key> header is required"));
      return onSuccess(authenticator.authenticate(bearer.get()), principal -> principal.isPresent()
          ? inner.apply(principal.get())
          : complete(unauthorized("the key is not valid")));
    });
  }

  private static HttpResponse unauthorized(String detail) {
    return Problems.of(StatusCodes.UNAUTHORIZED, "Unauthorized", detail)
        .addHeader(WWWAuthenticate.create(HttpChallenge.create("Bearer", "flexoraa")));
  }

  private Route operatorOnly(Principal principal, java.util.function.Supplier<Route> inner) {
    return principal instanceof Operator ? inner.get() : complete(Problems.forbidden("only the operator key may do this"));
  }

  // ---- tenants ----

  private Route createTenant() {
    return entity(Unmarshaller.entityToString(), raw -> {
      JsonNode body = Json.object(raw);
      String name = Json.requiredText(body, "name", 200);
      String plan = Json.requiredText(body, "plan", 64);
      if (!plans.contains(plan)) throw new InvalidInput("plan", "plan must be one of " + plans);
      String region = Json.requiredText(body, "defaultRegion", 2).toUpperCase();
      if (!PhoneNormalizer.isKnownRegion(region)) {
        throw new InvalidInput("defaultRegion", "defaultRegion must be an ISO 3166 alpha-2 region such as IN");
      }
      String tenantId = UUID.randomUUID().toString();
      CompletionStage<Tenant.View> created = sharding.entityRefFor(TenantEntity.TYPE_KEY, tenantId)
          .askWithStatus(replyTo -> new Tenant.Create(tenantId, name, plan, region, replyTo), askTimeout);
      return onSuccess(created, view -> complete(Json.response(StatusCodes.CREATED, view)));
    });
  }

  private Route tenantScope(Principal principal, String tenantId) {
    if (!ID.matcher(tenantId).matches()) return complete(Problems.notFound("no such tenant"));
    if (!principal.mayAccessTenant(tenantId)) return complete(Problems.forbidden("this key belongs to another tenant"));
    CompletionStage<Tenant.Lookup> lookup = sharding.entityRefFor(TenantEntity.TYPE_KEY, tenantId)
        .ask(Tenant.Get::new, askTimeout);
    return onSuccess(lookup, found -> {
      if (found.tenant() == null) return complete(Problems.notFound("no such tenant"));
      Tenant.View tenant = found.tenant();
      return concat(
          pathEnd(() -> get(() -> complete(Json.response(StatusCodes.OK, tenant)))),
          path("channel-accounts", () -> concat(
              post(() -> registerChannelAccount(tenant)),
              get(() -> onSuccess(directory.ofTenant(tenantId), routes ->
                  complete(Json.response(StatusCodes.OK, page(routes, routes.size()))))))),
          path("api-keys", () -> post(() -> createApiKey(tenant))),
          path(PathMatchers.segment("api-keys").slash(PathMatchers.segment()), keyId -> delete(() -> revokeApiKey(tenant, keyId))),
          pathPrefix("leads", () -> leadRoutes(tenant)));
    });
  }

  private Route registerChannelAccount(Tenant.View tenant) {
    return entity(Unmarshaller.entityToString(), raw -> {
      JsonNode body = Json.object(raw);
      String channel = Json.requiredText(body, "channel", 16);
      if (!CHANNELS.contains(channel)) throw new InvalidInput("channel", "channel must be one of " + CHANNELS);
      String externalId = Json.matching("externalId", Json.requiredText(body, "externalId", 64), EXTERNAL_ID,
          "must be the platform's account id (letters, digits, '.', '_' or '-')");
      String displayName = Json.requiredText(body, "displayName", 200);
      String verifyToken = Json.requiredText(body, "verifyToken", 256);
      String businessAccountId = Json.optionalText(body, "businessAccountId", 64);
      if (businessAccountId != null) {
        Json.matching("businessAccountId", businessAccountId, EXTERNAL_ID, "must be the business account id");
      }
      ChannelRoute route =
          new ChannelRoute(tenant.id(), channel, externalId, businessAccountId, displayName, tenant.defaultRegion());
      CompletionStage<HttpResponse> response = directory.register(route, Secrets.sha256Hex(verifyToken))
          .thenCompose(outcome -> {
            if (outcome == RegisterOutcome.ALREADY_REGISTERED) {
              return CompletableFuture.completedFuture(Problems.of(StatusCodes.CONFLICT, "Already registered",
                  "this " + channel + " account is already registered"));
            }
            return sharding.entityRefFor(ChannelAccountEntity.TYPE_KEY,
                    ChannelAccountEntity.entityId(tenant.id(), channel, externalId))
                .<ChannelAccount.View>askWithStatus(replyTo -> new ChannelAccount.Register(
                    tenant.id(), channel, externalId, displayName, businessAccountId, replyTo), askTimeout)
                .thenApply(view -> Json.response(StatusCodes.CREATED, route));
          });
      return onSuccess(response, this::complete);
    });
  }

  private Route createApiKey(Tenant.View tenant) {
    return entity(Unmarshaller.entityToString(), raw -> {
      String name = Json.requiredText(Json.object(raw), "name", 200);
      String keyId = Secrets.random(9);
      String secret = Secrets.random(32);
      CompletionStage<org.apache.pekko.Done> created = sharding.entityRefFor(TenantEntity.TYPE_KEY, tenant.id())
          .askWithStatus(replyTo -> new Tenant.CreateApiKey(keyId, name, Secrets.sha256Hex(secret), replyTo), askTimeout);
      return onSuccess(created, done -> complete(Json.response(StatusCodes.CREATED,
          Map.of("id", keyId, "name", name, "key", Authenticator.newKey(tenant.id(), keyId, secret)))));
    });
  }

  private Route revokeApiKey(Tenant.View tenant, String keyId) {
    CompletionStage<org.apache.pekko.Done> revoked = sharding.entityRefFor(TenantEntity.TYPE_KEY, tenant.id())
        .askWithStatus(replyTo -> new Tenant.RevokeApiKey(keyId, replyTo), askTimeout);
    return onSuccess(revoked.thenApply(done -> {
      authenticator.forgetKeysOf(tenant.id(), keyId);
      return done;
    }), done -> complete(StatusCodes.NO_CONTENT));
  }

  // ---- leads ----

  private Route leadRoutes(Tenant.View tenant) {
    return concat(
        pathEnd(() -> get(() -> paging((limit, offset) -> parameterOptional("phone", phone -> {
          Optional<String> phoneFilter = phone.map(raw -> phones.normalize(raw, tenant.defaultRegion())
              .map(PhoneNormalizer.NormalizedPhone::e164)
              .orElseThrow(() -> new InvalidInput("phone", "phone is not a phone number")));
          CompletionStage<Optional<String>> phoneIndex = phoneFilter.isEmpty()
              ? CompletableFuture.completedFuture(Optional.empty())
              : cipher.blindIndex(tenant.id()).thenApply(index -> Optional.of(index.of(LeadModel.PHONE, phoneFilter.get())));
          return onSuccess(phoneIndex.thenCompose(index -> leads.list(tenant.id(), limit, offset, index)),
              result -> complete(Json.response(StatusCodes.OK, result)));
        })))),
        pathPrefix(PathMatchers.segment(), leadId -> concat(
            pathEnd(() -> get(() -> onSuccess(leads.get(tenant.id(), leadId), lead -> lead
                .map(view -> complete(Json.response(StatusCodes.OK, view)))
                .orElseGet(() -> complete(Problems.notFound("no such lead")))))),
            path("messages", () -> get(() -> paging((limit, offset) ->
                onSuccess(leads.get(tenant.id(), leadId), lead -> lead.isEmpty()
                    ? complete(Problems.notFound("no such lead"))
                    : onSuccess(leads.messages(tenant.id(), leadId, limit, offset),
                        messages -> complete(Json.response(StatusCodes.OK, messages))))))))));
  }

  private Route listUnrouted() {
    return paging((limit, offset) -> onSuccess(
        unrouted.list(limit, offset).thenCombine(unrouted.count(), (rows, total) -> new Page<>(
            rows.stream().map(row -> Map.of(
                "id", row.id(), "source", row.source(), "reason", row.reason(),
                "accountRef", row.accountRef() == null ? "" : row.accountRef(),
                "payload", readJson(row.payload()), "receivedAt", row.receivedAt())).toList(),
            total)),
        page -> complete(Json.response(StatusCodes.OK, page))));
  }

  private static Object readJson(String json) {
    try {
      return Json.MAPPER.readTree(json);
    } catch (Exception e) {
      return json;
    }
  }

  private Route paging(java.util.function.BiFunction<Integer, Integer, Route> inner) {
    return parameterOptional("limit", limit -> parameterOptional("offset", offset ->
        inner.apply(number("limit", limit, 50, 1, MAX_LIMIT), number("offset", offset, 0, 0, Integer.MAX_VALUE))));
  }

  private static int number(String field, Optional<String> raw, int fallback, int min, int max) {
    if (raw.isEmpty()) return fallback;
    try {
      int value = Integer.parseInt(raw.get());
      if (value < min || value > max) throw new InvalidInput(field, field + " must be between " + min + " and " + max);
      return value;
    } catch (NumberFormatException e) {
      throw new InvalidInput(field, field + " must be a whole number");
    }
  }

  private static <T> Page<T> page(List<T> items, long total) {
    return new Page<>(items, total);
  }
}
