package io.flexoraa.engine.tenant;

import io.flexoraa.engine.CborSerializable;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;

/**
 * The messages of a tenant's abuse protection (PRODUCT §6): commands, replies and events. The rules are
 * {@link AbuseGuard}'s; the tenant entity persists what they decide.
 */
public final class Abuse {
  private Abuse() {}

  /** A tenant-wide rule. */
  public enum Kind {
    /** Token burn far above the hourly baseline: high-token operations are refused until the hour ends. */
    BURN_SPIKE,
    /** Too many failures in an hour: the tenant's message rate is lowered for a while. */
    FAILURE_FLOOD,
    /** New leads far above the hourly baseline: new leads are parked until released. */
    INTAKE_SPIKE;

    public String wireName() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static java.util.Optional<Kind> fromWireName(String name) {
      for (Kind kind : values()) if (kind.wireName().equals(name)) return java.util.Optional.of(kind);
      return java.util.Optional.empty();
    }
  }

  /** A stored inbound message whose AI work a parked intake holds back. */
  public record ParkedWork(String leadId, String platformMessageId, Instant receivedAt, boolean opensLead)
      implements CborSerializable {}

  // ---- commands ----

  /** What one node counted for the tenant since its last report: new leads and failures. Told, never answered. */
  public record RecordActivity(long intake, long failures) implements Tenant.Command {}

  /** The restrictions a rate limiter applies: asked on its start and refreshed. */
  public record GetRestrictions(ActorRef<Restrictions> replyTo) implements Tenant.Command {}

  /**
   * Work admitted while the tenant's intake is parked: parked (and answered {@code true}) when it opens a lead or
   * belongs to a lead already parked, else answered {@code false} and left to run.
   */
  public record ParkWork(List<ParkedWork> items, ActorRef<Boolean> replyTo) implements Tenant.Command {
    public ParkWork {
      items = List.copyOf(items);
    }
  }

  /** Ends a restriction early (an operator or Admin); releasing parked intake hands back the parked work. */
  public record Release(Kind kind, String actor, ActorRef<StatusReply<Released>> replyTo) implements Tenant.Command {}

  public record GetAbuse(ActorRef<StatusReply<AbuseView>> replyTo) implements Tenant.Command {}

  // ---- replies ----

  /**
   * {@code throttledPerSecond}: the lowered message rate while a failure flood lasts (null when not throttled);
   * {@code intakeParked}: new leads are parked.
   */
  public record Restrictions(BigDecimal throttledPerSecond, Instant throttledUntil, boolean intakeParked)
      implements CborSerializable {
    public static final Restrictions NONE = new Restrictions(null, null, false);
  }

  /** {@code wasActive}: the restriction was in force; {@code parked}: the work to start now, in parked order. */
  public record Released(Kind kind, boolean wasActive, List<ParkedWork> parked) implements CborSerializable {
    public Released {
      parked = List.copyOf(parked);
    }
  }

  /** A trigger as the API shows it: in force or not as of the reading. */
  public record TriggerView(
      String kind, Instant at, BigDecimal observed, BigDecimal baseline, Instant until, boolean active,
      Instant releasedAt, String releasedBy) implements CborSerializable {}

  /** The current hour's counts and the baselines they are judged against. */
  public record HourView(
      Instant hour, BigDecimal burn, BigDecimal burnBaseline, long intake, BigDecimal intakeBaseline, long failures,
      long failureLimit) implements CborSerializable {}

  public record AbuseView(
      HourView currentHour, List<TriggerView> triggers, Restrictions restrictions, List<String> highTokenPaused,
      int parkedLeads, int parkedMessages) implements CborSerializable {
    public AbuseView {
      triggers = List.copyOf(triggers);
      highTokenPaused = List.copyOf(highTokenPaused);
    }
  }

  // ---- events ----

  /** Intake and failures one node counted, at {@code at}: they count towards the hour of {@code at}. */
  public record ActivityRecorded(String tenantId, long intake, long failures, Instant at) implements Tenant.Event {}

  /**
   * A rule fired: {@code observed} in the current hour against {@code baseline} (the hourly baseline, or the
   * hourly limit for failures). {@code until}: when it ends by itself; null until released.
   */
  public record AbuseTriggered(
      String tenantId, Kind kind, BigDecimal observed, BigDecimal baseline, Instant until, Instant at)
      implements Tenant.Event {}

  public record AbuseReleased(String tenantId, Kind kind, String actor, int releasedWork, Instant at)
      implements Tenant.Event {}

  public record WorkParked(String tenantId, List<ParkedWork> items, Instant at) implements Tenant.Event {
    public WorkParked {
      items = List.copyOf(items);
    }
  }
}
