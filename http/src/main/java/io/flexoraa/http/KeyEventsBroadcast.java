package io.flexoraa.http;

import io.flexoraa.engine.CborSerializable;
import io.flexoraa.persistence.crypto.TinkPiiCipher;
import java.util.Objects;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.pubsub.Topic;

/**
 * Every node caches tenant and lead keys; when one node shreds a lead or rotates a tenant key, the others must drop
 * what they cached. Each node runs one instance: it subscribes that node's {@link TinkPiiCipher} to a cluster-wide
 * topic, and publishing reaches every node's subscriber, the publisher's included.
 *
 * <p>Delivery is at most once, and a node that joins sees only what is published after its subscription has spread
 * through the receptionist. A missed rotation costs nothing: a node's stale tenant keys still open everything but the
 * lead keys wrapped under the newer primary, and those reload the tenant keys themselves. A missed shred leaves the
 * lead's key in that node's cache until it is evicted or the node restarts; the row itself is gone, so no other node
 * and no restart can bring the key back.
 */
public final class KeyEventsBroadcast {
  static final String TOPIC_NAME = "flexoraa-key-events";

  /** What one node did to the keys, as every node's cache needs to hear it. */
  public sealed interface KeyEvent extends CborSerializable permits LeadKeyShredded, TenantKeyRotated {}

  public record LeadKeyShredded(String tenantId, String leadId) implements KeyEvent {}

  public record TenantKeyRotated(String tenantId) implements KeyEvent {}

  private final ActorRef<Topic.Command<KeyEvent>> topic;

  private KeyEventsBroadcast(ActorRef<Topic.Command<KeyEvent>> topic) {
    this.topic = topic;
  }

  /** Once per node (actor system): spawns the topic and the subscriber that makes {@code cipher} forget. */
  public static KeyEventsBroadcast start(ActorSystem<?> system, TinkPiiCipher cipher) {
    return start(system, cipher, (tenantId, leadId) -> {});
  }

  /**
   * As {@link #start(ActorSystem, TinkPiiCipher)}; {@code alsoForgetLead} runs too when a lead is shredded, for the
   * other per-node caches that must forget it (the identity index's, after an erasure).
   */
  public static KeyEventsBroadcast start(
      ActorSystem<?> system, TinkPiiCipher cipher, java.util.function.BiConsumer<String, String> alsoForgetLead) {
    Objects.requireNonNull(cipher, "cipher");
    ActorRef<Topic.Command<KeyEvent>> topic =
        system.systemActorOf(Topic.create(KeyEvent.class, TOPIC_NAME), "key-events-topic", Props.empty());
    ActorRef<KeyEvent> forgetting = system.systemActorOf(forgetting(cipher, alsoForgetLead), "key-events-forgetting", Props.empty());
    topic.tell(Topic.subscribe(forgetting));
    return new KeyEventsBroadcast(topic);
  }

  /** After {@link TinkPiiCipher#shredLead} succeeded on this node. */
  public void leadShredded(String tenantId, String leadId) {
    topic.tell(Topic.publish(new LeadKeyShredded(tenantId, leadId)));
  }

  /** After a tenant key rotation on this node. */
  public void tenantKeyRotated(String tenantId) {
    topic.tell(Topic.publish(new TenantKeyRotated(tenantId)));
  }

  private static Behavior<KeyEvent> forgetting(
      TinkPiiCipher cipher, java.util.function.BiConsumer<String, String> alsoForgetLead) {
    return Behaviors.receive(KeyEvent.class)
        .onMessage(
            LeadKeyShredded.class,
            shredded -> {
              cipher.forgetLead(shredded.tenantId(), shredded.leadId());
              alsoForgetLead.accept(shredded.tenantId(), shredded.leadId());
              return Behaviors.same();
            })
        .onMessage(
            TenantKeyRotated.class,
            rotated -> {
              cipher.forgetTenant(rotated.tenantId());
              return Behaviors.same();
            })
        .build();
  }
}
