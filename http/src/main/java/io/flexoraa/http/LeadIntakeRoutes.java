package io.flexoraa.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import io.flexoraa.engine.Digests;
import io.flexoraa.engine.ingest.LeadSubmissions;
import io.flexoraa.engine.ingest.SubmissionForm;
import io.flexoraa.engine.ingest.SubmissionForm.Form;
import io.flexoraa.engine.ingest.SubmissionForm.InvalidField;
import io.flexoraa.engine.lead.LeadModel.Verification;
import io.flexoraa.engine.limits.Admission;
import io.flexoraa.engine.limits.MessageAdmission;
import io.flexoraa.engine.tenant.Billing;
import io.flexoraa.http.CsvRecords.CsvException;
import io.flexoraa.engine.abuse.TenantActivity;
import io.flexoraa.http.Problems.InvalidInput;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;
import org.apache.pekko.http.scaladsl.model.EntityStreamSizeException;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.japi.pf.PFBuilder;
import org.apache.pekko.pattern.Patterns;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Metered lead intake (PRODUCT §2 "web forms, CRM API", §4.1 verification): one lead as JSON, or many as a CSV file.
 * Both go through {@link LeadSubmissions}, so a lead handed in here is the same lead a WhatsApp message from its
 * phone reaches, and both count one message per lead against the tenant's rate (PRODUCT §7).
 *
 * <p>{@code POST …/leads}: admitted by {@link AdmissionDirective} (429 + {@code Retry-After} over the rate),
 * idempotent on the {@code Idempotency-Key} header (a replay answers 200 with the first outcome and
 * {@code replayed: true}; without the header every request is a new submission).
 *
 * <p>{@code POST …/leads/import}: a {@code text/csv} body with a header row naming the same fields, streamed: rows are
 * parsed as the body arrives and each is admitted at the tenant's rate before it is stored — never a 429 per row, the
 * import simply takes as long as the rate allows. Each row's idempotency key is its {@code idempotency_key} column,
 * else a digest of its (normalized) content, so importing the same file again stores nothing new. The answer is a
 * JSON object streamed as the rows are done: {@code {"items": [...], "rows", "created", "existing", "repeated",
 * "rejected", "complete"}} — the items first, the counts once the last row is done. A failure after the first row
 * (body too large, a broken quote) cannot change the 200 already sent: the object then ends with
 * {@code "complete": false} and an {@code "error"} problem; every row reported before it was stored.
 */
final class LeadIntakeRoutes extends AllDirectives {
  private static final Logger log = LoggerFactory.getLogger(LeadIntakeRoutes.class);
  private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[A-Za-z0-9_.:-]{1,100}");

  /** Settings of the CSV import, from {@code flexoraa.http.lead-import}. */
  record ImportSettings(int maxRows, int maxRecordCharacters, int parallelism) {
    static ImportSettings fromConfig(Config root) {
      Config config = root.getConfig("flexoraa.http.lead-import");
      return new ImportSettings(
          config.getInt("max-rows"), config.getInt("max-record-characters"), config.getInt("parallelism"));
    }
  }

  private final ActorSystem<?> system;
  private final LeadSubmissions submissions;
  private final SubmissionForm forms;
  private final AdmissionDirective admissionDirective;
  private final MessageAdmission admission;
  private final ImportSettings settings;
  /** Refused submissions and rows count towards the tenant's failures (abuse protection). */
  private final TenantActivity.Recorder activity;

  LeadIntakeRoutes(ActorSystem<?> system, LeadSubmissions submissions, SubmissionForm forms,
      MessageAdmission admission, ImportSettings settings, TenantActivity.Recorder activity) {
    this.activity = activity;
    this.system = system;
    this.submissions = submissions;
    this.forms = forms;
    this.admission = admission;
    this.admissionDirective = new AdmissionDirective(admission);
    this.settings = settings;
  }

  Map<Endpoint, ApiRouter.Handler> handlers() {
    Map<Endpoint, ApiRouter.Handler> handlers = new EnumMap<>(Endpoint.class);
    handlers.put(Endpoint.SUBMIT_LEAD, this::submit);
    handlers.put(Endpoint.IMPORT_LEADS, this::importCsv);
    return handlers;
  }

  // ---- one lead ----

