package io.flexoraa.engine.ports;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionStage;

/** Sends e-mail through the tenant's SMTP relay (SMTP_HOST...); attachments carry calendar invites (ICS). */
public interface Mailer {

  /** Sends {@code email}; completes when the SMTP server accepted it, fails when it did not. */
  CompletionStage<Void> send(Email email);

  /** Whether an SMTP server is configured at all (without one, e-mail is skipped and in-app notices remain). */
  boolean enabled();

  record Email(List<String> to, String subject, String textBody, List<Attachment> attachments) {
    public Email {
      to = List.copyOf(to);
      Objects.requireNonNull(subject, "subject");
      textBody = textBody == null ? "" : textBody;
      attachments = attachments == null ? List.of() : List.copyOf(attachments);
    }
  }

  /** {@code contentType} e.g. {@code text/calendar; method=REQUEST; charset=UTF-8}. */
  record Attachment(String fileName, String contentType, byte[] content) {}
}
