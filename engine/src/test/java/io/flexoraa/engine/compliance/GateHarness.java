package io.flexoraa.engine.compliance;

import com.typesafe.config.ConfigFactory;
import io.flexoraa.engine.channel.AccountDecisions;
import io.flexoraa.engine.channel.ChannelAccount;
import io.flexoraa.engine.channel.ChannelAccount.Event;
import io.flexoraa.engine.channel.ChannelAccount.PlatformUpdate;
import io.flexoraa.engine.channel.ChannelAccount.PlatformUpdateRecorded;
import io.flexoraa.engine.compliance.GateRequest.Author;
import io.flexoraa.engine.compliance.GateRequest.Form;
import io.flexoraa.engine.ports.MetaAccountProbe.AccountHealth;
import io.flexoraa.engine.ports.MetaSender;
import io.flexoraa.engine.testing.ManualClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One channel account's compliance without actors: commands go through {@link AccountDecisions} and their events
 * are applied as the entity would, with a hand-moved clock. Requests are built with sensible defaults.
 */
final class GateHarness {
  static final String TENANT = "tenant-acme";
  static final Instant START = Instant.parse("2026-03-14T09:00:00Z");

  final ManualClock clock = new ManualClock(START);
  final AccountDecisions decisions;
  final List<Event> events = new ArrayList<>();
  ChannelAccount state = ChannelAccount.empty();
  private final AtomicInteger ids = new AtomicInteger();

  GateHarness(String channel) {
    this(channel, ComplianceSettings.fromConfig(ConfigFactory.load()));
  }

  GateHarness(String channel, ComplianceSettings settings) {
    decisions = new AccountDecisions(settings);
    apply(List.of(new ChannelAccount.Registered(TENANT, channel, "106540352242922", "Sales line", "waba-1", START)));
  }

  void apply(List<Event> newEvents) {
    for (Event event : newEvents) {
      events.add(event);
      state = state.apply(event, 20, decisions);
    }
  }

  GateDecision decide(GateRequest request) {
    AccountDecisions.Decision decision = decisions.decide(state, request, clock.instant());
    apply(decision.events());
    return decision.reply().decision();
  }

  ChannelAccount.AccountDecision decideFully(GateRequest request) {
    AccountDecisions.Decision decision = decisions.decide(state, request, clock.instant());
    apply(decision.events());
    return decision.reply();
  }

  /** A platform update as if recorded from Meta's webhook, with what the gate reads from it. */
  List<Event> webhook(String field, String valueJson) {
    PlatformUpdateRecorded recorded = new PlatformUpdateRecorded(TENANT, state.accountKey(),
        new PlatformUpdate(field, valueJson, "digest-" + ids.incrementAndGet(), clock.instant()));
    List<Event> derived = decisions.interpret(state, List.of(recorded), clock.instant());
    List<Event> all = new ArrayList<>();
    all.add(recorded);
    all.addAll(derived);
    apply(all);
    return derived;
  }

  void template(String name, String language, String category, String purpose, String status) {
    apply(List.of(decisions.registerTemplate(state, new ChannelAccount.RegisterTemplate(TENANT, name, language,
        category, purpose, status, "admin", null), clock.instant())));
  }

  void outcome(String recipient, MetaSender.Outcome outcome) {
    apply(decisions.recordOutcome(state, new ChannelAccount.RecordOutcome(TENANT, "m-x", recipient, outcome, null),
        clock.instant()));
  }

  List<Event> probed(AccountHealth health) {
    List<Event> probed = decisions.recoveryProbed(state, health, clock.instant());
    apply(probed);
    return probed;
  }

  // ---- requests ----

  String nextId() {
    return "msg-" + ids.incrementAndGet();
  }

  /** A human's free-form reply to a lead who wrote {@code lastInboundAt}. */
  GateRequest reply(String recipient, Instant lastInboundAt) {
    return request(recipient, Author.HUMAN, Form.FREE_FORM, null, "en", "follow-up", 20, lastInboundAt);
  }

  GateRequest template(String recipient, String name, Instant lastInboundAt) {
    return request(recipient, Author.CAMPAIGN, Form.TEMPLATE, name, "en", "promo", 0, lastInboundAt);
  }

  GateRequest request(String recipient, Author author, Form form, String templateName, String language,
      String purpose, int textBytes, Instant lastInboundAt) {
    return new GateRequest(nextId(), TENANT, "lead-" + recipient, state.channel(), state.externalId(), "waba-1",
        recipient, author, form, templateName, language, purpose, textBytes, null, null, lastInboundAt, false, false,
        false);
  }

  static GateRequest with(GateRequest r, String commentId, Instant commentAt, boolean optedOut, boolean marketingOptIn,
      boolean forceTemplate) {
    return new GateRequest(r.messageId(), r.tenantId(), r.leadId(), r.channel(), r.accountExternalId(),
        r.businessAccountId(), r.recipientKey(), r.author(), r.form(), r.templateName(), r.language(), r.purpose(),
        r.textBytes(), commentId, commentAt, r.lastInboundAt(), optedOut, marketingOptIn, forceTemplate);
  }
}
