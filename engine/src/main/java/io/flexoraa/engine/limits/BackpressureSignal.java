package io.flexoraa.engine.limits;

/**
 * This node's current backpressure mode, for whatever decides how much AI work to do: the AI stage (persuasion
 * variants, AI calls), analytics and leakage scans. One per node, created where the node is wired and handed to both
 * the node's {@link AiWorkQueue}, which sets it on every change, and to its readers. Reading it is one volatile read,
 * cheap enough to do before every piece of work.
 */
public final class BackpressureSignal {
  private volatile BackpressureMode mode = BackpressureMode.NORMAL;

  public BackpressureMode mode() {
    return mode;
  }

  void set(BackpressureMode mode) {
    this.mode = mode;
  }
}
