package io.flexoraa.persistence.payments;

import io.flexoraa.persistence.Jdbc;
import io.flexoraa.persistence.TenantJdbc;
import io.flexoraa.persistence.audit.AuditLog;
import io.flexoraa.persistence.readmodel.LeadViews.Page;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The payment orders of token top-ups ({@code payment_orders}): recorded when Razorpay has created the order, together
 * with its audit entry; marked paid once, by whichever of the client's confirmation and Razorpay's webhook comes
 * first. Writes and the webhook's lookup (which has no tenant yet) run on the owner pool; the API's reads on its
 * pool under row-level security.
 */
public final class PaymentOrders {
  public static final String CREATED = "created";
  public static final String PAID = "paid";
  public static final String VIA_CONFIRMATION = "confirmation";
  public static final String VIA_WEBHOOK = "webhook";

  private static final String COLUMNS = "order_id, tenant_id, pack, tokens, amount, currency, receipt, status, payment_id, "
      + "paid_via, created_by, created_at, paid_at";

  private final Jdbc owner;
  private final TenantJdbc reads;

  public PaymentOrders(Jdbc owner, TenantJdbc reads) {
    this.owner = owner;
    this.reads = reads;
  }

  /** {@code amount} in minor units of {@code currency}; {@code paymentId}, {@code paidVia}, {@code paidAt} null until paid. */
  public record Order(
      String orderId, String tenantId, String pack, BigDecimal tokens, long amount, String currency, String receipt,
      String status, String paymentId, String paidVia, String createdBy, Instant createdAt, Instant paidAt) {
    public boolean paid() {
      return PAID.equals(status);
    }
  }

  /** Records a new order and its audit entry in one transaction. */
  public CompletionStage<Order> record(Order order, AuditLog.NewEntry audit) {
    return owner.transaction(connection -> {
      try (PreparedStatement insert = connection.prepareStatement(
          "INSERT INTO payment_orders (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, 'created', NULL, NULL, ?, ?, NULL)")) {
        insert.setString(1, order.orderId());
        insert.setString(2, order.tenantId());
        insert.setString(3, order.pack());
        insert.setBigDecimal(4, order.tokens());
        insert.setLong(5, order.amount());
        insert.setString(6, order.currency());
        insert.setString(7, order.receipt());
        insert.setString(8, order.createdBy());
        insert.setTimestamp(9, Timestamp.from(order.createdAt()));
        insert.executeUpdate();
      }
      AuditLog.append(connection, audit, order.createdAt());
      return order;
    });
  }

  /** The order with this id, whichever tenant's: for Razorpay's webhook, which names only the order. */
  public CompletionStage<Optional<Order>> findAnyTenant(String orderId) {
    return owner.async(connection -> find(connection, orderId));
  }

  /** The tenant's order with this id; another tenant's is invisible (row-level security). */
  public CompletionStage<Optional<Order>> find(String tenantId, String orderId) {
    return reads.async(tenantId, connection -> find(connection, orderId));
  }

  /**
   * Marks a created order paid by {@code paymentId}; an order already paid stays as it is. Returns the order as it
   * is afterwards, so the caller learns who won when the confirmation and the webhook race.
   */
  public CompletionStage<Optional<Order>> markPaid(String orderId, String paymentId, String via, Instant at) {
    return owner.async(connection -> {
      try (PreparedStatement update = connection.prepareStatement(
          "UPDATE payment_orders SET status = 'paid', payment_id = ?, paid_via = ?, paid_at = ? "
              + "WHERE order_id = ? AND status = 'created' "
              + "AND NOT EXISTS (SELECT 1 FROM payment_orders other WHERE other.payment_id = ?)")) {
        update.setString(1, paymentId);
        update.setString(2, via);
        update.setTimestamp(3, Timestamp.from(at));
        update.setString(4, orderId);
        update.setString(5, paymentId);
        update.executeUpdate();
      }
      return find(connection, orderId);
    });
  }

  /** The tenant's orders, newest first. */
  public CompletionStage<Page<Order>> list(String tenantId, int limit, int offset) {
    return reads.async(tenantId, connection -> {
      List<Order> orders = new ArrayList<>();
      try (PreparedStatement select = connection.prepareStatement(
          "SELECT " + COLUMNS + " FROM payment_orders WHERE tenant_id = ? ORDER BY created_at DESC, order_id "
              + "LIMIT ? OFFSET ?")) {
        select.setString(1, tenantId);
        select.setInt(2, limit);
        select.setInt(3, offset);
        try (ResultSet rows = select.executeQuery()) {
          while (rows.next()) orders.add(read(rows));
        }
      }
      try (PreparedStatement count = connection.prepareStatement(
          "SELECT count(*) FROM payment_orders WHERE tenant_id = ?")) {
        count.setString(1, tenantId);
        try (ResultSet rows = count.executeQuery()) {
          rows.next();
          return new Page<>(orders, rows.getLong(1));
        }
      }
    });
  }

  private static Optional<Order> find(Connection connection, String orderId) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(
        "SELECT " + COLUMNS + " FROM payment_orders WHERE order_id = ?")) {
      select.setString(1, orderId);
      try (ResultSet rows = select.executeQuery()) {
        return rows.next() ? Optional.of(read(rows)) : Optional.empty();
      }
    }
  }

  private static Order read(ResultSet rows) throws SQLException {
    Timestamp paidAt = rows.getTimestamp("paid_at");
    return new Order(
        rows.getString("order_id"),
        rows.getString("tenant_id"),
        rows.getString("pack"),
        rows.getBigDecimal("tokens"),
        rows.getLong("amount"),
        rows.getString("currency"),
        rows.getString("receipt"),
        rows.getString("status"),
        rows.getString("payment_id"),
        rows.getString("paid_via"),
        rows.getString("created_by"),
        rows.getTimestamp("created_at").toInstant(),
        paidAt == null ? null : paidAt.toInstant());
  }
}
