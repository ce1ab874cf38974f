package io.flexoraa.persistence.audit;

import io.flexoraa.engine.lead.LeadModel;
import io.flexoraa.engine.tenant.Abuse;
import io.flexoraa.engine.tenant.Tenant;
import io.flexoraa.engine.tenant.Tokens;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Which entity events are critical enough for the audit trail (PRODUCT §10), and what the entry says. Entries name
 * ids, kinds and counts, never personal data: the trail is kept forever, including after a lead's erasure.
 * Routine traffic (every inbound message, every delivery status) is not audited; it lives in the journal.
 *
 * <p>Tokens: credits (opening, grant, top-up, renewal), alerts and AI pauses are audited. Debits are not, neither
 * one by one nor per batch: at a thousand a second they would bury the trail (and serialise on its per-tenant chain),
 * and each is already an insert-only {@code token_ledger} row projected from the journal
 * (docs/decisions/0013-token-debits-batched.md).
 */
public final class AuditFeed {
  /** The engine itself, for what it did on its own (a lead created by an inbound message). */
  public static final String ENGINE = "engine";

  private AuditFeed() {}

  /** The entry an event becomes, with the time it happened, or empty for events that are not audited. */
  public static Optional<Timed> entryFor(Object event) {
    if (event instanceof LeadModel.LeadCreated created) {
      return entry(created.tenantId(), ENGINE, "lead.created", created.leadId(), created.at(),
          "channel", created.channel(), "identifierKinds", created.identifiers().stream().map(LeadModel.Identifier::kind).toList());
    }
    if (event instanceof LeadModel.LeadSubmitted submitted) {
      LeadModel.Submission submission = submitted.submission();
      return entry(submitted.tenantId(), submission.actor(), "lead.submitted", submitted.leadId(), submitted.at(),
          "submissionId", submission.submissionId(), "via", submission.via(), "createdLead", submitted.createdLead(),
          "identifierKinds", submitted.identifiers().stream().map(LeadModel.Identifier::kind).toList());
    }
    if (event instanceof LeadModel.PhoneNumberChanged changed) {
      return entry(changed.tenantId(), ENGINE, "lead.identifiers-changed", changed.leadId(), changed.at(),
          "platformMessageId", changed.platformMessageId(),
          "identifierKinds", changed.newIdentifiers().stream().map(LeadModel.Identifier::kind).toList());
    }
    if (event instanceof LeadModel.ConsentRecorded consent) {
      return entry(consent.tenantId(), consent.actor(), consent.granted() ? "consent.granted" : "consent.withdrawn",
          consent.leadId(), consent.recordedAt(), "recordId", consent.recordId(), "channel", consent.channel(),
          "purpose", consent.purpose(), "source", consent.source());
    }
    if (event instanceof LeadModel.LeadAnonymized anonymized) {
      return entry(anonymized.tenantId(), anonymized.actor(), "lead.anonymized", anonymized.leadId(), anonymized.at(),
          "requestId", anonymized.requestId());
    }
    if (event instanceof LeadModel.LeadAbsorbed absorbed) {
      return entry(absorbed.tenantId(), absorbed.actor(), "lead.merged", absorbed.leadId(), absorbed.at(),
          "absorbedLeadId", absorbed.absorbedLeadId(),
          "identifierKinds", absorbed.identifiers().stream().map(LeadModel.Identifier::kind).distinct().toList(),
          "channels", absorbed.channels().stream().map(io.flexoraa.engine.lead.Lead.ChannelPresence::channel).toList());
    }
    if (event instanceof Tenant.TenantCreated created) {
      return entry(created.tenantId(), "operator", "tenant.created", created.tenantId(), created.at(),
          "plan", created.plan(), "defaultRegion", created.defaultRegion());
    }
    if (event instanceof Tenant.ApiKeyCreated created) {
      return entry(created.tenantId(), created.actor(), "access.api-key-created", "api-key:" + created.keyId(),
          created.at(), "role", created.role(), "name", created.name());
    }
    if (event instanceof Tenant.ApiKeyRevoked revoked) {
      return entry(revoked.tenantId(), revoked.actor(), "access.api-key-revoked", "api-key:" + revoked.keyId(),
          revoked.at());
    }
    return tokenEntryFor(event);
  }

