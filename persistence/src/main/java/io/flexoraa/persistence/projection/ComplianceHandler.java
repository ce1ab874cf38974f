package io.flexoraa.persistence.projection;

import io.flexoraa.engine.channel.ChannelAccount;
import io.flexoraa.engine.channel.ChannelAccount.AccountResumed;
import io.flexoraa.engine.channel.ChannelAccount.AccountSuspended;
import io.flexoraa.engine.channel.ChannelAccount.ComplianceDecided;
import io.flexoraa.engine.channel.ChannelAccount.DecisionDeferredForTier;
import io.flexoraa.engine.channel.ChannelAccount.MetaOutcomeRecorded;
import io.flexoraa.engine.channel.ChannelAccount.NumberQualityUpdated;
import io.flexoraa.engine.channel.ChannelAccount.RecoveryAbandoned;
import io.flexoraa.engine.channel.ChannelAccount.RecoveryChecked;
import io.flexoraa.engine.channel.ChannelAccount.TemplateRegistered;
import io.flexoraa.engine.compliance.GateDecision;
import io.flexoraa.engine.ports.MetaSender;
import io.flexoraa.persistence.audit.AuditFeed;
import io.flexoraa.persistence.audit.AuditLog;
import io.flexoraa.persistence.live.LiveSignals;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.jdbc.javadsl.JdbcHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the compliance read model from the channel-account events: {@code compliance_decisions} (every gate
 * decision), {@code account_health_history} (quality, limits, suspensions), {@code compliance_notifications} (what
 * the tenant's admins are told) and the audit entries of suspension, recovery and template registration. A group is
 * written in one transaction with its offset (exactly once); every insert is also idempotent on the event's place in
 * its journal.
 */
public final class ComplianceHandler extends JdbcHandler<List<EventEnvelope<ChannelAccount.Event>>, PooledJdbcSession> {
  private static final Logger log = LoggerFactory.getLogger(ComplianceHandler.class);
  private static final String KEY = " ON CONFLICT (tenant_id, channel, account_id, seq_nr) DO NOTHING";
  private static final String INSERT_DECISION =
      "INSERT INTO compliance_decisions (tenant_id, channel, account_id, seq_nr, message_id, lead_id, recipient_key,"
          + " author, verdict, rule, template_name, template_language, template_category, not_before, messaging_type,"
          + " tag, outside_window, decided_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)" + KEY;
  private static final String INSERT_TIER_DEFERRAL =
      "INSERT INTO compliance_decisions (tenant_id, channel, account_id, seq_nr, message_id, lead_id, recipient_key,"
          + " author, verdict, rule, template_name, template_language, template_category, not_before, messaging_type,"
          + " tag, outside_window, decided_at)"
          + " SELECT ?, ?, ?, ?, ?, d.lead_id, d.recipient_key, d.author, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?"
          + " FROM (SELECT NULL) AS one LEFT JOIN LATERAL (SELECT lead_id, recipient_key, author FROM compliance_decisions"
          + " WHERE tenant_id = ? AND message_id = ? ORDER BY decided_at DESC LIMIT 1) d ON true" + KEY;
  private static final String INSERT_HISTORY =
      "INSERT INTO account_health_history (tenant_id, channel, account_id, seq_nr, at, kind, event, previous_quality,"
          + " quality, tier_limit, reason, health, next_check_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)" + KEY;
  private static final String INSERT_NOTIFICATION =
      "INSERT INTO compliance_notifications (tenant_id, channel, account_id, seq_nr, at, kind, level, message)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)" + KEY;

  private final String tag;

  public ComplianceHandler(String tag) {
    this.tag = tag;
  }

  @Override
  public void start() {
    log.info("Compliance projection for {} started", tag);
  }

  @Override
  public void stop() {
    log.info("Compliance projection for {} stopped", tag);
  }

  @Override
  public void process(PooledJdbcSession session, List<EventEnvelope<ChannelAccount.Event>> envelopes) throws Exception {
    session.withConnection(connection -> {
      List<AuditFeed.Timed> audit = new java.util.ArrayList<>();
      LiveSignals live = new LiveSignals();
      for (EventEnvelope<ChannelAccount.Event> envelope : envelopes) {
        project(connection, envelope.event(), envelope.sequenceNr(), audit);
        signal(live, envelope.event());
      }
      live.send(connection);
      // last and tenant by tenant: audit appends hold per-tenant locks until the commit (see AuditProjections)
      AuditProjections.appendInTenantOrder(connection, audit);
      return null;
    });
  }

  /** Decisions by lead; anything that changes an account's health as the account's change. */
  private static void signal(LiveSignals live, ChannelAccount.Event event) {
    if (event instanceof ComplianceDecided decided) {
      live.complianceDecision(decided.tenantId(), decided.leadId());
    } else if (event instanceof DecisionDeferredForTier deferred) {
      live.complianceDecision(deferred.tenantId(), null);
    } else if (event instanceof NumberQualityUpdated || event instanceof AccountSuspended
        || event instanceof RecoveryChecked || event instanceof AccountResumed || event instanceof RecoveryAbandoned) {
      live.complianceChanged(event.tenantId());
    }
  }

  /** The account's key ({@code channel:externalId}) split in two. */
  private static String[] account(String accountKey) {
    int colon = accountKey.indexOf(':');
    return new String[] {accountKey.substring(0, colon), accountKey.substring(colon + 1)};
  }

  private void project(Connection connection, ChannelAccount.Event event, long seqNr, List<AuditFeed.Timed> audit)
      throws SQLException {
    if (event instanceof ComplianceDecided decided) {
      decision(connection, decided, seqNr);
    } else if (event instanceof DecisionDeferredForTier deferred) {
      tierDeferral(connection, deferred, seqNr);
    } else if (event instanceof NumberQualityUpdated quality) {
      String[] account = account(quality.accountKey());
      history(connection, quality.tenantId(), account, seqNr, quality.change().at(), "quality", quality.change().event(),
          quality.previousQuality(), quality.change().quality(), quality.change().tierLimit(), null, null, null);
      String now = quality.change().quality();
      if (now != null && !now.equals(quality.previousQuality()) && !"GREEN".equals(now)) {
        boolean red = "RED".equals(now);
        notification(connection, quality.tenantId(), account, seqNr, quality.change().at(), "compliance.quality-" + now.toLowerCase(),
            red ? "critical" : "warning", "The quality rating of " + describe(account) + " is " + now + ": marketing"
                + " templates are " + (red ? "stopped" : "slowed") + " on it until the rating improves.");
      }
    } else if (event instanceof AccountSuspended suspended) {
      String[] account = account(suspended.accountKey());
      var suspension = suspended.suspension();
      history(connection, suspended.tenantId(), account, seqNr, suspension.since(), "suspended", null, null, null, null,
          suspension.reason(), null, suspension.nextCheckAt());
      notification(connection, suspended.tenantId(), account, seqNr, suspension.since(), "compliance.account-suspended",
          "critical", "Meta restricted " + describe(account) + " (" + suspension.reason() + "). Outbound messages on it"
              + " are paused and will go once it recovers; inbound messages are still received. Recovery is checked"
              + " every hour.");
      audit(audit, suspended.tenantId(), "channel.suspended", suspended.accountKey(), suspension.since(),
          "reason", suspension.reason());
    } else if (event instanceof RecoveryChecked checked) {
      history(connection, checked.tenantId(), account(checked.accountKey()), seqNr, checked.at(), "recovery-checked",
          null, null, null, null, null, checked.health().name(), checked.nextCheckAt());
    } else if (event instanceof AccountResumed resumed) {
      String[] account = account(resumed.accountKey());
      history(connection, resumed.tenantId(), account, seqNr, resumed.at(), "resumed", null, null, null, null,
          resumed.via() + ": " + resumed.reason(), null, null);
      notification(connection, resumed.tenantId(), account, seqNr, resumed.at(), "compliance.account-resumed", "info",
          describe(account) + " has recovered (" + resumed.reason() + "): paused outbound messages are going out again.");
      audit(audit, resumed.tenantId(), "channel.resumed", resumed.accountKey(), resumed.at(),
          "via", resumed.via(), "reason", resumed.reason(), "suspendedSince", resumed.since().toString());
    } else if (event instanceof RecoveryAbandoned abandoned) {
      String[] account = account(abandoned.accountKey());
      history(connection, abandoned.tenantId(), account, seqNr, abandoned.at(), "recovery-abandoned", null, null, null,
          null, abandoned.checks() + " checks without recovery", null, null);
      notification(connection, abandoned.tenantId(), account, seqNr, abandoned.at(), "compliance.manual-action-needed",
          "critical", describe(account) + " has not recovered since " + abandoned.since() + " (" + abandoned.checks()
              + " checks). Appeal or fix the account in Meta's Business Manager; outbound stays paused until Meta"
              + " lifts the restriction.");
      audit(audit, abandoned.tenantId(), "channel.recovery-abandoned", abandoned.accountKey(), abandoned.at(),
          "checks", abandoned.checks());
    } else if (event instanceof MetaOutcomeRecorded outcome && outcome.outcome() == MetaSender.Outcome.TOKEN_INVALID) {
      String[] account = account(outcome.accountKey());
      notification(connection, outcome.tenantId(), account, seqNr, outcome.at(), "compliance.token-invalid", "urgent",
          "Meta refused the access token of " + describe(account) + ": renew its credentials to keep sending.");
    } else if (event instanceof TemplateRegistered registered) {
      var template = registered.template();
      audit(audit, registered.tenantId(), "channel.template-registered", registered.accountKey(), registered.at(),
          "name", template.name(), "language", template.language(), "category", template.category(),
          "purpose", template.purpose(), "status", template.status());
    }
  }

  private static String describe(String[] account) {
    return "the " + account[0] + " account " + account[1];
  }

  private static void decision(Connection connection, ComplianceDecided decided, long seqNr) throws SQLException {
    String[] account = account(decided.accountKey());
    GateDecision decision = decided.decision();
    try (PreparedStatement insert = connection.prepareStatement(INSERT_DECISION)) {
      key(insert, decided.tenantId(), account, seqNr);
      insert.setString(5, decision.messageId());
      insert.setString(6, decided.leadId());
      insert.setString(7, decided.recipientKey());
      insert.setString(8, decided.author());
      decisionColumns(insert, 9, decision, decided.at());
      insert.executeUpdate();
    }
  }

  private static void tierDeferral(Connection connection, DecisionDeferredForTier deferred, long seqNr) throws SQLException {
    String[] account = account(deferred.accountKey());
    GateDecision decision = deferred.decision();
    try (PreparedStatement insert = connection.prepareStatement(INSERT_TIER_DEFERRAL)) {
      key(insert, deferred.tenantId(), account, seqNr);
      insert.setString(5, decision.messageId());
      decisionColumns(insert, 6, decision, deferred.at());
      insert.setString(16, deferred.tenantId());
      insert.setString(17, decision.messageId());
      insert.executeUpdate();
    }
  }

  /** The row's key, the first four parameters of every insert: tenant, channel, account, the event's sequence number. */
  private static void key(PreparedStatement insert, String tenantId, String[] account, long seqNr) throws SQLException {
    insert.setString(1, tenantId);
    insert.setString(2, account[0]);
    insert.setString(3, account[1]);
    insert.setLong(4, seqNr);
  }

  /** verdict, rule, template name, language and category, not_before, messaging type, tag, outside window, decided at. */
  private static void decisionColumns(PreparedStatement insert, int first, GateDecision decision, Instant at)
      throws SQLException {
    insert.setString(first, decision.verdict().wireName());
    insert.setString(first + 1, decision.rule());
    insert.setString(first + 2, decision.templateName());
    insert.setString(first + 3, decision.templateLanguage());
    insert.setString(first + 4, decision.templateCategory());
    insert.setTimestamp(first + 5, decision.notBefore() == null ? null : Timestamp.from(decision.notBefore()));
    insert.setString(first + 6, decision.messagingType());
    insert.setString(first + 7, decision.tag());
    insert.setBoolean(first + 8, decision.outsideWindow());
    insert.setTimestamp(first + 9, Timestamp.from(at));
  }

  private static void history(Connection connection, String tenantId, String[] account, long seqNr, Instant at,
      String kind, String event, String previousQuality, String quality, Integer tierLimit, String reason,
      String health, Instant nextCheckAt) throws SQLException {
    try (PreparedStatement insert = connection.prepareStatement(INSERT_HISTORY)) {
      key(insert, tenantId, account, seqNr);
      insert.setTimestamp(5, Timestamp.from(at));
      insert.setString(6, kind);
      insert.setString(7, event);
      insert.setString(8, previousQuality);
      insert.setString(9, quality);
      if (tierLimit == null) insert.setNull(10, Types.INTEGER); else insert.setInt(10, tierLimit);
      insert.setString(11, reason);
      insert.setString(12, health);
      insert.setTimestamp(13, nextCheckAt == null ? null : Timestamp.from(nextCheckAt));
      insert.executeUpdate();
    }
  }

  private static void notification(Connection connection, String tenantId, String[] account, long seqNr, Instant at,
      String kind, String level, String message) throws SQLException {
    try (PreparedStatement insert = connection.prepareStatement(INSERT_NOTIFICATION)) {
      key(insert, tenantId, account, seqNr);
      insert.setTimestamp(5, Timestamp.from(at));
      insert.setString(6, kind);
      insert.setString(7, level);
      insert.setString(8, message);
      insert.executeUpdate();
    }
  }

  private static void audit(List<AuditFeed.Timed> audit, String tenantId, String action, String subject, Instant at,
      Object... details) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < details.length; i += 2) map.put((String) details[i], details[i + 1]);
    audit.add(new AuditFeed.Timed(new AuditLog.NewEntry(tenantId, AuditFeed.ENGINE, action, subject, map), at));
  }
}
