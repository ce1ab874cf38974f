package io.flexoraa.engine.ai;

import java.time.LocalDate;
import java.util.List;

/**
 * One message to analyse.
 *
 * @param tenantId whose lead wrote it (null for an anonymous evaluation)
 * @param text the message as the lead wrote it
 * @param channel whatsapp, instagram, messenger, email, web_form, ... (may be null)
 * @param competitors the tenant's named competitors (from its AI profile), matched besides the built-in list
 * @param today the tenant's local date when the message was written: relative timelines ("next month") count from it
 */
public record AnalysisRequest(String tenantId, String text, String channel, List<String> competitors, LocalDate today) {
  public AnalysisRequest {
    if (text == null) throw new IllegalArgumentException("text is required");
    if (today == null) throw new IllegalArgumentException("today is required");
    competitors = competitors == null ? List.of() : List.copyOf(competitors);
  }
}
