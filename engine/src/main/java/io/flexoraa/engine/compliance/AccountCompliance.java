package io.flexoraa.engine.compliance;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import io.flexoraa.engine.CborSerializable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What one channel account knows for the compliance gate: its templates, quality and messaging limit, suspension,
 * and the counters of its recent sends (throughput, pair rate, marketing per user, back-offs, automated DMs,
 * private replies) plus the recent decisions by message id. Mutated only by the {@code record*} and {@code set*}
 * methods, which the channel account's {@code apply} calls for persisted events (so recovery rebuilds the counters
 * exactly); every window is pruned by the event's own time, so a replay prunes the same way. Never shared outside
 * the entity.
 */
@JsonAutoDetect(fieldVisibility = Visibility.ANY, getterVisibility = Visibility.NONE, isGetterVisibility = Visibility.NONE)
public final class AccountCompliance implements CborSerializable {

  /** A template registered for the account, with what Meta last said about it. Languages are kept normalised. */
  public record Template(
      String name, String language, String category, String purpose, String status, String quality, Instant updatedAt)
      implements CborSerializable {
    public boolean usable() {
      return "APPROVED".equals(status) && !"RED".equals(quality);
    }

    public boolean marketing() {
      return "MARKETING".equals(category);
    }
  }

  /** One change of the number's quality rating or messaging limit, kept for the compliance summary. */
  public record QualityChange(Instant at, String event, String quality, Integer tierLimit)
      implements CborSerializable {}

  /** The account is paused: why, since when, and the recovery checks (every hour for 48 h by default). */
  public record Suspension(String reason, Instant since, Instant nextCheckAt, Instant checkUntil, int checks,
      boolean abandoned)
      implements CborSerializable {}

  /** A decision as recorded, with whether its business-initiated send still needs the portfolio's tier. */
  public record Recorded(GateDecision decision, String recipientKey, boolean needsTier, int tierLimit, Instant at)
      implements CborSerializable {}

  private LinkedHashMap<String, Template> templates = new LinkedHashMap<>();
  private String quality;
  private List<QualityChange> qualityHistory = new ArrayList<>();
  private Integer tierLimit;
  private boolean throughputUpgraded;
  private Suspension suspension;
  private List<Instant> sends = new ArrayList<>();
  private LinkedHashMap<String, Instant> lastSendTo = new LinkedHashMap<>();
  private LinkedHashMap<String, List<Instant>> marketingTo = new LinkedHashMap<>();
  private LinkedHashMap<String, Instant> backoffUntil = new LinkedHashMap<>();
  private List<Instant> marketingSends = new ArrayList<>();
  private List<Instant> automatedDms = new ArrayList<>();
  private LinkedHashMap<String, Instant> privateReplies = new LinkedHashMap<>();
  private LinkedHashMap<String, Recorded> recent = new LinkedHashMap<>();

  // ---- reads ----

  public static String languageKey(String language) {
    return language == null ? "" : language.trim().replace('-', '_').toLowerCase(Locale.ROOT);
  }

  static String baseLanguage(String language) {
    String key = languageKey(language);
    int underscore = key.indexOf('_');
    return underscore < 0 ? key : key.substring(0, underscore);
  }

  private static String templateKey(String name, String language) {
    return name + "|" + languageKey(language);
  }

  public List<Template> templates() {
    return List.copyOf(templates.values());
  }

  public Optional<Template> template(String name, String language) {
    return Optional.ofNullable(templates.get(templateKey(name, language)));
  }

  /** The quality rating (GREEN, YELLOW, RED) or null while Meta has not reported one. */
  public String quality() {
    return quality;
  }

  public List<QualityChange> qualityHistory() {
    return List.copyOf(qualityHistory);
  }

  /** The portfolio's messaging limit as Meta last reported it to this number, or null. */
  public Integer tierLimit() {
    return tierLimit;
  }

  public boolean throughputUpgraded() {
    return throughputUpgraded;
  }

  public Suspension suspension() {
    return suspension;
  }

  public boolean suspended() {
    return suspension != null;
  }

  public Optional<Recorded> recorded(String messageId) {
    return Optional.ofNullable(recent.get(messageId));
  }

  List<Instant> sends() {
    return sends;
  }

  Instant lastSendTo(String recipientKey) {
    return lastSendTo.get(recipientKey);
  }

  List<Instant> marketingTo(String recipientKey) {
    return marketingTo.getOrDefault(recipientKey, List.of());
  }

  Instant backoffUntil(String recipientKey) {
    return backoffUntil.get(recipientKey);
  }

  List<Instant> marketingSends() {
    return marketingSends;
  }

  List<Instant> automatedDms() {
    return automatedDms;
  }

  Instant privateReplyAt(String commentId) {
    return privateReplies.get(commentId);
  }

  // ---- changes (from persisted events only) ----

  public void putTemplate(Template template) {
    templates.put(templateKey(template.name(), template.language()), template);
  }

  public void setQuality(QualityChange change, int historyLimit) {
    if (change.quality() != null) quality = change.quality();
    if (change.tierLimit() != null) tierLimit = change.tierLimit();
    if ("THROUGHPUT_UPGRADE".equals(change.event())) throughputUpgraded = true;
    qualityHistory.add(change);
    while (qualityHistory.size() > historyLimit) qualityHistory.remove(0);
  }

  public void setSuspension(Suspension value) {
    suspension = value;
  }

