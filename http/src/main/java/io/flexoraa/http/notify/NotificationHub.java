package io.flexoraa.http.notify;

import io.flexoraa.engine.CborSerializable;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.pubsub.Topic;

/**
 * Carries stored notifications to the live streams open on every node of the cluster: one Pekko distributed pub-sub
 * {@link Topic} per tenant (the topics of a tenant find each other through the cluster receptionist). A notice is
 * stored on whichever node raised it, while its recipient's dashboard may be connected to any node; the store stays
 * the source of truth, so a push that is lost (a node leaving, a full buffer) is recovered by the stream's
 * {@code Last-Event-ID} resumption.
 *
 * <p>A tenant's topic actor is started on a node the first time that node publishes to or subscribes for the tenant.
 * The notifier calls {@link #prepare} before it stores a notice: by the time the row is committed the new topic has
 * learnt of its peers on other nodes, so the first notice of a tenant on a node is not lost to remote streams.
 */
public final class NotificationHub {

  /** One stored notification on its way to streams: {@code json} is its API view, as the stream sends it. */
  public record Pushed(String tenantId, String userId, long id, String kind, String json) implements CborSerializable {}

  private final ActorSystem<?> system;
  private final Map<String, ActorRef<Topic.Command<Pushed>>> topics = new ConcurrentHashMap<>();

  public NotificationHub(ActorSystem<?> system) {
    this.system = system;
  }

  /** Starts the tenant's topic on this node, if it is not running yet. */
  public void prepare(String tenantId) {
    topic(tenantId);
  }

  public void publish(Pushed pushed) {
    topic(pushed.tenantId()).tell(Topic.publish(pushed));
  }

  /** {@code subscriber} gets every notification of the tenant pushed anywhere in the cluster until it stops. */
  public void subscribe(String tenantId, ActorRef<Pushed> subscriber) {
    topic(tenantId).tell(Topic.subscribe(subscriber));
  }

  /** How many subscribers this node has for the tenant and how many nodes run its topic (for tests and probes). */
  public CompletionStage<Topic.TopicStats> stats(String tenantId, Duration timeout) {
    return AskPattern.ask(topic(tenantId), replyTo -> Topic.<Pushed>getTopicStats(replyTo), timeout, system.scheduler());
  }

  private ActorRef<Topic.Command<Pushed>> topic(String tenantId) {
    return topics.computeIfAbsent(tenantId, id -> system.systemActorOf(
        Topic.create(Pushed.class, "notifications-" + id),
        "notifications-" + URLEncoder.encode(id, StandardCharsets.UTF_8), Props.empty()));
  }
}
