package io.flexoraa.engine.compliance;

import io.flexoraa.engine.compliance.AccountCompliance.Template;
import io.flexoraa.engine.compliance.GateRequest.Author;
import io.flexoraa.engine.compliance.GateRequest.Form;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The rules of PRODUCT §8 and §12 as one pure function: an account's compliance state, a request and the time give
 * the decision. Permanent refusals (BLOCK) are checked before waits (DEFER), so a message that could never go is not
 * scheduled again and again. Business-initiated WhatsApp sends (outside the window) come back marked
 * {@code needsTier}: the portfolio's unique-recipient tier is counted by its own entity, after this account admitted
 * the message (docs/decisions/0022-compliance-gate.md).
 */
public final class ComplianceRules {
  public static final String RESPONSE = "RESPONSE";
  public static final String MESSAGE_TAG = "MESSAGE_TAG";
  public static final String UPDATE = "UPDATE";
  public static final String HUMAN_AGENT = "HUMAN_AGENT";

  private final ComplianceSettings settings;

  public ComplianceRules(ComplianceSettings settings) {
    this.settings = settings;
  }

  public ComplianceSettings settings() {
    return settings;
  }

  /** A decision with what it reserves: a marketing send, an automated DM, the portfolio tier. */
  public record Decided(GateDecision decision, boolean needsTier, int tierLimit, boolean marketing, boolean automated) {}

  public Decided decide(AccountCompliance state, GateRequest request, Instant now) {
    Draft draft = new Draft(request.messageId());
    if (request.optedOut()) return draft.block(Rule.OPTED_OUT);
    if (state.suspended()) {
      AccountCompliance.Suspension suspension = state.suspension();
      Instant next = suspension.abandoned() || suspension.nextCheckAt() == null
          ? now.plus(settings.recoveryCheckEvery()) : suspension.nextCheckAt();
      return draft.defer(Rule.ACCOUNT_SUSPENDED, next);
    }
    return switch (request.channel() == null ? "" : request.channel()) {
      case "whatsapp" -> whatsApp(state, request, now, draft);
      case "instagram" -> instagram(state, request, now, draft);
      case "messenger" -> messenger(state, request, now, draft);
      default -> draft.block(Rule.UNKNOWN_ACCOUNT);
    };
  }

  // ---- WhatsApp ----

  private Decided whatsApp(AccountCompliance state, GateRequest request, Instant now, Draft draft) {
    boolean outside = !insideWindow(request.lastInboundAt(), now) || request.forceTemplate();
    draft.outsideWindow = outside;
    Template template = null;
    if (request.form() == Form.TEMPLATE) {
      String name = request.templateName();
      template = name == null ? null : pick(state, t -> t.name().equals(name) && t.usable(), request.language()).orElse(null);
      if (template == null) return draft.block(Rule.TEMPLATE_NOT_APPROVED);
    } else if (outside) {
      String purpose = request.purpose();
      List<Template> forPurpose = state.templates().stream().filter(t -> purpose != null && purpose.equals(t.purpose())).toList();
      if (forPurpose.isEmpty()) return draft.block(Rule.WINDOW_CLOSED);
      template = pick(state, t -> purpose.equals(t.purpose()) && t.usable(), request.language()).orElse(null);
      if (template == null) return draft.block(Rule.NO_APPROVED_TEMPLATE);
      draft.verdict = Verdict.TEMPLATE;
      draft.rule = Rule.WINDOW_CLOSED;
    }
    if (template != null) draft.template = template;
    boolean marketing = template != null && template.marketing();
    draft.marketing = marketing;
    if (marketing) {
      if ("RED".equals(state.quality())) return draft.block(Rule.QUALITY_RED);
      Instant backoff = state.backoffUntil(request.recipientKey());
      if (backoff != null && now.isBefore(backoff)) return draft.block(Rule.USER_BACKOFF);
      if (countSince(state.marketingTo(request.recipientKey()), now.minus(settings.marketingWindow()))
          >= settings.marketingPerUser()) {
        return draft.block(Rule.MARKETING_PER_USER);
      }
      if ("YELLOW".equals(state.quality())) {
        Instant free = nextFreeSlot(state.marketingSends(), settings.yellowMarketingMessages(),
            settings.yellowMarketingPer(), now);
        if (free != null) return draft.defer(Rule.QUALITY_YELLOW, free);
      }
    }
    Instant last = state.lastSendTo(request.recipientKey());
    if (last != null && now.isBefore(last.plus(settings.pairInterval()))) {
      return draft.defer(Rule.PAIR_RATE, last.plus(settings.pairInterval()));
    }
    int perSecond = state.throughputUpgraded() ? settings.upgradedMessagesPerSecond() : settings.messagesPerSecond();
    Instant slot = nextFreeSlot(state.sends(), perSecond, Duration.ofSeconds(1), now);
    if (slot != null) return draft.defer(Rule.THROUGHPUT, slot);
    int tier = state.tierLimit() != null ? state.tierLimit() : settings.defaultTier();
    return draft.admit(outside, tier, false);
  }

