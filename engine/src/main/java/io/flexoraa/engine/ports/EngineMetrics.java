package io.flexoraa.engine.ports;

/** What the engine reports about itself; the edge binds it to Kamon. */
public interface EngineMetrics {
  void eventsPersisted(String entityType, int count);

  EngineMetrics NONE = (entityType, count) -> {};
}
