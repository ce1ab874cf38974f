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
import io.flexoraa.engine.access.AccessPolicy;
import io.flexoraa.engine.access.Role;
import io.flexoraa.http.Problems.InvalidInput;
import io.flexoraa.persistence.directory.JdbcChannelCredentials;
import io.flexoraa.persistence.directory.JdbcUnroutedStore;
import io.flexoraa.persistence.readmodel.LeadQueries;
import io.flexoraa.persistence.readmodel.LeadViews.Page;
import java.time.Duration;
import java.util.List;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;

/**
 * The core endpoints of {@code /api/v1} (tenants, channel accounts, API keys, leads, unrouted webhooks). Access is
 * decided before a handler runs ({@link ApiRouter}); unknown ids are 404, invalid input is 400 naming the field.
 * Handlers only translate: HTTP to a command or query, reply to HTTP.
 */
public final class ApiRoutes extends AllDirectives {
  private static final Pattern EXTERNAL_ID = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
  static final Set<String> CHANNELS = Set.of("whatsapp", "instagram", "messenger");
  private static final int MAX_LIMIT = 500;

  private final ClusterSharding sharding;
  private final Authenticator authenticator;
  private final ChannelDirectory directory;
  private final LeadQueries leads;
  private final JdbcUnroutedStore unrouted;
  private final JdbcChannelCredentials credentials;
  private final PiiCipher cipher;
  private final List<String> plans;
  private final Duration askTimeout;
  private final PhoneNormalizer phones = new PhoneNormalizer();

  public ApiRoutes(
      ActorSystem<?> system, Authenticator authenticator, ChannelDirectory directory, LeadQueries leads,
      JdbcUnroutedStore unrouted, JdbcChannelCredentials credentials, PiiCipher cipher, List<String> plans,
      Duration askTimeout) {
    this.sharding = ClusterSharding.get(system);
    this.authenticator = authenticator;
    this.directory = directory;
    this.leads = leads;
    this.unrouted = unrouted;
    this.credentials = credentials;
    this.cipher = cipher;
    this.plans = List.copyOf(plans);
    this.askTimeout = askTimeout;
  }

  /** The handlers of the core endpoints: tenants, channel accounts, API keys, leads, unrouted webhooks. */
  Map<Endpoint, ApiRouter.Handler> handlers() {
    Map<Endpoint, ApiRouter.Handler> handlers = new EnumMap<>(Endpoint.class);
    handlers.put(Endpoint.CREATE_TENANT, call -> createTenant());
    handlers.put(Endpoint.LIST_UNROUTED, call -> listUnrouted());
    handlers.put(Endpoint.GET_TENANT, call -> complete(Json.response(StatusCodes.OK, call.tenant())));
    handlers.put(Endpoint.LIST_CHANNEL_ACCOUNTS, call -> onSuccess(directory.ofTenant(call.tenant().id()), routes ->
        complete(Json.response(StatusCodes.OK, page(routes, routes.size())))));
    handlers.put(Endpoint.REGISTER_CHANNEL_ACCOUNT, this::registerChannelAccount);
    handlers.put(Endpoint.LIST_API_KEYS, call -> onSuccess(
        sharding.entityRefFor(TenantEntity.TYPE_KEY, call.tenant().id()).ask(Tenant.ListApiKeys::new, askTimeout),
        keys -> complete(Json.response(StatusCodes.OK, page(keys.keys(), keys.keys().size())))));
    handlers.put(Endpoint.CREATE_API_KEY, this::createApiKey);
    handlers.put(Endpoint.REVOKE_API_KEY, this::revokeApiKey);
    handlers.put(Endpoint.LIST_LEADS, this::listLeads);
    handlers.put(Endpoint.GET_LEAD, call -> onSuccess(leads.get(call.tenant().id(), call.variable("lead"), scope(call)),
        lead -> lead.map(view -> complete(Json.response(StatusCodes.OK, view)))
            .orElseGet(() -> complete(Problems.notFound("no such lead")))));
    handlers.put(Endpoint.LIST_MESSAGES, call -> paging((limit, offset) ->
        onSuccess(leads.get(call.tenant().id(), call.variable("lead"), scope(call)), lead -> lead.isEmpty()
            ? complete(Problems.notFound("no such lead"))
            : onSuccess(leads.messages(call.tenant().id(), call.variable("lead"), limit, offset),
                messages -> complete(Json.response(StatusCodes.OK, messages))))));
    return handlers;
  }

