package io.flexoraa.engine.ai;

/**
 * A provider answered, but not in a shape the engine may use: not JSON, a value outside the allowed lists, a budget
 * text the message does not contain, a reply stating a number the tenant never gave. The stage fails, so that the
 * fallback provider answers instead; the message says what was wrong (never the lead's text).
 */
public final class MalformedAnswer extends RuntimeException {
  public MalformedAnswer(String message) {
    super(message, null, false, false);
  }
}
