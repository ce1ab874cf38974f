package io.flexoraa.http;

import static io.flexoraa.http.TestEngine.eventually;
import static io.flexoraa.http.TestEngine.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The monthly renewal on a real node: a sweep in a new month credits every tenant in the journal its plan's tokens
 * once, starting the new period; a second sweep (another node, or a restart) credits nothing more.
 */
class RenewalScheduleTest {

  @Test
  void aNewMonthCreditsEveryTenantItsPlanOnceHoweverOftenItIsSwept(@TempDir Path dataDirectory) throws Exception {
    try (TestEngine engine = TestEngine.start(dataDirectory)) {
      String first = engine.createTenant("Renew One", "IN");
      String second = engine.createTenant("Renew Two", "AE");
      String key = engine.createApiKey(first, "Admin");
      JsonNode before = json(engine.get("/api/v1/tenants/" + first + "/tokens", key));
      LocalDate thisMonth = LocalDate.now(ZoneOffset.UTC).withDayOfMonth(1);
      assertThat(before.get("periodStart").asText()).isEqualTo(thisMonth.toString());
      assertThat(before.get("balance").asText()).isEqualTo("750.00");

      LocalDate nextMonth = thisMonth.plusMonths(1);
      Clock inNextMonth = Clock.fixed(nextMonth.atStartOfDay(ZoneOffset.UTC).toInstant().plusSeconds(3600),
          ZoneOffset.UTC);
      RenewalSchedule schedule = new RenewalSchedule(engine.server.system(), inNextMonth, Duration.ofSeconds(5));
      RenewalSchedule.Report report = schedule.sweep().toCompletableFuture().get(30, TimeUnit.SECONDS);
      assertThat(report).isEqualTo(new RenewalSchedule.Report(nextMonth, 2, 0, 0));

      JsonNode after = json(engine.get("/api/v1/tenants/" + first + "/tokens", key));
      assertThat(after.get("periodStart").asText()).isEqualTo(nextMonth.toString());
      assertThat(after.get("balance").asText()).isEqualTo("1500.00");
      assertThat(after.get("periodCredit").asText()).isEqualTo("1500.00");

      RenewalSchedule otherNode = new RenewalSchedule(engine.server.system(), inNextMonth, Duration.ofSeconds(5));
      assertThat(otherNode.sweep().toCompletableFuture().get(30, TimeUnit.SECONDS))
          .isEqualTo(new RenewalSchedule.Report(nextMonth, 0, 2, 0));
      assertThat(json(engine.get("/api/v1/tenants/" + first + "/tokens", key)).get("balance").asText())
          .isEqualTo("1500.00");
      eventually(() -> json(engine.get("/api/v1/tenants/" + first + "/tokens/ledger", key)).path("items").toString()
          .contains("renewal:" + nextMonth), "the renewal in the ledger");
      assertThat(second).isNotEqualTo(first);
    }
  }
}
