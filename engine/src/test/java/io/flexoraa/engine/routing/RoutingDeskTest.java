package io.flexoraa.engine.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexoraa.engine.routing.RoutingDesk.Event;
import io.flexoraa.engine.routing.RoutingDesk.LeadAssigned;
import io.flexoraa.engine.routing.RoutingDesk.LeadQueued;
import io.flexoraa.engine.routing.RoutingDesk.LeakageDetected;
import io.flexoraa.engine.routing.RoutingDesk.SlaBreached;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The routing desk's rules (PRODUCT §4.4) without actors: state + command + now → events. */
class RoutingDeskTest {
  private static final RoutingSettings SETTINGS = new RoutingSettings(true, Duration.ofMinutes(10),
      Duration.ofHours(24), Duration.ofHours(72), Duration.ofMinutes(30), Duration.ofMinutes(30),
      Duration.ofSeconds(30), Duration.ofSeconds(60), 4, Duration.ofSeconds(5), "en");
  /** A Wednesday, 10:00 UTC. */
  private static final Instant NOW = Instant.parse("2026-11-18T10:00:00Z");
  private static final WorkingHours ALWAYS = new WorkingHours(EnumSet.allOf(DayOfWeek.class), LocalTime.MIN,
      LocalTime.of(23, 59), ZoneOffset.UTC);

  private final DeskState desk = DeskState.empty("t1");

  private static Sdr sdr(String id, Seniority seniority, int capacity, Presence presence, String... languages) {
    return new Sdr("t1", id, id, id + "@example.com", seniority, capacity, ALWAYS, presence, List.of(),
        List.of(languages));
  }

  private List<Event> apply(List<Event> events) {
    events.forEach(desk::apply);
    return events;
  }

  private void add(Sdr sdr) {
    apply(desk.saveSdr(sdr, true, SETTINGS, NOW));
  }

  private static String assignee(List<Event> events) {
    return events.stream().filter(LeadAssigned.class::isInstance).map(e -> ((LeadAssigned) e).userId())
        .findFirst().orElse(null);
  }

  @Test
  void hotGoesToAnAvailableSeniorThenLanguageThenLeastLoaded() {
    add(sdr("junior", Seniority.JUNIOR, 5, Presence.ONLINE, "hi"));
    add(sdr("senior-en", Seniority.SENIOR, 5, Presence.ONLINE, "en"));
    add(sdr("senior-hi", Seniority.SENIOR, 5, Presence.ONLINE, "hi"));
    assertThat(assignee(apply(desk.route("l1", "HOT", "hi", "score", SETTINGS, NOW)))).isEqualTo("senior-hi");
    assertThat(assignee(apply(desk.route("l2", "HOT", null, "score", SETTINGS, NOW)))).isEqualTo("senior-en");
    LeadAssigned assigned = (LeadAssigned) desk.route("l3", "HOT", "fr", "score", SETTINGS, NOW).get(0);
    assertThat(assigned.firstResponseDue()).isEqualTo(NOW.plus(Duration.ofMinutes(10)));
  }

  @Test
  void capacityHoursAndPresenceAreRespected() {
    add(sdr("full", Seniority.SENIOR, 1, Presence.ONLINE));
    add(sdr("away", Seniority.SENIOR, 5, Presence.AWAY));
    WorkingHours night = new WorkingHours(EnumSet.allOf(DayOfWeek.class), LocalTime.of(20, 0), LocalTime.of(22, 0),
        ZoneOffset.UTC);
    add(new Sdr("t1", "night", null, null, Seniority.SENIOR, 5, night, Presence.ONLINE, List.of(), List.of()));
    assertThat(assignee(apply(desk.route("l1", "HOT", null, "score", SETTINGS, NOW)))).isEqualTo("full");
    List<Event> second = apply(desk.route("l2", "HOT", null, "score", SETTINGS, NOW));
    assertThat(second).singleElement().isInstanceOf(LeadQueued.class);
    assertThat(((LeadQueued) second.get(0)).slaDue()).isEqualTo(NOW.plus(Duration.ofMinutes(10)));
    // the night shift's start is when the queue is tried next
    assertThat(desk.nextOpening(NOW)).contains(Instant.parse("2026-11-18T20:00:00Z"));
    assertThat(assignee(apply(desk.drain(SETTINGS, Instant.parse("2026-11-18T20:00:00Z"))))).isEqualTo("night");
  }

