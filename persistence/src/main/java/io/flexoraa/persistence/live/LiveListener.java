package io.flexoraa.persistence.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's ear on the {@link LiveSignals#CHANNEL}: one dedicated connection (not one of the pools', which a
 * connection held for the node's life would starve) that LISTENs, waited on by a daemon thread of its own, handing
 * each signal to this node's subscribers of its tenant. Every node runs one, so a signal committed anywhere reaches
 * every node's streams without a pub-sub of our own (docs/decisions/0034-live-feed.md).
 *
 * <p>A lost connection is re-opened with backoff; every subscriber is then told {@link LiveSignal#RECONNECTED},
 * since signals committed while it was down are gone and the clients must re-read what they show.
 */
public final class LiveListener implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LiveListener.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  public static final String APPLICATION_NAME = "flexoraa-live";

  /** Opens the listener's own connection. */
  @FunctionalInterface
  public interface Connector {
    Connection open() throws SQLException;

    /**
     * Straight from the driver as {@code user}, named {@link #APPLICATION_NAME} in pg_stat_activity, with TCP
     * keep-alive so that a peer gone without a word is noticed too.
     */
    static Connector of(String jdbcUrl, String user, String password) {
      return () -> {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        properties.setProperty("password", password);
        properties.setProperty("ApplicationName", APPLICATION_NAME);
        properties.setProperty("tcpKeepAlive", "true");
        return DriverManager.getConnection(jdbcUrl, properties);
      };
    }
  }

  /**
   * {@code poll}: the longest wait for a notification before the thread looks whether it should stop;
   * {@code checkEvery}: an idle connection is checked with a query this often (a silently dropped one shows no
   * error otherwise); reconnection backs off from {@code minBackoff} to {@code maxBackoff}.
   */
  public record Settings(Duration poll, Duration checkEvery, Duration minBackoff, Duration maxBackoff) {
    /** {@code flexoraa.live.listener}. */
    public static Settings fromConfig(Config config) {
      Config listener = config.getConfig("flexoraa.live.listener");
      return new Settings(listener.getDuration("poll"), listener.getDuration("check-every"),
          listener.getDuration("reconnect-min-backoff"), listener.getDuration("reconnect-max-backoff"));
    }
  }

  private final Connector connector;
  private final Settings settings;
  private final Map<String, Set<Consumer<LiveSignal>>> subscribers = new ConcurrentHashMap<>();
  private final Thread thread;
  private volatile boolean running = true;
  private volatile boolean connected;

  public LiveListener(Connector connector, Settings settings) {
    this.connector = connector;
    this.settings = settings;
    this.thread = new Thread(this::run, "live-listener");
    thread.setDaemon(true);
  }

  public LiveListener start() {
    thread.start();
    return this;
  }

  /** Whether the connection is open and listening now. */
  public boolean connected() {
    return connected;
  }

  /**
   * {@code subscriber} gets the tenant's signals on the listener's thread, so it must not block (hand them on).
   * Closing the returned handle unsubscribes.
   */
  public AutoCloseable subscribe(String tenantId, Consumer<LiveSignal> subscriber) {
    subscribers.compute(tenantId, (key, set) -> {
      Set<Consumer<LiveSignal>> target = set == null ? new CopyOnWriteArraySet<>() : set;
      target.add(subscriber);
      return target;
    });
    return () -> subscribers.computeIfPresent(tenantId, (key, set) -> {
      set.remove(subscriber);
      return set.isEmpty() ? null : set;
    });
  }

  private void run() {
    long backoff = settings.minBackoff().toMillis();
    boolean missed = false;
    while (running) {
      try (Connection connection = connector.open()) {
        try (Statement listen = connection.createStatement()) {
          listen.execute("LISTEN " + LiveSignals.CHANNEL);
        }
        connected = true;
        backoff = settings.minBackoff().toMillis();
        if (missed) {
          log.info("Live listener connected again: clients re-read");
          subscribers.keySet().forEach(tenantId -> deliver(LiveSignal.reconnected(tenantId)));
        }
        listen(connection);
      } catch (SQLException | RuntimeException e) {
        connected = false;
        if (!running) break;
        missed = true;
        long wait = backoff / 2 + ThreadLocalRandom.current().nextLong(backoff / 2 + 1);
        log.warn("Live listener lost its connection ({}); retrying in {} ms", e.getMessage(), wait);
        sleep(wait);
        backoff = Math.min(backoff * 2, settings.maxBackoff().toMillis());
      }
    }
    connected = false;
  }

  private void listen(Connection connection) throws SQLException {
    PGConnection postgres = connection.unwrap(PGConnection.class);
    long quietSince = System.nanoTime();
    while (running) {
      PGNotification[] notifications = postgres.getNotifications((int) settings.poll().toMillis());
      if (notifications != null && notifications.length > 0) {
        quietSince = System.nanoTime();
        for (PGNotification notification : notifications) dispatch(notification.getParameter());
      } else if (System.nanoTime() - quietSince > settings.checkEvery().toNanos()) {
        try (Statement check = connection.createStatement()) {
          check.execute("SELECT 1");
        }
        quietSince = System.nanoTime();
      }
    }
  }

  /** A payload is one wire signal or an array of them ({@link LiveSignals#payloads}). */
  void dispatch(String payload) {
    try {
      JsonNode node = JSON.readTree(payload);
      if (node.isArray()) {
        for (JsonNode element : node) deliver(LiveSignal.fromWire(element));
      } else {
        deliver(LiveSignal.fromWire(node));
      }
    } catch (Exception e) {
      log.warn("Live listener ignored an unreadable payload: {}", e.getMessage());
    }
  }

  private void deliver(LiveSignal signal) {
    if (signal == null) return;
    Set<Consumer<LiveSignal>> tenant = subscribers.get(signal.tenantId());
    if (tenant == null) return;
    for (Consumer<LiveSignal> subscriber : tenant) {
      try {
        subscriber.accept(signal);
      } catch (RuntimeException e) {
        log.warn("A live subscriber failed: {}", e.toString());
      }
    }
  }

  private void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    }
  }

  /** Stops the thread (within one poll) and closes its connection. */
  @Override
  public void close() {
    running = false;
    thread.interrupt();
    try {
      thread.join(settings.poll().toMillis() + 2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
