package io.flexoraa.engine.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import io.flexoraa.engine.ingest.SubmissionForm.Form;
import io.flexoraa.engine.ingest.SubmissionForm.InvalidField;
import io.flexoraa.engine.lead.LeadModel.Utm;
import io.flexoraa.engine.verification.LeadVerifier;
import io.flexoraa.engine.verification.VerificationSettings;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The fields of a submitted lead, checked alike for JSON and CSV: what is refused, naming which field, and why. */
class SubmissionFormTest {
  private static final SubmissionForm FORM = new SubmissionForm(
      SubmissionForm.Limits.fromConfig(ConfigFactory.load()),
      new LeadVerifier(VerificationSettings.fromConfig(ConfigFactory.load())));

  private static Form check(String... namesAndValues) {
    Map<String, String> fields = new LinkedHashMap<>();
    for (int i = 0; i < namesAndValues.length; i += 2) fields.put(namesAndValues[i], namesAndValues[i + 1]);
    return FORM.check(SubmissionForm.canonical(fields), "IN");
  }

  private static void refused(String field, String message, String... namesAndValues) {
    assertThatThrownBy(() -> check(namesAndValues))
        .isInstanceOf(InvalidField.class)
        .hasMessage(message)
        .satisfies(failure -> assertThat(((InvalidField) failure).field()).isEqualTo(field));
  }

  @Test
  void aCompleteFormIsTrimmedNormalizedAndKept() {
    Form form = check("name", " Priya Sharma ", "phone", "98123 45678", "email", "Priya@Example.COM",
        "source", "website", "message", "2BHK near Whitefield", "utmSource", "google", "UTM-Medium", "cpc",
        "utm_campaign", "diwali");

    assertThat(form.name()).isEqualTo("Priya Sharma");
    assertThat(form.phone().e164()).isEqualTo("+919812345678");
    assertThat(form.rawPhone()).isEqualTo("98123 45678");
    assertThat(form.email()).isEqualTo("priya@example.com");
    assertThat(form.utm()).isEqualTo(new Utm("google", "cpc", "diwali", null, null));
    assertThat(form.sourceKey()).isEqualTo("website|google|cpc|diwali||");
  }

  @Test
  void aPhoneOrAnEmailIsRequiredAndBlankCountsAsMissing() {
    refused("phone", "phone or email is required", "name", "Priya");
    refused("phone", "phone or email is required", "name", "Priya", "phone", "  ", "email", "");
    assertThat(check("email", "priya@example.com").phone()).isNull();
    assertThat(check("phone", "+971501234567").email()).isNull();
  }

  @Test
  void anEmailMustLookLikeOne() {
    for (String email : new String[] {"priya", "priya@", "@example.com", "priya@example", "pri ya@example.com",
        "a@b@example.com"}) {
      refused("email", "email is not an e-mail address", "email", email);
    }
  }

  @Test
  void aPhoneMustBeANumberButMayBeAnInvalidOne() {
    refused("phone", "phone is not a phone number", "phone", "call me");
    assertThat(check("phone", "+91 12345").phone().valid()).isFalse();
  }

  @Test
  void overLongFieldsAreRefusedNamingTheField() {
    refused("name", "name must be at most 200 characters", "email", "a@b.example", "name", "x".repeat(201));
    refused("message", "message must be at most 4000 characters", "email", "a@b.example", "message", "x".repeat(4001));
    refused("utm_campaign", "utm_campaign must be at most 200 characters", "email", "a@b.example",
        "utm_campaign", "x".repeat(201));
  }

  @Test
  void controlCharactersAreRefusedButLineBreaksInAMessageAreNot() {
    refused("name", "name must not contain control characters", "email", "a@b.example", "name", "Pri\u0000ya");
    assertThat(check("email", "a@b.example", "message", "line one\nline two").message()).contains("\n");
  }

  @Test
  void fieldNamesAreMatchedLoosely() {
    assertThat(SubmissionForm.canonicalName("utmSource")).isEqualTo("utm_source");
    assertThat(SubmissionForm.canonicalName(" UTM-Source ")).isEqualTo("utm_source");
    assertThat(SubmissionForm.canonicalName("utm source")).isEqualTo("utm_source");
    assertThat(SubmissionForm.canonicalName("Email")).isEqualTo("email");
    assertThat(SubmissionForm.canonicalName("idempotencyKey")).isEqualTo("idempotency_key");
  }
}
