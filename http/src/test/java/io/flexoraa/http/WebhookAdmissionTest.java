package io.flexoraa.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The in-flight budget gives every slot back, whatever the outcome of the webhook that held it. */
class WebhookAdmissionTest {

  @Test
  void aSingleSlotServesWebhookAfterWebhook(@TempDir Path dataDirectory) {
    try (TestEngine engine = TestEngine.start(dataDirectory, Map.of("flexoraa.http.webhook-max-in-flight", 1))) {
      String tenantId = engine.createTenant("Admission", "IN");
      engine.registerWhatsApp(tenantId, "830000000000001", "730000000000001");
      for (int i = 0; i < 5; i++) {
        assertThat(engine.postWebhook(
            Payloads.text("730000000000001", "830000000000001", "wamid.admit." + i, "919844444444", "m" + i))
            .statusCode()).isEqualTo(200);
        // refused and unroutable webhooks must give their slot back too
        byte[] forged = "{}".getBytes(StandardCharsets.UTF_8);
        assertThat(engine.postWebhook(forged, "sha256=00").statusCode()).isEqualTo(401);
        assertThat(engine.postWebhook(Payloads.text("1", "555", "wamid.lost." + i, "919855555555", "x")).statusCode())
            .isEqualTo(200);
      }
    }
  }
}
