package io.flexoraa.http;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.AppenderBase;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.event.Logging;
import org.slf4j.LoggerFactory;

/**
 * Every event logged anywhere in the JVM while attached to the root logger, at the levels logback.xml sets (what
 * production would write). Each event is frozen when it is logged: its MDC belongs to the logging thread and is
 * gone a moment later.
 */
final class CapturedLogs extends AppenderBase<ILoggingEvent> implements AutoCloseable {
  private final Queue<ILoggingEvent> events = new ConcurrentLinkedQueue<>();
  private final Logger root;

  private CapturedLogs(Logger root) {
    this.root = root;
  }

  static CapturedLogs attach() {
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    CapturedLogs captured = new CapturedLogs(root);
    captured.setContext((LoggerContext) LoggerFactory.getILoggerFactory());
    captured.setName("captured-for-test");
    captured.start();
    root.addAppender(captured);
    return captured;
  }

  @Override
  protected void append(ILoggingEvent event) {
    event.prepareForDeferredProcessing();
    events.add(event);
  }

  List<ILoggingEvent> events() {
    return List.copyOf(events);
  }

  /** Everything of an event that an encoder could write: message, arguments, MDC, key-values, exceptions. */
  static String everythingIn(ILoggingEvent event) {
    StringBuilder text = new StringBuilder(event.getLoggerName()).append(' ').append(event.getFormattedMessage());
    if (event.getArgumentArray() != null) text.append(' ').append(Arrays.deepToString(event.getArgumentArray()));
    for (Map.Entry<String, String> entry : event.getMDCPropertyMap().entrySet()) {
      text.append(' ').append(entry.getKey()).append('=').append(entry.getValue());
    }
    if (event.getKeyValuePairs() != null) text.append(' ').append(event.getKeyValuePairs());
    for (IThrowableProxy failure = event.getThrowableProxy(); failure != null; failure = failure.getCause()) {
      text.append(' ').append(failure.getClassName()).append(": ").append(failure.getMessage());
      for (IThrowableProxy suppressed : failure.getSuppressed()) {
        text.append(' ').append(suppressed.getClassName()).append(": ").append(suppressed.getMessage());
      }
    }
    return text.toString();
  }

  /** The events that mention {@code value} anywhere, rendered for the failure message. */
  List<String> mentioning(String value) {
    return events.stream().map(CapturedLogs::everythingIn).filter(text -> text.contains(value)).toList();
  }

  /**
   * Pekko's own log events travel through an actor to SLF4J; a marker sent the same way and seen here means every
   * Pekko event logged before it has been seen too.
   */
  void awaitPekkoLogs(ActorSystem<?> system) {
    String marker = "captured-logs-marker-" + UUID.randomUUID();
    Logging.getLogger(system.classicSystem(), CapturedLogs.class).info(marker);
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (events.stream().noneMatch(event -> event.getFormattedMessage().contains(marker))) {
      if (System.nanoTime() > deadline) throw new AssertionError("Pekko's log events did not arrive");
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  @Override
  public void close() {
    root.detachAppender(this);
    stop();
  }
}
