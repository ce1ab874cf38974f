package io.flexoraa.http;

import com.typesafe.config.ConfigFactory;
import java.time.Clock;
import kamon.Kamon;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * {@code java -jar flexoraa-engine.jar}: one engine node, configured by environment variables (see README).
 *
 * <p>SIGTERM and SIGINT are handled here rather than by JVM shutdown hooks, because hooks run concurrently: the
 * embedded PostgreSQL's own hook would stop the database while shards are still handing off. Here the order is
 * fixed: readiness drops, HTTP unbinds and drains, entities stop, the database closes, then the process exits.
 */
public final class Main {
  private static final Logger log = LoggerFactory.getLogger(Main.class);

  private Main() {}

  public static void main(String[] args) {
    // Kamon must instrument Pekko before any Pekko class loads
    Kamon.init();
    EngineServer server;
    try {
      server = EngineServer.start(ConfigFactory.load(), Clock.systemUTC());
    } catch (RuntimeException e) {
      log.error("{}", e.getMessage(), e);
      System.exit(1);
      return;
    }
    Runnable stop = () -> {
      log.info("Stopping: finishing in-flight requests and handing off shards");
      server.close();
      Kamon.stop();
      System.exit(0);
    };
    Signal.handle(new Signal("TERM"), signal -> new Thread(stop, "flexoraa-shutdown").start());
    Signal.handle(new Signal("INT"), signal -> new Thread(stop, "flexoraa-shutdown").start());
  }
}
