package io.flexoraa.persistence.readmodel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.flexoraa.engine.lead.LeadModel;
import io.flexoraa.engine.lead.LeadModel.ConsentRecorded;
import io.flexoraa.engine.lead.LeadModel.LeadAnonymized;
import io.flexoraa.engine.lead.LeadModel.LeadCreated;
import io.flexoraa.engine.ports.PiiCipher;
import io.flexoraa.engine.ports.PiiCipher.FieldCipher;
import io.flexoraa.persistence.Jdbc;
import io.flexoraa.persistence.TenantJdbc;
import io.flexoraa.persistence.TestDatabase;
import io.flexoraa.persistence.crypto.MasterKey;
import io.flexoraa.persistence.crypto.TinkPiiCipher;
import io.flexoraa.persistence.projection.ProjectedEvents;
import io.flexoraa.persistence.readmodel.ConsentQueries.ConsentRecord;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Consent evidence read back for an audit: decrypted while the lead's key exists, still there once it does not. */
class ConsentQueriesTest {
  private static final Instant GIVEN_AT = Instant.parse("2026-03-13T18:00:00Z");
  private static final Instant RECORDED_AT = Instant.parse("2026-03-14T09:20:00Z");

  @TempDir static Path masterKeyDirectory;

  private static TestDatabase db;
  private static ExecutorService blocking;
  private static PiiCipher cipher;
  private static ConsentQueries queries;
  private static ProjectedEvents projection;

  @BeforeAll
  static void start() throws Exception {
    db = TestDatabase.open();
    blocking = Executors.newFixedThreadPool(4);
    cipher = new TinkPiiCipher(
        db.dataSource(), MasterKey.load(Optional.empty(), masterKeyDirectory).aead(), blocking, 1_000);
    queries = new ConsentQueries(new TenantJdbc(db.database().apiDataSource(), blocking), cipher);
    projection = new ProjectedEvents(db.dataSource());
  }

  @AfterAll
  static void stop() {
    blocking.shutdownNow();
    db.close();
  }

  private static <T> T await(CompletionStage<T> stage) {
    return stage.toCompletableFuture().orTimeout(30, TimeUnit.SECONDS).join();
  }

  private record LeadRef(String tenant, String lead) {}

  /** A lead with a web-form consent (IP and user agent encrypted under its key) and a STOP keyword after it. */
  private static LeadRef leadWithConsents() throws Exception {
    String tenant = "tenant-" + UUID.randomUUID();
    String lead = "lead-" + UUID.randomUUID();
    FieldCipher leadCipher = await(cipher.leadCipher(tenant, lead));
    projection.project(
        new LeadCreated(tenant, lead, "whatsapp", List.of(), null, RECORDED_AT),
        new ConsentRecorded(tenant, lead, "form-1", "whatsapp", "marketing", true, "web-form:pricing",
            leadCipher.encrypt("203.0.113.7"), leadCipher.encrypt("Mozilla/5.0"), "user:42", GIVEN_AT, RECORDED_AT),
        new ConsentRecorded(tenant, lead, "inbound:wamid.stop", "whatsapp", LeadModel.MESSAGING, false,
            "inbound-keyword:whatsapp", null, null, "lead", RECORDED_AT, RECORDED_AT.plusSeconds(60)));
    return new LeadRef(tenant, lead);
  }

  @Test
  void theEvidenceIsListedInTheOrderItWasRecordedWithIpAndUserAgentDecrypted() throws Exception {
    LeadRef lead = leadWithConsents();

    List<ConsentRecord> records = await(queries.list(lead.tenant(), lead.lead()));

    assertThat(records).containsExactly(
        new ConsentRecord("form-1", "whatsapp", "marketing", true, "web-form:pricing", "203.0.113.7", "Mozilla/5.0",
            "user:42", GIVEN_AT, RECORDED_AT),
        new ConsentRecord("inbound:wamid.stop", "whatsapp", "messaging", false, "inbound-keyword:whatsapp", null,
            null, "lead", RECORDED_AT, RECORDED_AT.plusSeconds(60)));
    assertThat(await(queries.list(lead.tenant(), "another-lead"))).isEmpty();
    assertThat(await(queries.list("another-tenant", lead.lead()))).isEmpty();
  }

  @Test
  void onceTheKeyIsShreddedTheRecordsRemainWithoutIpAndUserAgent() throws Exception {
    LeadRef lead = leadWithConsents();

    assertThat(await(cipher.shredLead(lead.tenant(), lead.lead()))).isTrue();

    List<ConsentRecord> records = await(queries.list(lead.tenant(), lead.lead()));
    assertThat(records).extracting(ConsentRecord::recordId).containsExactly("form-1", "inbound:wamid.stop");
    assertThat(records).extracting(ConsentRecord::ip).containsOnlyNulls();
    assertThat(records).extracting(ConsentRecord::userAgent).containsOnlyNulls();
    assertThat(records.get(0).granted()).isTrue();
  }

  @Test
  void anAnonymizedLeadsRecordsRemainWithoutIpAndUserAgent() throws Exception {
    LeadRef lead = leadWithConsents();

    projection.project(new LeadAnonymized(lead.tenant(), lead.lead(), "erasure-41", "user:dpo", RECORDED_AT.plusSeconds(120)));

    assertThat(await(queries.list(lead.tenant(), lead.lead())))
        .extracting(ConsentRecord::recordId, ConsentRecord::ip, ConsentRecord::userAgent)
        .containsExactly(
            tuple("form-1", null, null), tuple("inbound:wamid.stop", null, null));
  }
}