  /**
   * The usable template matching {@code filter} in the closest language: the exact language, then the same base
   * language (the bare base first, e.g. {@code en} before {@code en_GB}), then the configured default language and
   * its base.
   */
  Optional<Template> pick(AccountCompliance state, Predicate<Template> filter, String language) {
    List<Template> candidates = state.templates().stream().filter(filter)
        .sorted(Comparator.comparing(Template::language)).toList();
    for (String wanted : new String[] {language, settings.defaultLanguage()}) {
      if (wanted == null) continue;
      String key = AccountCompliance.languageKey(wanted);
      String base = AccountCompliance.baseLanguage(wanted);
      Optional<Template> exact = candidates.stream().filter(t -> AccountCompliance.languageKey(t.language()).equals(key)).findFirst();
      if (exact.isPresent()) return exact;
      Optional<Template> bare = candidates.stream().filter(t -> AccountCompliance.languageKey(t.language()).equals(base)).findFirst();
      if (bare.isPresent()) return bare;
      Optional<Template> sameBase = candidates.stream().filter(t -> AccountCompliance.baseLanguage(t.language()).equals(base)).findFirst();
      if (sameBase.isPresent()) return sameBase;
    }
    return Optional.empty();
  }

  // ---- Instagram and Messenger ----

  private Decided instagram(AccountCompliance state, GateRequest request, Instant now, Draft draft) {
    if (request.textBytes() > settings.instagramMaxTextBytes()) return draft.block(Rule.TEXT_TOO_LONG);
    if (request.commentId() != null) {
      if (state.privateReplyAt(request.commentId()) != null) return draft.block(Rule.PRIVATE_REPLY_ONCE);
      if (request.commentAt() == null || !now.isBefore(request.commentAt().plus(settings.privateReplyWindow()))) {
        return draft.block(Rule.PRIVATE_REPLY_EXPIRED);
      }
      draft.messagingType = RESPONSE;
      draft.commentId = request.commentId();
    } else {
      if (request.lastInboundAt() == null) return draft.block(Rule.NO_COLD_DM);
      Decided refused = window(request, now, draft);
      if (refused != null) return refused;
    }
    if (request.automated()) {
      Instant free = nextFreeSlot(state.automatedDms(), settings.automatedDmsPerHour(), Duration.ofHours(1), now);
      if (free != null) return draft.defer(Rule.AUTOMATED_DM_HOURLY, free);
    }
    return draft.admit(false, 0, request.automated());
  }

