package io.flexoraa.persistence;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiPredicate;

/**
 * A bounded, least-recently-used cache in front of a table, safe against a stale read racing an invalidation: a
 * loader remembers the generation it started under and its result is only cached if no invalidation happened since
 * ({@link #putAllUnlessChanged}); invalidations bump the generation under the same lock ({@link #invalidate}).
 * A single lock is cheap at the few thousand look-ups a second a node makes.
 */
public final class LruCache<K, V> {
  private final Map<K, V> entries;

  public LruCache(int capacity) {
    this.entries =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
            return size() > capacity;
          }
        };
  }

  public synchronized V get(K key) {
    return entries.get(key);
  }

  public synchronized void put(K key, V value) {
    entries.put(key, value);
  }

  public synchronized void putUnlessChanged(K key, V value, AtomicLong generation, long expected) {
    if (generation.get() == expected) entries.put(key, value);
  }

  public synchronized void putAllUnlessChanged(Map<K, V> values, AtomicLong generation, long expected) {
    if (generation.get() == expected) entries.putAll(values);
  }

  /**
   * Evicts every entry that matches, and bumps the generation. A scan of the whole cache under the lock: for rare
   * operations (erasure), not for the message path.
   */
  public synchronized void invalidateWhere(BiPredicate<K, V> matches, AtomicLong generation) {
    generation.incrementAndGet();
    entries.entrySet().removeIf(entry -> matches.test(entry.getKey(), entry.getValue()));
  }

  /** Evicts the keys and bumps the generation, so loads that began before this cannot put old values back. */
  public synchronized void invalidate(Iterable<K> keys, AtomicLong generation) {
    generation.incrementAndGet();
    for (K key : keys) entries.remove(key);
  }
}
