package io.flexoraa.http;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * Failures made safe to log. An exception's message is written by whoever threw it and often quotes the input it
 * choked on: a JSON parser the text around the bad token, a database the conflicting key, a validator the phone
 * number. Logs leave the node (shippers, support tickets) and must not carry personal data, so what is logged is
 * the exception's class and stack frames, which say where and what failed, and never its message.
 */
final class LogRedaction {
  private LogRedaction() {}

  /** The class names along the cause chain, outermost first: enough to tell a timeout from a refusal. */
  static String describe(Throwable failure) {
    StringBuilder description = new StringBuilder();
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Throwable cause = failure; cause != null && seen.add(cause); cause = cause.getCause()) {
      if (description.length() > 0) description.append(" caused by ");
      description.append(cause.getClass().getName());
    }
    return description.toString();
  }

  /** A copy of the failure with the same classes (named) and stack frames, causes and suppressed, but no message. */
  static Throwable withoutMessages(Throwable failure) {
    return copy(failure, Collections.newSetFromMap(new IdentityHashMap<>()));
  }

  private static Throwable copy(Throwable failure, Set<Throwable> seen) {
    seen.add(failure);
    Throwable cause = failure.getCause();
    Throwable copiedCause = cause == null || seen.contains(cause) ? null : copy(cause, seen);
    WithheldMessage copied = new WithheldMessage(failure.getClass().getName(), copiedCause);
    copied.setStackTrace(failure.getStackTrace());
    for (Throwable suppressed : failure.getSuppressed()) {
      if (!seen.contains(suppressed)) copied.addSuppressed(copy(suppressed, seen));
    }
    return copied;
  }

  /** Stands in for a logged exception; its own message names the original class and nothing else. */
  static final class WithheldMessage extends RuntimeException {
    WithheldMessage(String originalClass, Throwable cause) {
      super(originalClass + " (message withheld from the log)", cause);
    }
  }
}