  @Test
  void warmIsSpreadByWeightedRoundRobinOnFreeCapacity() {
    add(sdr("a", Seniority.JUNIOR, 30, Presence.ONLINE));
    add(sdr("b", Seniority.SENIOR, 10, Presence.ONLINE));
    Map<String, Integer> counts = new HashMap<>();
    List<String> order = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      String who = assignee(apply(desk.route("w" + i, "WARM", null, "score", SETTINGS, NOW)));
      counts.merge(who, 1, Integer::sum);
      order.add(who);
    }
    // 3:1 free capacity at the start → about three to one, interleaved rather than in a run
    assertThat(counts.get("a")).isBetween(5, 7);
    assertThat(counts.get("b")).isBetween(1, 3);
    assertThat(order.subList(0, 4)).contains("b");
  }

  @Test
  void coldWaitsForRecoveryThenGoesToTheJuniorPool() {
    add(sdr("senior", Seniority.SENIOR, 5, Presence.ONLINE));
    assertThat(desk.route("c1", "COLD", null, "score", SETTINGS, NOW)).isEmpty();
    List<Event> queued = apply(desk.route("c1", "COLD", null, "juniors", SETTINGS, NOW));
    assertThat(queued).singleElement().isInstanceOf(LeadQueued.class);
    List<Event> drained = apply(desk.saveSdr(sdr("junior", Seniority.JUNIOR, 5, Presence.ONLINE), true, SETTINGS, NOW));
    assertThat(assignee(drained)).isEqualTo("junior");
  }

  @Test
  void queueDrainsHotFirstWhenSomeoneComesOnline() {
    add(sdr("s", Seniority.SENIOR, 1, Presence.OFFLINE));
    apply(desk.route("warm", "WARM", null, "score", SETTINGS, NOW));
    apply(desk.route("hot", "HOT", null, "score", SETTINGS, NOW.plusSeconds(5)));
    assertThat(desk.queueInOrder()).extracting(DeskState.Queued::leadId).containsExactly("hot", "warm");
    List<Event> events = apply(desk.setPresence("s", Presence.ONLINE, SETTINGS, NOW.plusSeconds(60)));
    LeadAssigned assigned = (LeadAssigned) events.get(1);
    assertThat(assigned.leadId()).isEqualTo("hot");
    assertThat(assigned.reason()).isEqualTo("drained");
    // the SLA clock ran in the queue
    assertThat(assigned.firstResponseDue()).isEqualTo(NOW.plusSeconds(5).plus(Duration.ofMinutes(10)));
    assertThat(desk.queued("warm")).isPresent();
  }

  @Test
  void anAssignedLeadStaysWhenItsBandChanges() {
    add(sdr("s", Seniority.SENIOR, 5, Presence.ONLINE));
    apply(desk.route("l", "WARM", null, "score", SETTINGS, NOW));
    List<Event> events = apply(desk.route("l", "HOT", null, "score", SETTINGS, NOW));
    assertThat(events).singleElement().isInstanceOf(RoutingDesk.BandChanged.class);
    assertThat(desk.assignment("l").orElseThrow().userId()).isEqualTo("s");
    assertThat(desk.route("l", "HOT", null, "score", SETTINGS, NOW)).isEmpty();
  }

  @Test
  void slaBreachesOnceUnlessAnswered() {
    add(sdr("s", Seniority.SENIOR, 5, Presence.ONLINE));
    apply(desk.route("l", "HOT", null, "score", SETTINGS, NOW));
    Instant late = NOW.plus(Duration.ofMinutes(11));
    assertThat(desk.nextDue("l")).contains(NOW.plus(Duration.ofMinutes(10)));
    List<Event> due = apply(desk.due("l", SETTINGS, late));
    assertThat(due).first().isInstanceOf(SlaBreached.class);
    assertThat(desk.due("l", SETTINGS, late).stream().filter(SlaBreached.class::isInstance)).isEmpty();

    apply(desk.route("m", "HOT", null, "score", SETTINGS, NOW));
    List<Event> answered = apply(desk.responded("m", "s", NOW.plus(Duration.ofMinutes(3))));
    assertThat(((RoutingDesk.LeadResponded) answered.get(0)).firstResponseMillis()).isEqualTo(180_000L);
    assertThat(desk.due("m", SETTINGS, late)).isEmpty();
    // another person's message does not answer for the SDR
    apply(desk.route("n", "HOT", null, "score", SETTINGS, NOW));
    assertThat(desk.responded("n", "someone-else", NOW)).isEmpty();
  }

  @Test
  void leakageIsActedOnByBand() {
    add(sdr("s1", Seniority.SENIOR, 5, Presence.ONLINE));
    add(sdr("s2", Seniority.SENIOR, 5, Presence.ONLINE));
    apply(desk.route("hot", "HOT", "hi", "score", SETTINGS, NOW));
    apply(desk.route("warm", "WARM", null, "score", SETTINGS, NOW));
    apply(desk.route("cold", "COLD", null, "juniors", SETTINGS, NOW));
    desk.apply(new RoutingDesk.LeadAssigned("t1", "cold", "cold:1", "s2", null, "COLD", null, "manual", "m",
        NOW.plus(Duration.ofHours(72)), NOW.plus(Duration.ofMinutes(30)), null, null, NOW));
    for (String lead : List.of("hot", "warm", "cold")) {
      apply(desk.seen(lead, desk.assignment(lead).orElseThrow().userId(), NOW));
      apply(desk.responded(lead, desk.assignment(lead).orElseThrow().userId(), NOW.plusSeconds(1)));
      apply(desk.leadMessage(lead, "m-" + lead, NOW.plusSeconds(60), SETTINGS, NOW.plusSeconds(60)));
    }
    Instant late = NOW.plusSeconds(60).plus(Duration.ofMinutes(31));
    String warmSdr = desk.assignment("warm").orElseThrow().userId();

    LeakageDetected hot = (LeakageDetected) apply(desk.due("hot", SETTINGS, late)).get(0);
    assertThat(hot.kind()).isEqualTo("unanswered");
    assertThat(hot.action()).isEqualTo("re-engaged");
    assertThat(hot.language()).isEqualTo("hi");
    assertThat(desk.assignment("hot")).isPresent();
    assertThat(desk.due("hot", SETTINGS, late)).isEmpty();

    List<Event> warm = apply(desk.due("warm", SETTINGS, late));
    assertThat(((LeakageDetected) warm.get(0)).action()).isEqualTo("reassigned");
    LeadAssigned moved = (LeadAssigned) warm.get(1);
    assertThat(moved.userId()).isNotEqualTo(warmSdr);
    assertThat(moved.previousUserId()).isEqualTo(warmSdr);
    assertThat(moved.reason()).isEqualTo("leakage");

    List<Event> cold = apply(desk.due("cold", SETTINGS, late));
    assertThat(((LeakageDetected) cold.get(0)).action()).isEqualTo("escalated");
  }

  @Test
  void anUnseenLeadLeaks() {
    add(sdr("s", Seniority.SENIOR, 5, Presence.ONLINE));
    apply(desk.route("l", "HOT", null, "score", SETTINGS, NOW));
    apply(desk.responded("l", "s", NOW.plusSeconds(1)));
    assertThat(desk.due("l", SETTINGS, NOW.plus(Duration.ofMinutes(29)))).isEmpty();
    // an answer counts as seen
    assertThat(desk.due("l", SETTINGS, NOW.plus(Duration.ofMinutes(31)))).isEmpty();
    apply(desk.route("u", "HOT", null, "score", SETTINGS, NOW));
    List<Event> events = desk.due("u", SETTINGS, NOW.plus(Duration.ofMinutes(31)));
    assertThat(events).filteredOn(LeakageDetected.class::isInstance).singleElement()
        .extracting(e -> ((LeakageDetected) e).kind()).isEqualTo("unseen");
  }

  @Test
  void aManagerReassignsOrRoutesAgain() {
    add(sdr("a", Seniority.SENIOR, 5, Presence.ONLINE));
    add(sdr("b", Seniority.JUNIOR, 5, Presence.ONLINE));
    apply(desk.route("l", "HOT", null, "score", SETTINGS, NOW));
    assertThat(desk.assignment("l").orElseThrow().userId()).isEqualTo("a");
    LeadAssigned manual = (LeadAssigned) apply(desk.reassign("l", "b", "manager-1", SETTINGS, NOW)).get(0);
    assertThat(manual.userId()).isEqualTo("b");
    assertThat(manual.actor()).isEqualTo("manager-1");
    assertThat(manual.previousUserId()).isEqualTo("a");
    assertThat(desk.load("a")).isZero();
    LeadAssigned again = (LeadAssigned) apply(desk.reassign("l", null, "manager-1", SETTINGS, NOW)).get(0);
    assertThat(again.userId()).isEqualTo("a");
    assertThat(again.reason()).isEqualTo("rerouted");
  }

  @Test
  void removingAnSdrReroutesTheirLeads() {
    add(sdr("a", Seniority.SENIOR, 5, Presence.ONLINE));
    apply(desk.route("l", "HOT", null, "score", SETTINGS, NOW));
    List<Event> events = apply(desk.removeSdr("a", SETTINGS, NOW));
    assertThat(events.get(1)).isInstanceOf(LeadQueued.class);
    assertThat(desk.queued("l")).isPresent();
  }

  @Test
  void closingAnAssignmentFreesCapacityDrainsTheQueueAndStopsTheClocks() {
    add(sdr("only", Seniority.SENIOR, 1, Presence.ONLINE));
    assertThat(assignee(apply(desk.route("l1", "HOT", null, "score", SETTINGS, NOW)))).isEqualTo("only");
    apply(desk.leadMessage("l1", "m1", NOW.plusSeconds(5), SETTINGS, NOW.plusSeconds(5)));
    assertThat(apply(desk.route("l2", "HOT", null, "score", SETTINGS, NOW))).singleElement()
        .isInstanceOf(LeadQueued.class);
    assertThat(desk.nextDue("l1")).isPresent();

    List<Event> closed = apply(desk.close("l1", "won", "user:only", SETTINGS, NOW.plusSeconds(60)));
    assertThat(closed.get(0)).isInstanceOfSatisfying(RoutingDesk.AssignmentClosed.class, event -> {
      assertThat(event.userId()).isEqualTo("only");
      assertThat(event.outcome()).isEqualTo("won");
    });
    // the freed place goes to the lead that waited; l1's SLA and leakage clocks are gone
    assertThat(assignee(closed)).isEqualTo("only");
    assertThat(desk.assignment("l2")).isPresent();
    assertThat(desk.assignment("l1")).isEmpty();
    assertThat(desk.nextDue("l1")).isEmpty();
    assertThat(desk.due("l1", SETTINGS, NOW.plus(Duration.ofHours(2)))).isEmpty();
    assertThat(desk.close("l1", "lost", "x", SETTINGS, NOW.plusSeconds(61))).isEmpty();

    // closed leads route again on a later HOT score (here queued: the only SDR is full with l2)
    assertThat(desk.route("l1", "HOT", null, "escalated", SETTINGS, NOW.plusSeconds(90))).singleElement()
        .isInstanceOf(LeadQueued.class);
    apply(desk.close("l2", "closed", "user:only", SETTINGS, NOW.plusSeconds(100)));
    assertThat(assignee(apply(desk.route("l1", "HOT", null, "escalated", SETTINGS, NOW.plusSeconds(120)))))
        .isEqualTo("only");
  }

  @Test
  void anUnansweredAssignedLeadThatTurnsHotOwesItsAnswerWithinTheHotSla() {
    add(sdr("a", Seniority.SENIOR, 5, Presence.ONLINE));
    apply(desk.route("l1", "WARM", null, "score", SETTINGS, NOW));
    assertThat(desk.assignment("l1").orElseThrow().firstResponseDue()).isEqualTo(NOW.plus(Duration.ofHours(24)));
    Instant later = NOW.plusSeconds(30);
    List<Event> hot = apply(desk.route("l1", "WARM", null, "escalated", SETTINGS, later));
    assertThat(hot).singleElement().isInstanceOfSatisfying(RoutingDesk.BandChanged.class, changed -> {
      assertThat(changed.userId()).isEqualTo("a");
      assertThat(changed.firstResponseDue()).isEqualTo(later.plus(Duration.ofMinutes(10)));
    });
    assertThat(desk.nextDue("l1")).contains(later.plus(Duration.ofMinutes(10)));
    assertThat(desk.due("l1", SETTINGS, later.plus(Duration.ofMinutes(10)))).first()
        .isInstanceOf(SlaBreached.class);
    // answered leads keep their (met) SLA: nothing to tighten
    add(sdr("b", Seniority.SENIOR, 5, Presence.ONLINE));
    apply(desk.route("l2", "WARM", null, "score", SETTINGS, NOW));
    String owner = desk.assignment("l2").orElseThrow().userId();
    apply(desk.responded("l2", owner, NOW.plusSeconds(5)));
    assertThat(((RoutingDesk.BandChanged) desk.route("l2", "HOT", null, "score", SETTINGS, later).get(0))
        .firstResponseDue()).isNull();
  }
}
