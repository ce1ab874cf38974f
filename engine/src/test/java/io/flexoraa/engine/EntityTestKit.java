package io.flexoraa.engine;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;

/**
 * Configuration for entity tests: the in-memory journal of the testkit, with the production serialization binding
 * so that every command, event, reply and state is proven to round-trip through Jackson CBOR.
 */
public final class EntityTestKit {
  public static final Config SERIALIZATION_BINDINGS =
      ConfigFactory.parseString(
          "pekko.actor.serialization-bindings { \"io.flexoraa.engine.CborSerializable\" = jackson-cbor }");

  public static final Config CONFIG =
      EventSourcedBehaviorTestKit.config().withFallback(SERIALIZATION_BINDINGS).withFallback(ConfigFactory.load());

  private EntityTestKit() {}
}
