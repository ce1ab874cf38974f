package io.flexoraa.engine.ingest;

import io.flexoraa.engine.ingest.SubmissionForm.Form;
import io.flexoraa.engine.abuse.TenantActivity;
import io.flexoraa.engine.lead.LeadEntity;
import io.flexoraa.engine.lead.LeadModel;
import io.flexoraa.engine.lead.LeadModel.Identifier;
import io.flexoraa.engine.lead.LeadModel.Submission;
import io.flexoraa.engine.lead.LeadModel.SubmissionAccepted;
import io.flexoraa.engine.lead.LeadModel.Verification;
import io.flexoraa.engine.ports.EngineMetrics;
import io.flexoraa.engine.ports.IdentityIndex;
import io.flexoraa.engine.ports.IdentityIndex.IdentityKey;
import io.flexoraa.engine.ports.PiiCipher;
import io.flexoraa.engine.ports.PiiCipher.BlindIndex;
import io.flexoraa.engine.ports.PiiCipher.FieldCipher;
import io.flexoraa.engine.tenant.TokenBudget;
import io.flexoraa.engine.tenant.Tokens.DebitOutcome;
import io.flexoraa.engine.tenant.Tokens.Debited;
import io.flexoraa.engine.tenant.Tokens.Refused;
import io.flexoraa.engine.verification.LeadVerifier;
import io.flexoraa.engine.verification.LeadVerifier.Evidence;
import io.flexoraa.engine.verification.SourceBurst;
import io.flexoraa.engine.verification.VerificationSettings;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;

/**
 * Takes in a lead submitted by a web form, a CRM or a CSV row (PRODUCT §2, §4.1), in an order that is safe to
 * repeat with the same submission id:
 *
 * <ol>
 *   <li>the phone (E.164) and e-mail are blind-indexed; who owned them before, and whether an erased lead did, is
 *       looked up for duplicate detection;
 *   <li>the identity index resolves them to one lead exactly as WhatsApp intake does ({@link LeadIntake}), so a
 *       later WhatsApp message from the same phone lands on this lead, and this submission on an existing one;
 *   <li>the lead entity stores the submission (name, e-mail and message encrypted under the lead's key) — from here
 *       the lead exists for people whatever happens next; a repeated submission id is answered as first decided;
 *   <li>verification is paid for ({@code verification}, 0.5 tokens) and, when the budget agrees, judged by
 *       {@link LeadVerifier}; a refusal (AI paused, balance or daily limit) or a budget that does not answer makes
 *       it "skipped" with the reason;
 *   <li>the verification is recorded on the lead ({@code lead-verified.v1}).
 * </ol>
 *
 * A crash between 4 and 5 leaves the lead stored and unverified; the client's retry verifies it then, and the tokens
 * of the lost attempt, if its debit went through, are spent twice. Two concurrent requests with one id can also both
 * pay; the lead records only the first verification.
 */
public final class LeadSubmissions {
  /** The door a submission came through, as {@code Submission.via}. */
  public static final String VIA_API = "api";
  public static final String VIA_CSV_IMPORT = "csv-import";

  private final ClusterSharding sharding;
  private final IdentityIndex identityIndex;
  private final PiiCipher cipher;
  private final TokenBudget budget;
  private final LeadVerifier verifier;
  private final SourceBurst bursts;
  private final VerificationSettings settings;
  private final EngineMetrics metrics;
  private final Clock clock;
  private final Duration askTimeout;
  private final TenantActivity.Recorder activity;

  public LeadSubmissions(
      ActorSystem<?> system, IdentityIndex identityIndex, PiiCipher cipher, TokenBudget budget,
      VerificationSettings settings, EngineMetrics metrics, Clock clock, Duration askTimeout) {
    this(system, identityIndex, cipher, budget, settings, metrics, clock, askTimeout, TenantActivity.Recorder.NONE);
  }

  /** {@code activity}: where the leads these submissions create count towards the tenant's intake. */
  public LeadSubmissions(
      ActorSystem<?> system, IdentityIndex identityIndex, PiiCipher cipher, TokenBudget budget,
      VerificationSettings settings, EngineMetrics metrics, Clock clock, Duration askTimeout,
      TenantActivity.Recorder activity) {
    this.activity = activity;
    this.sharding = ClusterSharding.get(system);
    this.identityIndex = identityIndex;
    this.cipher = cipher;
    this.budget = budget;
    this.settings = settings;
    this.verifier = new LeadVerifier(settings);
    this.bursts = new SourceBurst(settings.burst(), clock);
    this.metrics = metrics;
    this.clock = clock;
    this.askTimeout = askTimeout;
  }

  /** The verifier these submissions use, for checking forms with the same phone rules. */
  public LeadVerifier verifier() {
    return verifier;
  }

  /** One checked submission; {@code submissionId} is the client's idempotency key or one derived for it. */
  public record Request(String submissionId, String via, String actor, Form form) {}

  /**
   * {@code created}: this submission created the lead; {@code repeated}: the id was taken in before (nothing new was
   * stored); {@code e164} the phone as normalized, or null.
   */
  public record Result(String leadId, boolean created, boolean repeated, String e164, Verification verification) {}

