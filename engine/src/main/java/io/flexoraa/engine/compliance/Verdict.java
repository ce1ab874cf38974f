package io.flexoraa.engine.compliance;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What the gate says about an outbound message; lower-case on the wire. */
public enum Verdict {
  SEND,
  TEMPLATE,
  DEFER,
  BLOCK;

  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  @JsonCreator
  public static Verdict fromWireName(String name) {
    return valueOf(name.toUpperCase(Locale.ROOT));
  }

  /** SEND and TEMPLATE let the message go (and reserve the counters); DEFER and BLOCK hold it back. */
  public boolean admits() {
    return this == SEND || this == TEMPLATE;
  }
}
