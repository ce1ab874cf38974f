package io.flexoraa.engine.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexoraa.engine.testing.JournalShapes;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The desk events added in round two survive the journal's Jackson set-up, and a band change stored before
 * {@code userId} and {@code firstResponseDue} existed still reads (as an unchanged deadline).
 */
class RoutingEventSerializationTest {
  private static final Instant AT = Instant.parse("2026-11-21T10:00:00Z");
  private static JournalShapes journal;

  @BeforeAll
  static void start() {
    journal = new JournalShapes("RoutingEventSerializationTest");
  }

  @AfterAll
  static void stop() {
    journal.close();
  }

  @Test
  void closedAndBandChangedRoundTrip() throws Exception {
    for (RoutingDesk.Event event : List.of(
        new RoutingDesk.AssignmentClosed("t", "l", "l:1:u", "u", "won", "user:u", AT),
        new RoutingDesk.BandChanged("t", "l", "HOT", "u", AT.plusSeconds(600), AT),
        new RoutingDesk.BandChanged("t", "l", "WARM", null, null, AT))) {
      assertThat(journal.roundTrip(event)).as(event.getClass().getSimpleName()).isEqualTo(event);
    }
  }

  @Test
  void aBandChangeStoredInRoundOneStillReads() throws Exception {
    Object event = journal.read(RoutingDesk.Event.class, """
        {"type":"routing-band-changed.v1","tenantId":"t","leadId":"l","band":"HOT","at":"2026-11-21T10:00:00Z"}""");
    assertThat(event).isEqualTo(new RoutingDesk.BandChanged("t", "l", "HOT", null, null, AT));
  }
}
