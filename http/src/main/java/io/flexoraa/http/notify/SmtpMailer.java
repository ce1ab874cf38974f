package io.flexoraa.http.notify;

import com.typesafe.config.Config;
import io.flexoraa.engine.ports.Mailer;
import jakarta.activation.DataHandler;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@link Mailer} over SMTP with Jakarta Mail (Eclipse Angus). Sending is blocking I/O, so it runs on a small pool of
 * its own ({@code flexoraa.smtp.threads}) and never on the actor or database threads. Without {@code SMTP_HOST}
 * {@link #enabled()} is false and {@link #send} fails at once: in-app notices do not depend on mail.
 */
public final class SmtpMailer implements Mailer, AutoCloseable {

  /** {@code flexoraa.smtp}; the password stays out of {@link #toString()}. */
  public record Settings(String host, int port, String user, String password, String from, boolean startTls,
      boolean startTlsRequired, Duration connectTimeout, Duration timeout, int threads) {

    public static Settings fromConfig(Config config) {
      Config smtp = config.getConfig("flexoraa.smtp");
      return new Settings(smtp.getString("host").trim(), smtp.getInt("port"), smtp.getString("user"),
          smtp.getString("password"), smtp.getString("from"), smtp.getBoolean("starttls"),
          smtp.getBoolean("starttls-required"), smtp.getDuration("connect-timeout"), smtp.getDuration("timeout"),
          smtp.getInt("threads"));
    }

    boolean configured() {
      return !host.isEmpty();
    }

    @Override
    public String toString() {
      return "Settings[host=" + host + ", port=" + port + ", user=" + user + ", from=" + from + ", startTls="
          + startTls + "]";
    }
  }

  private final Settings settings;
  private final Session session;
  private final InternetAddress from;
  private final ExecutorService pool;
  private final Clock clock;

  public SmtpMailer(Settings settings, Clock clock) {
    this.settings = settings;
    this.clock = clock;
    this.session = Session.getInstance(properties(settings));
    this.from = settings.configured() ? address(settings.from()) : null;
    AtomicInteger threads = new AtomicInteger();
    this.pool = Executors.newFixedThreadPool(Math.max(1, settings.threads()), task -> {
      Thread thread = new Thread(task, "smtp-" + threads.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
  }

  @Override
  public boolean enabled() {
    return settings.configured();
  }

  @Override
  public CompletionStage<Void> send(Email email) {
    if (!enabled()) return CompletableFuture.failedFuture(new IllegalStateException("no SMTP server is configured"));
    if (email.to().isEmpty()) return CompletableFuture.failedFuture(new IllegalArgumentException("no recipient"));
    return CompletableFuture.runAsync(() -> {
      try {
        MimeMessage message = message(email);
        if (settings.user().isEmpty()) Transport.send(message);
        else Transport.send(message, settings.user(), settings.password());
      } catch (MessagingException e) {
        throw new MailFailure(e);
      }
    }, pool);
  }

  private MimeMessage message(Email email) throws MessagingException {
    MimeMessage message = new MimeMessage(session);
    message.setFrom(from);
    for (String to : email.to()) message.addRecipient(Message.RecipientType.TO, address(to));
    message.setSubject(email.subject(), StandardCharsets.UTF_8.name());
    message.setSentDate(Date.from(clock.instant()));
    if (email.attachments().isEmpty()) {
      message.setText(email.textBody(), StandardCharsets.UTF_8.name());
    } else {
      MimeMultipart parts = new MimeMultipart("mixed");
      MimeBodyPart text = new MimeBodyPart();
      text.setText(email.textBody(), StandardCharsets.UTF_8.name());
      parts.addBodyPart(text);
      for (Attachment attachment : email.attachments()) {
        MimeBodyPart part = new MimeBodyPart();
        part.setDataHandler(new DataHandler(new ByteArrayDataSource(attachment.content(), attachment.contentType())));
        part.setFileName(attachment.fileName());
        // the content type as given (ICS invites need method=REQUEST in it), not one guessed from the file name
        part.setHeader("Content-Type", attachment.contentType());
        parts.addBodyPart(part);
      }
      message.setContent(parts);
    }
    message.saveChanges();
    return message;
  }

  private static Properties properties(Settings settings) {
    Properties properties = new Properties();
    properties.put("mail.transport.protocol", "smtp");
    properties.put("mail.smtp.host", settings.host());
    properties.put("mail.smtp.port", String.valueOf(settings.port()));
    properties.put("mail.smtp.auth", String.valueOf(!settings.user().isEmpty()));
    properties.put("mail.smtp.starttls.enable", String.valueOf(settings.startTls()));
    properties.put("mail.smtp.starttls.required", String.valueOf(settings.startTlsRequired()));
    properties.put("mail.smtp.connectiontimeout", String.valueOf(settings.connectTimeout().toMillis()));
    properties.put("mail.smtp.timeout", String.valueOf(settings.timeout().toMillis()));
    properties.put("mail.smtp.writetimeout", String.valueOf(settings.timeout().toMillis()));
    return properties;
  }

  private static InternetAddress address(String text) {
    try {
      InternetAddress address = new InternetAddress(text, true);
      address.validate();
      return address;
    } catch (MessagingException e) {
      throw new IllegalArgumentException("not an e-mail address: " + text, e);
    }
  }

  @Override
  public void close() {
    pool.shutdown();
  }

  /** Why the SMTP server did not take a message (refused, unreachable, timed out). */
  public static final class MailFailure extends RuntimeException {
    MailFailure(MessagingException cause) {
      super(cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage(), cause);
    }
  }
}
