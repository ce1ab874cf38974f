package io.flexoraa.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stand-in for Meta's Graph API for the AI reply benchmark (docs/benchmarks/ai-replies.md): it answers every
 * {@code POST /{version}/{phone-number-id}/messages} like the WhatsApp Cloud API — 200 with {@code contacts} and a
 * fresh {@code wamid} — and remembers when each message arrived, for whom, so the benchmark can measure from the
 * lead's webhook to the reply reaching "Meta" from outside the engine. A phone number's status ({@code GET
 * /{version}/{id}}) is always CONNECTED/GREEN.
 *
 * <p>Run: {@code java -cp load-tests/target/raw-ingest-baseline.jar io.flexoraa.load.GraphStub}. Environment (or the
 * same name as a system property in lower case with dots, e.g. {@code -Dgraph.stub.port}): {@code GRAPH_STUB_HOST}
 * (127.0.0.1), {@code GRAPH_STUB_PORT} (18089), {@code GRAPH_STUB_DELAY_MS} (0: how long each send takes, to mimic
 * Meta's own latency; the answer is delayed on a timer, no thread waits), {@code GRAPH_STUB_TOKEN} (unset: any
 * bearer token; set: any other gets Meta's 401 / code 190), {@code GRAPH_STUB_THREADS} (4).
 *
 * <p>Its own routes: {@code GET /_stub/ready}; {@code GET /_stub/stats} (JSON counts: messages, by type, refused);
 * {@code GET /_stub/messages.csv} ({@code phone_number_id,to,received_ms,type} per message, received_ms the wall
 * clock in epoch milliseconds, so it can be joined with the load generator's send times on the same machine).
 */
public final class GraphStub implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** {@code /v21.0/1234/messages} and {@code /v21.0/1234}. */
  private static final Pattern MESSAGES = Pattern.compile("^/(v\\d+\\.\\d+)/([A-Za-z0-9_.-]{1,64})/messages$");
  private static final Pattern NODE = Pattern.compile("^/(v\\d+\\.\\d+)/([A-Za-z0-9_.-]{1,64})$");

  /** One message Meta "accepted". */
  record Received(String phoneNumberId, String to, long receivedMillis, String type) {}

  private final HttpServer server;
  private final ExecutorService handlers;
  private final ScheduledExecutorService delays;
  private final long delayMillis;
  private final String expectedToken;
  private final ConcurrentLinkedQueue<Received> received = new ConcurrentLinkedQueue<>();
  private final Map<String, LongAdder> byType = new ConcurrentHashMap<>();
  private final LongAdder unauthorized = new LongAdder();
  private final LongAdder malformed = new LongAdder();
  private final AtomicLong wamids = new AtomicLong();
  private final String wamidPrefix;

  private GraphStub(String host, int port, long delayMillis, String expectedToken, int threads) throws IOException {
    this.delayMillis = delayMillis;
    this.expectedToken = expectedToken == null || expectedToken.isBlank() ? null : expectedToken;
    this.handlers = Executors.newFixedThreadPool(threads);
    this.delays = Executors.newSingleThreadScheduledExecutor();
    // a wamid is base64 of an opaque id; a per-process prefix keeps ids of two stub runs apart
    this.wamidPrefix = "HBgM" + Long.toString(ThreadLocalRandom.current().nextLong() >>> 1, 36).toUpperCase();
    this.server = HttpServer.create(new InetSocketAddress(host, port), 1024);
    server.setExecutor(handlers);
    server.createContext("/", this::handle);
  }

  public static GraphStub start(String host, int port, long delayMillis, String expectedToken, int threads)
      throws IOException {
    GraphStub stub = new GraphStub(host, port, delayMillis, expectedToken, threads);
    stub.server.start();
    return stub;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** Messages accepted so far. */
  public long messages() {
    return received.size();
  }

  @Override
  public void close() {
    server.stop(0);
    delays.shutdownNow();
    handlers.shutdownNow();
  }

  /** Every route answers through {@link #respond}, which closes the exchange; a delayed send answers later. */
  private void handle(HttpExchange exchange) throws IOException {
    try {
      String path = exchange.getRequestURI().getPath();
      String method = exchange.getRequestMethod();
      if ("GET".equals(method) && path.startsWith("/_stub/")) {
        own(exchange, path);
        return;
      }
      Matcher messages = MESSAGES.matcher(path);
      if ("POST".equals(method) && messages.matches()) {
        send(exchange, messages.group(2));
        return;
      }
      Matcher node = NODE.matcher(path);
      if ("GET".equals(method) && node.matches()) {
        ObjectNode status = JSON.createObjectNode().put("id", node.group(2)).put("status", "CONNECTED")
            .put("quality_rating", "GREEN").put("name_status", "APPROVED");
        respond(exchange, 200, status.toString());
        return;
      }
      respond(exchange, 404, error(100, "GraphMethodException", "Unsupported request: " + method + " " + path));
    } catch (IOException | RuntimeException e) {
      exchange.close();
      throw e;
    }
  }

  /** One send: Meta's answer to a WhatsApp message, after the configured delay. */
  private void send(HttpExchange exchange, String phoneNumberId) throws IOException {
    long at = System.currentTimeMillis();
    String authorization = exchange.getRequestHeaders().getFirst("Authorization");
    byte[] raw;
    try (InputStream in = exchange.getRequestBody()) {
      raw = in.readAllBytes();
    }
    if (authorization == null || !authorization.startsWith("Bearer ")
        || (expectedToken != null && !authorization.equals("Bearer " + expectedToken))) {
      unauthorized.increment();
      respond(exchange, 401, error(190, "OAuthException", "Invalid OAuth access token - Cannot parse access token"));
      return;
    }
    JsonNode body;
    try {
      body = JSON.readTree(raw);
    } catch (IOException e) {
      body = null;
    }
    String to = body == null ? "" : body.path("to").asText("");
    if (body == null || !"whatsapp".equals(body.path("messaging_product").asText()) || to.isBlank()) {
      malformed.increment();
      respond(exchange, 400, error(100, "OAuthException", "(#100) Invalid parameter"));
      return;
    }
    String type = body.path("type").asText("text");
    received.add(new Received(phoneNumberId, to, at, type));
    byType.computeIfAbsent(type, key -> new LongAdder()).increment();
    ObjectNode answer = JSON.createObjectNode().put("messaging_product", "whatsapp");
    answer.putArray("contacts").addObject().put("input", to).put("wa_id", to);
    answer.putArray("messages").addObject().put("id", nextWamid());
    if (delayMillis <= 0) {
      respond(exchange, 200, answer.toString());
      return;
    }
    // the exchange stays open until the timer answers it: no handler thread waits
    delays.schedule(() -> {
      try {
        respond(exchange, 200, answer.toString());
      } catch (IOException e) {
        exchange.close(); // the engine gave up on the request: nothing else to do
      }
    }, delayMillis, TimeUnit.MILLISECONDS);
  }

  private String nextWamid() {
    String opaque = wamidPrefix + Long.toString(wamids.incrementAndGet(), 36).toUpperCase();
    return "wamid." + Base64.getUrlEncoder().withoutPadding()
        .encodeToString(opaque.getBytes(StandardCharsets.UTF_8));
  }

  private void own(HttpExchange exchange, String path) throws IOException {
    switch (path) {
      case "/_stub/ready" -> respond(exchange, 200, "{\"ready\":true}");
      case "/_stub/stats" -> {
        ObjectNode stats = JSON.createObjectNode().put("messages", received.size())
            .put("unauthorized", unauthorized.sum()).put("malformed", malformed.sum())
            .put("delayMillis", delayMillis);
        ObjectNode types = stats.putObject("byType");
        byType.forEach((type, count) -> types.put(type, count.sum()));
        respond(exchange, 200, stats.toString());
      }
      case "/_stub/messages.csv" -> {
        StringBuilder csv = new StringBuilder("phone_number_id,to,received_ms,type\n");
        for (Received message : received) {
          csv.append(message.phoneNumberId()).append(',').append(message.to()).append(',')
              .append(message.receivedMillis()).append(',').append(message.type()).append('\n');
        }
        respond(exchange, 200, "text/csv", csv.toString());
      }
      default -> respond(exchange, 404, "{\"error\":\"no such stub route\"}");
    }
  }

  private static String error(int code, String type, String message) {
    ObjectNode body = JSON.createObjectNode();
    body.putObject("error").put("message", message).put("type", type).put("code", code)
        .put("fbtrace_id", "Stub" + Long.toString(System.nanoTime(), 36));
    return body.toString();
  }

  private static void respond(HttpExchange exchange, int status, String json) throws IOException {
    respond(exchange, status, "application/json", json);
  }

  /** Writes the answer and closes the exchange. */
  private static void respond(HttpExchange exchange, int status, String contentType, String text) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.sendResponseHeaders(status, bytes.length);
    try (exchange; OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static String setting(String env, String fallback) {
    String property = System.getProperty(env.toLowerCase().replace('_', '.'));
    if (property != null && !property.isBlank()) return property;
    String value = System.getenv(env);
    return value == null || value.isBlank() ? fallback : value;
  }

  public static void main(String[] args) throws Exception {
    // The JDK server closes a keep-alive connection after 30 s idle; a sender reusing it at that instant gets no
    // answer to a POST it has written (and rightly does not repeat it). Meta keeps connections far longer, so the
    // stub does too; read before the first HttpServer is created.
    System.setProperty("sun.net.httpserver.idleInterval",
        System.getProperty("sun.net.httpserver.idleInterval", "3600"));
    System.setProperty("sun.net.httpserver.maxIdleConnections",
        System.getProperty("sun.net.httpserver.maxIdleConnections", "10000"));
    String host = setting("GRAPH_STUB_HOST", "127.0.0.1");
    int port = Integer.parseInt(setting("GRAPH_STUB_PORT", "18089"));
    long delay = Long.parseLong(setting("GRAPH_STUB_DELAY_MS", "0"));
    int threads = Integer.parseInt(setting("GRAPH_STUB_THREADS", "4"));
    GraphStub stub = start(host, port, delay, setting("GRAPH_STUB_TOKEN", null), threads);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      System.out.println("Graph stub stopping after " + stub.messages() + " messages");
      stub.close();
    }, "graph-stub-shutdown"));
    System.out.printf("Graph stub listening on http://%s:%d (delay %d ms)%n", host, stub.port(), delay);
  }
}
