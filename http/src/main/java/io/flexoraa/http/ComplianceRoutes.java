package io.flexoraa.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.flexoraa.engine.channel.ChannelAccount;
import io.flexoraa.engine.compliance.AccountCompliance;
import io.flexoraa.engine.compliance.ComplianceGate;
import io.flexoraa.engine.compliance.ComplianceSettings;
import io.flexoraa.engine.compliance.PortfolioTier;
import io.flexoraa.engine.compliance.Rule;
import io.flexoraa.engine.compliance.Verdict;
import io.flexoraa.engine.ports.ChannelDirectory;
import io.flexoraa.engine.ports.ChannelDirectory.ChannelRoute;
import io.flexoraa.http.Problems.InvalidInput;
import io.flexoraa.persistence.readmodel.ComplianceQueries;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;

/**
 * The compliance gate over HTTP (docs/decisions/0022-compliance-gate.md): the decisions, newest first and filtered
 * by lead, rule and verdict; the dashboard summary (window states from the read model; suspension, quality and tier
 * use asked of the entities, which hold them exactly); and a WhatsApp account's templates, which the gate chooses
 * from. A template is registered PENDING and becomes usable when Meta's status webhook approves it; only the
 * platform operator may set a status directly (for templates approved before the account was connected).
 */
final class ComplianceRoutes extends AllDirectives {
  private static final int MAX_LIMIT = 500;
  private static final int HISTORY = 100;
  private static final Pattern TEMPLATE_NAME = Pattern.compile("[a-z0-9_]{1,512}");
  private static final Pattern LANGUAGE = Pattern.compile("[A-Za-z]{2,3}([_-][A-Za-z0-9]{2,4})?");
  private static final Pattern PURPOSE = Pattern.compile("[a-z0-9_-]{1,64}");
  private static final Set<String> CATEGORIES = Set.of("MARKETING", "UTILITY", "AUTHENTICATION");
  private static final Set<String> STATUSES = Set.of("APPROVED", "PENDING", "REJECTED", "PAUSED", "DISABLED");

  private final ComplianceGate gate;
  private final ComplianceQueries queries;
  private final ChannelDirectory directory;
  private final ComplianceSettings settings;
  private final Clock clock;

  ComplianceRoutes(ComplianceGate gate, ComplianceQueries queries, ChannelDirectory directory,
      ComplianceSettings settings, Clock clock) {
    this.gate = gate;
    this.queries = queries;
    this.directory = directory;
    this.settings = settings;
    this.clock = clock;
  }

  Map<Endpoint, ApiRouter.Handler> handlers() {
    Map<Endpoint, ApiRouter.Handler> handlers = new EnumMap<>(Endpoint.class);
    handlers.put(Endpoint.LIST_COMPLIANCE_DECISIONS, this::decisions);
    handlers.put(Endpoint.GET_COMPLIANCE_SUMMARY, this::summary);
    handlers.put(Endpoint.LIST_TEMPLATES, this::templates);
    handlers.put(Endpoint.REGISTER_TEMPLATE, this::registerTemplate);
    return handlers;
  }

  private Route decisions(ApiRouter.Call call) {
    return Paging.paging(MAX_LIMIT, (limit, offset) -> parameterOptional("leadId", leadId ->
        parameterOptional("rule", rule -> parameterOptional("verdict", verdict -> {
          rule.ifPresent(name -> {
            if (Rule.fromWireName(name).isEmpty()) {
              throw new InvalidInput("rule", "rule must be one of " + Arrays.stream(Rule.values()).map(Rule::wireName).toList());
            }
          });
          verdict.ifPresent(name -> {
            if (Arrays.stream(Verdict.values()).noneMatch(v -> v.wireName().equals(name))) {
              throw new InvalidInput("verdict", "verdict must be one of send, template, defer, block");
            }
          });
          leadId.ifPresent(id -> Json.matching("leadId", id, Pattern.compile("[A-Za-z0-9_-]{1,64}"), "must be a lead id"));
          return onSuccess(queries.decisions(call.tenant().id(), leadId.orElse(null), rule.orElse(null),
              verdict.orElse(null), limit, offset), page -> complete(Json.response(StatusCodes.OK, page)));
        }))));
  }

  record AccountState(String channel, String externalId, String businessAccountId, String quality, Integer tierLimit,
      boolean throughputUpgraded, AccountCompliance.Suspension suspension) {}

  record TierUse(String businessAccountId, int used, String limit) {}

  record Summary(Instant at, List<ComplianceQueries.WindowState> windows, List<TierUse> tiers,
      List<AccountState> accounts, List<AccountState> suspendedAccounts, List<ComplianceQueries.Prevented> prevented,
      List<ComplianceQueries.HealthRow> qualityHistory, List<ComplianceQueries.NotificationRow> notifications) {}

