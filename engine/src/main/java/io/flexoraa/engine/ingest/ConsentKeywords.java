package io.flexoraa.engine.ingest;

import com.typesafe.config.Config;
import io.flexoraa.engine.lead.LeadModel;
import java.util.Collection;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The keywords by which a person opts out of messages (STOP) or back in (START), from {@code flexoraa.consent}. A
 * message counts only when it is a text whose whole content, trimmed and upper-cased, is a keyword: "stop" does,
 * "please stop calling me at work" does not — that one is for a human to read, not for a rule to act on. Matching
 * happens at intake because it is the only place that sees the text before it is encrypted.
 */
public final class ConsentKeywords {
  private static final String TEXT = "text";

  private final Set<String> optOut;
  private final Set<String> optIn;

  public ConsentKeywords(Collection<String> optOut, Collection<String> optIn) {
    this.optOut = normalized(optOut);
    this.optIn = normalized(optIn);
    Set<String> both = new HashSet<>(this.optOut);
    both.retainAll(this.optIn);
    if (!both.isEmpty()) {
      throw new IllegalArgumentException("keywords both opt out and opt in: " + both);
    }
  }

  public static ConsentKeywords fromConfig(Config config) {
    Config consent = config.getConfig("flexoraa.consent");
    return new ConsentKeywords(consent.getStringList("opt-out-keywords"), consent.getStringList("opt-in-keywords"));
  }

  /** {@link LeadModel#OPT_OUT}, {@link LeadModel#OPT_IN}, or null when the message is not exactly a keyword. */
  public String signalOf(String messageType, String text) {
    if (!TEXT.equals(messageType) || text == null) return null;
    String normalized = normalize(text);
    if (optOut.contains(normalized)) return LeadModel.OPT_OUT;
    if (optIn.contains(normalized)) return LeadModel.OPT_IN;
    return null;
  }

  private static Set<String> normalized(Collection<String> keywords) {
    Set<String> set = new HashSet<>();
    for (String keyword : keywords) set.add(normalize(keyword));
    return Set.copyOf(set);
  }

  private static String normalize(String text) {
    return text.trim().toUpperCase(Locale.ROOT);
  }
}