  private static Optional<Timed> tokenEntryFor(Object event) {
    if (event instanceof Tokens.TokenAccountOpened opened) {
      return entry(opened.tenantId(), ENGINE, "tokens.renewed", TOKENS, opened.at(), "entryId", opened.entryId(),
          "tokens", opened.tokens().toPlainString(), "balanceAfter", opened.tokens().toPlainString(),
          "periodStart", opened.periodStart().toString(), "opening", true);
    }
    if (event instanceof Tokens.TokensCredited credited) {
      String action = switch (credited.kind()) {
        case GRANT -> "tokens.granted";
        case TOP_UP -> "tokens.topped-up";
        case RENEWAL -> "tokens.renewed";
      };
      return entry(credited.tenantId(), credited.actor(), action, TOKENS, credited.at(), "entryId", credited.entryId(),
          "tokens", credited.tokens().toPlainString(), "balanceAfter", credited.balanceAfter().toPlainString(),
          "reference", credited.reference(), "reason", credited.reason(),
          "periodStart", credited.periodStart() == null ? null : credited.periodStart().toString());
    }
    if (event instanceof Tokens.TokenAlertRaised alert) {
      return entry(alert.tenantId(), ENGINE, "tokens.alert", TOKENS, alert.at(), "level", alert.level(),
          "consumed", alert.consumed().toPlainString(), "periodCredit", alert.periodCredit().toPlainString(),
          "upgradeTo", alert.upgradeTo());
    }
    if (event instanceof Tokens.AiPaused paused) {
      return entry(paused.tenantId(), ENGINE, "tokens.ai-paused", TOKENS, paused.at(), "reason", paused.reason().name(),
          "balance", paused.balance().toPlainString(), "burnToday", paused.burnToday().toPlainString());
    }
    if (event instanceof Tokens.AiResumed resumed) {
      return entry(resumed.tenantId(), ENGINE, "tokens.ai-resumed", TOKENS, resumed.at(), "reason",
          resumed.reason().name());
    }
    return abuseEntryFor(event);
  }

  /** Tenant abuse triggers and their releases; the hourly counts and parked work are not audit matter. */
  private static Optional<Timed> abuseEntryFor(Object event) {
    if (event instanceof Abuse.AbuseTriggered triggered) {
      return entry(triggered.tenantId(), ENGINE, "abuse.triggered", ABUSE + triggered.kind().wireName(),
          triggered.at(), "kind", triggered.kind().wireName(), "observed", triggered.observed().toPlainString(),
          "baseline", triggered.baseline().toPlainString(),
          "until", triggered.until() == null ? null : triggered.until().toString());
    }
    if (event instanceof Abuse.AbuseReleased released) {
      return entry(released.tenantId(), released.actor(), "abuse.released", ABUSE + released.kind().wireName(),
          released.at(), "kind", released.kind().wireName(), "releasedWork", released.releasedWork());
    }
    return Optional.empty();
  }

  /** The subject prefix of abuse entries: {@code abuse:burn-spike}... */
  public static final String ABUSE = "abuse:";

  /** The subject of every token entry: the tenant's token account. */
  public static final String TOKENS = "tokens";

  /** An audit entry and when its event happened. */
  public record Timed(AuditLog.NewEntry entry, Instant at) {}

  private static Optional<Timed> entry(
      String tenantId, String actor, String action, String subject, Instant at, Object... details) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i + 1 < details.length; i += 2) {
      if (details[i + 1] != null) map.put((String) details[i], details[i + 1]);
    }
    return Optional.of(new Timed(new AuditLog.NewEntry(tenantId, actor, action, subject, map), at));
  }
}
