package io.flexoraa.http;

import io.flexoraa.engine.access.AccessPolicy;
import io.flexoraa.engine.access.Role;
import io.flexoraa.http.auth.Claims;

/**
 * Who is calling: the platform operator, a tenant's API key (a machine with a role), or a signed-in person (a JWT
 * bound to a server-side session). {@link #actor()} is how the audit trail names them.
 */
public sealed interface Principal {
  String actor();

  boolean mayAccessTenant(String tenantId);

  /** Whether this caller holds the permission on a tenant it may access; the operator holds every permission. */
  boolean holds(io.flexoraa.engine.access.Permission permission);

  /** The leads this caller sees: all of the tenant's, or only those assigned to {@link #actorId()}. */
  default AccessPolicy.LeadScope leadScope() {
    return AccessPolicy.LeadScope.ALL;
  }

  /** The user or key id that assignments refer to. */
  String actorId();

  record Operator() implements Principal {
    public String actor() {
      return "operator";
    }

    public String actorId() {
      return "operator";
    }

    public boolean mayAccessTenant(String tenantId) {
      return true;
    }

    public boolean holds(io.flexoraa.engine.access.Permission permission) {
      return true;
    }
  }

  record ApiKey(String tenantId, String keyId, Role role) implements Principal {
    public String actor() {
      return "api-key:" + keyId;
    }

    public String actorId() {
      return keyId;
    }

    public boolean mayAccessTenant(String tenantId) {
      return this.tenantId.equals(tenantId);
    }

    public boolean holds(io.flexoraa.engine.access.Permission permission) {
      return AccessPolicy.allows(role, permission);
    }

    @Override
    public AccessPolicy.LeadScope leadScope() {
      return AccessPolicy.leadScope(role);
    }
  }

  /** A signed-in person, as their verified access token and live session say. */
  record User(Claims claims) implements Principal {
    public String tenantId() {
      return claims.tenantId();
    }

    public String userId() {
      return claims.userId();
    }

    public Role role() {
      return claims.role();
    }

    public String actor() {
      return "user:" + claims.userId();
    }

    public String actorId() {
      return claims.userId();
    }

    public boolean mayAccessTenant(String tenantId) {
      return claims.tenantId().equals(tenantId);
    }

    public boolean holds(io.flexoraa.engine.access.Permission permission) {
      return !awaitingSecondFactor() && AccessPolicy.allows(claims.role(), permission);
    }

    /** Admins and managers may do nothing but enrol and verify TOTP until their session has a second factor. */
    public boolean awaitingSecondFactor() {
      return claims.restrictedToMfaEnrolment();
    }

    @Override
    public AccessPolicy.LeadScope leadScope() {
      return AccessPolicy.leadScope(claims.role());
    }
  }
}
