package io.flexoraa.engine.access;

/**
 * What a request wants to do, as a resource and an action. Every API endpoint names exactly one permission (or is
 * public, self-service or operator-only), and {@link AccessPolicy} says which roles hold it.
 */
public record Permission(Resource resource, Action action) {

  public enum Resource {
    /** The tenant's name, plan and region: what every signed-in person of the tenant sees in the header. */
    TENANT_PROFILE,
    /** Connected WhatsApp, Instagram and Messenger accounts: the tenant's messaging infrastructure. */
    CHANNEL_ACCOUNTS,
    /** The team: inviting people, changing roles, removing access. */
    USERS,
    /** Machine credentials for CRMs and integrations. */
    API_KEYS,
    /** Leads, their conversations and consent records. */
    LEADS,
    /** The complete export of one lead's data (portability). */
    LEAD_EXPORT,
    /** Deletion (erasure) requests and their approval. */
    PRIVACY,
    /** The tamper-evident audit trail. */
    AUDIT,
    /** The tenant's encryption keys. */
    ENCRYPTION_KEYS,
    /** Plan, token balance, ledger and token notifications. */
    BILLING,
    /** The compliance gate's decisions, window states, tier use, quality history and suspensions (PRODUCT §8). */
    COMPLIANCE,
    /**
     * The AI: read = the tenant's AI profile (facts, tone, FAQ, reply templates) and the analysis API; write =
     * changing the profile.
     */
    AI,
    /**
     * Sales routing (PRODUCT §4.4, §4.7): read = the SDR roster, the waiting queue, assignments and SLA figures;
     * write = changing the roster and reassigning leads. An SDR sets their own presence without it.
     */
    ROUTING
  }

  public enum Action {
    READ,
    WRITE,
    APPROVE,
    VERIFY
  }

  public static Permission of(Resource resource, Action action) {
    return new Permission(resource, action);
  }

  @Override
  public String toString() {
    return resource.name().toLowerCase() + ":" + action.name().toLowerCase();
  }
}
