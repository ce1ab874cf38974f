package io.flexoraa.engine.limits;

/**
 * How much AI work a node does while its AI work queue is deep (PRODUCT §7), from none shed to no AI calls at all.
 * The modes are ordered: each sheds everything the one below it sheds. The AI stage, analytics and leakage scans
 * ask the capability methods through {@link BackpressureSignal}, never compare modes themselves, so what a mode
 * means is decided here once.
 */
public enum BackpressureMode {
  NORMAL("normal"),
  /** Analytics and leakage scans wait; conversations are untouched. */
  DEFER_ANALYTICS("defer-analytics"),
  /** Also: the default persuasion message only, no variants to choose between. */
  DEFAULT_PERSUASION("default-persuasion"),
  /** Also: no AI calls; replies come from approved templates only. */
  TEMPLATE_ONLY("template-only");

  private final String id;

  BackpressureMode(String id) {
    this.id = id;
  }

  /** The mode's name in the API and in metric tags. */
  public String id() {
    return id;
  }

  /** 0 for normal up to 3 for template-only: the value of the level gauge. */
  public int level() {
    return ordinal();
  }

  public boolean analyticsAllowed() {
    return this == NORMAL;
  }

  public boolean leakageScansAllowed() {
    return this == NORMAL;
  }

  public boolean persuasionVariantsAllowed() {
    return compareTo(DEFAULT_PERSUASION) < 0;
  }

  public boolean aiCallsAllowed() {
    return compareTo(TEMPLATE_ONLY) < 0;
  }

  /** The more restrictive of the two. */
  public BackpressureMode worse(BackpressureMode other) {
    return compareTo(other) >= 0 ? this : other;
  }
}
