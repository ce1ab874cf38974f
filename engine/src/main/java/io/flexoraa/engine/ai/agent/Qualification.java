package io.flexoraa.engine.ai.agent;

import io.flexoraa.engine.CborSerializable;
import io.flexoraa.engine.ai.Analysis;
import io.flexoraa.engine.ai.ReplyRequest.Slot;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The qualification interview of PRODUCT §4.2 as a state machine: six steps in order (need → budget → timeline →
 * authority → objections → next step), each asked at most once, so at most six AI questions. A step the lead
 * already answered — in any message, asked or not — is never asked; a step asked and answered without a usable
 * value counts as answered. The interview stops early when the lead is escalated, and is done when no step is
 * open.
 *
 * @param slots per step: {@link #OPEN}, {@link #ASKED} (waiting for the lead), {@link #FILLED} (the lead told us) or
 *     {@link #ANSWERED} (the lead answered without a usable value)
 * @param questionsAsked AI questions sent so far (0–6)
 * @param status {@link #INTERVIEWING}, {@link #QUALIFIED} or {@link #ESCALATED}
 */
public record Qualification(Map<Slot, String> slots, int questionsAsked, String status) implements CborSerializable {
  public static final String OPEN = "open";
  public static final String ASKED = "asked";
  public static final String FILLED = "filled";
  public static final String ANSWERED = "answered";

  public static final String INTERVIEWING = "interviewing";
  public static final String QUALIFIED = "qualified";
  public static final String ESCALATED = "escalated";

  public static final int MAX_QUESTIONS = Slot.values().length;

  private static final Set<String> NEED_CATEGORIES =
      Set.of("BUYING", "URGENCY", "INFORMATION", "COMPETITOR", "OBJECTION", "CONFUSION");
  private static final Set<String> NEXT_STEP_SIGNALS =
      Set.of("asks_meeting", "asks_demo", "ready_to_buy", "asks_payment", "asks_contract");

  public Qualification {
    Map<Slot, String> copy = new EnumMap<>(Slot.class);
    for (Slot slot : Slot.values()) copy.put(slot, slots == null ? OPEN : slots.getOrDefault(slot, OPEN));
    slots = Map.copyOf(copy);
  }

  public static Qualification start() {
    return new Qualification(Map.of(), 0, INTERVIEWING);
  }

  /** The steps one analysed message answers. */
  public static Set<Slot> answeredBy(Analysis analysis, int words) {
    Set<Slot> filled = java.util.EnumSet.noneOf(Slot.class);
    if ((NEED_CATEGORIES.contains(analysis.category()) && words >= 3) || !analysis.buyingSignals().isEmpty()) {
      filled.add(Slot.NEED);
    }
    if (analysis.budget() != null) filled.add(Slot.BUDGET);
    if (analysis.timeline() != null) filled.add(Slot.TIMELINE);
    if (analysis.authority() != null || analysis.objections().contains("need_approval")) filled.add(Slot.AUTHORITY);
    if (!analysis.objections().isEmpty()) filled.add(Slot.OBJECTIONS);
    if (analysis.buyingSignals().stream().anyMatch(NEXT_STEP_SIGNALS::contains)) filled.add(Slot.NEXT_STEP);
    return filled;
  }

  /** After a message: the steps it answers are filled; a step we asked and it did not answer is answered. */
  public Qualification after(Analysis analysis, int words) {
    Set<Slot> filled = answeredBy(analysis, words);
    Map<Slot, String> next = new EnumMap<>(slots);
    for (Slot slot : Slot.values()) {
      if (filled.contains(slot)) {
        next.put(slot, FILLED);
      } else if (ASKED.equals(slots.get(slot))) {
        next.put(slot, ANSWERED);
      }
    }
    return new Qualification(next, questionsAsked, settle(next, status));
  }

  /** After asking {@code slot}. */
  public Qualification asked(Slot slot) {
    Map<Slot, String> next = new EnumMap<>(slots);
    next.put(slot, ASKED);
    return new Qualification(next, questionsAsked + 1, status);
  }

  public Qualification escalated() {
    return new Qualification(slots, questionsAsked, ESCALATED);
  }

  /** Handed back to the AI: an escalated interview goes on where it stopped (or is qualified if nothing is open). */
  public Qualification resumed() {
    return ESCALATED.equals(status) ? new Qualification(slots, questionsAsked, settle(slots, INTERVIEWING)) : this;
  }

  /** The next step to ask about, or empty when none is open (or the interview is over). */
  public Optional<Slot> nextQuestion() {
    if (!INTERVIEWING.equals(status) || questionsAsked >= MAX_QUESTIONS) return Optional.empty();
    for (Slot slot : Slot.values()) if (OPEN.equals(slots.get(slot))) return Optional.of(slot);
    return Optional.empty();
  }

  /** Steps the lead has answered, with or without a usable value. */
  public int answered() {
    return (int) slots.values().stream().filter(state -> FILLED.equals(state) || ANSWERED.equals(state)).count();
  }

  public List<Slot> filled() {
    return slots.entrySet().stream().filter(entry -> FILLED.equals(entry.getValue())).map(Map.Entry::getKey)
        .sorted().toList();
  }

  private static String settle(Map<Slot, String> slots, String status) {
    if (!INTERVIEWING.equals(status)) return status;
    boolean open = slots.values().stream().anyMatch(state -> OPEN.equals(state) || ASKED.equals(state));
    return open ? INTERVIEWING : QUALIFIED;
  }
}
