package io.flexoraa.engine.ports;

/** What the engine reports about itself; the edge binds it to Kamon. */
public interface EngineMetrics {
  void webhookReceived(String outcome);

  void eventsPersisted(String entityType, int count);

  EngineMetrics NONE = new EngineMetrics() {
    @Override public void webhookReceived(String outcome) {}
    @Override public void eventsPersisted(String entityType, int count) {}
  };
}
