package io.flexoraa.http;

import static io.flexoraa.http.TestEngine.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code PUT /api/v1/tenants/{t}/channel-accounts/{channel}/{id}/credentials} on a real node: the token is stored
 * encrypted (the column never holds it), audited without it, never returned or logged; unknown accounts and other
 * tenants' accounts are 404, bad bodies 400, roles without channel-account write 403.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChannelCredentialsApiTest {
  private static final AtomicInteger IDS = new AtomicInteger();

  private CapturedLogs logs;
  private TestEngine engine;
  private String tenantId;
  private String admin;

  @BeforeAll
  void start(@TempDir Path dataDirectory) {
    logs = CapturedLogs.attach();
    engine = TestEngine.start(dataDirectory);
    tenantId = engine.createTenant("Token Realty", "IN");
    admin = engine.createApiKey(tenantId, "Admin");
  }

  @AfterAll
  void stop() {
    try {
      if (engine != null) engine.close();
    } finally {
      logs.close();
    }
  }

  @Test
  void aStoredTokenIsEncryptedAuditedWithoutItAndNeverShown() throws Exception {
    String account = whatsAppAccount(tenantId);
    String token = "EAAGsecretTokenNumber" + IDS.incrementAndGet() + "ZZqq";

    HttpResponse<String> stored = put(tenantId, "whatsapp", account, "{\"accessToken\":\"" + token + "\"}", admin);

    assertThat(stored.statusCode()).as(stored.body()).isEqualTo(204);
    assertThat(stored.body()).isEmpty();
    assertThat(engine.count("SELECT count(*) FROM channel_credentials WHERE tenant_id = ? AND external_id = ?",
        tenantId, account)).isEqualTo(1);
    assertThat(engine.count("SELECT count(*) FROM channel_credentials WHERE strpos(token_enc, ?) > 0",
        token.substring(4, 20))).as("the token in the column").isZero();
    assertThat(engine.server.channelCredentials().accessToken(tenantId, "whatsapp", account)
        .toCompletableFuture().get(10, TimeUnit.SECONDS)).isEqualTo(Optional.of(token));

    JsonNode audit = json(engine.get("/api/v1/tenants/" + tenantId + "/audit?action="
        + "channel-account.credentials-stored", admin));
    assertThat(audit.path("items")).anySatisfy(entry -> {
      assertThat(entry.path("subject").asText()).isEqualTo("whatsapp:" + account);
      assertThat(entry.path("actor").asText()).isNotBlank();
    });
    String listed = engine.get("/api/v1/tenants/" + tenantId + "/channel-accounts", admin).body();
    for (String place : List.of(audit.toString(), listed)) assertThat(place).doesNotContain(token.substring(4, 20));

    logs.awaitPekkoLogs(engine.server.system());
    assertThat(logs.mentioning(token.substring(4, 20))).isEmpty();
  }

  @Test
  void aTokenGivenAtRegistrationIsStoredToo() throws Exception {
    String account = "10654035" + (100_000 + IDS.incrementAndGet());
    HttpResponse<String> registered = engine.post("/api/v1/tenants/" + tenantId + "/channel-accounts", admin,
        "{\"channel\":\"messenger\",\"externalId\":\"" + account + "\",\"displayName\":\"Page\","
            + "\"verifyToken\":\"vt-" + account + "\",\"accessToken\":\"EAAGpageToken" + account + "\"}");

    assertThat(registered.statusCode()).as(registered.body()).isEqualTo(201);
    assertThat(registered.body()).doesNotContain("EAAGpageToken");
    assertThat(engine.server.channelCredentials().accessToken(tenantId, "messenger", account)
        .toCompletableFuture().get(10, TimeUnit.SECONDS)).contains("EAAGpageToken" + account);
  }

  @Test
  void aTokenWithSpacesAtRegistrationRegistersNothing() {
    String account = "10654035" + (100_000 + IDS.incrementAndGet());
    HttpResponse<String> refused = engine.post("/api/v1/tenants/" + tenantId + "/channel-accounts", admin,
        "{\"channel\":\"messenger\",\"externalId\":\"" + account + "\",\"displayName\":\"Page\","
            + "\"verifyToken\":\"vt\",\"accessToken\":\"two words\"}");
    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(engine.count("SELECT count(*) FROM channel_accounts WHERE external_id = ?", account)).isZero();
  }

  @Test
  void anAccountNotRegisteredToTheTenantIs404() {
    String otherTenant = engine.createTenant("Other Realty", "IN");
    String othersAccount = whatsAppAccount(otherTenant);

    for (HttpResponse<String> response : List.of(
        put(tenantId, "whatsapp", othersAccount, "{\"accessToken\":\"EAAGstolen\"}", admin),
        put(tenantId, "whatsapp", "199999999999999", "{\"accessToken\":\"EAAGnobody\"}", admin),
        put(tenantId, "telegram", othersAccount, "{\"accessToken\":\"EAAGnobody\"}", admin),
        put(tenantId, "instagram", othersAccount, "{\"accessToken\":\"EAAGwrongchannel\"}", admin))) {
      assertThat(response.statusCode()).as(response.body()).isEqualTo(404);
      assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
    }
    assertThat(engine.count("SELECT count(*) FROM channel_credentials WHERE external_id = ?", othersAccount)).isZero();
  }

  @Test
  void aBadBodyIs400WithoutQuotingIt() {
    String account = whatsAppAccount(tenantId);
    for (String body : List.of("{}", "{\"accessToken\":\"\"}", "{\"accessToken\":42}", "not json",
        "{\"accessToken\":\"EAAG with spaces in it\"}", "{\"accessToken\":\"" + "A".repeat(4097) + "\"}")) {
      HttpResponse<String> response = put(tenantId, "whatsapp", account, body, admin);
      assertThat(response.statusCode()).as(body).isEqualTo(400);
      assertThat(response.body()).doesNotContain("with spaces");
    }
    assertThat(engine.count("SELECT count(*) FROM channel_credentials WHERE external_id = ?", account)).isZero();
  }

  @Test
  void rolesWithoutChannelAccountWriteAndOtherTenantsAre403() {
    String account = whatsAppAccount(tenantId);
    String otherTenant = engine.createTenant("Nosy Realty", "IN");
    for (String key : List.of(engine.createApiKey(tenantId, "Manager"), engine.createApiKey(tenantId, "SDR"),
        engine.createApiKey(otherTenant, "Admin"))) {
      assertThat(put(tenantId, "whatsapp", account, "{\"accessToken\":\"EAAGnotyours\"}", key).statusCode())
          .isEqualTo(403);
    }
    assertThat(put(tenantId, "whatsapp", account, "{\"accessToken\":\"EAAGnotyours\"}", null).statusCode())
        .isEqualTo(401);
    assertThat(engine.count("SELECT count(*) FROM channel_credentials WHERE external_id = ?", account)).isZero();
  }

  private String whatsAppAccount(String tenant) {
    String phoneNumberId = "10654035" + (200_000 + IDS.incrementAndGet());
    engine.registerWhatsApp(tenant, phoneNumberId, "1002000000" + IDS.incrementAndGet());
    return phoneNumberId;
  }

  private HttpResponse<String> put(String tenant, String channel, String account, String body, String key) {
    return engine.request("PUT",
        "/api/v1/tenants/" + tenant + "/channel-accounts/" + channel + "/" + account + "/credentials", key, body);
  }
}
