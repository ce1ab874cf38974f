package io.flexoraa.engine.lead;

import com.typesafe.config.Config;
import io.flexoraa.engine.lead.LeadModel.Identifier;
import io.flexoraa.engine.lead.LeadModel.MergeCandidate;
import io.flexoraa.engine.lead.LeadModel.MergeHandoff;
import io.flexoraa.engine.lead.LeadModel.MergeOutcome;
import io.flexoraa.engine.ports.IdentityIndex;
import io.flexoraa.engine.ports.IdentityIndex.IdentityKey;
import io.flexoraa.engine.ports.PiiCipher;
import io.flexoraa.engine.ports.PiiCipher.FieldCipher;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * Merges two leads of a tenant (PRODUCT §3): the survivor takes the absorbed lead's identifiers, counts, channel
 * presence and consent; the absorbed lead records that it was merged and stays readable by its id; messages for
 * the absorbed lead's identifiers reach the survivor from then on. The steps, each idempotent, run in an order that
 * a repeat (a client retrying after a timeout) completes instead of doubling: mark the absorbed lead, point its
 * identifiers at the survivor, then let the survivor absorb it. The audit entry comes from the survivor's event.
 *
 * <p>Identifiers and consent evidence are ciphertext under the absorbed lead's key: they are re-encrypted under
 * the survivor's key here, the only place that holds both.
 */
public final class LeadMerges {

  /** Which plans may merge leads across channels; the others (LeadOS) merge WhatsApp leads only. */
  public record Policy(Set<String> crossChannelPlans) {
    /** The messaging channels a LeadOS plan may not merge across (forms, CRMs and imports are not channels). */
    static final Set<String> NOT_WHATSAPP = Set.of(LeadModel.INSTAGRAM, LeadModel.MESSENGER);

    public Policy {
      crossChannelPlans = Set.copyOf(crossChannelPlans);
    }

    public static Policy fromConfig(Config config) {
      return new Policy(Set.copyOf(config.getStringList("flexoraa.merge.cross-channel-plans")));
    }

    /** Why the plan refuses to merge leads known on these channels, or null when it allows it. */
    public String refusal(String plan, List<String> survivorChannels, List<String> absorbedChannels) {
      if (crossChannelPlans.contains(plan)) return null;
      boolean otherChannel = survivorChannels.stream().anyMatch(NOT_WHATSAPP::contains)
          || absorbedChannels.stream().anyMatch(NOT_WHATSAPP::contains);
      return otherChannel
          ? "the " + plan + " plan merges WhatsApp leads only; merging across channels needs one of "
              + crossChannelPlans.stream().sorted().toList()
          : null;
    }
  }

  /** How a merge ended. */
  public sealed interface Result {
    record Merged(MergeOutcome outcome) implements Result {}

    /** {@code kind}: {@code not-found}, {@code conflict} (anonymized, already merged) or {@code plan}. */
    record Refused(String kind, String detail) implements Result {}
  }

  private final ClusterSharding sharding;
  private final IdentityIndex identityIndex;
  private final PiiCipher cipher;
  private final Policy policy;
  private final Duration askTimeout;

  public LeadMerges(
      ActorSystem<?> system, IdentityIndex identityIndex, PiiCipher cipher, Policy policy, Duration askTimeout) {
    this.sharding = ClusterSharding.get(system);
    this.identityIndex = identityIndex;
    this.cipher = cipher;
    this.policy = policy;
    this.askTimeout = askTimeout;
  }

  /** Merges {@code absorbedLeadId} into {@code survivorLeadId}; the caller has checked both ids differ. */
  public CompletionStage<Result> merge(
      String tenantId, String plan, String survivorLeadId, String absorbedLeadId, String actor) {
    CompletionStage<MergeCandidate> survivor = describe(tenantId, survivorLeadId);
    CompletionStage<MergeCandidate> absorbed = describe(tenantId, absorbedLeadId);
    return survivor.thenCombine(absorbed, (kept, gone) -> refusal(plan, survivorLeadId, kept, absorbedLeadId, gone))
        .thenCompose(refused -> refused != null
            ? CompletableFuture.completedFuture(refused)
            : absorb(tenantId, survivorLeadId, absorbedLeadId, actor));
  }

