package io.flexoraa.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;

/**
 * Meta's Graph API for tests that send on WhatsApp: a WireMock server answering every send to a number as the
 * Cloud API does (the recipient echoed, a fresh {@code wamid}), and how to find the lead a number wrote as.
 */
final class GraphStub {
  private GraphStub() {}

  /** A started server accepting sends from {@code phoneNumberId} at {@code /<version>/<phoneNumberId>/messages}. */
  static WireMockServer whatsApp(String version, String phoneNumberId) {
    WireMockServer graph = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort().templatingEnabled(true));
    graph.start();
    graph.stubFor(post(urlPathEqualTo("/" + version + "/" + phoneNumberId + "/messages"))
        .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
            .withTransformers("response-template")
            .withBody("{\"messaging_product\":\"whatsapp\",\"contacts\":[{\"input\":\"{{jsonPath request.body '$.to'}}\","
                + "\"wa_id\":\"{{jsonPath request.body '$.to'}}\"}],\"messages\":[{\"id\":\"wamid.{{randomValue length=20"
                + " type='ALPHANUMERIC'}}\"}]}")));
    return graph;
  }

  /** The id of the lead WhatsApp number {@code waId} wrote as, once the leads read model has it. */
  static String leadOf(TestEngine engine, String tenantId, String key, String waId) {
    String[] lead = new String[1];
    TestEngine.eventually(() -> {
      JsonNode page = TestEngine.json(engine.get("/api/v1/tenants/" + tenantId + "/leads?phone=%2B" + waId, key));
      lead[0] = page.path("items").size() == 1 ? page.path("items").get(0).path("id").asText() : null;
      return lead[0] != null;
    }, "the lead of " + waId);
    return lead[0];
  }
}
