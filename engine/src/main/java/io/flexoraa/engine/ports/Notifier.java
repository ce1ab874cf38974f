package io.flexoraa.engine.ports;

import io.flexoraa.engine.CborSerializable;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionStage;

/**
 * Tells people of a tenant that something needs them (PRODUCT §4.4, §4.7): stored as an in-app notification per
 * recipient, pushed live to their open dashboards, and e-mailed when {@link Notice#email()} asks for it and the
 * recipient has an address. Idempotent on {@link Notice#noticeId()} per recipient: a retried notice is stored, pushed
 * and mailed once.
 */
public interface Notifier {

  /** Stores (and pushes and mails) the notice; completes once it is stored for every recipient. */
  CompletionStage<Void> notify(Notice notice);

  /**
   * One notice to one or more users of a tenant. {@code recipients} are user ids; {@link #MANAGERS} stands for every
   * Manager and Admin of the tenant, resolved when the notice is stored. {@code kind} is a dotted name the dashboard
   * groups by ({@code lead.assigned}, {@code sla.breached}, {@code leakage.detected}, {@code appointment.booked}...);
   * {@code data} carries ids the dashboard links to (never PII). {@code at} is when the triggering event happened:
   * the push latency is measured from it.
   */
  record Notice(
      String noticeId,
      String tenantId,
      List<String> recipients,
      String kind,
      String title,
      String body,
      String leadId,
      Map<String, String> data,
      boolean email,
      Instant at)
      implements CborSerializable {

    public static final String MANAGERS = "@managers";

    public Notice {
      Objects.requireNonNull(noticeId, "noticeId");
      Objects.requireNonNull(tenantId, "tenantId");
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(title, "title");
      Objects.requireNonNull(at, "at");
      recipients = List.copyOf(recipients);
      data = data == null ? Map.of() : Map.copyOf(data);
      body = body == null ? "" : body;
    }
  }
}