  public CompletionStage<Result> submit(String tenantId, Request request) {
    Form form = request.form();
    return cipher.blindIndex(tenantId).thenCompose(blindIndex -> {
      List<Plain> plain = identifiers(form);
      List<IdentityKey> keys = plain.stream().map(identifier -> identifier.key(blindIndex)).toList();
      return priorOwners(tenantId, keys).thenCompose(prior -> identityIndex
          .resolve(tenantId, keys, UUID.randomUUID().toString())
          .thenCompose(resolution -> cipher.leadCipher(tenantId, resolution.leadId()).thenCompose(leadCipher -> {
            String leadId = resolution.leadId();
            Submission submission = new Submission(
                request.submissionId(), request.via(), form.source(), form.utm(), seal(leadCipher, form.name()),
                seal(leadCipher, form.email()), seal(leadCipher, form.message()), request.actor(), clock.instant());
            List<Identifier> identifiers =
                plain.stream().map(identifier -> identifier.seal(blindIndex, leadCipher)).toList();
            return lead(tenantId, leadId)
                .<SubmissionAccepted>askWithStatus(replyTo -> new LeadModel.SubmitLead(
                    tenantId, leadId, identifiers, submission, replyTo), askTimeout)
                .thenCompose(accepted -> {
                  metrics.eventsPersisted("lead", accepted.persistedEvents());
                  if (accepted.createdLead() && !accepted.repeated()) activity.newLead(tenantId);
                  if (accepted.verification() != null) return CompletableFuture.completedFuture(result(accepted, form));
                  return verify(tenantId, request, accepted, prior)
                      .thenCompose(verification -> lead(tenantId, leadId).<SubmissionAccepted>askWithStatus(
                          replyTo -> new LeadModel.RecordVerification(request.submissionId(), verification, replyTo),
                          askTimeout))
                      .thenApply(verified -> {
                        metrics.eventsPersisted("lead", verified.persistedEvents());
                        return new Result(leadId, accepted.createdLead(), accepted.repeated(), e164(form),
                            verified.verification());
                      });
                });
          })));
    });
  }

  private CompletionStage<Verification> verify(
      String tenantId, Request request, SubmissionAccepted accepted, Prior prior) {
    Form form = request.form();
    // imports are bulk by nature: a burst there says nothing about the traffic
    int fromSource = VIA_API.equals(request.via()) ? bursts.record(tenantId, form.sourceKey()) : 0;
    String leadId = accepted.leadId();
    String duplicateOf = prior.owners().stream().filter(owner -> !owner.equals(leadId)).findFirst()
        .orElse(accepted.createdLead() ? null : leadId);
    Evidence evidence = new Evidence(
        form.phone(), form.email(), form.name(), form.message(), fromSource, duplicateOf, prior.erased());
    return budget.debit(tenantId, settings.operation(), leadId, "submission:" + request.submissionId())
        .handle((outcome, failure) -> {
          if (failure != null) return Verification.skipped("token-budget-unavailable");
          return verification(outcome, evidence);
        });
  }

  private Verification verification(DebitOutcome outcome, Evidence evidence) {
    if (outcome instanceof Debited debited) return verifier.verify(evidence, debited.cost());
    Refused refused = (Refused) outcome;
    return Verification.skipped(refused.reason().name().toLowerCase(Locale.ROOT).replace('_', '-'));
  }

  /** Who owned the identifiers before this submission, and whether any belonged to an erased lead. */
  private record Prior(Set<String> owners, boolean erased) {}

  private CompletionStage<Prior> priorOwners(String tenantId, List<IdentityKey> keys) {
    List<CompletableFuture<Optional<String>>> owners = new ArrayList<>();
    List<CompletableFuture<Boolean>> erased = new ArrayList<>();
    for (IdentityKey key : keys) {
      owners.add(identityIndex.find(tenantId, key).toCompletableFuture());
      erased.add(identityIndex.wasErased(tenantId, key.index()).toCompletableFuture());
    }
    List<CompletableFuture<?>> all = new ArrayList<>(owners);
    all.addAll(erased);
    return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).thenApply(done -> {
      Set<String> found = new LinkedHashSet<>();
      owners.forEach(owner -> owner.join().ifPresent(found::add));
      return new Prior(found, erased.stream().anyMatch(CompletableFuture::join));
    });
  }

  private Result result(SubmissionAccepted accepted, Form form) {
    return new Result(accepted.leadId(), accepted.createdLead(), accepted.repeated(), e164(form), accepted.verification());
  }

  private static String e164(Form form) {
    return form.phone() == null ? null : form.phone().e164();
  }

  /** Phone first, then e-mail: the order decides which lead wins when they belong to two (JdbcIdentityIndex). */
  private static List<Plain> identifiers(Form form) {
    List<Plain> identifiers = new ArrayList<>();
    if (form.phone() != null) identifiers.add(new Plain(LeadModel.PHONE, form.phone().e164(), form.phone().valid()));
    if (form.email() != null) identifiers.add(new Plain(LeadModel.EMAIL, form.email(), true));
    return identifiers;
  }

  private record Plain(String kind, String value, boolean valid) {
    IdentityKey key(BlindIndex blindIndex) {
      return new IdentityKey(kind, blindIndex.of(kind, value));
    }

    Identifier seal(BlindIndex blindIndex, FieldCipher cipher) {
      return new Identifier(kind, blindIndex.of(kind, value), cipher.encrypt(value), valid);
    }
  }

  private EntityRef<LeadModel.Command> lead(String tenantId, String leadId) {
    return sharding.entityRefFor(LeadEntity.TYPE_KEY, LeadEntity.entityId(tenantId, leadId));
  }

  private static String seal(FieldCipher cipher, String value) {
    return value == null ? null : cipher.encrypt(value);
  }
}
