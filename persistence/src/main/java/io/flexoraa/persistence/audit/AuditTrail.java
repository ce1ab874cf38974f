package io.flexoraa.persistence.audit;

import io.flexoraa.persistence.Jdbc;
import io.flexoraa.persistence.TenantJdbc;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * The audit log as an asynchronous service for the edge: appending what people did (each append its own
 * transaction, or use {@link AuditLog#append} inside the transaction of the change itself), and listing and
 * verifying a tenant's chain.
 */
public final class AuditTrail {
  private final Jdbc jdbc;
  private final TenantJdbc reads;
  private final Clock clock;

  /** Appends run on {@code jdbc}; listing and verifying on {@code reads}, the API's pool under row-level security. */
  public AuditTrail(Jdbc jdbc, TenantJdbc reads, Clock clock) {
    this.jdbc = jdbc;
    this.reads = reads;
    this.clock = clock;
  }

  public CompletionStage<AuditLog.Entry> record(AuditLog.NewEntry entry) {
    Instant at = clock.instant();
    return jdbc.async(connection -> AuditLog.append(connection, entry, at));
  }

  public CompletionStage<List<AuditLog.Entry>> list(
      String tenantId, Instant from, Instant to, String action, String subject, long afterSeq, int limit) {
    return reads.async(tenantId, connection -> AuditLog.list(connection, tenantId, from, to, action, subject, afterSeq, limit));
  }

  public CompletionStage<AuditLog.Verification> verify(String tenantId) {
    return reads.async(tenantId, connection -> AuditLog.verify(connection, tenantId));
  }
}
