package io.flexoraa.persistence.projection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flexoraa.engine.lead.LeadModel;
import io.flexoraa.engine.lead.LeadModel.Event;
import io.flexoraa.engine.lead.LeadModel.MessageStatusChanged;
import io.flexoraa.engine.lead.LeadModel.StatusChange;
import io.flexoraa.persistence.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The cost-log projection on a real migrated PostgreSQL: an outbound message is one {@code cost_log} row however many
 * of its statuses carry Meta's pricing, a replay adds nothing, statuses without pricing and other events add nothing,
 * and the rows cannot be changed afterwards. The pricing objects are those of Meta's webhook documentation
 * (a PMP marketing message, a CBP service conversation).
 */
class OutboundCostHandlerTest {
  /** Meta's example of a sent status under per-message pricing. */
  private static final String PMP_MARKETING =
      "{\"billable\":true,\"pricing_model\":\"PMP\",\"type\":\"regular\",\"category\":\"marketing\"}";
  /** Meta's example of a delivered status under conversation-based pricing. */
  private static final String CBP_SERVICE = "{\"billable\":true,\"pricing_model\":\"CBP\",\"category\":\"service\"}";
  private static final String FREE_SERVICE =
      "{\"billable\":false,\"pricing_model\":\"PMP\",\"type\":\"free_customer_service\",\"category\":\"service\"}";
  private static final Instant SENT = Instant.ofEpochSecond(1750030073);

  private static TestDatabase db;
  private static ProjectedEvents projection;

  @BeforeAll
  static void start() {
    db = TestDatabase.open();
    projection = new ProjectedEvents(db.dataSource(), new OutboundCostHandler("lead-test"));
  }

  @AfterAll
  static void stop() {
    db.close();
  }

  private static MessageStatusChanged status(String tenant, String messageId, String status, Instant at, String pricing) {
    return new MessageStatusChanged(tenant, "lead-1", new StatusChange(messageId, "whatsapp", status, at, null, pricing),
        at.plusSeconds(1));
  }

  private static String column(String tenant, String messageId, String column) {
    return db.queryString("SELECT " + column + "::text FROM cost_log WHERE tenant_id = ? AND kind = 'outbound_message'"
        + " AND reference = ?", tenant, messageId);
  }

  @Test
  void threeStatusesWithTheSamePricingAreOneRowAndAReplayAddsNothing() throws Exception {
    String tenant = "tenant-" + UUID.randomUUID();
    Event sent = status(tenant, "wamid.out-1", "sent", SENT, PMP_MARKETING);
    Event delivered = status(tenant, "wamid.out-1", "delivered", SENT.plusSeconds(5), PMP_MARKETING);
    Event read = status(tenant, "wamid.out-1", "read", SENT.plusSeconds(60), PMP_MARKETING);

    projection.project(sent, delivered);
    projection.project(read);
    projection.project(sent, delivered, read); // a replay from the start

    assertThat(db.queryLong("SELECT count(*) FROM cost_log WHERE tenant_id = ?", tenant)).isEqualTo(1);
    assertThat(column(tenant, "wamid.out-1", "operation")).isEqualTo("outbound-whatsapp-message");
    assertThat(column(tenant, "wamid.out-1", "channel")).isEqualTo("whatsapp");
    assertThat(column(tenant, "wamid.out-1", "lead_id")).isEqualTo("lead-1");
    assertThat(column(tenant, "wamid.out-1", "provider")).isEqualTo("meta");
    assertThat(column(tenant, "wamid.out-1", "billable")).isEqualTo("true");
    assertThat(column(tenant, "wamid.out-1", "pricing_model")).isEqualTo("PMP");
    assertThat(column(tenant, "wamid.out-1", "pricing_category")).isEqualTo("marketing");
    assertThat(column(tenant, "wamid.out-1", "pricing_type")).isEqualTo("regular");
    assertThat(column(tenant, "wamid.out-1", "amount")).as("Meta's pricing carries no price").isNull();
    assertThat(column(tenant, "wamid.out-1", "currency")).isNull();
    assertThat(db.queryLong("SELECT extract(epoch FROM occurred_at)::bigint FROM cost_log WHERE tenant_id = ?", tenant))
        .as("the first priced status's own time").isEqualTo(SENT.getEpochSecond());
    assertThat(db.queryString("SELECT details->>'status' FROM cost_log WHERE tenant_id = ?", tenant)).isEqualTo("sent");
    assertThat(db.queryString("SELECT details->'pricing'->>'category' FROM cost_log WHERE tenant_id = ?", tenant))
        .isEqualTo("marketing");
  }

  @Test
  void onlyStatusesCarryingPricingRecordAMessage() throws Exception {
    String tenant = "tenant-" + UUID.randomUUID();
    Instant delivered = Instant.ofEpochSecond(1750263773);
    projection.project(
        // Graph API v24 sends no pricing on "sent"; the message is recorded from the first status that has it
        status(tenant, "wamid.out-2", "sent", delivered.minusSeconds(3), null),
        status(tenant, "wamid.out-2", "delivered", delivered, CBP_SERVICE),
        status(tenant, "wamid.out-3", "failed", delivered, null),
        status(tenant, "wamid.out-4", "delivered", delivered, FREE_SERVICE),
        status(tenant, "wamid.out-5", "sent", delivered, "\"not an object\""),
        new LeadModel.LeadAnonymized(tenant, "lead-1", "request-1", "operator", delivered));

    assertThat(db.queryLong("SELECT count(*) FROM cost_log WHERE tenant_id = ?", tenant)).isEqualTo(3);
    assertThat(column(tenant, "wamid.out-2", "pricing_model")).isEqualTo("CBP");
    assertThat(column(tenant, "wamid.out-2", "pricing_category")).isEqualTo("service");
    assertThat(column(tenant, "wamid.out-2", "pricing_type")).isNull();
    assertThat(column(tenant, "wamid.out-2", "details->>'status'")).isEqualTo("delivered");
    assertThat(column(tenant, "wamid.out-3", "reference")).as("no pricing, no row").isNull();
    assertThat(column(tenant, "wamid.out-4", "billable")).isEqualTo("false");
    assertThat(column(tenant, "wamid.out-5", "billable")).as("unreadable pricing is kept, not lost").isNull();
    assertThat(column(tenant, "wamid.out-5", "details->>'pricing'")).isEqualTo("not an object");
  }

  @Test
  void theCostLogIsInsertOnlyEvenForItsOwner() throws Exception {
    String tenant = "tenant-" + UUID.randomUUID();
    projection.project(status(tenant, "wamid.out-6", "sent", SENT, PMP_MARKETING));

    try (Connection owner = db.dataSource().getConnection(); Statement statement = owner.createStatement()) {
      assertThatThrownBy(() -> statement.executeUpdate(
              "UPDATE cost_log SET billable = false WHERE tenant_id = '" + tenant + "'"))
          .isInstanceOf(SQLException.class).hasMessageContaining("cost_log is insert-only: UPDATE");
      assertThatThrownBy(() -> statement.executeUpdate("DELETE FROM cost_log WHERE tenant_id = '" + tenant + "'"))
          .isInstanceOf(SQLException.class).hasMessageContaining("insert-only: DELETE");
      assertThatThrownBy(() -> statement.executeUpdate("TRUNCATE cost_log"))
          .isInstanceOf(SQLException.class).hasMessageContaining("insert-only: TRUNCATE");
    }
    assertThat(column(tenant, "wamid.out-6", "billable")).isEqualTo("true");
  }
}
