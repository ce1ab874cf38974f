package io.flexoraa.engine.compliance;

import io.flexoraa.engine.CborSerializable;
import java.time.Instant;

/**
 * The one decision an outbound message gets. {@code rule} names the rule that refused, deferred or rewrote the
 * message (null for a plain SEND); {@code templateName/Language/Category} are the template to send (the fallback for
 * a free-form message outside the window, or the named one); {@code notBefore} is when a DEFER may be decided again;
 * {@code messagingType} and {@code tag} apply to Instagram and Messenger sends; {@code repeated} is true when this
 * answers a message decided before.
 */
public record GateDecision(
    String messageId, Verdict verdict, String rule, String templateName, String templateLanguage,
    String templateCategory, Instant notBefore, String messagingType, String tag, boolean outsideWindow,
    boolean repeated)
    implements CborSerializable {

  public GateDecision asRepeated() {
    return new GateDecision(messageId, verdict, rule, templateName, templateLanguage, templateCategory, notBefore,
        messagingType, tag, outsideWindow, true);
  }

  public GateDecision deferred(String deferRule, Instant until) {
    return new GateDecision(messageId, Verdict.DEFER, deferRule, templateName, templateLanguage, templateCategory,
        until, messagingType, tag, outsideWindow, false);
  }
}
