package io.flexoraa.http.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.flexoraa.engine.ports.Mailer;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The SMTP mailer against GreenMail with SMTP AUTH: it signs in with SMTP_USER / SMTP_PASSWORD, a wrong password fails
 * the send (never the caller's thread), and without SMTP_HOST it is disabled and keeps the password out of logs.
 */
class SmtpMailerTest {
  private GreenMail mail;

  @BeforeEach
  void start() {
    mail = new GreenMail(ServerSetupTest.SMTP.dynamicPort())
        .withConfiguration(GreenMailConfiguration.aConfig().withUser("alerts@flexoraa.test", "mailer", "s3cret"));
    mail.start();
  }

  @AfterEach
  void stop() {
    mail.stop();
  }

  @Test
  void signsInAndSends() throws Exception {
    try (SmtpMailer mailer = mailer("s3cret")) {
      mailer.send(email("Signed in")).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    assertThat(mail.waitForIncomingEmail(5000, 1)).isTrue();
    assertThat(mail.getReceivedMessages()[0].getSubject()).isEqualTo("Signed in");
  }

  @Test
  void aRefusedSignInFailsTheSend() {
    try (SmtpMailer mailer = mailer("wrong")) {
      assertThatThrownBy(() -> mailer.send(email("Refused")).toCompletableFuture().get(10, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(SmtpMailer.MailFailure.class);
    }
    assertThat(mail.getReceivedMessages()).isEmpty();
  }

  @Test
  void withoutAHostItIsDisabledAndSendsNothing() {
    SmtpMailer.Settings settings = new SmtpMailer.Settings("", 587, "mailer", "s3cret", "a@b.test", true, false,
        Duration.ofSeconds(1), Duration.ofSeconds(1), 1);
    try (SmtpMailer mailer = new SmtpMailer(settings, Clock.systemUTC())) {
      assertThat(mailer.enabled()).isFalse();
      assertThat(mailer.send(email("Nothing")).toCompletableFuture()).isCompletedExceptionally();
    }
    assertThat(settings.toString()).doesNotContain("s3cret");
  }

  private SmtpMailer mailer(String password) {
    return new SmtpMailer(new SmtpMailer.Settings("127.0.0.1", mail.getSmtp().getPort(), "mailer", password,
        "Flexoraa <alerts@flexoraa.test>", false, false, Duration.ofSeconds(2), Duration.ofSeconds(5), 1),
        Clock.systemUTC());
  }

  private static Mailer.Email email(String subject) {
    return new Mailer.Email(List.of("sdr@acme.test"), subject, "body", List.of());
  }
}
