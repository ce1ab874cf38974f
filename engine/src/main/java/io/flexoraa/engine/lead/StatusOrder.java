package io.flexoraa.engine.lead;

import java.util.Map;

/**
 * The order of WhatsApp delivery statuses. Meta delivers webhooks concurrently and out of order, so a "delivered"
 * can arrive after "read"; it must not win. Failed and deleted are terminal. An unknown status is only recorded
 * when nothing is known yet.
 */
public final class StatusOrder {
  private static final Map<String, Integer> RANK =
      Map.of("sent", 1, "delivered", 2, "read", 3, "played", 4, "failed", 10, "deleted", 10);

  private StatusOrder() {}

  public static int rank(String status) {
    return status == null ? -1 : RANK.getOrDefault(status, 0);
  }

  public static boolean advances(String current, String next) {
    if (next == null) return false;
    if (current == null) return true;
    return rank(next) > rank(current);
  }
}
