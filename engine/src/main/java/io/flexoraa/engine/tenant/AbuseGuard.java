package io.flexoraa.engine.tenant;

import com.typesafe.config.Config;
import io.flexoraa.engine.CborSerializable;
import io.flexoraa.engine.tenant.Abuse.AbuseReleased;
import io.flexoraa.engine.tenant.Abuse.AbuseTriggered;
import io.flexoraa.engine.tenant.Abuse.ActivityRecorded;
import io.flexoraa.engine.tenant.Abuse.Kind;
import io.flexoraa.engine.tenant.Abuse.ParkedWork;
import io.flexoraa.engine.tenant.Abuse.Restrictions;
import io.flexoraa.engine.tenant.Abuse.WorkParked;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A tenant's abuse protection (PRODUCT §6), free of actors and I/O: hourly counts of token burn, new leads and
 * failures, the rules that fire on them and the restrictions in force. Counts come from events ({@code
 * TokensDebited}, {@link ActivityRecorded}) and count towards the UTC hour of the event's time, so a replay
 * rebuilds exactly the same hours.
 *
 * <ul>
 *   <li>A baseline is the mean of the last {@code baselineHours} whole hours, never below the rule's floor.
 *   <li>Each rule fires at most once per hour; a rule released by hand is not fired again in the same hour.
 *   <li>Burn spike ends when its hour ends, a failure flood after its throttle time; parked intake only when
 *       released.
 * </ul>
 */