  /** SDRs see only the leads assigned to them; a lead outside the caller's scope reads as absent (404). */
  static LeadQueries.Scope scope(ApiRouter.Call call) {
    return call.principal().leadScope() == AccessPolicy.LeadScope.ALL
        ? LeadQueries.Scope.all()
        : LeadQueries.Scope.assignedTo(call.principal().actorId());
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

  private Route registerChannelAccount(ApiRouter.Call call) {
    Tenant.View tenant = call.tenant();
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
      // optional: the Graph API token can also come later (PUT .../credentials)
      String accessToken = ChannelCredentialRoutes.accessToken(body, false);
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
                .thenCompose(view -> accessToken == null
                    ? CompletableFuture.completedFuture(true)
                    : credentials.store(tenant.id(), channel, externalId, accessToken, call.principal().actor()))
                .thenApply(stored -> Json.response(StatusCodes.CREATED, route));
          });
      return onSuccess(response, this::complete);
    });
  }

  private Route createApiKey(ApiRouter.Call call) {
    return entity(Unmarshaller.entityToString(), raw -> {
      JsonNode body = Json.object(raw);
      String name = Json.requiredText(body, "name", 200);
      Role role = Json.role(body, "role");
      String tenantId = call.tenant().id();
      String keyId = Secrets.random(9);
      String secret = Secrets.random(32);
      CompletionStage<org.apache.pekko.Done> created = sharding.entityRefFor(TenantEntity.TYPE_KEY, tenantId)
          .askWithStatus(replyTo -> new Tenant.CreateApiKey(keyId, name, role.displayName(), Secrets.sha256Hex(secret),
              call.principal().actor(), replyTo), askTimeout);
      return onSuccess(created, done -> complete(Json.response(StatusCodes.CREATED, Map.of(
          "id", keyId, "name", name, "role", role.displayName(), "key", Authenticator.newKey(tenantId, keyId, secret)))));
    });
  }

  private Route revokeApiKey(ApiRouter.Call call) {
    String tenantId = call.tenant().id();
    String keyId = call.variable("key");
    CompletionStage<org.apache.pekko.Done> revoked = sharding.entityRefFor(TenantEntity.TYPE_KEY, tenantId)
        .askWithStatus(replyTo -> new Tenant.RevokeApiKey(keyId, call.principal().actor(), replyTo), askTimeout);
    return onSuccess(revoked.thenApply(done -> {
      authenticator.forgetKeysOf(tenantId, keyId);
      return done;
    }), done -> complete(StatusCodes.NO_CONTENT));
  }

  // ---- leads ----

  /** The tenant's leads (an SDR's own), narrowed by the board's filters (LeadListFilters) and the phone's blind index. */
  private Route listLeads(ApiRouter.Call call) {
    Tenant.View tenant = call.tenant();
    return paging((limit, offset) -> parameterMap(parameters -> {
      Optional<String> phoneFilter = Optional.ofNullable(parameters.get("phone")).map(raw -> phones
          .normalize(raw, tenant.defaultRegion())
          .map(PhoneNormalizer.NormalizedPhone::e164)
          .orElseThrow(() -> new InvalidInput("phone", "phone is not a phone number")));
      LeadQueries.Filter parsed = LeadListFilters.parse(parameters);
      CompletionStage<LeadQueries.Filter> filter = phoneFilter.isEmpty()
          ? CompletableFuture.completedFuture(parsed)
          : cipher.blindIndex(tenant.id()).thenApply(index -> parsed.withPhoneIndex(
              index.of(LeadModel.PHONE, phoneFilter.get())));
      return onSuccess(filter.thenCompose(narrowed -> leads.list(tenant.id(), limit, offset, narrowed, scope(call))),
          result -> complete(Json.response(StatusCodes.OK, result)));
    }));
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

  private static Route paging(java.util.function.BiFunction<Integer, Integer, Route> inner) {
    return Paging.paging(MAX_LIMIT, inner);
  }


  private static <T> Page<T> page(List<T> items, long total) {
    return new Page<>(items, total);
  }
}
