package io.flexoraa.engine.ai;

import java.time.Instant;

/**
 * One message of a lead's conversation as the AI's context sees it (decrypted, in memory only).
 *
 * @param role {@link #LEAD}, {@link #AI} or {@link #AGENT} (a person of the tenant)
 */
public record ConversationTurn(String role, String text, String channel, Instant at) {
  public static final String LEAD = "lead";
  public static final String AI = "ai";
  public static final String AGENT = "agent";
}