public record AbuseGuard(List<HourCount> hours, Map<Kind, Trigger> triggers, List<ParkedWork> parked)
    implements CborSerializable {

  /** The most hours kept, which bounds {@code baseline-hours}: a week. */
  static final int MAX_HOURS = 7 * 24 + 1;

  public static final AbuseGuard EMPTY = new AbuseGuard(List.of(), Map.of(), List.of());

  public AbuseGuard {
    hours = List.copyOf(hours == null ? List.of() : hours);
    triggers = triggers == null || triggers.isEmpty() ? Map.of() : Map.copyOf(new EnumMap<>(triggers));
    parked = List.copyOf(parked == null ? List.of() : parked);
  }

  /** One UTC hour's counts. */
  public record HourCount(Instant hour, BigDecimal burn, long intake, long failures) implements CborSerializable {}

  /** The last firing of a rule. */
  public record Trigger(
      Kind kind, Instant at, BigDecimal observed, BigDecimal baseline, Instant until, Instant releasedAt,
      String releasedBy) implements CborSerializable {

    boolean activeAt(Instant now) {
      return releasedAt == null && (until == null || now.isBefore(until));
    }
  }

  /** From {@code flexoraa.abuse.tenant}. */
  public record Settings(
      int baselineHours, BigDecimal burnMultiplier, BigDecimal burnMinBaseline, Set<String> highTokenOperations,
      long failuresPerHour, BigDecimal throttledPerSecond, Duration throttleFor, BigDecimal intakeMultiplier,
      BigDecimal intakeMinBaseline) {

    public static final Settings DEFAULTS = new Settings(24, BigDecimal.TEN, BigDecimal.valueOf(2),
        Set.of("qualification-message", "persuasion-message", "cold-recovery"), 100, BigDecimal.ONE,
        Duration.ofHours(1), BigDecimal.valueOf(20), BigDecimal.valueOf(5));

    /** Rules that never fire: for the token rules' own tests and callers that judge abuse elsewhere. */
    public static final Settings NEVER = new Settings(24, BigDecimal.valueOf(1_000_000_000L),
        BigDecimal.valueOf(1_000_000_000L), Set.of(), Long.MAX_VALUE, BigDecimal.ONE, Duration.ofHours(1),
        BigDecimal.valueOf(1_000_000_000L), BigDecimal.valueOf(1_000_000_000L));

    public Settings {
      highTokenOperations = Set.copyOf(highTokenOperations);
      if (baselineHours < 1 || baselineHours >= MAX_HOURS) {
        throw new IllegalArgumentException("baseline-hours must be between 1 and " + (MAX_HOURS - 1));
      }
      if (throttledPerSecond.signum() <= 0) throw new IllegalArgumentException("a throttled rate must be positive");
    }

    public static Settings fromConfig(Config config) {
      Config tenant = config.getConfig("flexoraa.abuse.tenant");
      return new Settings(
          tenant.getInt("baseline-hours"),
          decimal(tenant, "burn-spike.multiplier"),
          decimal(tenant, "burn-spike.min-baseline"),
          new LinkedHashSet<>(tenant.getStringList("burn-spike.high-token-operations")),
          tenant.getLong("failure-flood.per-hour"),
          decimal(tenant, "failure-flood.messages-per-second"),
          tenant.getDuration("failure-flood.for"),
          decimal(tenant, "intake-spike.multiplier"),
          decimal(tenant, "intake-spike.min-baseline"));
    }

    private static BigDecimal decimal(Config config, String path) {
      return new BigDecimal(config.getString(path).trim());
    }
  }

  // ---- decisions ----

  /** After a batch of debits that burnt {@code spentNow} more at {@code now}: a burn spike, if this is one. */
  public Optional<AbuseTriggered> burnSpike(String tenantId, BigDecimal spentNow, Instant now, Settings settings) {
    Instant hour = hourOf(now);
    if (spentNow.signum() <= 0 || firedInHour(Kind.BURN_SPIKE, hour)) return Optional.empty();
    BigDecimal burnt = count(hour).burn().add(spentNow);
    BigDecimal baseline = baseline(hour, HourCount::burn, settings.burnMinBaseline(), settings);
    if (burnt.compareTo(baseline.multiply(settings.burnMultiplier())) <= 0) return Optional.empty();
    return Optional.of(new AbuseTriggered(tenantId, Kind.BURN_SPIKE, burnt, baseline, hour.plus(1, ChronoUnit.HOURS),
        now));
  }

  /** The events one node's report amounts to: the counts, and any rule they fire. Nothing for an empty report. */
  public List<Tenant.Event> decideActivity(
      String tenantId, long intake, long failures, Instant now, Settings settings) {
    if (intake <= 0 && failures <= 0) return List.of();
    List<Tenant.Event> events = new ArrayList<>();
    events.add(new ActivityRecorded(tenantId, Math.max(0, intake), Math.max(0, failures), now));
    Instant hour = hourOf(now);
    HourCount current = count(hour);
    long failed = Math.addExact(current.failures(), Math.max(0, failures));
    if (failures > 0 && failed > settings.failuresPerHour() && !firedInHour(Kind.FAILURE_FLOOD, hour)
        && !active(Kind.FAILURE_FLOOD, now)) {
      events.add(new AbuseTriggered(tenantId, Kind.FAILURE_FLOOD, BigDecimal.valueOf(failed),
          BigDecimal.valueOf(settings.failuresPerHour()), now.plus(settings.throttleFor()), now));
    }
    long newLeads = current.intake() + Math.max(0, intake);
    if (intake > 0 && !firedInHour(Kind.INTAKE_SPIKE, hour) && !active(Kind.INTAKE_SPIKE, now)) {
      BigDecimal baseline = baseline(hour, count -> BigDecimal.valueOf(count.intake()), settings.intakeMinBaseline(),
          settings);
      if (BigDecimal.valueOf(newLeads).compareTo(baseline.multiply(settings.intakeMultiplier())) > 0) {
        events.add(new AbuseTriggered(tenantId, Kind.INTAKE_SPIKE, BigDecimal.valueOf(newLeads), baseline, null, now));
      }
    }
    return events;
  }

  /** Parks the work when intake is parked and it opens a lead or its lead is parked already; else nothing. */
  public Optional<WorkParked> decidePark(String tenantId, List<ParkedWork> items, Instant now) {
    if (items.isEmpty() || !active(Kind.INTAKE_SPIKE, now)) return Optional.empty();
    Set<String> parkedLeads = parkedLeadIds();
    boolean park = items.stream().anyMatch(item -> item.opensLead() || parkedLeads.contains(item.leadId()));
    return park ? Optional.of(new WorkParked(tenantId, items, now)) : Optional.empty();
  }

  /** Ends the rule's restriction; an inactive rule is released again harmlessly (nothing to persist). */
  public Optional<AbuseReleased> decideRelease(String tenantId, Kind kind, String actor, Instant now) {
    if (!active(kind, now) && !(kind == Kind.INTAKE_SPIKE && !parked.isEmpty())) return Optional.empty();
    int released = kind == Kind.INTAKE_SPIKE ? parked.size() : 0;
    return Optional.of(new AbuseReleased(tenantId, kind, actor, released, now));
  }

  // ---- evolution ----

  public AbuseGuard withBurn(Instant at, BigDecimal burnt) {
    return withCount(at, count -> new HourCount(count.hour(), count.burn().add(burnt), count.intake(),
        count.failures()));
  }

  public AbuseGuard apply(Tenant.Event event) {
    if (event instanceof ActivityRecorded recorded) {
      return withCount(recorded.at(), count -> new HourCount(count.hour(), count.burn(),
          count.intake() + recorded.intake(), count.failures() + recorded.failures()));
    }
    if (event instanceof AbuseTriggered triggered) {
      Map<Kind, Trigger> next = new EnumMap<>(Kind.class);
      next.putAll(triggers);
      next.put(triggered.kind(), new Trigger(triggered.kind(), triggered.at(), triggered.observed(),
          triggered.baseline(), triggered.until(), null, null));
      return new AbuseGuard(hours, next, parked);
    }
    if (event instanceof AbuseReleased released) {
      Map<Kind, Trigger> next = new EnumMap<>(Kind.class);
      next.putAll(triggers);
      Trigger trigger = triggers.get(released.kind());
      if (trigger != null) {
        next.put(released.kind(), new Trigger(trigger.kind(), trigger.at(), trigger.observed(), trigger.baseline(),
            trigger.until(), released.at(), released.actor()));
      }
      return new AbuseGuard(hours, next, released.kind() == Kind.INTAKE_SPIKE ? List.of() : parked);
    }
    if (event instanceof WorkParked workParked) {
      List<ParkedWork> next = new ArrayList<>(parked);
      next.addAll(workParked.items());
      return new AbuseGuard(hours, triggers, next);
    }
    return this;
  }

  private AbuseGuard withCount(Instant at, java.util.function.UnaryOperator<HourCount> change) {
    Instant hour = hourOf(at);
    List<HourCount> next = new ArrayList<>(hours);
    int index = -1;
    for (int i = 0; i < next.size(); i++) if (next.get(i).hour().equals(hour)) index = i;
    if (index >= 0) {
      next.set(index, change.apply(next.get(index)));
    } else {
      next.add(change.apply(new HourCount(hour, Billing.zero(), 0, 0)));
      next.sort(Comparator.comparing(HourCount::hour));
    }
    Instant latest = next.get(next.size() - 1).hour();
    Instant oldest = latest.minus(MAX_HOURS - 1, ChronoUnit.HOURS);
    next.removeIf(count -> count.hour().isBefore(oldest));
    return new AbuseGuard(next, triggers, parked);
  }

  // ---- queries ----

  public boolean active(Kind kind, Instant now) {
    Trigger trigger = triggers.get(kind);
    return trigger != null && trigger.activeAt(now);
  }

  /** The operations refused now: the high-token ones during a burn spike. */
  public Set<String> refusedOperations(Instant now, Settings settings) {
    return active(Kind.BURN_SPIKE, now) ? settings.highTokenOperations() : Set.of();
  }

  public Restrictions restrictions(Instant now, Settings settings) {
    boolean throttled = active(Kind.FAILURE_FLOOD, now);
    return new Restrictions(throttled ? settings.throttledPerSecond() : null,
        throttled ? triggers.get(Kind.FAILURE_FLOOD).until() : null, active(Kind.INTAKE_SPIKE, now));
  }

  public Set<String> parkedLeadIds() {
    Set<String> leads = new LinkedHashSet<>();
    parked.forEach(item -> leads.add(item.leadId()));
    return leads;
  }

  public Abuse.AbuseView view(Instant now, Settings settings) {
    Instant hour = hourOf(now);
    HourCount current = count(hour);
    Abuse.HourView hourView = new Abuse.HourView(hour, current.burn(),
        baseline(hour, HourCount::burn, settings.burnMinBaseline(), settings), current.intake(),
        baseline(hour, count -> BigDecimal.valueOf(count.intake()), settings.intakeMinBaseline(), settings),
        current.failures(), settings.failuresPerHour());
    List<Abuse.TriggerView> views = triggers.values().stream()
        .sorted(Comparator.comparing(Trigger::at).reversed())
        .map(trigger -> new Abuse.TriggerView(trigger.kind().wireName(), trigger.at(), trigger.observed(),
            trigger.baseline(), trigger.until(), trigger.activeAt(now), trigger.releasedAt(), trigger.releasedBy()))
        .toList();
    return new Abuse.AbuseView(hourView, views, restrictions(now, settings),
        refusedOperations(now, settings).stream().sorted().toList(), parkedLeadIds().size(), parked.size());
  }

  HourCount count(Instant hour) {
    for (HourCount count : hours) if (count.hour().equals(hour)) return count;
    return new HourCount(hour, Billing.zero(), 0, 0);
  }

  /** The mean over the {@code baselineHours} whole hours before {@code hour}, at least {@code floor}. */
  BigDecimal baseline(
      Instant hour, java.util.function.Function<HourCount, BigDecimal> metric, BigDecimal floor, Settings settings) {
    Instant from = hour.minus(settings.baselineHours(), ChronoUnit.HOURS);
    BigDecimal sum = BigDecimal.ZERO;
    for (HourCount count : hours) {
      if (!count.hour().isBefore(from) && count.hour().isBefore(hour)) sum = sum.add(metric.apply(count));
    }
    BigDecimal mean = sum.divide(BigDecimal.valueOf(settings.baselineHours()), 4, RoundingMode.HALF_UP);
    return mean.max(floor).setScale(Billing.SCALE, RoundingMode.HALF_UP);
  }

  private boolean firedInHour(Kind kind, Instant hour) {
    Trigger trigger = triggers.get(kind);
    return trigger != null && hourOf(trigger.at()).equals(hour);
  }

  static Instant hourOf(Instant at) {
    return at.truncatedTo(ChronoUnit.HOURS);
  }
}