  private Result refusal(
      String plan, String survivorLeadId, MergeCandidate survivor, String absorbedLeadId, MergeCandidate absorbed) {
    if (!survivor.exists()) return new Result.Refused("not-found", "no lead " + survivorLeadId);
    if (!absorbed.exists()) return new Result.Refused("not-found", "no lead " + absorbedLeadId);
    if (survivor.anonymized() || absorbed.anonymized()) {
      return new Result.Refused("conflict", "an anonymized lead cannot be merged");
    }
    if (survivor.mergedInto() != null) {
      return new Result.Refused("conflict", "lead " + survivorLeadId + " was merged into " + survivor.mergedInto());
    }
    if (absorbed.mergedInto() != null && !absorbed.mergedInto().equals(survivorLeadId)) {
      return new Result.Refused("conflict", "lead " + absorbedLeadId + " was merged into " + absorbed.mergedInto());
    }
    String planRefusal = policy.refusal(plan, survivor.channels(), absorbed.channels());
    return planRefusal == null ? null : new Result.Refused("plan", planRefusal);
  }

  private CompletionStage<Result> absorb(String tenantId, String survivorLeadId, String absorbedLeadId, String actor) {
    CompletionStage<MergeHandoff> handoff = sharding
        .entityRefFor(LeadEntity.TYPE_KEY, LeadEntity.entityId(tenantId, absorbedLeadId))
        .askWithStatus(replyTo -> new LeadModel.MergeInto(survivorLeadId, actor, replyTo), askTimeout);
    return handoff.thenCompose(given -> {
      List<IdentityKey> keys = given.identifiers().stream()
          .map(identifier -> new IdentityKey(identifier.kind(), identifier.index())).toList();
      // the absorbed lead is marked first: a merge cut short here is completed by its repeat
      return identityIndex.reassign(tenantId, survivorLeadId, keys)
          .thenCompose(done -> resealed(tenantId, absorbedLeadId, survivorLeadId, given))
          .thenCompose(sealed -> sharding
              .entityRefFor(LeadEntity.TYPE_KEY, LeadEntity.entityId(tenantId, survivorLeadId))
              .<MergeOutcome>askWithStatus(replyTo -> new LeadModel.AbsorbLead(absorbedLeadId, sealed, actor, replyTo),
                  askTimeout))
          .thenApply(Result.Merged::new);
    });
  }

  /** The handoff with its ciphertext moved from the absorbed lead's key to the survivor's. */
  private CompletionStage<MergeHandoff> resealed(
      String tenantId, String absorbedLeadId, String survivorLeadId, MergeHandoff handoff) {
    return cipher.existingLeadCipher(tenantId, absorbedLeadId).thenCombine(
        cipher.leadCipher(tenantId, survivorLeadId), (from, to) -> {
          List<Identifier> identifiers = handoff.identifiers().stream()
              .map(identifier -> new Identifier(identifier.kind(), identifier.index(),
                  reseal(identifier.valueEnc(), from, to), identifier.valid()))
              .toList();
          List<LeadModel.ConsentView> consents = handoff.consents().stream()
              .map(consent -> new LeadModel.ConsentView(consent.recordId(), consent.channel(), consent.purpose(),
                  consent.granted(), consent.source(), reseal(consent.ipEnc(), from, to),
                  reseal(consent.userAgentEnc(), from, to), consent.actor(), consent.givenAt(),
                  consent.recordedAt()))
              .toList();
          return new MergeHandoff(handoff.leadId(), identifiers, handoff.inboundCount(), handoff.channels(),
              consents, handoff.messageIds());
        });
  }

  private static String reseal(String ciphertext, java.util.Optional<FieldCipher> from, FieldCipher to) {
    if (ciphertext == null || from.isEmpty()) return null;
    return to.encrypt(from.get().decrypt(ciphertext));
  }

  private CompletionStage<MergeCandidate> describe(String tenantId, String leadId) {
    return sharding.entityRefFor(LeadEntity.TYPE_KEY, LeadEntity.entityId(tenantId, leadId))
        .ask(LeadModel.DescribeForMerge::new, askTimeout);
  }
}
