package io.flexoraa.http;

import io.flexoraa.engine.tenant.TenantEntity;
import io.flexoraa.engine.tenant.Tokens;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.persistence.jdbc.query.javadsl.JdbcReadJournal;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends every tenant its monthly {@link Tokens.RenewPeriod} (PRODUCT §6: the plan's tokens each month). Every node
 * checks every {@code check-every} whether a sweep for the current UTC month has run here; if not, it asks each
 * tenant in the journal (the read journal's persistence ids, so a tenant with no read-model row is not missed) to
 * renew. A renewal is idempotent per month in the tenant (its reference is the period), so nodes sweeping at the
 * same time, or a sweep after a restart, credit each month once. A node that was down over a month's start renews
 * on its first check.
 */
final class RenewalSchedule {
  private static final Logger log = LoggerFactory.getLogger(RenewalSchedule.class);
  private static final String PREFIX = TenantEntity.TYPE_KEY.name() + "|";

  /** What a sweep did: tenants renewed, already renewed for the month, and those that did not answer. */
  record Report(LocalDate period, int renewed, int alreadyRenewed, int failed) {}

  private final ActorSystem<?> system;
  private final ClusterSharding sharding;
  private final Clock clock;
  private final Duration askTimeout;
  private final AtomicReference<LocalDate> swept = new AtomicReference<>();

  RenewalSchedule(ActorSystem<?> system, Clock clock, Duration askTimeout) {
    this.system = system;
    this.sharding = ClusterSharding.get(system);
    this.clock = clock;
    this.askTimeout = askTimeout;
  }

  Cancellable start(Duration checkEvery) {
    return system.scheduler().scheduleWithFixedDelay(Duration.ofSeconds(5), checkEvery, () -> {
      LocalDate month = currentMonth();
      if (month.equals(swept.get())) return;
      sweep().whenComplete((report, failure) -> {
        if (failure != null) {
          log.warn("Monthly renewal sweep failed; retrying at the next check", failure);
        } else if (report.failed() == 0) {
          swept.set(report.period());
        }
      });
    }, system.executionContext());
  }

  /** Asks every tenant to renew for the current month. */
  CompletionStage<Report> sweep() {
    LocalDate month = currentMonth();
    JdbcReadJournal journal = PersistenceQuery.get(system).getReadJournalFor(JdbcReadJournal.class,
        JdbcReadJournal.Identifier());
    return journal.currentPersistenceIds()
        .filter(id -> id.startsWith(PREFIX))
        .mapAsyncUnordered(8, id -> renew(id.substring(PREFIX.length())))
        // counted in the stream, one outcome at a time: the answers complete on other threads
        .runFold(new int[3], (counts, outcome) -> {
          counts[outcome]++;
          return counts;
        }, system)
        .thenApply(counts -> {
          Report report = new Report(month, counts[0], counts[1], counts[2]);
          if (report.renewed() > 0 || report.failed() > 0) {
            log.info("Monthly renewal for {}: {} tenants renewed, {} already renewed, {} did not answer", month,
                report.renewed(), report.alreadyRenewed(), report.failed());
          }
          return report;
        });
  }

  /** 0 renewed, 1 already renewed (or the month is already its current period), 2 no answer. */
  private CompletionStage<Integer> renew(String tenantId) {
    return sharding.entityRefFor(TenantEntity.TYPE_KEY, tenantId)
        .<Tokens.Credited>askWithStatus(replyTo -> new Tokens.RenewPeriod(clock.instant(), replyTo), askTimeout)
        .handle((credited, failure) -> {
          if (failure == null) return credited.duplicate() ? 1 : 0;
          // a refusal is the tenant's answer (already current, or no such tenant any more): nothing to retry
          return isRefusal(failure) ? 1 : 2;
        });
  }

  private static boolean isRefusal(Throwable failure) {
    Throwable cause = failure instanceof java.util.concurrent.CompletionException ? failure.getCause() : failure;
    return cause instanceof org.apache.pekko.pattern.StatusReply.ErrorMessage;
  }

  private LocalDate currentMonth() {
    return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).withDayOfMonth(1);
  }
}
