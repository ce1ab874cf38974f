package io.flexoraa.persistence.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One change a dashboard shows, announced after the projection committed it: ids only, never personal data, so the
 * page re-reads what changed through the API (which applies the caller's access rules). Null fields are left out.
 */
public record LiveSignal(
    String tenantId, String type, String leadId, String messageId, String direction, String appointmentId) {
  /** A message stored or its status changed; also means the lead's counts and last-message time moved. */
  public static final String LEAD_MESSAGE = "lead.message";
  /** The lead's row changed: created, identifiers, consent, score or band, assignment, verification, merge. */
  public static final String LEAD_UPDATED = "lead.updated";
  /** An assignment, the waiting queue, an SLA clock or the SDR roster changed. */
  public static final String ROUTING_CHANGED = "routing.changed";
  public static final String APPOINTMENT_CHANGED = "appointment.changed";
  /** The compliance gate decided on an outbound message. */
  public static final String COMPLIANCE_DECISION = "compliance.decision";
  /** A channel account's health changed: quality rating, messaging limit, suspension, recovery. */
  public static final String COMPLIANCE_CHANGED = "compliance.changed";
  public static final String TOKENS_CHANGED = "tokens.changed";
  /** Not from a projection: the listener's connection was re-opened, so signals may have been missed. */
  public static final String RECONNECTED = "reconnected";

  private static final ObjectMapper JSON = new ObjectMapper();

  public static LiveSignal of(String tenantId, String type, String leadId) {
    return new LiveSignal(tenantId, type, leadId, null, null, null);
  }

  static LiveSignal reconnected(String tenantId) {
    return of(tenantId, RECONNECTED, null);
  }

  /** The wire form in a NOTIFY payload: {@code {"t": tenant, "type": ..., ...}}. */
  ObjectNode wire() {
    ObjectNode node = JSON.createObjectNode();
    node.put("t", tenantId);
    fill(node);
    return node;
  }

  /** What a client is sent: everything but the tenant, which its stream is already scoped to. */
  public String json() {
    ObjectNode node = JSON.createObjectNode();
    fill(node);
    return node.toString();
  }

  private void fill(ObjectNode node) {
    node.put("type", type);
    if (leadId != null) node.put("leadId", leadId);
    if (messageId != null) node.put("messageId", messageId);
    if (direction != null) node.put("direction", direction);
    if (appointmentId != null) node.put("appointmentId", appointmentId);
  }

  /** Reads the wire form; null when a field the signal needs is missing. */
  static LiveSignal fromWire(JsonNode node) {
    String tenantId = text(node, "t");
    String type = text(node, "type");
    if (tenantId == null || type == null) return null;
    return new LiveSignal(tenantId, type, text(node, "leadId"), text(node, "messageId"), text(node, "direction"),
        text(node, "appointmentId"));
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }
}
