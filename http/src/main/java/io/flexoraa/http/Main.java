package io.flexoraa.http;

import com.typesafe.config.ConfigFactory;
import java.time.Clock;
import java.util.Optional;
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

  static final String COMMON_POOL_PARALLELISM = "java.util.concurrent.ForkJoinPool.common.parallelism";

  private Main() {}

  /** Empty when logback.xml has a format of that name: text (also when unset) or json. */
  static Optional<String> logFormatProblem(String format) {
    if (format == null || format.equals("text") || format.equals("json")) return Optional.empty();
    return Optional.of("FLEXORAA_LOG_FORMAT must be text or json (it is \"" + format + "\"); not starting without logs");
  }

  public static void main(String[] args) {
    // logback.xml includes the file named by FLEXORAA_LOG_FORMAT; with any other value it has no appender and the
    // node would run without a single log line, so it does not run
    Optional<String> logFormatProblem = logFormatProblem(System.getenv("FLEXORAA_LOG_FORMAT"));
    if (logFormatProblem.isPresent()) {
      System.err.println(logFormatProblem.get());
      System.exit(2);
      return;
    }
    // Pekko's CompletionStages (Scala FutureConverters) run callbacks on CompletableFuture's default executor. With
    // fewer than 3 cores the JDK sizes the common pool to 1 and then starts a new thread per callback instead;
    // this must be set before anything touches ForkJoinPool.
    if (System.getProperty(COMMON_POOL_PARALLELISM) == null) {
      System.setProperty(COMMON_POOL_PARALLELISM, String.valueOf(Math.max(4, Runtime.getRuntime().availableProcessors())));
    }
    // Kamon must instrument Pekko before any Pekko class loads. FLEXORAA_INSTRUMENTATION=off keeps the engine's own
    // metrics at /metrics but attaches no bytecode instrumentation (no automatic HTTP, actor or executor metrics).
    if ("off".equalsIgnoreCase(System.getenv("FLEXORAA_INSTRUMENTATION"))) {
      Kamon.initWithoutAttaching();
    } else {
      Kamon.init();
    }
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