  private Decided messenger(AccountCompliance state, GateRequest request, Instant now, Draft draft) {
    boolean marketing = request.author() == Author.CAMPAIGN || settings.marketingPurpose().equals(request.purpose());
    if (marketing) {
      draft.marketing = true;
      if (!request.marketingOptIn()) return draft.block(Rule.MARKETING_OPT_IN);
      if (countSince(state.marketingTo(request.recipientKey()), now.minus(settings.messengerMarketingWindow()))
          >= settings.messengerMarketingPerUser()) {
        return draft.block(Rule.MARKETING_DAILY);
      }
      // a marketing message rides on the user's notification opt-in token, not on the conversation window
      draft.outsideWindow = !insideWindow(request.lastInboundAt(), now);
      draft.messagingType = UPDATE;
      return draft.admit(false, 0, false);
    }
    if (request.lastInboundAt() == null) return draft.block(Rule.WINDOW_CLOSED);
    Decided refused = window(request, now, draft);
    if (refused != null) return refused;
    return draft.admit(false, 0, false);
  }

  /**
   * The conversation window of Instagram and Messenger: RESPONSE inside 24 h; from 24 h to 7 days only a human's
   * reply, tagged HUMAN_AGENT (an automated one is refused as {@code human-agent-only}); after 7 days nothing.
   * Returns the refusal, or null with the draft's messaging type set.
   */
  private Decided window(GateRequest request, Instant now, Draft draft) {
    if (insideWindow(request.lastInboundAt(), now)) {
      draft.messagingType = RESPONSE;
      return null;
    }
    draft.outsideWindow = true;
    if (!now.isBefore(request.lastInboundAt().plus(settings.humanAgentWindow()))) return draft.block(Rule.WINDOW_CLOSED);
    if (request.author() != Author.HUMAN) return draft.block(Rule.HUMAN_AGENT_ONLY);
    draft.messagingType = MESSAGE_TAG;
    draft.tag = HUMAN_AGENT;
    return null;
  }

  // ---- windows ----

  /** Open while less than the service window has passed since the lead's last message; closed at exactly 24 h. */
  boolean insideWindow(Instant lastInboundAt, Instant now) {
    return lastInboundAt != null && now.isBefore(lastInboundAt.plus(settings.serviceWindow()));
  }

  private static long countSince(List<Instant> times, Instant horizon) {
    return times.stream().filter(time -> time.isAfter(horizon)).count();
  }

  /**
   * Null when one more event fits {@code limit} per {@code per} ending now; otherwise when the next one will fit: the
   * {@code limit}-th most recent event leaves the window. {@code times} is in order, oldest first.
   */
  static Instant nextFreeSlot(List<Instant> times, int limit, Duration per, Instant now) {
    Instant horizon = now.minus(per);
    List<Instant> inWindow = times.stream().filter(time -> time.isAfter(horizon)).toList();
    if (inWindow.size() < limit) return null;
    return inWindow.get(inWindow.size() - limit).plus(per);
  }

  /** The decision being built. */
  private static final class Draft {
    final String messageId;
    Verdict verdict = Verdict.SEND;
    Rule rule;
    Template template;
    String messagingType;
    String tag;
    String commentId;
    boolean outsideWindow;
    boolean marketing;

    Draft(String messageId) {
      this.messageId = messageId;
    }

    GateDecision decision(Verdict finalVerdict, Rule finalRule, Instant notBefore) {
      return new GateDecision(messageId, finalVerdict, finalRule == null ? null : finalRule.wireName(),
          template == null ? null : template.name(), template == null ? null : template.language(),
          template == null ? null : template.category(), notBefore, messagingType, tag, outsideWindow, false);
    }

    Decided block(Rule blocking) {
      return new Decided(decision(Verdict.BLOCK, blocking, null), false, 0, false, false);
    }

    Decided defer(Rule deferring, Instant notBefore) {
      return new Decided(decision(Verdict.DEFER, deferring, notBefore), false, 0, false, false);
    }

    Decided admit(boolean needsTier, int tierLimit, boolean automated) {
      return new Decided(decision(verdict, rule, null), needsTier, tierLimit, marketing, automated);
    }
  }
}
