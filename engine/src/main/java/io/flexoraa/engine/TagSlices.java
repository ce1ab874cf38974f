package io.flexoraa.engine;

import java.util.List;
import java.util.stream.IntStream;

/**
 * Projection tags spread an entity type's events over a fixed number of slices ({@code <prefix>-<n>}), one
 * projection instance per slice. The slice of an entity is fixed by its id, so its events stay in order in one slice.
 * The number of slices must not change once events are written.
 */
public final class TagSlices {
  private TagSlices() {}

  /** The tag of {@code entityId}'s events. */
  public static String tagFor(String prefix, String entityId, int slices) {
    return prefix + "-" + Math.floorMod(entityId.hashCode(), slices);
  }

  /** Every tag of the type, one per slice. */
  public static List<String> all(String prefix, int slices) {
    return IntStream.range(0, slices).mapToObj(slice -> prefix + "-" + slice).toList();
  }
}
