package io.flexoraa.persistence.costs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flexoraa.engine.ports.CostLog;
import io.flexoraa.persistence.Jdbc;
import java.sql.PreparedStatement;
import java.util.concurrent.CompletionStage;

/**
 * The cost log in PostgreSQL ({@code cost_log}, V14): model and external calls, one row per reference, written on
 * the engine's own pool (the API's role may only read the table). A reference recorded before is left as it was.
 */
public final class JdbcCostLog implements CostLog {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** A provider's error text is kept to this many characters: enough to tell what went wrong. */
  private static final int MAX_ERROR_LENGTH = 300;

  private final Jdbc jdbc;

  public JdbcCostLog(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public CompletionStage<Boolean> recordAiCall(AiCall call) {
    return insert(new CostRow(call.tenantId(), CostRow.AI_CALL, call.reference(), call.at(), call.operation(), null,
        call.leadId(), call.provider(), call.model(), call.promptTokens(), call.completionTokens(), call.cost(),
        call.currency(), null, null, null, null, call.outcome().value(), call.latency().toMillis(), "{}"));
  }

  @Override
  public CompletionStage<Boolean> recordExternalCall(ExternalCall call) {
    ObjectNode details = JSON.createObjectNode();
    if (call.error() != null) details.put("error", truncate(call.error()));
    return insert(new CostRow(call.tenantId(), CostRow.EXTERNAL_CALL, call.reference(), call.at(), call.operation(),
        null, null, call.service(), null, null, null, null, null, null, null, null, null, call.outcome().value(),
        call.latency().toMillis(), details.toString()));
  }

  private CompletionStage<Boolean> insert(CostRow row) {
    return jdbc.async(connection -> {
      try (PreparedStatement insert = connection.prepareStatement(CostRow.INSERT)) {
        row.bind(insert);
        return insert.executeUpdate() == 1;
      }
    });
  }

  private static String truncate(String text) {
    return text.length() <= MAX_ERROR_LENGTH ? text : text.substring(0, MAX_ERROR_LENGTH) + "…";
  }
}
