package io.flexoraa.engine.access;

import java.util.Arrays;
import java.util.Optional;

/**
 * The roles a tenant's people (and its API keys) can hold, exactly as PRODUCT §9 names them. What each may do is
 * decided in one place, {@link AccessPolicy}; the display name is what the API accepts and returns.
 */
public enum Role {
  ADMIN("Admin"),
  MANAGER("Manager"),
  SDR("SDR"),
  PRODUCT("Product"),
  DEVOPS("DevOps"),
  AUDITOR("Auditor"),
  READ_ONLY("ReadOnly");

  private final String displayName;

  Role(String displayName) {
    this.displayName = displayName;
  }

  public String displayName() {
    return displayName;
  }

  /** Admins and managers hold the keys to a tenant's data and must sign in with a second factor. */
  public boolean requiresSecondFactor() {
    return this == ADMIN || this == MANAGER;
  }

  /** Parses the display name, ignoring case ("sdr", "ReadOnly", "readonly" all work). */
  public static Optional<Role> parse(String name) {
    if (name == null) return Optional.empty();
    String wanted = name.trim().replace("_", "").replace("-", "");
    return Arrays.stream(values()).filter(role -> role.displayName.equalsIgnoreCase(wanted)).findFirst();
  }
}
