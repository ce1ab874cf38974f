package io.flexoraa.persistence.projection;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flexoraa.engine.lead.LeadModel;
import io.flexoraa.engine.lead.LeadModel.Event;
import io.flexoraa.engine.lead.LeadModel.StatusChange;
import io.flexoraa.persistence.costs.CostRow;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.List;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.jdbc.javadsl.JdbcHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records every outbound message in {@code cost_log} from its delivery statuses: the first status of a message that
 * carries Meta's {@code pricing} object (billable, pricing_model, category, type) becomes the message's row, keyed by
 * the platform message id. Meta repeats the same pricing on sent, delivered and read; those later statuses, a replay
 * and a redelivered webhook all find the row there and add nothing. A group commits with its projection offset.
 *
 * <p>Meta's pricing carries no price, so the row's amount stays null; its time is the status's own timestamp (when
 * Meta sent or delivered the message), falling back to when the lead recorded it.
 */
public final class OutboundCostHandler extends JdbcHandler<List<EventEnvelope<Event>>, PooledJdbcSession> {
  private static final Logger log = LoggerFactory.getLogger(OutboundCostHandler.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Whoever prices an outbound message: for WhatsApp, Meta. */
  static final String PROVIDER = "meta";

  private final String tag;

  public OutboundCostHandler(String tag) {
    this.tag = tag;
  }

  @Override
  public void start() {
    log.info("Cost-log projection for {} started", tag);
  }

  @Override
  public void stop() {
    log.info("Cost-log projection for {} stopped", tag);
  }

  @Override
  public void process(PooledJdbcSession session, List<EventEnvelope<Event>> envelopes) throws Exception {
    session.withConnection(connection -> {
      try (PreparedStatement insert = connection.prepareStatement(CostRow.INSERT)) {
        int rows = 0;
        for (EventEnvelope<Event> envelope : envelopes) {
          if (envelope.event() instanceof LeadModel.MessageStatusChanged changed
              && changed.status().pricingJson() != null) {
            rowFor(changed).bind(insert);
            insert.addBatch();
            rows++;
          }
        }
        if (rows > 0) insert.executeBatch();
      }
      return null;
    });
  }

  /** The operation an outbound message is reported under, beside the rate card's inbound-whatsapp-message. */
  public static String operationFor(String channel) {
    return channel == null ? "outbound-message" : "outbound-" + channel + "-message";
  }

  static CostRow rowFor(LeadModel.MessageStatusChanged changed) {
    StatusChange status = changed.status();
    JsonNode pricing = parse(status.pricingJson());
    ObjectNode details = JSON.createObjectNode();
    details.put("status", status.status());
    details.set("pricing", pricing);
    Instant at = status.at() != null ? status.at() : changed.recordedAt();
    return new CostRow(changed.tenantId(), CostRow.OUTBOUND_MESSAGE, status.platformMessageId(), at,
        operationFor(status.channel()), status.channel(), changed.leadId(), PROVIDER, null, null, null, null, null,
        flag(pricing, "billable"), text(pricing, "pricing_model"), text(pricing, "category"), text(pricing, "type"),
        null, null, details.toString());
  }

  /** The pricing object; anything else Meta might send there is kept as a string, so the message is still recorded. */
  private static JsonNode parse(String pricingJson) {
    try {
      JsonNode node = JSON.readTree(pricingJson);
      if (node != null) return node;
    } catch (Exception unreadable) {
      // recorded below as the text it was
    }
    return JSON.getNodeFactory().textNode(pricingJson);
  }

  private static Boolean flag(JsonNode pricing, String field) {
    JsonNode value = pricing.get(field);
    return value != null && value.isBoolean() ? value.asBoolean() : null;
  }

  private static String text(JsonNode pricing, String field) {
    JsonNode value = pricing.get(field);
    return value != null && value.isValueNode() && !value.isNull() ? value.asText() : null;
  }
}
