package io.flexoraa.engine.ingest;

import com.typesafe.config.Config;
import io.flexoraa.engine.lead.LeadModel.Utm;
import io.flexoraa.engine.verification.LeadVerifier;
import io.flexoraa.engine.verification.LeadVerifier.PhoneCheck;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The fields of a submitted lead, as a web form, a CRM (JSON) or a CSV row gives them, checked the same way for all
 * three: {@code name, phone, email, source, message, utm_source, utm_medium, utm_campaign, utm_term, utm_content}.
 * Names are matched loosely ({@code utmSource}, {@code UTM-Source} and {@code utm_source} are one field); unknown
 * fields are ignored, because forms send whatever they collect.
 *
 * <p>At least one of phone and e-mail is required (they are what identifies the lead). A phone that is not a number
 * at all ("call me") is refused; a number that is merely invalid for its country is kept and flagged by
 * verification (PRODUCT §3). An e-mail must look like one and is lower-cased: mailbox names are case-insensitive in
 * practice, and the identity index needs one spelling per address.
 */
public final class SubmissionForm {
  public static final String NAME = "name";
  public static final String PHONE = "phone";
  public static final String EMAIL = "email";
  public static final String SOURCE = "source";
  public static final String MESSAGE = "message";
  public static final String UTM_SOURCE = "utm_source";
  public static final String UTM_MEDIUM = "utm_medium";
  public static final String UTM_CAMPAIGN = "utm_campaign";
  public static final String UTM_TERM = "utm_term";
  public static final String UTM_CONTENT = "utm_content";
  /** CSV only: the row's own idempotency key (a CRM's record id), instead of one derived from its content. */
  public static final String IDEMPOTENCY_KEY = "idempotency_key";

  public static final List<String> FIELDS = List.of(
      NAME, PHONE, EMAIL, SOURCE, MESSAGE, UTM_SOURCE, UTM_MEDIUM, UTM_CAMPAIGN, UTM_TERM, UTM_CONTENT);

  private static final Pattern EMAIL_SHAPE = Pattern.compile("[^\\s@]{1,64}@[^\\s@]+\\.[^\\s@.]{2,}");
  private static final Pattern IDEMPOTENCY_KEY_SHAPE = Pattern.compile("[A-Za-z0-9_.:-]+");

  /** Longest allowed value per field, from {@code flexoraa.intake.max-length}. */
  public record Limits(int name, int phone, int email, int source, int message, int utm, int idempotencyKey) {
    public static Limits fromConfig(Config root) {
      Config limits = root.getConfig("flexoraa.intake.max-length");
      return new Limits(limits.getInt("name"), limits.getInt("phone"), limits.getInt("email"),
          limits.getInt("source"), limits.getInt("message"), limits.getInt("utm"), limits.getInt("idempotency-key"));
    }

    int of(String field) {
      return switch (field) {
        case NAME -> name;
        case PHONE -> phone;
        case EMAIL -> email;
        case SOURCE -> source;
        case MESSAGE -> message;
        case IDEMPOTENCY_KEY -> idempotencyKey;
        default -> utm;
      };
    }
  }

  /** A checked submission: blank fields are null, {@code phone} is libphonenumber's reading of {@code rawPhone}. */
  public record Form(
      String name, String rawPhone, PhoneCheck phone, String email, String source, String message, Utm utm,
      String idempotencyKey) {
    /** The source and campaign, for burst counting. */
    public String sourceKey() {
      return String.join("|", nullToEmpty(source), nullToEmpty(utm.source()), nullToEmpty(utm.medium()),
          nullToEmpty(utm.campaign()), nullToEmpty(utm.term()), nullToEmpty(utm.content()));
    }
  }

  /** Why a submission was refused, naming the field. */
  public static final class InvalidField extends RuntimeException {
    private final String field;

    public InvalidField(String field, String message) {
      super(message, null, false, false);
      this.field = field;
    }

    public String field() {
      return field;
    }
  }

  private final Limits limits;
  private final LeadVerifier verifier;

  public SubmissionForm(Limits limits, LeadVerifier verifier) {
    this.limits = limits;
    this.verifier = verifier;
  }

  /** {@code utmSource}, {@code UTM-Source}, {@code utm source} → {@code utm_source}. */
  public static String canonicalName(String name) {
    return name.trim().replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT).replaceAll("[\\s-]+", "_");
  }

  /** Field values by canonical name; the first spelling of a name wins over later ones. */
  public static Map<String, String> canonical(Map<String, String> raw) {
    Map<String, String> fields = new LinkedHashMap<>();
    raw.forEach((name, value) -> fields.putIfAbsent(canonicalName(name), value));
    return fields;
  }

  /**
   * Checks the fields (already by canonical name) against the tenant's {@code defaultRegion}.
   *
   * @throws InvalidField naming the first field that is wrong
   */
  public Form check(Map<String, String> fields, String defaultRegion) {
    String name = text(fields, NAME);
    String rawPhone = text(fields, PHONE);
    String email = text(fields, EMAIL);
    if (rawPhone == null && email == null) throw new InvalidField(PHONE, "phone or email is required");
    PhoneCheck phone = null;
    if (rawPhone != null) {
      phone = verifier.checkPhone(rawPhone, defaultRegion)
          .orElseThrow(() -> new InvalidField(PHONE, "phone is not a phone number"));
    }
    if (email != null) {
      if (!EMAIL_SHAPE.matcher(email).matches()) throw new InvalidField(EMAIL, "email is not an e-mail address");
      email = email.toLowerCase(Locale.ROOT);
    }
    String idempotencyKey = text(fields, IDEMPOTENCY_KEY);
    if (idempotencyKey != null && !IDEMPOTENCY_KEY_SHAPE.matcher(idempotencyKey).matches()) {
      throw new InvalidField(IDEMPOTENCY_KEY, "idempotency_key may only hold letters, digits and . _ : -");
    }
    Utm utm = new Utm(text(fields, UTM_SOURCE), text(fields, UTM_MEDIUM), text(fields, UTM_CAMPAIGN),
        text(fields, UTM_TERM), text(fields, UTM_CONTENT));
    return new Form(name, rawPhone, phone, email, text(fields, SOURCE), text(fields, MESSAGE), utm, idempotencyKey);
  }

  private String text(Map<String, String> fields, String field) {
    String value = fields.get(field);
    if (value == null) return null;
    String trimmed = value.strip();
    if (trimmed.isEmpty()) return null;
    if (trimmed.length() > limits.of(field)) {
      throw new InvalidField(field, field + " must be at most " + limits.of(field) + " characters");
    }
    if (trimmed.chars().anyMatch(c -> Character.isISOControl(c) && c != '\n' && c != '\r' && c != '\t')) {
      throw new InvalidField(field, field + " must not contain control characters");
    }
    return trimmed;
  }

  private static String nullToEmpty(String value) {
    return value == null ? "" : value;
  }
}