  private Route summary(ApiRouter.Call call) {
    String tenantId = call.tenant().id();
    Instant now = clock.instant();
    CompletionStage<List<AccountState>> accounts = directory.ofTenant(tenantId).thenCompose(routes -> {
      List<CompletableFuture<AccountState>> states = new ArrayList<>();
      for (ChannelRoute route : routes) {
        states.add(gate.accountView(tenantId, route.channel(), route.externalId()).toCompletableFuture()
            .thenApply(view -> new AccountState(route.channel(), route.externalId(), route.businessAccountId(),
                view.quality(), view.tierLimit(), view.throughputUpgraded(), view.suspension())));
      }
      return CompletableFuture.allOf(states.toArray(CompletableFuture[]::new))
          .thenApply(done -> states.stream().map(CompletableFuture::join).toList());
    });
    CompletionStage<Summary> summary = accounts.thenCompose(states -> tierUse(tenantId, states)
        .thenCombine(queries.summary(tenantId, now.minus(settings.serviceWindow()), HISTORY), (tiers, read) ->
            new Summary(now, read.windows(), tiers, states,
                states.stream().filter(state -> state.suspension() != null).toList(), read.prevented(),
                read.history(), read.notifications())));
    return onSuccess(summary, body -> complete(Json.response(StatusCodes.OK, body)));
  }

  /** Each WhatsApp portfolio's unique recipients in the tier window, against the limit its numbers last heard. */
  private CompletionStage<List<TierUse>> tierUse(String tenantId, List<AccountState> states) {
    Map<String, Integer> limits = new LinkedHashMap<>();
    for (AccountState state : states) {
      if (!"whatsapp".equals(state.channel()) || state.businessAccountId() == null) continue;
      limits.merge(state.businessAccountId(), state.tierLimit() == null ? settings.defaultTier() : state.tierLimit(),
          Math::max);
    }
    List<CompletableFuture<TierUse>> uses = new ArrayList<>();
    limits.forEach((portfolio, limit) -> uses.add(gate.tierUse(tenantId, portfolio, limit).toCompletableFuture()
        .thenApply((PortfolioTier.TierAnswer answer) -> new TierUse(portfolio, answer.used(),
            limit == ComplianceSettings.UNLIMITED ? "unlimited" : String.valueOf(limit)))));
    return CompletableFuture.allOf(uses.toArray(CompletableFuture[]::new))
        .thenApply(done -> uses.stream().map(CompletableFuture::join).toList());
  }

  /** The account named in the path, if it is the tenant's. */
  private CompletionStage<Optional<ChannelRoute>> account(ApiRouter.Call call) {
    return directory.byExternalId(call.variable("channel"), call.variable("externalId"))
        .thenApply(route -> route.filter(found -> found.tenantId().equals(call.tenant().id())));
  }

  private Route templates(ApiRouter.Call call) {
    return onSuccess(account(call).thenCompose(route -> route.isEmpty()
            ? CompletableFuture.completedFuture(Optional.<ChannelAccount.ComplianceView>empty())
            : gate.accountView(call.tenant().id(), route.get().channel(), route.get().externalId()).thenApply(Optional::of)),
        view -> view.map(found -> complete(Json.response(StatusCodes.OK,
                new TemplatesPage(found.templates(), found.templates().size()))))
            .orElseGet(() -> complete(Problems.notFound("no such channel account"))));
  }

  record TemplatesPage(List<AccountCompliance.Template> items, long total) {}

  private Route registerTemplate(ApiRouter.Call call) {
    return entity(Unmarshaller.entityToString(), raw -> {
      JsonNode body = Json.object(raw);
      if (!"whatsapp".equals(call.variable("channel"))) {
        throw new InvalidInput("channel", "templates exist for WhatsApp accounts only");
      }
      String name = Json.matching("name", Json.requiredText(body, "name", 512), TEMPLATE_NAME,
          "must be Meta's template name (lower-case letters, digits and '_')");
      String language = Json.matching("language", Json.requiredText(body, "language", 10), LANGUAGE,
          "must be a language code such as en, hi or en_US");
      String category = Json.requiredText(body, "category", 20).toUpperCase(Locale.ROOT);
      if (!CATEGORIES.contains(category)) throw new InvalidInput("category", "category must be one of " + CATEGORIES);
      String purpose = Json.optionalText(body, "purpose", 64);
      if (purpose != null) Json.matching("purpose", purpose, PURPOSE, "must be lower-case letters, digits, '-' or '_'");
      String status = Json.optionalText(body, "status", 20);
      if (status != null) {
        if (!(call.principal() instanceof Principal.Operator)) {
          throw new InvalidInput("status", "only the platform operator may set a template's status; Meta's"
              + " message_template_status_update webhook sets it");
        }
        status = status.toUpperCase(Locale.ROOT);
        if (!STATUSES.contains(status)) throw new InvalidInput("status", "status must be one of " + STATUSES);
      }
      String finalStatus = status;
      return onSuccess(account(call), route -> {
        if (route.isEmpty()) return complete(Problems.notFound("no such channel account"));
        return onSuccess(gate.registerTemplate(call.tenant().id(), route.get().channel(), route.get().externalId(),
            name, language, category, purpose, finalStatus, call.principal().actor()),
            template -> complete(Json.response(StatusCodes.CREATED, template)));
      });
    });
  }
}
