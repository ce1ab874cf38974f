package io.flexoraa.persistence.live;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The signals one projection transaction announces (docs/decisions/0034-live-feed.md). A handler collects them while
 * it writes, then {@link #send} issues {@code pg_notify} on the same connection, inside the same transaction:
 * PostgreSQL delivers a notification when that transaction commits and drops it on rollback, so a listener never
 * hears of a row it cannot read yet, nor of one that was never written.
 *
 * <p>Cheap by construction: the signals come from the events alone (no query), repeats within the batch are sent
 * once, and the whole batch goes in one statement, its payloads chunked under PostgreSQL's 8000-byte limit.
 */
public final class LiveSignals {
  public static final String CHANNEL = "flexoraa_live";
  /** PostgreSQL refuses payloads of 8000 bytes or more; the margin covers the array brackets. */
  static final int MAX_PAYLOAD_BYTES = 7900;
  private static final String NOTIFY =
      "SELECT pg_notify('" + CHANNEL + "', payload) FROM unnest(?::text[]) AS payload";

  private final Set<LiveSignal> pending = new LinkedHashSet<>();

  public LiveSignals add(LiveSignal signal) {
    pending.add(signal);
    return this;
  }

  public LiveSignals leadMessage(String tenantId, String leadId, String messageId, String direction) {
    return add(new LiveSignal(tenantId, LiveSignal.LEAD_MESSAGE, leadId, messageId, direction, null));
  }

  public LiveSignals leadUpdated(String tenantId, String leadId) {
    return add(LiveSignal.of(tenantId, LiveSignal.LEAD_UPDATED, leadId));
  }

  public LiveSignals routingChanged(String tenantId, String leadId) {
    return add(LiveSignal.of(tenantId, LiveSignal.ROUTING_CHANGED, leadId));
  }

  public LiveSignals appointmentChanged(String tenantId, String leadId, String appointmentId) {
    return add(new LiveSignal(tenantId, LiveSignal.APPOINTMENT_CHANGED, leadId, null, null, appointmentId));
  }

  public LiveSignals complianceDecision(String tenantId, String leadId) {
    return add(LiveSignal.of(tenantId, LiveSignal.COMPLIANCE_DECISION, leadId));
  }

  public LiveSignals complianceChanged(String tenantId) {
    return add(LiveSignal.of(tenantId, LiveSignal.COMPLIANCE_CHANGED, null));
  }

  public LiveSignals tokensChanged(String tenantId) {
    return add(LiveSignal.of(tenantId, LiveSignal.TOKENS_CHANGED, null));
  }

  /** Queues the collected signals on {@code connection}'s transaction; they go out when it commits. */
  public void send(Connection connection) throws SQLException {
    if (pending.isEmpty()) return;
    List<String> payloads = payloads(pending);
    try (PreparedStatement notify = connection.prepareStatement(NOTIFY)) {
      notify.setArray(1, connection.createArrayOf("text", payloads.toArray()));
      try (ResultSet ignored = notify.executeQuery()) {
        // pg_notify returns void: one empty row per payload
      }
    }
    pending.clear();
  }

  /** JSON arrays of wire signals, each under {@link #MAX_PAYLOAD_BYTES} in UTF-8. */
  static List<String> payloads(Collection<LiveSignal> signals) {
    List<String> payloads = new ArrayList<>();
    StringBuilder current = new StringBuilder("[");
    int bytes = 2;
    for (LiveSignal signal : signals) {
      String json = signal.wire().toString();
      int size = json.getBytes(StandardCharsets.UTF_8).length + 1;
      if (current.length() > 1 && bytes + size > MAX_PAYLOAD_BYTES) {
        payloads.add(current.append(']').toString());
        current = new StringBuilder("[");
        bytes = 2;
      }
      if (current.length() > 1) current.append(',');
      current.append(json);
      bytes += size;
    }
    payloads.add(current.append(']').toString());
    return payloads;
  }
}
