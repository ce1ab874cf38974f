package io.flexoraa.engine.channel;

import io.flexoraa.engine.channel.ChannelAccount.AccountDecision;
import io.flexoraa.engine.channel.ChannelAccount.AccountResumed;
import io.flexoraa.engine.channel.ChannelAccount.AccountSuspended;
import io.flexoraa.engine.channel.ChannelAccount.ComplianceDecided;
import io.flexoraa.engine.channel.ChannelAccount.DecisionDeferredForTier;
import io.flexoraa.engine.channel.ChannelAccount.Event;
import io.flexoraa.engine.channel.ChannelAccount.MetaOutcomeRecorded;
import io.flexoraa.engine.channel.ChannelAccount.NumberQualityUpdated;
import io.flexoraa.engine.channel.ChannelAccount.PlatformUpdateRecorded;
import io.flexoraa.engine.channel.ChannelAccount.RecoveryAbandoned;
import io.flexoraa.engine.channel.ChannelAccount.RecoveryChecked;
import io.flexoraa.engine.channel.ChannelAccount.TemplateRegistered;
import io.flexoraa.engine.channel.ChannelAccount.TemplateUpdated;
import io.flexoraa.engine.compliance.AccountCompliance;
import io.flexoraa.engine.compliance.AccountCompliance.QualityChange;
import io.flexoraa.engine.compliance.AccountCompliance.Recorded;
import io.flexoraa.engine.compliance.AccountCompliance.Suspension;
import io.flexoraa.engine.compliance.AccountCompliance.Template;
import io.flexoraa.engine.compliance.ComplianceRules;
import io.flexoraa.engine.compliance.ComplianceSettings;
import io.flexoraa.engine.compliance.GateDecision;
import io.flexoraa.engine.compliance.GateRequest;
import io.flexoraa.engine.compliance.PlatformSignals;
import io.flexoraa.engine.compliance.Rule;
import io.flexoraa.engine.compliance.Verdict;
import io.flexoraa.engine.ports.MetaAccountProbe.AccountHealth;
import io.flexoraa.engine.ports.MetaSender;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The compliance side of a channel account, free of actors: {@code decide*} turns a gate command into events (or
 * none, or a refusal), {@link #apply} folds those events into the account's {@link AccountCompliance}. The time is
 * passed in, so every rule is tested with a hand-moved clock.
 */
public final class AccountDecisions {
  private final ComplianceRules rules;
  private final ComplianceSettings settings;

  public AccountDecisions(ComplianceSettings settings) {
    this.settings = settings;
    this.rules = new ComplianceRules(settings);
  }

  public ComplianceSettings settings() {
    return settings;
  }

  /** A refusal of a command: the account is unknown or belongs to another tenant. Persists nothing. */
  public static final class Refused extends RuntimeException {
    public Refused(String message) {
      super(message, null, false, false);
    }
  }

  private static void requireOwner(ChannelAccount state, String tenantId) {
    if (!state.registered()) throw new Refused("the channel account is not registered");
    if (!state.tenantId().equals(tenantId)) throw new Refused("account belongs to another tenant");
  }

  // ---- decisions ----

  /**
   * The recorded decision for a message already decided (marked repeated) — except a DEFER whose time has come,
   * which is decided afresh — or a new decision as an event. An unregistered account blocks without an event.
   */
  public Decision decide(ChannelAccount state, GateRequest request, Instant now) {
    if (!state.registered()) {
      GateDecision unknown = new GateDecision(request.messageId(), Verdict.BLOCK, Rule.UNKNOWN_ACCOUNT.wireName(),
          null, null, null, null, null, null, false, false);
      return new Decision(new AccountDecision(unknown, false, 0), List.of());
    }
    requireOwner(state, request.tenantId());
    Optional<Recorded> recorded = state.compliance().recorded(request.messageId());
    if (recorded.isPresent()) {
      GateDecision before = recorded.get().decision();
      boolean dueAgain = before.verdict() == Verdict.DEFER && before.notBefore() != null && !now.isBefore(before.notBefore());
      if (!dueAgain) {
        return new Decision(new AccountDecision(before.asRepeated(), recorded.get().needsTier(), recorded.get().tierLimit()), List.of());
      }
    }
    ComplianceRules.Decided decided = rules.decide(state.compliance(), request, now);
    Event event = new ComplianceDecided(state.tenantId(), state.accountKey(), request.leadId(), request.recipientKey(),
        request.author() == null ? null : request.author().name(), request.purpose(),
        "instagram".equals(request.channel()) ? request.commentId() : null, decided.marketing(), decided.automated(),
        decided.needsTier(), decided.tierLimit(), decided.decision(), now);
    return new Decision(new AccountDecision(decided.decision(), decided.needsTier(), decided.tierLimit()), List.of(event));
  }

  public record Decision(AccountDecision reply, List<Event> events) {}

  /** The portfolio refused a business-initiated send this account admitted: deferred until the tier has room. */
  public Decision deferForTier(ChannelAccount state, String messageId, Instant notBefore, Instant now) {
    Optional<Recorded> recorded = state.compliance().recorded(messageId);
    if (recorded.isEmpty()) throw new Refused("no decision for message " + messageId);
    GateDecision before = recorded.get().decision();
    if (!before.verdict().admits()) return new Decision(new AccountDecision(before, false, 0), List.of());
    GateDecision deferred = before.deferred(Rule.MESSAGING_TIER.wireName(), notBefore);
    return new Decision(new AccountDecision(deferred, false, 0), List.of(new DecisionDeferredForTier(state.tenantId(),
        state.accountKey(), null, deferred, "MARKETING".equals(before.templateCategory()), false, null, now)));
  }

  /** Meta's answers that mean the message certainly did not go out. */
  private static final java.util.Set<MetaSender.Outcome> NOT_SENT = java.util.EnumSet.of(
      MetaSender.Outcome.WINDOW_CLOSED, MetaSender.Outcome.TOKEN_INVALID, MetaSender.Outcome.NO_CREDENTIALS,
      MetaSender.Outcome.REJECTED, MetaSender.Outcome.RATE_LIMITED);

  public List<Event> recordOutcome(ChannelAccount state, ChannelAccount.RecordOutcome command, Instant now) {
    requireOwner(state, command.tenantId());
    Instant waitUntil = switch (command.outcome()) {
      case USER_BACKOFF -> now.plus(settings.userBackoff());
      case PAIR_RATE -> now.plus(settings.pairInterval());
      default -> null;
    };
    return List.of(new MetaOutcomeRecorded(state.tenantId(), state.accountKey(), command.messageId(),
        command.recipientKey(), command.outcome(), waitUntil, now));
  }

  public TemplateRegistered registerTemplate(ChannelAccount state, ChannelAccount.RegisterTemplate command, Instant now) {
    requireOwner(state, command.tenantId());
    Optional<Template> existing = state.compliance().template(command.name(), command.language());
    String status = command.status() != null ? command.status() : existing.map(Template::status).orElse("PENDING");
    Template template = new Template(command.name(), AccountCompliance.languageKey(command.language()),
        command.category(), command.purpose(), status, existing.map(Template::quality).orElse(null), now);
    return new TemplateRegistered(state.tenantId(), state.accountKey(), template, command.actor(), now);
  }

  /**
   * What newly recorded platform updates mean for the gate: template changes, the number's quality and limits,
   * suspension and its lifting. A number-level quality update naming another number is ignored for quality (its
   * messaging limit is the portfolio's and still applies); when the account's display name carries no number the
   * update is applied, the safe side for a RED flag.
   */
  public List<Event> interpret(ChannelAccount state, List<PlatformUpdateRecorded> recorded, Instant now) {
    List<Event> events = new ArrayList<>();
    AccountCompliance compliance = state.compliance();
    boolean suspended = compliance.suspended();
    String quality = compliance.quality();
    for (PlatformUpdateRecorded update : recorded) {
      for (PlatformSignals.Signal signal : PlatformSignals.interpret(update.update().field(), update.update().valueJson())) {
        if (signal instanceof PlatformSignals.TemplateSignal template) {
          Optional<Template> existing = compliance.template(template.name(), template.language());
          Template changed = new Template(template.name(), template.language(),
              first(template.category(), existing.map(Template::category).orElse(null)),
              existing.map(Template::purpose).orElse(null),
              first(template.status(), existing.map(Template::status).orElse("PENDING")),
              first(template.quality(), existing.map(Template::quality).orElse(null)), now);
          events.add(new TemplateUpdated(state.tenantId(), state.accountKey(), changed, update.update().field(), now));
        } else if (signal instanceof PlatformSignals.QualitySignal number) {
          // an account first seen through a webhook has its id for a name, which says nothing about its number
          String name = Objects.equals(state.displayName(), state.externalId()) ? null : state.displayName();
          boolean thisNumber = concernsThisNumber(name, number.displayPhoneNumber());
          String newQuality = thisNumber ? number.quality() : null;
          String event = thisNumber || !"THROUGHPUT_UPGRADE".equals(number.event()) ? number.event() : null;
          if (newQuality == null && number.tierLimit() == null && event == null) continue;
          events.add(new NumberQualityUpdated(state.tenantId(), state.accountKey(), quality,
              new QualityChange(now, event, newQuality, number.tierLimit())));
          if (newQuality != null) quality = newQuality;
        } else if (signal instanceof PlatformSignals.SuspensionSignal suspension) {
          if (suspension.suspend() && !suspended) {
            suspended = true;
            events.add(new AccountSuspended(state.tenantId(), state.accountKey(), new Suspension(suspension.reason(),
                now, now.plus(settings.recoveryCheckEvery()), now.plus(settings.recoveryCheckFor()), 0, false)));
          } else if (!suspension.suspend() && suspended) {
            suspended = false;
            Instant since = compliance.suspended() ? compliance.suspension().since() : now;
            events.add(new AccountResumed(state.tenantId(), state.accountKey(), "webhook", suspension.reason(), since, now));
          }
        }
      }
    }
    return events;
  }

  private static boolean concernsThisNumber(String displayName, String displayPhoneNumber) {
    if (displayPhoneNumber == null || displayPhoneNumber.isEmpty() || displayName == null) return true;
    String digits = displayName.replaceAll("\\D", "");
    return digits.length() < 6 || digits.equals(displayPhoneNumber);
  }

  /**
   * A recovery check's outcome: HEALTHY resumes; otherwise the next check is scheduled, or, once the checks have
   * run for the configured time, they stop and a person is asked to act.
   */
  public List<Event> recoveryProbed(ChannelAccount state, AccountHealth health, Instant now) {
    Suspension suspension = state.compliance().suspension();
    if (suspension == null || suspension.abandoned()) return List.of();
    if (health == AccountHealth.HEALTHY) {
      return List.of(new AccountResumed(state.tenantId(), state.accountKey(), "probe", "the account is healthy again",
          suspension.since(), now));
    }
    if (suspension.nextCheckAt() != null && now.isBefore(suspension.nextCheckAt())) return List.of();
    if (!now.isBefore(suspension.checkUntil())) {
      return List.of(new RecoveryAbandoned(state.tenantId(), state.accountKey(), suspension.since(),
          suspension.checks() + 1, now));
    }
    return List.of(new RecoveryChecked(state.tenantId(), state.accountKey(), health,
        now.plus(settings.recoveryCheckEvery()), now));
  }

  private static String first(String preferred, String fallback) {
    return preferred != null ? preferred : fallback;
  }

  // ---- apply ----

  public void apply(AccountCompliance compliance, Event event) {
    if (event instanceof ComplianceDecided decided) {
      compliance.recordDecision(new Recorded(decided.decision(), decided.recipientKey(), decided.needsTier(),
          decided.tierLimit(), decided.at()), decided.marketing(), decided.automated(), decided.commentId(), settings);
    } else if (event instanceof DecisionDeferredForTier deferred) {
      compliance.revokeAdmission(deferred.decision().messageId(), deferred.decision(), deferred.marketing(),
          deferred.automated(), deferred.commentId());
    } else if (event instanceof MetaOutcomeRecorded outcome && outcome.recipientKey() != null) {
      if (outcome.outcome() == MetaSender.Outcome.USER_BACKOFF) compliance.backOff(outcome.recipientKey(), outcome.waitUntil());
      if (outcome.outcome() == MetaSender.Outcome.PAIR_RATE) compliance.pairWait(outcome.recipientKey(), outcome.at());
      if (NOT_SENT.contains(outcome.outcome())) compliance.notSent(outcome.messageId());
    } else if (event instanceof TemplateRegistered registered) {
      compliance.putTemplate(registered.template());
    } else if (event instanceof TemplateUpdated updated) {
      compliance.putTemplate(updated.template());
    } else if (event instanceof NumberQualityUpdated quality) {
      compliance.setQuality(quality.change(), settings.qualityHistory());
    } else if (event instanceof AccountSuspended suspended) {
      compliance.setSuspension(suspended.suspension());
    } else if (event instanceof RecoveryChecked checked) {
      Suspension current = compliance.suspension();
      if (current != null) {
        compliance.setSuspension(new Suspension(current.reason(), current.since(), checked.nextCheckAt(),
            current.checkUntil(), current.checks() + 1, false));
      }
    } else if (event instanceof RecoveryAbandoned abandoned) {
      Suspension current = compliance.suspension();
      if (current != null) {
        compliance.setSuspension(new Suspension(current.reason(), current.since(), null, current.checkUntil(),
            abandoned.checks(), true));
      }
    } else if (event instanceof AccountResumed) {
      compliance.setSuspension(null);
    }
  }
}
