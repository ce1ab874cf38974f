package io.flexoraa.http;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Server-Sent Events client for tests: java.net.http reading the response line by line on a thread of its own,
 * collecting each event (id, event, data) as it is completed by its blank line. Heartbeats count as lines.
 */
final class SseStream implements AutoCloseable {
  record Event(String id, String type, String data) {}

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  final int status;
  private final InputStream body;
  private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
  private final AtomicInteger lines = new AtomicInteger();
  private final Thread reader;

  private SseStream(int status, InputStream body) {
    this.status = status;
    this.body = body;
    this.reader = new Thread(this::read, "sse-reader");
    reader.setDaemon(true);
    reader.start();
  }

  static SseStream open(String url, String token, String lastEventId) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
        .header("Authorization", "Bearer " + token).header("Accept", "text/event-stream").GET();
    if (lastEventId != null) request.header("Last-Event-ID", lastEventId);
    try {
      HttpResponse<InputStream> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
      return new SseStream(response.statusCode(), response.body());
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Waits until the server has sent something (a heartbeat at least): the stream is subscribed by then. */
  SseStream awaitOpen() {
    TestEngine.eventually(() -> lines.get() > 0, "the stream's first line");
    return this;
  }

  Event next() {
    try {
      Event event = events.poll(15, TimeUnit.SECONDS);
      if (event == null) throw new AssertionError("no event within 15 s");
      return event;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The next event within {@code wait}, or null. */
  Event poll(Duration wait) throws InterruptedException {
    return events.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void read() {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
      String id = null;
      String type = null;
      StringBuilder data = null;
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        lines.incrementAndGet();
        if (line.isEmpty()) {
          // a heartbeat has no id and no data
          if (data != null && (id != null || data.length() > 0)) events.add(new Event(id, type, data.toString()));
          id = null;
          type = null;
          data = null;
        } else if (line.startsWith("id:")) {
          id = line.substring(3).trim();
        } else if (line.startsWith("event:")) {
          type = line.substring(6).trim();
        } else if (line.startsWith("data:")) {
          data = (data == null ? new StringBuilder() : data.append('\n')).append(line.substring(5).trim());
        }
      }
    } catch (IOException closed) {
      // the test closed the stream
    }
  }

  @Override
  public void close() {
    try {
      body.close();
    } catch (IOException ignored) {
      // already closed
    }
    reader.interrupt();
  }
}
