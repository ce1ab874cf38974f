package io.flexoraa.http;

import io.flexoraa.engine.limits.BackpressureMode;
import io.flexoraa.engine.ops.IngestWindow;
import java.time.Instant;
import io.flexoraa.engine.ports.EngineMetrics;
import kamon.Kamon;
import kamon.tag.TagSet;
import kamon.metric.MeasurementUnit;

/**
 * The engine's own metrics in Kamon (exported at /metrics beside Kamon's HTTP, actor and JVM metrics): webhooks by
 * outcome, acknowledgement latency, persisted events by entity type, live entities per type on this node, rate-limit
 * decisions by limit, the AI work waiting for admission, and the backpressure mode it sets.
 */
public final class EdgeMetrics implements EngineMetrics {
  /** The last minutes of webhook ingest on this node, for the operator's overview (GET /api/v1/ops/overview). */
  private final IngestWindow ingest = new IngestWindow();

  public void webhook(String outcome, long startedAtNanos) {
    webhook(outcome, startedAtNanos, 0);
  }

  /** {@code leadMessages}: how many messages an accepted webhook stored on leads. */
  public void webhook(String outcome, long startedAtNanos, int leadMessages) {
    Kamon.counter("flexoraa_webhooks", "Meta webhook POSTs by outcome").withTag("outcome", outcome).increment();
    if ("accepted".equals(outcome)) {
      long latency = System.nanoTime() - startedAtNanos;
      Kamon.histogram("flexoraa_webhook_ack_latency", "From receiving a webhook to acknowledging it",
              MeasurementUnit.time().nanoseconds())
          .withoutTags()
          .record(latency);
      // wall-clock seconds, as the overview reads them (node metrics in real time, whatever the engine's clock)
      ingest.webhookAcknowledged(Instant.now(), latency, leadMessages);
    }
  }

  IngestWindow ingestWindow() {
    return ingest;
  }

  /** Razorpay webhook POSTs by outcome (credited, duplicate, ignored, kept-for-operators, rejected-signature...). */
  public void paymentWebhook(String outcome) {
    Kamon.counter("flexoraa_payment_webhooks", "Razorpay webhook POSTs by outcome").withTag("outcome", outcome).increment();
  }

  @Override
  public void eventsPersisted(String entityType, int count) {
    if (count > 0) {
      Kamon.counter("flexoraa_events_persisted", "Events persisted, by entity type")
          .withTag("entity", entityType).increment(count);
    }
  }

  @Override
  public void admission(String scope, boolean admitted, int permits) {
    if (admitted) {
      Kamon.counter("flexoraa_admission_admitted", "Message permits a rate limit admitted, by limit (tenant, cluster)")
          .withTag("scope", scope).increment(permits);
    } else {
      Kamon.counter("flexoraa_admission_throttled",
              "Message permits refused, by limit (tenant, cluster; unavailable = a limiter did not answer)")
          .withTag("scope", scope).increment(permits);
    }
  }

  @Override
  public void aiWorkDeferred(long waiting) {
    Kamon.gauge("flexoraa_ai_work_deferred", "Stored messages on this node whose AI work waits for admission")
        .withoutTags().update(waiting);
  }

  @Override
  public void backpressureMode(BackpressureMode current) {
    Kamon.gauge("flexoraa_backpressure_level",
            "This node's backpressure mode: 0 normal, 1 defer-analytics, 2 default-persuasion, 3 template-only")
        .withoutTags().update(current.level());
    for (BackpressureMode mode : BackpressureMode.values()) {
      Kamon.gauge("flexoraa_backpressure_mode", "1 for this node's backpressure mode, 0 for the others")
          .withTag("mode", mode.id()).update(mode == current ? 1 : 0);
    }
  }

  @Override
  public void backpressureTransition(BackpressureMode from, BackpressureMode to) {
    Kamon.counter("flexoraa_backpressure_transitions", "Changes of this node's backpressure mode")
        .withTags(TagSet.of("from", from.id()).withTag("to", to.id())).increment();
  }

  public void liveEntities(String entityType, long count) {
    Kamon.gauge("flexoraa_live_entities", "Entities alive in this node's shard regions")
        .withTag("entity", entityType).update(count);
  }

  /**
   * One request to Meta's Graph API: {@code operation} send or probe, {@code outcome} what that request ended in
   * (sent, rate_limited, server_error, unreachable, no_answer, window_closed..., or the probe's healthy, restricted,
   * unknown), and its latency.
   */
  public void graphApiRequest(String channel, String operation, String outcome, long nanos) {
    Kamon.counter("flexoraa_graph_api_requests", "Requests to Meta's Graph API by channel, operation and outcome")
        .withTags(TagSet.of("channel", channel).withTag("operation", operation).withTag("outcome", outcome))
        .increment();
    Kamon.histogram("flexoraa_graph_api_latency", "From sending a request to Meta's Graph API to its answer",
            MeasurementUnit.time().nanoseconds())
        .withTags(TagSet.of("channel", channel).withTag("operation", operation))
        .record(nanos);
  }

  @Override
  public void abuseTriggered(String scope, String kind) {
    Kamon.counter("flexoraa_abuse_triggers", "Abuse rules fired, by scope (customer, tenant) and rule")
        .withTag("scope", scope).withTag("kind", kind).increment();
  }

  @Override
  public void intakeScreened(String channel, String reason) {
    Kamon.counter("flexoraa_intake_screened",
            "Stored messages intake kept from AI work, by channel and reason (stale-replay, standby)")
        .withTag("channel", channel).withTag("reason", reason).increment();
  }

