package io.flexoraa.http;

import com.typesafe.config.Config;
import io.flexoraa.http.Problems.InvalidInput;
import io.flexoraa.persistence.readmodel.UsageQueries;
import io.flexoraa.persistence.readmodel.UsageQueries.GroupBy;
import io.flexoraa.persistence.readmodel.UsageQueries.Usage;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The usage report over HTTP: {@code GET …/usage?from=&to=&groupBy=} sums the tenant's token debits and cost log
 * ({@link UsageQueries}) per operation, channel or UTC day over the half-open range {@code [from, to)}.
 *
 * <p>A bound is a date ({@code 2026-03-01}, meaning 00:00 UTC that day) or an instant with its offset
 * ({@code 2026-03-01T00:00:00Z}); a missing one is the current UTC month's, so no parameters is this month. Token
 * amounts are decimal strings with two places like the token endpoints'; money is per currency, a decimal string with
 * at least two places and as many more as the providers priced ({@code "0.000150"}).
 */
final class UsageRoutes extends AllDirectives {
  private static final String BOUND_FORMAT =
      " must be a date such as 2026-03-01 (00:00 UTC) or an instant such as 2026-03-01T00:00:00Z";

  record Settings(Duration maxRange) {
    static Settings fromConfig(Config config) {
      return new Settings(config.getDuration("flexoraa.usage.max-range"));
    }
  }

  private final UsageQueries queries;
  private final Settings settings;
  private final Clock clock;

  UsageRoutes(UsageQueries queries, Settings settings, Clock clock) {
    this.queries = queries;
    this.settings = settings;
    this.clock = clock;
  }

  Map<Endpoint, ApiRouter.Handler> handlers() {
    Map<Endpoint, ApiRouter.Handler> handlers = new EnumMap<>(Endpoint.class);
    handlers.put(Endpoint.GET_USAGE, this::usage);
    return handlers;
  }

  private Route usage(ApiRouter.Call call) {
    return parameterMap(parameters -> {
      YearMonth month = YearMonth.now(clock.withZone(ZoneOffset.UTC));
      Instant from = bound(parameters, "from", month.atDay(1));
      Instant to = bound(parameters, "to", month.plusMonths(1).atDay(1));
      if (!from.isBefore(to)) throw new InvalidInput("to", "to must be after from");
      if (Duration.between(from, to).compareTo(settings.maxRange()) > 0) {
        throw new InvalidInput("to", "from..to may cover at most " + settings.maxRange().toDays() + " days");
      }
      GroupBy groupBy = groupBy(parameters.get("groupBy"));
      return onSuccess(queries.usage(call.tenant().id(), from, to, groupBy), report -> {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("from", from);
        body.put("to", to);
        body.put("groupBy", groupBy.value());
        body.put("rows", report.rows().stream().map(row -> {
          Map<String, Object> view = new LinkedHashMap<>();
          view.put("key", row.key());
          view.putAll(view(row.usage()));
          return view;
        }).toList());
        body.put("totals", view(report.totals()));
        return complete(Json.response(StatusCodes.OK, body));
      });
    });
  }

  private static Instant bound(Map<String, String> parameters, String field, LocalDate fallback) {
    String raw = parameters.get(field);
    if (raw == null || raw.isBlank()) return fallback.atStartOfDay(ZoneOffset.UTC).toInstant();
    String text = raw.trim();
    try {
      return text.length() == 10
          ? LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant()
          : OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      throw new InvalidInput(field, field + BOUND_FORMAT);
    }
  }

  private static GroupBy groupBy(String raw) {
    if (raw == null || raw.isBlank()) return GroupBy.OPERATION;
    return Arrays.stream(GroupBy.values()).filter(groupBy -> groupBy.value().equals(raw.trim())).findFirst()
        .orElseThrow(() -> new InvalidInput("groupBy", "groupBy must be one of "
            + Arrays.stream(GroupBy.values()).map(GroupBy::value).toList()));
  }

  private static Map<String, Object> view(Usage usage) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("tokens", TokenRoutes.amount(usage.tokens()));
    view.put("debits", usage.debits());
    view.put("aiCalls", usage.aiCalls());
    view.put("promptTokens", usage.promptTokens());
    view.put("completionTokens", usage.completionTokens());
    view.put("outboundMessages", usage.outboundMessages());
    view.put("billableOutbound", usage.billableOutbound());
    view.put("externalCalls", usage.externalCalls());
    Map<String, String> money = new TreeMap<>();
    usage.money().forEach((currency, amount) -> money.put(currency, money(amount)));
    view.put("money", money);
    return view;
  }

  /** Exact, at least two places, no exponent: 0.12, 3.50, 0.000015. */
  static String money(BigDecimal amount) {
    BigDecimal exact = amount.stripTrailingZeros();
    return (exact.scale() < 2 ? exact.setScale(2) : exact).toPlainString();
  }
}
