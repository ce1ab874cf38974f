package io.flexoraa.persistence.projection;

import io.flexoraa.engine.tenant.Abuse;
import io.flexoraa.engine.tenant.Billing;
import io.flexoraa.engine.tenant.Tenant;
import io.flexoraa.engine.tenant.Tokens;
import io.flexoraa.engine.tenant.Tokens.AiPaused;
import io.flexoraa.engine.tenant.Tokens.AiResumed;
import io.flexoraa.engine.tenant.Tokens.LedgerEntry;
import io.flexoraa.engine.tenant.Tokens.TokenAccountOpened;
import io.flexoraa.engine.tenant.Tokens.TokenAlertRaised;
import io.flexoraa.engine.tenant.Tokens.TokensCredited;
import io.flexoraa.engine.tenant.Tokens.TokensDebited;
import io.flexoraa.persistence.live.LiveSignals;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.jdbc.javadsl.JdbcHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds {@code token_ledger} (one row per credit and per debit, with the balance after it) and
 * {@code token_notifications} (alerts, AI paused and resumed, in the dashboard's words) from the tenant events. A
 * group is written in one transaction with the projection offset (exactly once), and every insert is also
 * idempotent on its key — the ledger position, the event's sequence number — so a replay adds nothing.
 */
public final class TokenLedgerHandler extends JdbcHandler<List<EventEnvelope<Tenant.Event>>, PooledJdbcSession> {
  private static final Logger log = LoggerFactory.getLogger(TokenLedgerHandler.class);

  private static final String INSERT_ENTRY =
      "INSERT INTO token_ledger (tenant_id, entry_id, at, kind, operation, tokens, lead_id, reference, balance_after,"
          + " actor, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (tenant_id, entry_id) DO NOTHING";
  private static final String INSERT_NOTIFICATION =
      "INSERT INTO token_notifications (tenant_id, notification_id, at, kind, level, message) VALUES (?, ?, ?, ?, ?, ?)"
          + " ON CONFLICT (tenant_id, notification_id) DO NOTHING";

  private final String tag;
  private final Billing billing;

  public TokenLedgerHandler(String tag, Billing billing) {
    this.tag = tag;
    this.billing = billing;
  }

  @Override
  public void start() {
    log.info("Token ledger projection for {} started", tag);
  }

  @Override
  public void stop() {
    log.info("Token ledger projection for {} stopped", tag);
  }

  @Override
  public void process(PooledJdbcSession session, List<EventEnvelope<Tenant.Event>> envelopes) throws Exception {
    session.withConnection(connection -> {
      try (PreparedStatement entries = connection.prepareStatement(INSERT_ENTRY);
           PreparedStatement notifications = connection.prepareStatement(INSERT_NOTIFICATION)) {
        int entryRows = 0;
        int notificationRows = 0;
        LiveSignals live = new LiveSignals();
        for (EventEnvelope<Tenant.Event> envelope : envelopes) {
          int rows = ledgerRows(entries, envelope.event());
          entryRows += rows;
          Notification notification = notificationFor(envelope.event());
          if (notification != null) {
            notificationRows++;
            notification(notifications, envelope.event().tenantId(), envelope.sequenceNr(), notification);
          }
          if (rows > 0 || notification != null) live.tokensChanged(envelope.event().tenantId());
        }
        if (entryRows > 0) entries.executeBatch();
        if (notificationRows > 0) notifications.executeBatch();
        live.send(connection);
      }
      return null;
    });
  }

  /** Adds the ledger rows of an event to the batch; returns how many. */
  private static int ledgerRows(PreparedStatement insert, Tenant.Event event) throws SQLException {
    if (event instanceof TokenAccountOpened opened) {
      entry(insert, opened.tenantId(), opened.entryId(), opened.at(), "credit", "opening", opened.tokens(), null,
          null, opened.tokens(), "engine", "first period (" + opened.periodStart() + ")");
      return 1;
    }
    if (event instanceof TokensCredited credited) {
      entry(insert, credited.tenantId(), credited.entryId(), credited.at(), "credit", creditOperation(credited.kind()),
          credited.tokens(), null, credited.reference(), credited.balanceAfter(), credited.actor(), credited.reason());
      return 1;
    }
    if (event instanceof TokensDebited debited) {
      for (LedgerEntry entry : debited.entries()) {
        entry(insert, debited.tenantId(), entry.entryId(), debited.at(), "debit", entry.operation(), entry.cost(),
            entry.leadId(), entry.reference(), entry.balanceAfter(), null, null);
      }
      return debited.entries().size();
    }
    return 0;
  }

  /** grant, top-up, renewal: the API's spelling of a credit kind. */
  public static String creditOperation(Tokens.CreditKind kind) {
    return kind.name().toLowerCase().replace('_', '-');
  }

  private static void entry(PreparedStatement insert, String tenantId, long entryId, Instant at, String kind,
      String operation, BigDecimal tokens, String leadId, String reference, BigDecimal balanceAfter, String actor,
      String reason) throws SQLException {
    insert.setString(1, tenantId);
    insert.setLong(2, entryId);
    insert.setTimestamp(3, Timestamp.from(at));
    insert.setString(4, kind);
    insert.setString(5, operation);
    insert.setBigDecimal(6, tokens);
    insert.setString(7, leadId);
    insert.setString(8, reference);
    insert.setBigDecimal(9, balanceAfter);
    insert.setString(10, actor);
    insert.setString(11, reason);
    insert.addBatch();
  }

  record Notification(Instant at, String kind, String level, String message) {}

  /** What the tenant is told about an event, or null when the event is not worth a notification. */
  Notification notificationFor(Tenant.Event event) {
    if (event instanceof TokenAlertRaised alert) {
      String used = alert.consumed().toPlainString() + " of " + alert.periodCredit().toPlainString();
      if (alert.level() >= Billing.FULL) {
        return new Notification(alert.at(), "tokens.alert", "critical",
            "This period's tokens are used up (" + used + " consumed).");
      }
      String message = alert.level() + " % of this period's tokens are used (" + used + ").";
      if (alert.level() < billing.upgradeOfferFrom()) {
        return new Notification(alert.at(), "tokens.alert", "warning", message);
      }
      String offer = alert.upgradeTo() == null
          ? " Top up to keep AI running this period."
          : " Upgrade to " + alert.upgradeTo() + " (" + billing.plan(alert.upgradeTo()).monthlyTokens().toPlainString()
              + " tokens a month) or top up to keep AI running this period.";
      return new Notification(alert.at(), "tokens.alert", "urgent", message + offer);
    }
    if (event instanceof AiPaused paused) {
      String why = paused.reason() == Tokens.PauseReason.DAILY_BURN_LIMIT
          ? "AI paused until 00:00 UTC: the plan's daily token limit is reached (" + paused.burnToday().toPlainString()
              + " used today)."
          : "AI paused: the balance (" + paused.balance().toPlainString()
              + " tokens) does not cover the next operation. Top up to resume.";
      return new Notification(paused.at(), "tokens.ai-paused", "critical",
          why + " Inbound messages are still received and leads still routed to your team.");
    }
    if (event instanceof AiResumed resumed) {
      String why = switch (resumed.reason()) {
        case TOKENS_CREDITED -> "tokens were credited";
        case PERIOD_RENEWED -> "a new period started";
        case NEW_DAY -> "a new day started";
      };
      return new Notification(resumed.at(), "tokens.ai-resumed", "info", "AI resumed: " + why + ".");
    }
    if (event instanceof Abuse.AbuseTriggered triggered) {
      String observed = triggered.observed().toPlainString();
      String message = switch (triggered.kind()) {
        case BURN_SPIKE -> "Token burn this hour (" + observed + ") is far above your usual "
            + triggered.baseline().toPlainString() + " an hour: high-token operations are paused until the hour ends.";
        case FAILURE_FLOOD -> observed + " failures this hour (limit " + triggered.baseline().toPlainString()
            + "): your message rate is lowered for a while.";
        case INTAKE_SPIKE -> observed + " new leads this hour, far above your usual "
            + triggered.baseline().toPlainString()
            + " an hour: new leads are stored but parked until an Admin releases them.";
      };
      return new Notification(triggered.at(), "abuse." + triggered.kind().wireName(), "critical", message);
    }
    return null;
  }

  private static void notification(PreparedStatement insert, String tenantId, long sequenceNr, Notification notification)
      throws SQLException {
    insert.setString(1, tenantId);
    insert.setLong(2, sequenceNr);
    insert.setTimestamp(3, Timestamp.from(notification.at()));
    insert.setString(4, notification.kind());
    insert.setString(5, notification.level());
    insert.setString(6, notification.message());
    insert.addBatch();
  }
}
