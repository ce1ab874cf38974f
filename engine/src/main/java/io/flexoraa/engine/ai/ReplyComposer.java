package io.flexoraa.engine.ai;

/** Composes a reply synchronously from approved wording (the built-in engine's replies): no network. */
public interface ReplyComposer {
  ReplyDraft compose(ReplyRequest request);
}
