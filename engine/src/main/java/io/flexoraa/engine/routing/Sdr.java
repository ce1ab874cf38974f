package io.flexoraa.engine.routing;

import io.flexoraa.engine.CborSerializable;
import java.util.List;
import java.util.Objects;

/**
 * A sales rep on a tenant's roster (PRODUCT §4.4): a user of the tenant ({@code userId}, a user with role SDR or
 * Manager), how many open leads they take at once ({@code capacity}), when they work, whether they are at work now,
 * and what they are good at ({@code skills}) and speak ({@code languages}, ISO 639-1 codes like "en", "hi").
 * {@code email} is where their notifications and invites go (null: in-app only).
 */
public record Sdr(
    String tenantId,
    String userId,
    String displayName,
    String email,
    Seniority seniority,
    int capacity,
    WorkingHours workingHours,
    Presence presence,
    List<String> skills,
    List<String> languages)
    implements CborSerializable {

  public Sdr {
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(seniority, "seniority");
    Objects.requireNonNull(workingHours, "workingHours");
    Objects.requireNonNull(presence, "presence");
    if (capacity < 0) throw new IllegalArgumentException("capacity must not be negative");
    skills = skills == null ? List.of() : List.copyOf(skills);
    languages = languages == null ? List.of() : List.copyOf(languages);
  }

  public Sdr withPresence(Presence next) {
    return new Sdr(tenantId, userId, displayName, email, seniority, capacity, workingHours, next, skills, languages);
  }
}
