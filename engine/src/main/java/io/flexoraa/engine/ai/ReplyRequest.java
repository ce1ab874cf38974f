package io.flexoraa.engine.ai;

import java.util.List;

/**
 * What the AI should say next to a lead.
 *
 * @param kind {@link Kind}
 * @param slot for {@link Kind#QUESTION}, the qualification slot to ask about; else null
 * @param band HOT, WARM or COLD: picks the persuasion strategy (PRODUCT §5)
 * @param language the lead's language (ISO 639-1) and whether it writes Hinglish: the reply's language
 * @param inbound what the lead just wrote (a burst's messages joined by newlines)
 * @param analysis the analysis of {@code inbound}
 * @param context the last messages across channels, oldest first (at most 10)
 * @param memories the most relevant older messages (at most 3)
 * @param profile the tenant's AI profile: the only facts a reply may state
 * @param reference unique per reply: the cost log's and the cache's key for this call
 */
public record ReplyRequest(
    String tenantId, String leadId, Kind kind, Slot slot, String band, String language, boolean hinglish,
    String inbound, Analysis analysis, List<ConversationTurn> context, List<String> memories, AiProfile profile,
    String reference) {

  public ReplyRequest {
    context = context == null ? List.of() : List.copyOf(context);
    memories = memories == null ? List.of() : List.copyOf(memories);
    if (profile == null) profile = AiProfile.empty();
  }

  public enum Kind {
    /** The next qualification question (slot), with a short acknowledgement of what the lead said. */
    QUESTION,
    /** A persuasion reply by band once qualification is done or the lead asked something (PRODUCT §5). */
    PERSUASION,
    /** High-risk content: no AI answer, a polite note that a person will reply. */
    HOLDING,
    /** Escalated: the lead is told a person of the team takes over. */
    HANDOFF
  }

  /** The qualification interview's six steps, in order (PRODUCT §4.2). */
  public enum Slot {
    NEED,
    BUDGET,
    TIMELINE,
    AUTHORITY,
    OBJECTIONS,
    NEXT_STEP
  }
}