  private Route submit(ApiRouter.Call call) {
    String tenantId = call.tenant().id();
    return optionalHeaderValueByName("Idempotency-Key", key -> entity(Unmarshaller.entityToString(), raw -> {
      Form form;
      try {
        form = check(textFields(Json.object(raw)), call.tenant().defaultRegion());
      } catch (InvalidInput invalid) {
        activity.failures(tenantId, 1);
        throw invalid;
      }
      String submissionId = "api:" + key.map(value -> Json.matching("Idempotency-Key", value.trim(), IDEMPOTENCY_KEY,
          "must be 1 to 100 letters, digits or . _ : -")).orElseGet(() -> UUID.randomUUID().toString());
      LeadSubmissions.Request request =
          new LeadSubmissions.Request(submissionId, LeadSubmissions.VIA_API, call.principal().actor(), form);
      return admissionDirective.admit(tenantId, 1, () -> onSuccess(submissions.submit(tenantId, request),
          result -> complete(Json.response(result.repeated() ? StatusCodes.OK : StatusCodes.CREATED,
              Submitted.of(submissionId, result)))));
    }));
  }

  /** The body's fields by canonical name; each must be a string (or null). */
  private static Map<String, String> textFields(JsonNode body) {
    Map<String, String> fields = new LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> entries = body.fields();
    while (entries.hasNext()) {
      Map.Entry<String, JsonNode> entry = entries.next();
      String name = SubmissionForm.canonicalName(entry.getKey());
      if (!SubmissionForm.FIELDS.contains(name)) continue;
      JsonNode value = entry.getValue();
      if (value.isNull()) continue;
      if (!value.isTextual()) throw new InvalidInput(entry.getKey(), entry.getKey() + " must be a string");
      if (fields.putIfAbsent(name, value.asText()) != null) {
        throw new InvalidInput(entry.getKey(), name + " is given twice");
      }
    }
    return fields;
  }

  private Form check(Map<String, String> fields, String region) {
    try {
      return forms.check(fields, region);
    } catch (InvalidField invalid) {
      throw new InvalidInput(invalid.field(), invalid.getMessage());
    }
  }

  // ---- a CSV file ----

  private Route importCsv(ApiRouter.Call call) {
    return extractRequestEntity(entity -> {
      if (!isCsv(entity)) {
        return complete(Problems.of(StatusCodes.UNSUPPORTED_MEDIA_TYPE, "Unsupported media type",
            "the import takes Content-Type: text/csv (UTF-8) with a header row"));
      }
      Source<List<String>, ?> records = entity.getDataBytes().via(CsvRecords.flow(settings.maxRecordCharacters()));
      CompletionStage<Pair<List<List<String>>, Source<List<String>, NotUsed>>> headerAndRows =
          records.prefixAndTail(1).runWith(Sink.head(), system);
      return onComplete(headerAndRows, read -> {
        if (read.isFailure()) return complete(unreadable(read.failed().get()));
        List<List<String>> header = read.get().first();
        if (header.isEmpty()) return complete(Problems.badRequest("body", "the CSV is empty: it needs a header row"));
        List<String> columns = columns(header.get(0));
        Source<ByteString, NotUsed> report = report(call, columns, read.get().second());
        return complete(HttpResponse.create().withStatus(StatusCodes.OK)
            .withEntity(HttpEntities.createChunked(ContentTypes.APPLICATION_JSON, report)));
      });
    });
  }

  private static boolean isCsv(HttpEntity entity) {
    var contentType = entity.getContentType();
    if (!"text/csv".equalsIgnoreCase(contentType.mediaType().toString())) return false;
    return contentType.getCharsetOption().map(charset -> "UTF-8".equalsIgnoreCase(charset.value())).orElse(true);
  }

  /** The header's names, canonical; refused when it names neither phone nor email, or a field twice. */
  private static List<String> columns(List<String> header) {
    List<String> columns = header.stream().map(SubmissionForm::canonicalName).toList();
    Set<String> seen = new HashSet<>();
    for (String column : columns) {
      if ((SubmissionForm.FIELDS.contains(column) || column.equals(SubmissionForm.IDEMPOTENCY_KEY)) && !seen.add(column)) {
        throw new InvalidInput("header", "the header names " + column + " twice");
      }
    }
    if (!seen.contains(SubmissionForm.PHONE) && !seen.contains(SubmissionForm.EMAIL)) {
      throw new InvalidInput("header", "the header must name a phone or an email column (fields: "
          + String.join(", ", SubmissionForm.FIELDS) + ", idempotency_key)");
    }
    return columns;
  }

