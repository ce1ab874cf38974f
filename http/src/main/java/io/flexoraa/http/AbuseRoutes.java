package io.flexoraa.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.flexoraa.engine.limits.AiWorkQueue;
import io.flexoraa.engine.ports.AiWork;
import io.flexoraa.engine.tenant.Abuse;
import io.flexoraa.engine.tenant.TenantEntity;
import io.flexoraa.http.Problems.InvalidInput;
import io.flexoraa.persistence.readmodel.LeadQueries;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;

/**
 * Abuse protection over HTTP (docs/decisions/0019-abuse-protection.md). {@code GET …/abuse}: the tenant's current
 * hour against its baselines, every rule's last firing, the restrictions in force, the parked intake, and how many
 * messages the customer screen kept from AI work in the last 24 h, by reason. {@code POST …/abuse/release
 * {"kind": "intake-spike"}} ends a restriction early; releasing parked intake starts the parked leads' AI work, in
 * the order it was parked. Both are audited through the tenant's events.
 */
final class AbuseRoutes extends AllDirectives {
  private static final Duration SCREEN_WINDOW = Duration.ofHours(24);

  private final ClusterSharding sharding;
  private final LeadQueries leads;
  private final AiWorkQueue aiWork;
  private final Duration askTimeout;
  private final Clock clock;

  AbuseRoutes(ActorSystem<?> system, LeadQueries leads, AiWorkQueue aiWork, Duration askTimeout, Clock clock) {
    this.sharding = ClusterSharding.get(system);
    this.leads = leads;
    this.aiWork = aiWork;
    this.askTimeout = askTimeout;
    this.clock = clock;
  }

  Map<Endpoint, ApiRouter.Handler> handlers() {
    Map<Endpoint, ApiRouter.Handler> handlers = new EnumMap<>(Endpoint.class);
    handlers.put(Endpoint.GET_ABUSE, this::view);
    handlers.put(Endpoint.RELEASE_ABUSE, this::release);
    return handlers;
  }

  private Route view(ApiRouter.Call call) {
    String tenantId = call.tenant().id();
    Instant since = clock.instant().minus(SCREEN_WINDOW);
    CompletionStage<View> view = sharding.entityRefFor(TenantEntity.TYPE_KEY, tenantId)
        .<Abuse.AbuseView>askWithStatus(Abuse.GetAbuse::new, askTimeout)
        .thenCombine(leads.screenedSince(tenantId, since), (abuse, screened) -> View.of(abuse, since, screened));
    return onSuccess(view, body -> complete(Json.response(StatusCodes.OK, body)));
  }

  private Route release(ApiRouter.Call call) {
    return entity(Unmarshaller.entityToString(), raw -> {
      JsonNode body = Json.object(raw);
      String name = Json.requiredText(body, "kind", 40);
      Abuse.Kind kind = Abuse.Kind.fromWireName(name).orElseThrow(() -> new InvalidInput("kind",
          "kind must be one of " + Arrays.stream(Abuse.Kind.values()).map(Abuse.Kind::wireName).toList()));
      String tenantId = call.tenant().id();
      CompletionStage<Abuse.Released> released = sharding.entityRefFor(TenantEntity.TYPE_KEY, tenantId)
          .askWithStatus(replyTo -> new Abuse.Release(kind, call.principal().actor(), replyTo), askTimeout);
      return onSuccess(released, result -> {
        // the parked work is durable in the tenant's journal until this point; from here it is the queue's
        aiWork.offer(result.parked().stream()
            .map(work -> new AiWork.Item(tenantId, work.leadId(), work.platformMessageId(), work.receivedAt()))
            .toList());
        return complete(Json.response(StatusCodes.OK, new ReleaseResult(kind.wireName(), result.wasActive(),
            result.parked().stream().map(Abuse.ParkedWork::leadId).distinct().count(), result.parked().size())));
      });
    });
  }

  record ReleaseResult(String kind, boolean released, long leadsStarted, int messagesStarted) {}

  record Trigger(
      String kind, Instant at, String observed, String baseline, Instant until, boolean active, Instant releasedAt,
      String releasedBy) {}

  record Hour(
      Instant hour, String burn, String burnBaseline, long intake, String intakeBaseline, long failures,
      long failureLimit) {}

  record Restrictions(String throttledMessagesPerSecond, Instant throttledUntil, boolean intakeParked) {}

  record Screened(Instant since, Map<String, Long> byReason) {}

  record View(
      Hour currentHour, List<Trigger> triggers, Restrictions restrictions, List<String> highTokenOperationsPaused,
      int parkedLeads, int parkedMessages, Screened screenedMessages) {
    static View of(Abuse.AbuseView abuse, Instant since, Map<String, Long> screened) {
      Abuse.HourView hour = abuse.currentHour();
      Abuse.Restrictions restrictions = abuse.restrictions();
      return new View(
          new Hour(hour.hour(), plain(hour.burn()), plain(hour.burnBaseline()), hour.intake(),
              plain(hour.intakeBaseline()), hour.failures(), hour.failureLimit()),
          abuse.triggers().stream().map(trigger -> new Trigger(trigger.kind(), trigger.at(), plain(trigger.observed()),
              plain(trigger.baseline()), trigger.until(), trigger.active(), trigger.releasedAt(),
              trigger.releasedBy())).toList(),
          new Restrictions(plain(restrictions.throttledPerSecond()), restrictions.throttledUntil(),
              restrictions.intakeParked()),
          abuse.highTokenPaused(), abuse.parkedLeads(), abuse.parkedMessages(), new Screened(since, screened));
    }

    private static String plain(BigDecimal value) {
      return value == null ? null : value.toPlainString();
    }
  }
}