  @Override
  public void complianceDecision(String channel, String verdict, String rule) {
    Kamon.counter("flexoraa_compliance_decisions", "Compliance-gate decisions on outbound messages, by channel, verdict and rule")
        .withTags(TagSet.of("channel", channel == null ? "unknown" : channel).withTag("verdict", verdict)
            .withTag("rule", rule == null ? "none" : rule))
        .increment();
  }

  @Override
  public void aiAnalysis(String provider, java.time.Duration latency) {
    Kamon.counter("flexoraa_ai_analyses", "Messages analysed by the AI stage, by provider (or skipped:<reason>)")
        .withTag("provider", provider).increment();
    if (!provider.startsWith("skipped")) {
      Kamon.histogram("flexoraa_ai_analysis_latency", "From taking a message to its analysis (debit, read, analyse)",
              MeasurementUnit.time().nanoseconds())
          .withTag("provider", provider).record(latency.toNanos());
    }
  }

  @Override
  public void aiReply(String kind, String decision, java.time.Duration latency) {
    Kamon.counter("flexoraa_ai_replies", "AI replies by kind and the compliance gate's decision (or failed:<reason>)")
        .withTags(TagSet.of("kind", kind).withTag("decision", decision)).increment();
    if (latency != null) {
      Kamon.histogram("flexoraa_ai_reply_latency",
              "From a burst's last inbound message being stored to its AI reply being taken by the outbound flow",
              MeasurementUnit.time().nanoseconds())
          .withTag("kind", kind).record(latency.toNanos());
    }
  }

  @Override
  public void aiCall(String provider, String operation, String outcome) {
    Kamon.counter("flexoraa_ai_calls", "Calls to AI providers by provider, rate-card operation and outcome")
        .withTags(TagSet.of("provider", provider).withTag("operation", operation).withTag("outcome", outcome))
        .increment();
  }

  @Override
  public void aiFallback(String reason) {
    Kamon.counter("flexoraa_ai_fallbacks",
            "Answers the built-in engine gave in the configured provider's place, by reason (error, timeout, malformed, "
                + "breaker-open, backpressure, template-only)")
        .withTag("reason", reason).increment();
  }

  @Override
  public void aiReplySource(String source) {
    Kamon.counter("flexoraa_ai_reply_source", "AI replies served, by source (faq, cache, provider, template)")
        .withTag("source", source).increment();
  }

  @Override
  public void aiHallucinationPrevented() {
    Kamon.counter("flexoraa_ai_hallucinations_prevented",
            "Generated replies that stated a fact the tenant's profile does not hold, replaced by approved wording")
        .withoutTags().increment();
  }

  /**
   * A notification stored and pushed to its recipient's live streams, by kind, with the time from the triggering
   * event ({@code Notice.at}) to the push: the figure the P90 &lt; 10 s target is about.
   */
  public void notificationPushed(String kind, java.time.Duration sinceEvent) {
    Kamon.counter("flexoraa_notifications", "Notifications stored and pushed, by kind").withTag("kind", kind).increment();
    Kamon.histogram("flexoraa_notification_latency", "From a notice's triggering event to its push, by kind",
            MeasurementUnit.time().nanoseconds())
        .withTag("kind", kind).record(Math.max(0, sinceEvent.toNanos()));
  }

  /** The dashboard's live streams open on this node (decision 34). */
  public void liveStreams(int open) {
    Kamon.gauge("flexoraa_live_streams", "Dashboard live streams (Server-Sent Events) open on this node")
        .withoutTags().update(open);
  }

  /** Live signals written to the dashboards' streams. */
  public void liveSignalDelivered() {
    Kamon.counter("flexoraa_live_signals", "Live signals sent to dashboard streams").withoutTags().increment();
  }

  /** A live stream whose client read too slowly: it was told "overflow" and ended. */
  public void liveOverflow() {
    Kamon.counter("flexoraa_live_overflows", "Live streams ended because their client fell too far behind")
        .withoutTags().increment();
  }

  /** Notification e-mails by outcome (sent, failed). */
  public void notificationEmail(String outcome) {
    Kamon.counter("flexoraa_notification_emails", "Notification e-mails by outcome (sent, failed)")
        .withTag("outcome", outcome).increment();
  }

  @Override
  public void coldRecovery(String outcome) {
    Kamon.counter("flexoraa_cold_recoveries", "Cold recovery sequences started, replied, lapsed, stopped; steps sent or skipped")
        .withTag("outcome", outcome).increment();
  }

  @Override
  public void routingSlaBreached(String band) {
    Kamon.counter("flexoraa_routing_sla_breaches", "First-response SLAs breached, by band")
        .withTag("band", band).increment();
  }

  @Override
  public void routingFirstResponse(java.time.Duration latency) {
    Kamon.histogram("flexoraa_routing_first_response", "From assignment to the SDR's first answer",
            MeasurementUnit.time().milliseconds())
        .withoutTags().record(latency.toMillis());
  }

  @Override
  public void routingQueueDepth(String tenantId, int depth) {
    Kamon.gauge("flexoraa_routing_queue_depth", "Leads waiting for an SDR, by tenant")
        .withTag("tenant", tenantId).update(depth);
  }

  @Override
  public void routingLeakage(String band, String kind) {
    Kamon.counter("flexoraa_routing_leakage", "Leads leaking (unanswered or unseen), by band")
        .withTags(TagSet.of("band", band).withTag("kind", kind)).increment();
  }
}
