package io.flexoraa.engine.access;

import static io.flexoraa.engine.access.Permission.Action.APPROVE;
import static io.flexoraa.engine.access.Permission.Action.READ;
import static io.flexoraa.engine.access.Permission.Action.VERIFY;
import static io.flexoraa.engine.access.Permission.Action.WRITE;
import static io.flexoraa.engine.access.Permission.Resource.AI;
import static io.flexoraa.engine.access.Permission.Resource.API_KEYS;
import static io.flexoraa.engine.access.Permission.Resource.AUDIT;
import static io.flexoraa.engine.access.Permission.Resource.BILLING;
import static io.flexoraa.engine.access.Permission.Resource.CHANNEL_ACCOUNTS;
import static io.flexoraa.engine.access.Permission.Resource.COMPLIANCE;
import static io.flexoraa.engine.access.Permission.Resource.ENCRYPTION_KEYS;
import static io.flexoraa.engine.access.Permission.Resource.LEADS;
import static io.flexoraa.engine.access.Permission.Resource.LEAD_EXPORT;
import static io.flexoraa.engine.access.Permission.Resource.PRIVACY;
import static io.flexoraa.engine.access.Permission.Resource.ROUTING;
import static io.flexoraa.engine.access.Permission.Resource.TENANT_PROFILE;
import static io.flexoraa.engine.access.Permission.Resource.USERS;

import io.flexoraa.engine.access.Permission.Action;
import io.flexoraa.engine.access.Permission.Resource;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;

/**
 * The one table of who may do what (PRODUCT §9), role × resource × action. Read it as the product's words:
 *
 * <ul>
 *   <li>Admin: everything.
 *   <li>Manager: leads read/write, the team (SDRs) read, settings read, billing read, audit in full, privacy
 *       approvals, the compliance dashboard read, the AI profile read/write, routing (roster, queue,
 *       reassignment, SLA figures) read/write.
 *   <li>SDR: only the leads assigned to them, read and respond ({@link #leadScope}); may file an erasure request a
 *       lead makes in conversation; may read the AI profile and use the analysis API.
 *   <li>Product: leads read, settings read/write, audit read, the AI profile read/write.
 *   <li>DevOps: infrastructure (channel accounts, encryption keys); no lead data.
 *   <li>Auditor: leads read, audit in full (read and verify), erasure requests read, routing read.
 *   <li>ReadOnly: leads read.
 * </ul>
 *
 * Billing write (buying token top-ups) is Admin's alone: no grant below gives it to another role.
 *
 * <p>Every signed-in person may read their tenant's profile. The platform operator is not a tenant role and is
 * allowed everything by the edge.
 */
public final class AccessPolicy {
  /** Which leads a role may see when it may see leads at all. */
  public enum LeadScope {
    ALL,
    ASSIGNED_ONLY
  }

  private static final Map<Role, Map<Resource, Set<Action>>> GRANTS = new EnumMap<>(Role.class);

  static {
    grant(Role.MANAGER, TENANT_PROFILE, READ);
    grant(Role.MANAGER, LEADS, READ, WRITE);
    grant(Role.MANAGER, LEAD_EXPORT, READ);
    grant(Role.MANAGER, USERS, READ);
    grant(Role.MANAGER, CHANNEL_ACCOUNTS, READ);
    grant(Role.MANAGER, AUDIT, READ, VERIFY);
    grant(Role.MANAGER, PRIVACY, READ, WRITE, APPROVE);
    grant(Role.MANAGER, BILLING, READ);
    grant(Role.MANAGER, COMPLIANCE, READ);
    grant(Role.MANAGER, AI, READ, WRITE);
    grant(Role.MANAGER, ROUTING, READ, WRITE);

    grant(Role.SDR, TENANT_PROFILE, READ);
    grant(Role.SDR, LEADS, READ, WRITE);
    grant(Role.SDR, PRIVACY, WRITE);
    grant(Role.SDR, AI, READ);

    grant(Role.PRODUCT, TENANT_PROFILE, READ);
    grant(Role.PRODUCT, LEADS, READ);
    grant(Role.PRODUCT, CHANNEL_ACCOUNTS, READ, WRITE);
    grant(Role.PRODUCT, AUDIT, READ);
    grant(Role.PRODUCT, AI, READ, WRITE);

    grant(Role.DEVOPS, TENANT_PROFILE, READ);
    grant(Role.DEVOPS, CHANNEL_ACCOUNTS, READ, WRITE);
    grant(Role.DEVOPS, ENCRYPTION_KEYS, READ, WRITE);

    grant(Role.AUDITOR, TENANT_PROFILE, READ);
    grant(Role.AUDITOR, LEADS, READ);
    grant(Role.AUDITOR, AUDIT, READ, VERIFY);
    grant(Role.AUDITOR, PRIVACY, READ);
    grant(Role.AUDITOR, ROUTING, READ);

    grant(Role.READ_ONLY, TENANT_PROFILE, READ);
    grant(Role.READ_ONLY, LEADS, READ);
  }

  private AccessPolicy() {}

  private static void grant(Role role, Resource resource, Action... actions) {
    GRANTS.computeIfAbsent(role, ignored -> new EnumMap<>(Resource.class))
        .computeIfAbsent(resource, ignored -> new java.util.HashSet<>())
        .addAll(Set.of(actions));
  }

  public static boolean allows(Role role, Permission permission) {
    if (role == Role.ADMIN) return true;
    return GRANTS.getOrDefault(role, Map.of())
        .getOrDefault(permission.resource(), Set.of())
        .contains(permission.action());
  }

  /** An SDR works only the leads routed to them; everyone else who may read leads sees all of the tenant's. */
  public static LeadScope leadScope(Role role) {
    return role == Role.SDR ? LeadScope.ASSIGNED_ONLY : LeadScope.ALL;
  }
}
