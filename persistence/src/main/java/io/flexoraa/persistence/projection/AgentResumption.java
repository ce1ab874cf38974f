package io.flexoraa.persistence.projection;

import io.flexoraa.persistence.Jdbc;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Which lead agents may have work left after a restart (docs/decisions/0024-the-lead-agent.md): those written to
 * recently whose last event does not close their work (a reply handed over or given up). A sharded entity starts
 * only when a message reaches it, so at start-up the engine wakes these; each then finds in its own events what is
 * pending (a noted message, an unanswered burst, a written reply not yet handed over) and resumes it. Waking one
 * with nothing left costs a recovery and does nothing.
 */
public final class AgentResumption {
  private static final String PENDING =
      "SELECT persistence_id FROM (SELECT DISTINCT ON (persistence_id) persistence_id, event_ser_manifest"
          + " FROM event_journal WHERE persistence_id LIKE 'LeadAgent|%' AND write_timestamp >= ? AND NOT deleted"
          + " ORDER BY persistence_id, sequence_number DESC) last"
          + " WHERE event_ser_manifest NOT LIKE '%$ReplyHanded' AND event_ser_manifest NOT LIKE '%$ReplyFailed'";

  private final Jdbc jdbc;

  public AgentResumption(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  /** Entity ids ({@code tenantId:leadId}) of agents written to since {@code since} whose work may be unfinished. */
  public CompletionStage<List<String>> unfinishedSince(Instant since) {
    return jdbc.async(connection -> {
      List<String> ids = new ArrayList<>();
      try (PreparedStatement statement = connection.prepareStatement(PENDING)) {
        statement.setLong(1, since.toEpochMilli());
        try (ResultSet result = statement.executeQuery()) {
          while (result.next()) ids.add(result.getString(1).substring("LeadAgent|".length()));
        }
      }
      return ids;
    });
  }
}