  private Source<ByteString, NotUsed> report(ApiRouter.Call call, List<String> columns, Source<List<String>, NotUsed> rows) {
    Source<ImportLine, NotUsed> lines = rows
        .zipWithIndex()
        .mapAsync(settings.parallelism(), row -> importRow(call, columns, row.second() + 1, row.first()))
        .<ImportLine>map(item -> item)
        .recover(new PFBuilder<Throwable, ImportLine>().match(Throwable.class, ImportFailure::of).build());
    return lines
        .statefulMap(ImportTally::new, (tally, line) -> Pair.create(tally, tally.render(line)),
            tally -> Optional.of(tally.closing()))
        .prepend(Source.single(ByteString.fromString("{\"items\":[")));
  }

  private CompletionStage<RowItem> importRow(ApiRouter.Call call, List<String> columns, long row, List<String> values) {
    if (row > settings.maxRows()) {
      return CompletableFuture.completedFuture(
          RowItem.rejected(row, null, "the import is limited to " + settings.maxRows() + " rows"));
    }
    if (values.size() != columns.size()) {
      activity.failures(call.tenant().id(), 1);
      return CompletableFuture.completedFuture(RowItem.rejected(row, null,
          "the row has " + values.size() + " fields; the header has " + columns.size()));
    }
    Map<String, String> fields = new LinkedHashMap<>();
    for (int i = 0; i < columns.size(); i++) fields.putIfAbsent(columns.get(i), values.get(i));
    Form form;
    try {
      form = forms.check(fields, call.tenant().defaultRegion());
    } catch (InvalidField invalid) {
      activity.failures(call.tenant().id(), 1);
      return CompletableFuture.completedFuture(RowItem.rejected(row, invalid.field(), invalid.getMessage()));
    }
    String tenantId = call.tenant().id();
    LeadSubmissions.Request request = new LeadSubmissions.Request(
        "csv:" + (form.idempotencyKey() != null ? form.idempotencyKey() : contentKey(form)),
        LeadSubmissions.VIA_CSV_IMPORT, call.principal().actor(), form);
    return admitted(tenantId)
        .thenCompose(admitted -> submissions.submit(tenantId, request))
        .handle((result, failure) -> {
          if (failure == null) return RowItem.of(row, result);
          log.warn("A CSV import row of tenant {} could not be stored: {}", tenantId, LogRedaction.describe(failure));
          return RowItem.rejected(row, null, "the row could not be stored in time; importing the file again is safe");
        });
  }

  /** Waits, as long as it takes, for the tenant's rate to admit one more lead. */
  private CompletionStage<Admission> admitted(String tenantId) {
    return admission.admit(tenantId, 1).thenCompose(answer -> answer instanceof Admission.Deferred deferred
        ? Patterns.after(deferred.retryAfter(), system, () -> admitted(tenantId))
        : CompletableFuture.completedFuture(answer));
  }

  /** The row's identity when it brings no key of its own: its normalized content, so a re-import repeats it. */
  private static String contentKey(Form form) {
    return Digests.sha256Hex(form.phone() == null ? "" : form.phone().e164(), String.valueOf(form.email()),
        String.valueOf(form.name()), String.valueOf(form.source()), String.valueOf(form.message()),
        String.valueOf(form.utm().source()), String.valueOf(form.utm().medium()),
        String.valueOf(form.utm().campaign()), String.valueOf(form.utm().term()),
        String.valueOf(form.utm().content())).substring(0, 40);
  }

  private static HttpResponse unreadable(Throwable failure) {
    ImportFailure problem = ImportFailure.of(failure);
    return Problems.of(StatusCodes.get(problem.status()), problem.title(), problem.detail(), problem.field());
  }

  // ---- what the API returns ----

  /** {@code replayed}: the Idempotency-Key was used before; this is the first outcome again, nothing was stored. */
  record Submitted(String leadId, String submissionId, boolean created, boolean replayed, VerificationBody verification) {
    static Submitted of(String submissionId, LeadSubmissions.Result result) {
      return new Submitted(result.leadId(), submissionId, result.created(), result.repeated(),
          VerificationBody.of(result.e164(), result.verification()));
    }
  }

