package io.flexoraa.persistence.ai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.typesafe.config.Config;
import io.flexoraa.engine.ai.AiProfile;
import io.flexoraa.engine.ai.AiProfiles;
import io.flexoraa.persistence.Jdbc;
import io.flexoraa.persistence.LruCache;
import io.flexoraa.persistence.TenantJdbc;
import io.flexoraa.persistence.audit.AuditFeed;
import io.flexoraa.persistence.audit.AuditLog;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Tenants' AI profiles in {@code ai_profiles}. The reply stage reads the profile on every reply, so
 * {@link #get} keeps it in memory for {@code cacheTtl} (absent profiles too): a PUT on this node is seen at once,
 * on another node when the entry expires. The API reads through {@link #read} on its own pool, under row-level
 * security. A PUT replaces the profile and appends its audit entry — which fields changed and how many entries each
 * list holds, never the texts — in one transaction.
 */
public final class JdbcAiProfiles implements AiProfiles {
  public static final String AUDIT_ACTION = "ai-profile.updated";
  public static final String AUDIT_SUBJECT = "ai-profile";

  /**
   * Unknown properties are skipped, so a row written by a newer version still reads; prices keep their scale
   * ("62.50" stays 62.50), so a profile read back equals the one stored.
   */
  private static final ObjectMapper JSON = JsonMapper.builder()
      .addModule(new JavaTimeModule())
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
      .build();

  /** A stored profile and who stored it (the audit trail's actor). */
  public record Stored(AiProfile profile, String updatedBy) {}

  private record Cached(Optional<AiProfile> profile, Instant expiresAt) {}

  private final Jdbc owner;
  private final TenantJdbc reads;
  private final Duration cacheTtl;
  private final Clock clock;
  private final LruCache<String, Cached> cache;
  /** Bumped by every PUT, so that a read which began before it does not cache the replaced profile. */
  private final AtomicLong replacements = new AtomicLong();

  public JdbcAiProfiles(Jdbc owner, TenantJdbc reads, Duration cacheTtl, int cacheSize, Clock clock) {
    if (cacheTtl.isNegative()) throw new IllegalArgumentException("cacheTtl must not be negative, was " + cacheTtl);
    this.owner = Objects.requireNonNull(owner, "owner");
    this.reads = Objects.requireNonNull(reads, "reads");
    this.cacheTtl = cacheTtl;
    this.clock = Objects.requireNonNull(clock, "clock");
    this.cache = new LruCache<>(cacheSize);
  }

  /** With {@code flexoraa.ai.replies.profile-cache} (ttl, size). */
  public static JdbcAiProfiles fromConfig(Jdbc owner, TenantJdbc reads, Config config, Clock clock) {
    Config cache = config.getConfig("flexoraa.ai.replies.profile-cache");
    return new JdbcAiProfiles(owner, reads, cache.getDuration("ttl"), cache.getInt("size"), clock);
  }

  @Override
  public CompletionStage<Optional<AiProfile>> get(String tenantId) {
    Cached cached = cache.get(tenantId);
    if (cached != null && clock.instant().isBefore(cached.expiresAt())) {
      return CompletableFuture.completedFuture(cached.profile());
    }
    long generation = replacements.get();
    return owner.async(connection -> select(connection, tenantId, false)).thenApply(stored -> {
      Optional<AiProfile> profile = stored.map(Stored::profile);
      cache.putUnlessChanged(tenantId, new Cached(profile, clock.instant().plus(cacheTtl)), replacements, generation);
      return profile;
    });
  }

  /** Stored by the engine itself; audited as {@link AuditFeed#ENGINE}. */
  @Override
  public CompletionStage<AiProfile> put(String tenantId, AiProfile profile) {
    return put(tenantId, profile, AuditFeed.ENGINE);
  }

  /**
   * Replaces the tenant's profile and audits it as {@code actor}, in one transaction; completes with the stored
   * profile, {@code updatedAt} set to now (whatever the given one said).
   */
  public CompletionStage<AiProfile> put(String tenantId, AiProfile profile, String actor) {
    Objects.requireNonNull(profile, "profile");
    Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
    AiProfile stored = withUpdatedAt(profile, now);
    return owner.transaction(connection -> {
      Optional<AiProfile> previous = select(connection, tenantId, true).map(Stored::profile);
      try (PreparedStatement upsert = connection.prepareStatement(
          "INSERT INTO ai_profiles (tenant_id, profile, updated_at, updated_by) VALUES (?, ?::jsonb, ?, ?)"
              + " ON CONFLICT (tenant_id) DO UPDATE SET profile = EXCLUDED.profile,"
              + " updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by")) {
        upsert.setString(1, tenantId);
        upsert.setString(2, toJson(stored));
        upsert.setObject(3, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
        upsert.setString(4, actor);
        upsert.executeUpdate();
      }
      AuditLog.append(connection,
          new AuditLog.NewEntry(tenantId, actor, AUDIT_ACTION, AUDIT_SUBJECT, outline(previous, stored)), now);
      return stored;
    }).thenApply(result -> {
      cache.invalidate(List.of(tenantId), replacements);
      return result;
    });
  }

  /** The tenant's profile as the API reads it: through the API's pool, so another tenant's row is invisible. */
  public CompletionStage<Optional<Stored>> read(String tenantId) {
    return reads.async(tenantId, connection -> select(connection, tenantId, false));
  }

  private static Optional<Stored> select(Connection connection, String tenantId, boolean forUpdate)
      throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(
        "SELECT profile::text, updated_at, updated_by FROM ai_profiles WHERE tenant_id = ?"
            + (forUpdate ? " FOR UPDATE" : ""))) {
      select.setString(1, tenantId);
      try (ResultSet rows = select.executeQuery()) {
        if (!rows.next()) return Optional.empty();
        Instant updatedAt = rows.getObject(2, OffsetDateTime.class).toInstant();
        return Optional.of(new Stored(withUpdatedAt(fromJson(rows.getString(1)), updatedAt), rows.getString(3)));
      }
    }
  }

  /** Which fields changed and the sizes of the lists: enough to see what was edited, without copying the texts. */
  static Map<String, Object> outline(Optional<AiProfile> previous, AiProfile current) {
    Map<String, Object> details = new LinkedHashMap<>();
    List<String> changed = new ArrayList<>();
    AiProfile before = previous.orElse(AiProfile.empty());
    if (!Objects.equals(before.business(), current.business())) changed.add("business");
    if (!Objects.equals(before.description(), current.description())) changed.add("description");
    if (!before.products().equals(current.products())) changed.add("products");
    if (!before.proofPoints().equals(current.proofPoints())) changed.add("proofPoints");
    if (!Objects.equals(before.tone(), current.tone())) changed.add("tone");
    if (!before.faq().equals(current.faq())) changed.add("faq");
    if (!before.competitors().equals(current.competitors())) changed.add("competitors");
    if (!before.replyTemplates().equals(current.replyTemplates())) changed.add("replyTemplates");
    if (!Objects.equals(before.bookingLink(), current.bookingLink())) changed.add("bookingLink");
    if (!Objects.equals(before.defaultLanguage(), current.defaultLanguage())) changed.add("defaultLanguage");
    details.put("created", previous.isEmpty());
    details.put("changed", changed);
    details.put("products", current.products().size());
    details.put("pricedProducts", current.products().stream().filter(product -> product.price() != null).count());
    details.put("proofPoints", current.proofPoints().size());
    details.put("faq", current.faq().size());
    details.put("competitors", current.competitors().size());
    details.put("templateLanguages", new ArrayList<>(new TreeSet<>(current.replyTemplates().keySet())));
    details.put("bookingLink", current.bookingLink() != null);
    details.put("defaultLanguage", current.defaultLanguage());
    details.put("tone", current.tone());
    return details;
  }

  /** The profile as JSON, without {@code updatedAt}: that is the column's. */
  private static String toJson(AiProfile profile) {
    ObjectNode node = JSON.valueToTree(profile);
    node.remove("updatedAt");
    return node.toString();
  }

  private static AiProfile fromJson(String json) {
    try {
      return JSON.readValue(json, AiProfile.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("an ai_profiles row is not a profile: " + e.getOriginalMessage(), e);
    }
  }

  private static AiProfile withUpdatedAt(AiProfile profile, Instant updatedAt) {
    return new AiProfile(profile.business(), profile.description(), profile.products(), profile.proofPoints(),
        profile.tone(), profile.faq(), profile.competitors(), profile.replyTemplates(), profile.bookingLink(),
        profile.defaultLanguage(), updatedAt);
  }
}
