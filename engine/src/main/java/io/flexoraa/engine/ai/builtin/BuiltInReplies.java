package io.flexoraa.engine.ai.builtin;

import io.flexoraa.engine.ai.Analysis;
import io.flexoraa.engine.ai.ReplyComposer;
import io.flexoraa.engine.ai.ReplyDraft;
import io.flexoraa.engine.ai.ReplyRequest;

/** The built-in engine's replies from approved wording (issue 6). PLACEHOLDER until it lands: one English line. */
public final class BuiltInReplies implements ReplyComposer {
  public static final String MODEL = "templates-1";

  @Override
  public ReplyDraft compose(ReplyRequest request) {
    String text = switch (request.kind()) {
      case QUESTION -> "Thanks! Could you tell me a little more?";
      case PERSUASION -> "Thanks for your message! Would you like to book a call?";
      case HOLDING -> "Thank you. A member of our team will get back to you personally.";
      case HANDOFF -> "Thanks! A member of our team will contact you shortly.";
    };
    return new ReplyDraft(text, "en", ReplyDraft.TEMPLATE, Analysis.PROVIDER_BUILTIN, MODEL,
        request.slot() == null ? request.kind().name().toLowerCase() : request.slot().name().toLowerCase());
  }
}