  /** Token amounts as two-decimal strings, like every token amount of the API; the fraud score a number 0–1. */
  record VerificationBody(
      String status, String skippedReason, String e164, Boolean valid, Boolean mobileCapable, String duplicateOf,
      boolean previouslyErased, BigDecimal fraudScore, List<String> signals, String tokensDebited) {
    static VerificationBody of(String e164, Verification verification) {
      return new VerificationBody(verification.status(), verification.skippedReason(), e164,
          verification.phoneValid(), verification.phoneMobileCapable(), verification.duplicateOf(),
          verification.previouslyErased(), verification.fraudScore(), verification.signals(),
          verification.tokensDebited().setScale(Billing.SCALE, RoundingMode.UNNECESSARY).toPlainString());
    }
  }

  /** One element of the import's answer: a row's outcome, or the failure that ended the import. */
  sealed interface ImportLine {}

  /**
   * A row's outcome. {@code row} counts from 1, the first row after the header. {@code status}: created (a new
   * lead), existing (the row's lead already existed), rejected ({@code error}, and {@code field} when one is to
   * blame). {@code repeated}: this row was imported before; nothing new was stored.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record RowItem(
      long row, String status, String leadId, Boolean repeated, String field, String error, String verification,
      String skippedReason, BigDecimal fraudScore, List<String> signals, String duplicateOf) implements ImportLine {
    static final String CREATED = "created";
    static final String EXISTING = "existing";
    static final String REJECTED = "rejected";

    static RowItem rejected(long row, String field, String error) {
      return new RowItem(row, REJECTED, null, null, field, error, null, null, null, null, null);
    }

    static RowItem of(long row, LeadSubmissions.Result result) {
      Verification verification = result.verification();
      return new RowItem(row, result.created() && !result.repeated() ? CREATED : EXISTING, result.leadId(),
          result.repeated(), null, null, verification.status(), verification.skippedReason(),
          verification.fraudScore(), verification.signals().isEmpty() ? null : verification.signals(),
          verification.duplicateOf());
    }
  }

  /** What ended an import (or kept it from starting), as a problem; rows reported before it were stored. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record ImportFailure(int status, String title, String detail, String field) implements ImportLine {
    static ImportFailure of(Throwable failure) {
      Throwable cause = failure;
      while (cause.getCause() != null && cause.getCause() != cause && !(cause instanceof CsvException)
          && !(cause instanceof EntityStreamSizeException)) {
        cause = cause.getCause();
      }
      if (cause instanceof CsvException csv) return new ImportFailure(400, "Invalid request", csv.getMessage(), "body");
      if (cause instanceof EntityStreamSizeException size) {
        return new ImportFailure(413, "Payload too large", "the import is limited to " + size.limit() + " bytes", null);
      }
      log.warn("A CSV import could not be read: {}", LogRedaction.describe(failure));
      return new ImportFailure(400, "Invalid request", "the request body could not be read", "body");
    }
  }

  /** Renders the streamed answer and counts the outcomes for its closing summary. */
  private static final class ImportTally {
    private int rows;
    private int created;
    private int existing;
    private int repeated;
    private int rejected;
    private ImportFailure failure;

    ByteString render(ImportLine line) {
      if (line instanceof ImportFailure ended) {
        failure = ended;
        return ByteString.emptyByteString();
      }
      RowItem item = (RowItem) line;
      switch (item.status()) {
        case RowItem.CREATED -> created++;
        case RowItem.EXISTING -> existing++;
        default -> rejected++;
      }
      if (Boolean.TRUE.equals(item.repeated())) repeated++;
      return ByteString.fromString((rows++ == 0 ? "\n" : ",\n") + write(item));
    }

    ByteString closing() {
      Map<String, Object> summary = new LinkedHashMap<>();
      summary.put("rows", rows);
      summary.put("created", created);
      summary.put("existing", existing);
      summary.put("repeated", repeated);
      summary.put("rejected", rejected);
      summary.put("complete", failure == null);
      if (failure != null) summary.put("error", failure);
      String fields = write(summary);
      return ByteString.fromString("\n]," + fields.substring(1));
    }

    private static String write(Object value) {
      try {
        return Json.MAPPER.writeValueAsString(value);
      } catch (Exception e) {
        throw new IllegalStateException("import report not serializable", e);
      }
    }
  }
}
