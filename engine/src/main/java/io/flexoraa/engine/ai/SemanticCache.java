package io.flexoraa.engine.ai;

import com.typesafe.config.Config;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Answers the AI provider gave to a tenant's leads, served again to a question that means the same (PRODUCT §5:
 * cosine ≥ 0.92) without another AI call. Held in memory per node, because an answer is cheap to lose and a shared
 * store would cost a round trip on every reply.
 *
 * <p>An answer never crosses tenants, languages or bands: entries are grouped per tenant and a lookup only considers
 * those of its {@link Key} (tenant, reply language, band, vector space). It is served only to a question naming the
 * same facts (numbers, model names, the profile's products: {@link FactGuard#factsNamed}), since "price of the 2BHK"
 * and "price of the 3BHK" read almost alike. A tenant's entries go when its profile changes (the version the reply
 * stage passes in differs), when they expire ({@code ttl}), and least recently used first beyond
 * {@code maxEntriesPerTenant}; the least recently active tenants go beyond {@code maxTenants}.
 */
public final class SemanticCache {

  /**
   * @param threshold the cosine a question needs to an answered one
   * @param maxEntriesPerTenant answers kept per tenant, least recently used dropped first
   * @param maxTenants tenants with answers kept on this node, least recently active dropped first
   * @param ttl how long an answer is served
   */
  public record Settings(double threshold, int maxEntriesPerTenant, int maxTenants, Duration ttl) {
    /** {@code flexoraa.ai.replies.cache}. */
    public static Settings fromConfig(Config config) {
      Config cache = config.getConfig("flexoraa.ai.replies.cache");
      return new Settings(cache.getDouble("threshold"), cache.getInt("max-entries-per-tenant"),
          cache.getInt("max-tenants"), cache.getDuration("ttl"));
    }
  }

  /** Where an answer may be served: the tenant's leads writing in this language, at this band, in this vector space. */
  public record Key(String tenantId, String language, String band, String space) {
    public Key {
      Objects.requireNonNull(tenantId, "tenantId");
    }
  }

  /** A served answer and how close its question was. */
  public record Hit(ReplyDraft draft, double similarity) {}

  private record Entry(Key key, float[] vector, Set<String> facts, ReplyDraft draft, Instant storedAt) {}

  private final class TenantEntries {
    final Object profileVersion;
    final LinkedHashMap<Long, Entry> entries = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<Long, Entry> eldest) {
        return size() > settings.maxEntriesPerTenant();
      }
    };
    long nextId;

    TenantEntries(Object profileVersion) {
      this.profileVersion = profileVersion;
    }
  }

  private final Settings settings;
  private final Clock clock;
  private final LinkedHashMap<String, TenantEntries> tenants;

  public SemanticCache(Settings settings, Clock clock) {
    if (settings.threshold() <= 0 || settings.threshold() > 1) {
      throw new IllegalArgumentException("threshold must be in (0, 1], was " + settings.threshold());
    }
    this.settings = settings;
    this.clock = clock;
    this.tenants = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, TenantEntries> eldest) {
        return size() > settings.maxTenants();
      }
    };
  }

  /**
   * The closest answer to a question under the same key naming the same facts, when its cosine reaches the
   * threshold. {@code profileVersion} is the tenant's profile as the caller sees it: a different one than the
   * answers were given under drops them all.
   */
  public synchronized Optional<Hit> lookup(Key key, Object profileVersion, float[] vector, Set<String> facts) {
    TenantEntries tenant = current(key.tenantId(), profileVersion, false);
    if (tenant == null) return Optional.empty();
    Instant now = clock.instant();
    Entry best = null;
    long bestId = -1;
    double bestSimilarity = -1;
    List<Long> expired = new ArrayList<>();
    for (Map.Entry<Long, Entry> stored : tenant.entries.entrySet()) {
      Entry entry = stored.getValue();
      if (!now.isBefore(entry.storedAt().plus(settings.ttl()))) {
        expired.add(stored.getKey());
        continue;
      }
      if (!entry.key().equals(key) || !entry.facts().equals(facts)) continue;
      double similarity = Embedder.cosine(vector, entry.vector());
      if (similarity > bestSimilarity) {
        best = entry;
        bestId = stored.getKey();
        bestSimilarity = similarity;
      }
    }
    expired.forEach(tenant.entries::remove);
    if (best == null || bestSimilarity < settings.threshold()) return Optional.empty();
    tenant.entries.get(bestId);
    return Optional.of(new Hit(best.draft(), bestSimilarity));
  }

  /** Keeps an answer to a question; a question already answered (near-identical, same facts) gets the newer answer. */
  public synchronized void store(Key key, Object profileVersion, float[] vector, Set<String> facts, ReplyDraft draft) {
    TenantEntries tenant = current(key.tenantId(), profileVersion, true);
    Entry entry = new Entry(key, vector.clone(), Set.copyOf(facts), draft, clock.instant());
    tenant.entries.entrySet().removeIf(stored -> stored.getValue().key().equals(key)
        && stored.getValue().facts().equals(entry.facts()) && Embedder.cosine(vector, stored.getValue().vector()) >= 0.999);
    tenant.entries.put(tenant.nextId++, entry);
  }

  /** Forgets the tenant's answers (its profile changed on this node). */
  public synchronized void invalidate(String tenantId) {
    tenants.remove(tenantId);
  }

  /** Answers kept for the tenant. */
  public synchronized int size(String tenantId) {
    TenantEntries tenant = tenants.get(tenantId);
    return tenant == null ? 0 : tenant.entries.size();
  }

  private TenantEntries current(String tenantId, Object profileVersion, boolean create) {
    TenantEntries tenant = tenants.get(tenantId);
    if (tenant != null && !Objects.equals(tenant.profileVersion, profileVersion)) {
      tenants.remove(tenantId);
      tenant = null;
    }
    if (tenant == null && create) {
      tenant = new TenantEntries(profileVersion);
      tenants.put(tenantId, tenant);
    }
    return tenant;
  }
}
