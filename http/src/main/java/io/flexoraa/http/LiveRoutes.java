package io.flexoraa.http;

import com.typesafe.config.Config;
import io.flexoraa.persistence.live.LiveListener;
import io.flexoraa.persistence.live.LiveSignal;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.NotUsed;
import org.apache.pekko.http.javadsl.marshalling.sse.EventStreamMarshalling;
import org.apache.pekko.http.javadsl.model.sse.ServerSentEvent;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.QueueOfferResult;
import org.apache.pekko.stream.javadsl.Source;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/v1/tenants/{tenant}/live} (decision 34): the tenant's live signals as Server-Sent Events,
 * {@code event: <type>} and {@code data: <ids as JSON>}, from this node's {@link LiveListener}.
 *
 * <p>Each stream holds at most {@code buffer} signals for its client. One that reads slower than signals come is
 * sent {@code event: overflow} and the stream ends, its backlog dropped: the browser reconnects and re-reads, which
 * costs less than memory without bound on the server. Streams also end after {@code stream-max-age}, so a signed-out
 * user stops receiving and long connections spread over the nodes again.
 */
final class LiveRoutes extends AllDirectives {
  private static final Logger log = LoggerFactory.getLogger(LiveRoutes.class);
  static final String OVERFLOW = "overflow";

  /** {@code flexoraa.live}. */
  record Settings(Duration heartbeat, int buffer, Duration streamMaxAge) {
    static Settings fromConfig(Config config) {
      Config live = config.getConfig("flexoraa.live");
      return new Settings(live.getDuration("heartbeat"), live.getInt("buffer"), live.getDuration("stream-max-age"));
    }
  }

  /** Fails a stream's queue so its backlog goes at once; recovered into the one overflow event. */
  private static final class Overflow extends RuntimeException {
    Overflow() {
      super("the client fell behind", null, false, false);
    }
  }

  private final LiveListener listener;
  private final Settings settings;
  private final EdgeMetrics metrics;
  private final AtomicInteger open = new AtomicInteger();

  LiveRoutes(LiveListener listener, Settings settings, EdgeMetrics metrics) {
    this.listener = listener;
    this.settings = settings;
    this.metrics = metrics;
  }

  Map<Endpoint, ApiRouter.Handler> handlers() {
    Map<Endpoint, ApiRouter.Handler> handlers = new EnumMap<>(Endpoint.class);
    handlers.put(Endpoint.STREAM_LIVE, this::stream);
    return handlers;
  }

  private Route stream(ApiRouter.Call call) {
    return completeOK(events(call.tenant().id()), EventStreamMarshalling.toEventStream());
  }

  /**
   * Subscribed when the response starts streaming (not before: a response that is never sent leaves nothing behind)
   * and unsubscribed when it ends for any reason. A comment goes first, so a client knows it is subscribed.
   */
  Source<ServerSentEvent, NotUsed> events(String tenantId) {
    return Source.<LiveSignal>queue(settings.buffer())
        .mapMaterializedValue(queue -> subscribe(tenantId, queue))
        .map(signal -> {
          metrics.liveSignalDelivered();
          return ServerSentEvent.create(signal.json(), signal.type());
        })
        .recover(Overflow.class, () -> ServerSentEvent.create("{}", OVERFLOW))
        .prepend(Source.single(ServerSentEvent.heartbeat()))
        .keepAlive(settings.heartbeat(), ServerSentEvent::heartbeat)
        .takeWithin(settings.streamMaxAge())
        .watchTermination((subscription, done) -> {
          metrics.liveStreams(open.incrementAndGet());
          done.whenComplete((finished, error) -> {
            close(subscription);
            metrics.liveStreams(open.decrementAndGet());
          });
          return NotUsed.getInstance();
        });
  }

  private AutoCloseable subscribe(String tenantId, BoundedSourceQueue<LiveSignal> queue) {
    AtomicBoolean overflowed = new AtomicBoolean();
    // runs on the listener's thread: offer never blocks, and a full queue ends this stream alone
    return listener.subscribe(tenantId, signal -> {
      if (QueueOfferResult.dropped().equals(queue.offer(signal)) && overflowed.compareAndSet(false, true)) {
        metrics.liveOverflow();
        queue.fail(new Overflow());
      }
    });
  }

  private static void close(AutoCloseable subscription) {
    try {
      subscription.close();
    } catch (Exception e) {
      log.warn("Could not end a live subscription: {}", e.toString());
    }
  }
}
