package io.flexoraa.persistence.audit;

import io.flexoraa.engine.lead.LeadModel;
import io.flexoraa.engine.tenant.Tenant;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Which entity events are critical enough for the audit trail (PRODUCT §10), and what the entry says. Entries name
 * ids, kinds and counts, never personal data: the trail is kept forever, including after a lead's erasure.
 * Routine traffic (every inbound message, every delivery status) is not audited; it lives in the journal.
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
    return Optional.empty();
  }

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
