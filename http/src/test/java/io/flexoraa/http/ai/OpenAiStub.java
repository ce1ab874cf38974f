package io.flexoraa.http.ai;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.HashMap;
import java.util.Map;

/**
 * A local stand-in for OpenAI's API (WireMock over real HTTP) speaking Chat Completions and Embeddings as the SDK
 * expects them, with the usage figures the cost log is checked against.
 */
public final class OpenAiStub implements AutoCloseable {
  public static final String CHAT = "/v1/chat/completions";
  public static final String EMBEDDINGS = "/v1/embeddings";
  public static final String API_KEY = "sk-test-flexoraa";
  private static final ObjectMapper JSON = new ObjectMapper();

  public final WireMockServer server;

  public OpenAiStub() {
    server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    server.start();
  }

  /** The base URL the SDK is pointed at (OPENAI_BASE_URL). */
  public String baseUrl() {
    return server.baseUrl() + "/v1";
  }

  /** Settings pointing the provider at this stub, over the defaults; {@code overrides} are full config paths. */
  public Config config(Map<String, Object> overrides) {
    Map<String, Object> settings = new HashMap<>(engineOverrides());
    settings.putAll(overrides);
    return ConfigFactory.parseMap(settings).withFallback(ConfigFactory.load()).resolve();
  }

  /** What a TestEngine needs to use this stub. */
  public Map<String, Object> engineOverrides() {
    return Map.of("flexoraa.ai.openai.api-key", API_KEY, "flexoraa.ai.openai.base-url", baseUrl());
  }

  public void reset() {
    server.resetAll();
  }

  /** Every chat call answers {@code response}. */
  public void answerChat(ResponseDefinitionBuilder response) {
    server.stubFor(post(urlEqualTo(CHAT)).willReturn(response));
  }

  /** The first chat call gets {@code first}, every later one {@code then}. */
  public void answerChatInTurn(ResponseDefinitionBuilder first, ResponseDefinitionBuilder then) {
    server.stubFor(post(urlEqualTo(CHAT)).inScenario("in turn").whenScenarioStateIs(Scenario.STARTED)
        .willReturn(first).willSetStateTo("answered once"));
    server.stubFor(post(urlEqualTo(CHAT)).inScenario("in turn").whenScenarioStateIs("answered once").willReturn(then));
  }

  public int chatCalls() {
    return server.countRequestsMatching(postRequestedFor(urlEqualTo(CHAT)).build()).getCount();
  }

  /** A 200 Chat Completions answer whose message is {@code content}, with the usage OpenAI would count. */
  public static ResponseDefinitionBuilder completion(String content, int promptTokens, int completionTokens) {
    ObjectNode body = JSON.createObjectNode();
    body.put("id", "chatcmpl-test");
    body.put("object", "chat.completion");
    body.put("created", 1_763_700_000L);
    body.put("model", "gpt-4o-mini-2024-07-18");
    ArrayNode choices = body.putArray("choices");
    ObjectNode choice = choices.addObject();
    choice.put("index", 0);
    ObjectNode message = choice.putObject("message");
    message.put("role", "assistant");
    message.put("content", content);
    message.putNull("refusal");
    choice.putNull("logprobs");
    choice.put("finish_reason", "stop");
    ObjectNode usage = body.putObject("usage");
    usage.put("prompt_tokens", promptTokens);
    usage.put("completion_tokens", completionTokens);
    usage.put("total_tokens", promptTokens + completionTokens);
    return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body.toString());
  }

  /** OpenAI's error answer; {@code retry-after-ms} keeps the SDK's backoff short. */
  public static ResponseDefinitionBuilder serverError() {
    return aResponse().withStatus(500).withHeader("Content-Type", "application/json").withHeader("retry-after-ms", "10")
        .withBody("{\"error\":{\"message\":\"The server had an error\",\"type\":\"server_error\",\"param\":null,\"code\":null}}");
  }

  /** A 200 Embeddings answer holding {@code vector}. */
  public static ResponseDefinitionBuilder embedding(int promptTokens, float... vector) {
    ObjectNode body = JSON.createObjectNode();
    body.put("object", "list");
    ObjectNode item = body.putArray("data").addObject();
    item.put("object", "embedding");
    item.put("index", 0);
    ArrayNode values = item.putArray("embedding");
    for (float value : vector) values.add(value);
    body.put("model", "text-embedding-3-small");
    ObjectNode usage = body.putObject("usage");
    usage.put("prompt_tokens", promptTokens);
    usage.put("total_tokens", promptTokens);
    return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body.toString());
  }

  @Override
  public void close() {
    server.stop();
  }
}
