package io.flexoraa.http;

import static io.flexoraa.http.TestEngine.OPERATOR_KEY;
import static io.flexoraa.http.TestEngine.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.StreamSupport;
import org.apache.pekko.cluster.typed.Cluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * GET /api/v1/ops/overview on a real engine: the cluster's members, every sharded entity type's shards and live
 * entities per node, the ingest counts and acknowledgement latency of webhooks just posted, backpressure, and
 * unrouted content; operator only. A second node joining shows up with its own figures.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpsOverviewTest {
  private static final AtomicLong NEXT = new AtomicLong();
  private static final String WABA = "waba-ops-1";
  private static final String PHONE_NUMBER_ID = "7001002003";

  private TestEngine engine;
  private String tenantId;

  @BeforeAll
  void start(@TempDir Path dataDirectory) {
    engine = TestEngine.start(dataDirectory);
    tenantId = engine.createTenant("Ops Realty", "IN");
    engine.createTenant("Second Realty", "IN");
    engine.registerWhatsApp(tenantId, PHONE_NUMBER_ID, WABA);
  }

  @AfterAll
  void stop() {
    if (engine != null) engine.close();
  }

  private static String sender() {
    return "91986" + String.format("%07d", NEXT.incrementAndGet() * 13 % 10_000_000);
  }

  private static String messageId() {
    return "wamid.ops." + NEXT.incrementAndGet() + "." + System.nanoTime();
  }

  private static JsonNode overview(TestEngine node) {
    HttpResponse<String> response = node.get("/api/v1/ops/overview", OPERATOR_KEY);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return json(response);
  }

  private static JsonNode shardsOf(JsonNode overview, String entity) {
    return StreamSupport.stream(overview.get("shards").spliterator(), false)
        .filter(type -> type.get("entity").asText().equals(entity)).findFirst()
        .orElseThrow(() -> new AssertionError("no shard row for " + entity + ": " + overview.get("shards")));
  }

  private static JsonNode nodeOf(JsonNode rows, String address) {
    return StreamSupport.stream(rows.spliterator(), false)
        .filter(row -> row.get("address").asText().equals(address)).findFirst()
        .orElseThrow(() -> new AssertionError("no row for " + address + ": " + rows));
  }

  private void postText(TestEngine node, String from) {
    HttpResponse<String> posted = node.postWebhook(Payloads.text(WABA, PHONE_NUMBER_ID, messageId(), from, "Hi, 2BHK?"));
    assertThat(posted.statusCode()).as(posted.body()).isEqualTo(200);
  }

  @Test
  void listsTheMemberAndItsShardsWithRealEntityCounts() {
    for (int i = 0; i < 3; i++) postText(engine, sender());
    String self = Cluster.get(engine.server.system()).selfMember().address().toString();

    JsonNode overview = overview(engine);
    assertThat(overview.get("node").asText()).isEqualTo(self);
    JsonNode members = overview.get("cluster").get("members");
    assertThat(members).hasSize(1);
    assertThat(members.get(0).get("address").asText()).isEqualTo(self);
    assertThat(members.get(0).get("status").asText()).isEqualTo("Up");
    assertThat(members.get(0).get("reachable").asBoolean()).isTrue();
    assertThat(members.get(0).get("upSince").isTextual()).isTrue();
    assertThat(overview.get("cluster").get("leader").asText()).isEqualTo(self);
    assertThat(overview.get("cluster").get("unreachable")).isEmpty();

    assertThat(overview.get("shards")).hasSize(OpsOverview.SHARDED.size());
    JsonNode leads = shardsOf(overview, "Lead");
    assertThat(leads.get("available").asBoolean()).isTrue();
    assertThat(leads.get("entities").asLong()).isGreaterThanOrEqualTo(3);
    JsonNode leadsHere = nodeOf(leads.get("nodes"), self);
    assertThat(leadsHere.get("answered").asBoolean()).isTrue();
    assertThat(leadsHere.get("entities").asLong()).isGreaterThanOrEqualTo(3);
    assertThat(leadsHere.get("shards").asLong()).isPositive();
    assertThat(shardsOf(overview, "Tenant").get("entities").asLong()).isGreaterThanOrEqualTo(2);
    assertThat(shardsOf(overview, "ChannelAccount").get("entities").asLong()).isGreaterThanOrEqualTo(1);

    JsonNode backpressure = overview.get("backpressure");
    assertThat(backpressure.get("mode").asText()).isEqualTo("normal");
    assertThat(nodeOf(backpressure.get("nodes"), self).get("depth").asLong()).isGreaterThanOrEqualTo(0);
  }

  @Test
  void ingestCountsAndAckLatencyReflectTheWebhooksJustPosted() {
    String self = Cluster.get(engine.server.system()).selfMember().address().toString();
    JsonNode before = overview(engine).get("ingest");
    long webhooksBefore = before.get("cluster").get("webhooks").get("lastMinute").asLong();
    long messagesBefore = before.get("cluster").get("leadMessages").get("lastMinute").asLong();
    long samplesBefore = before.get("cluster").get("ackLatencyMs").get("samples").asLong();

    String from = sender();
    for (int i = 0; i < 4; i++) postText(engine, from);
    // two messages in one webhook: one POST, two lead messages
    postTwoInOne(engine, sender());

    JsonNode ingest = overview(engine).get("ingest");
    JsonNode cluster = ingest.get("cluster");
    assertThat(cluster.get("webhooks").get("lastMinute").asLong()).isEqualTo(webhooksBefore + 5);
    assertThat(cluster.get("leadMessages").get("lastMinute").asLong()).isEqualTo(messagesBefore + 6);
    assertThat(cluster.get("webhooks").get("lastFiveMinutes").asLong()).isGreaterThanOrEqualTo(webhooksBefore + 5);
    assertThat(cluster.get("webhooks").get("perSecond1m").asDouble())
        .isEqualTo(cluster.get("webhooks").get("lastMinute").asLong() / 60.0);
    JsonNode latency = cluster.get("ackLatencyMs");
    assertThat(latency.get("samples").asLong()).isEqualTo(samplesBefore + 5);
    assertThat(latency.get("p50").asDouble()).isPositive();
    assertThat(latency.get("p90").asDouble()).isGreaterThanOrEqualTo(latency.get("p50").asDouble());
    assertThat(latency.get("p99").asDouble()).isGreaterThanOrEqualTo(latency.get("p90").asDouble());
    JsonNode node = nodeOf(ingest.get("nodes"), self);
    assertThat(node.get("available").asBoolean()).isTrue();
    assertThat(node.get("webhooks").get("lastMinute").asLong()).isEqualTo(cluster.get("webhooks").get("lastMinute").asLong());
  }

  private void postTwoInOne(TestEngine node, String from) {
    String body = Payloads.texts(WABA, PHONE_NUMBER_ID, List.of(
        new Payloads.Text(messageId(), from, "Ravi", "Hello", 1_760_000_000L),
        new Payloads.Text(messageId(), from, "Ravi", "Budget 80 lakh", 1_760_000_001L)));
    assertThat(node.postWebhook(body).statusCode()).isEqualTo(200);
  }

  @Test
  void countsAndListsUnroutedContent() {
    long before = overview(engine).get("unrouted").get("count").asLong();
    HttpResponse<String> posted = engine.postWebhook(Payloads.text("waba-nobody", "5550009998", messageId(), sender(), "?"));
    assertThat(posted.statusCode()).isEqualTo(200);

    JsonNode unrouted = overview(engine).get("unrouted");
    assertThat(unrouted.get("count").asLong()).isEqualTo(before + 1);
    JsonNode newest = unrouted.get("newest").get(0);
    assertThat(newest.get("reason").asText()).contains("unknown WhatsApp phone-number id");
    assertThat(newest.get("accountRef").asText()).contains("5550009998");
    assertThat(newest.has("payload")).as("the payload stays behind GET /ops/unrouted").isFalse();
  }

  @Test
  void onlyTheOperatorMaySeeIt() {
    assertThat(engine.get("/api/v1/ops/overview", null).statusCode()).isEqualTo(401);
    HttpResponse<String> wrongKey = engine.get("/api/v1/ops/overview", "op_not_the_key");
    assertThat(wrongKey.statusCode()).isEqualTo(401);
    assertThat(wrongKey.headers().firstValue("Content-Type").orElse("")).contains("problem+json");
    HttpResponse<String> tenantKey = engine.get("/api/v1/ops/overview", engine.createApiKey(tenantId, "Admin"));
    assertThat(tenantKey.statusCode()).isEqualTo(403);
    assertThat(json(tenantKey).get("detail").asText()).contains("operator");
    String password = "ops overview test password";
    engine.createUser(tenantId, "devops@ops.example", "DevOps", password);
    assertThat(engine.get("/api/v1/ops/overview", engine.signIn("devops@ops.example", password)).statusCode())
        .isEqualTo(403);
  }

  @Test
  void aSecondNodeIsListedWithItsOwnFigures() {
    try (TestEngine second = TestEngine.join(engine, Map.of())) {
      String first = Cluster.get(engine.server.system()).selfMember().address().toString();
      String joined = Cluster.get(second.server.system()).selfMember().address().toString();
      List<JsonNode> seen = new ArrayList<>();
      TestEngine.eventually(() -> {
        JsonNode overview = overview(engine);
        seen.add(0, overview);
        return StreamSupport.stream(overview.get("cluster").get("members").spliterator(), false)
                .filter(member -> member.get("status").asText().equals("Up")).count() == 2
            && StreamSupport.stream(overview.get("ingest").get("nodes").spliterator(), false)
                .filter(node -> node.get("available").asBoolean()).count() == 2;
      }, "both members up and answering");
      postText(second, sender());

      JsonNode overview = overview(engine);
      JsonNode ofSecond = nodeOf(overview.get("ingest").get("nodes"), joined);
      assertThat(ofSecond.get("webhooks").get("lastMinute").asLong()).isEqualTo(1);
      long firstCount = nodeOf(overview.get("ingest").get("nodes"), first).get("webhooks").get("lastMinute").asLong();
      assertThat(overview.get("ingest").get("cluster").get("webhooks").get("lastMinute").asLong())
          .isEqualTo(firstCount + 1);
      assertThat(nodeOf(overview.get("backpressure").get("nodes"), joined).get("available").asBoolean()).isTrue();
      JsonNode leadRows = shardsOf(overview, "Lead").get("nodes");
      assertThat(nodeOf(leadRows, first).get("answered").asBoolean()).isTrue();
      assertThat(nodeOf(leadRows, joined).get("answered").asBoolean()).isTrue();
      assertThat(nodeOf(overview.get("cluster").get("members"), joined).get("upSince").isTextual()).isTrue();
    }
  }
}