  /**
   * A decision: every verdict is remembered by message id (bounded); an admitted one also counts against the
   * windows it is subject to. Windows are pruned relative to {@code at}, the decision's own time.
   */
  public void recordDecision(Recorded recorded, boolean marketing, boolean automated, String commentId,
      ComplianceSettings settings) {
    Instant at = recorded.at();
    GateDecision decision = recorded.decision();
    recent.remove(decision.messageId());
    recent.put(decision.messageId(), recorded);
    while (recent.size() > settings.recentDecisions()) recent.remove(recent.keySet().iterator().next());
    prune(at, settings);
    if (!decision.verdict().admits()) return;
    String recipient = recorded.recipientKey();
    sends.add(at);
    while (sends.size() > Math.max(settings.messagesPerSecond(), settings.upgradedMessagesPerSecond())) sends.remove(0);
    if (recipient != null) {
      lastSendTo.remove(recipient);
      lastSendTo.put(recipient, at);
    }
    if (marketing) {
      if (recipient != null) marketingTo.computeIfAbsent(recipient, ignored -> new ArrayList<>()).add(at);
      marketingSends.add(at);
      while (marketingSends.size() > settings.yellowMarketingMessages()) marketingSends.remove(0);
    }
    if (automated) {
      automatedDms.add(at);
      while (automatedDms.size() > settings.automatedDmsPerHour()) automatedDms.remove(0);
    }
    if (commentId != null) privateReplies.put(commentId, at);
  }

  /**
   * The portfolio had no room for a business-initiated send: the message is deferred after all, and what it
   * reserved is given back (its send, its marketing count), so the counters equal what really goes out.
   */
  public void revokeAdmission(String messageId, GateDecision deferred, boolean marketing, boolean automated,
      String commentId) {
    Recorded before = recent.get(messageId);
    if (before == null || !before.decision().verdict().admits()) return;
    recent.put(messageId, new Recorded(deferred, before.recipientKey(), false, before.tierLimit(), before.at()));
    sends.remove(before.at());
    String recipient = before.recipientKey();
    if (recipient != null && before.at().equals(lastSendTo.get(recipient))) lastSendTo.remove(recipient);
    if (marketing) {
      marketingSends.remove(before.at());
      List<Instant> times = marketingTo.get(recipient);
      if (times != null) {
        times.remove(before.at());
        if (times.isEmpty()) marketingTo.remove(recipient);
      }
    }
    if (automated) automatedDms.remove(before.at());
    if (commentId != null) privateReplies.remove(commentId);
  }

  /**
   * Meta refused the message (window closed, invalid token, any error that means nothing went out): the pair-rate
   * slot it took is given back, so the message that replaces it (the template, say) need not wait for a send that
   * never happened.
   */
  public void notSent(String messageId) {
    Recorded before = recent.get(messageId);
    if (before == null || before.recipientKey() == null) return;
    if (before.at().equals(lastSendTo.get(before.recipientKey()))) lastSendTo.remove(before.recipientKey());
  }

  public void backOff(String recipientKey, Instant until) {
    backoffUntil.put(recipientKey, until);
  }

  /** Pair-rate: Meta said this pair is sending too fast; the next message waits at least until {@code until}. */
  public void pairWait(String recipientKey, Instant until) {
    lastSendTo.remove(recipientKey);
    lastSendTo.put(recipientKey, until);
  }

  /** Drops what no rule can look at any more, so the state stays bounded by the traffic of the longest window. */
  private void prune(Instant now, ComplianceSettings settings) {
    pruneMap(lastSendTo, now.minus(settings.pairInterval()));
    pruneMap(privateReplies, now.minus(settings.privateReplyWindow()));
    backoffUntil.values().removeIf(until -> !until.isAfter(now));
    Duration marketingWindow = settings.marketingWindow().compareTo(settings.messengerMarketingWindow()) >= 0
        ? settings.marketingWindow() : settings.messengerMarketingWindow();
    Instant marketingHorizon = now.minus(marketingWindow);
    for (Iterator<List<Instant>> it = marketingTo.values().iterator(); it.hasNext(); ) {
      List<Instant> times = it.next();
      times.removeIf(time -> !time.isAfter(marketingHorizon));
      if (times.isEmpty()) it.remove();
    }
  }

  /** Removes entries whose time is at or before {@code horizon}; a pair-rate wait in the future is kept. */
  private static void pruneMap(Map<String, Instant> times, Instant horizon) {
    times.values().removeIf(time -> !time.isAfter(horizon));
  }

  @Override
  public boolean equals(Object other) {
    if (!(other instanceof AccountCompliance that)) return false;
    return throughputUpgraded == that.throughputUpgraded && templates.equals(that.templates)
        && Objects.equals(quality, that.quality) && qualityHistory.equals(that.qualityHistory)
        && Objects.equals(tierLimit, that.tierLimit) && Objects.equals(suspension, that.suspension)
        && sends.equals(that.sends) && lastSendTo.equals(that.lastSendTo) && marketingTo.equals(that.marketingTo)
        && backoffUntil.equals(that.backoffUntil) && marketingSends.equals(that.marketingSends)
        && automatedDms.equals(that.automatedDms) && privateReplies.equals(that.privateReplies)
        && recent.equals(that.recent);
  }

  @Override
  public int hashCode() {
    return Objects.hash(templates, quality, tierLimit, suspension, sends.size(), recent.size());
  }
}
