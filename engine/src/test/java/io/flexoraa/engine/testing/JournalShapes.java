package io.flexoraa.engine.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import io.flexoraa.engine.EntityTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;

/**
 * Reads events and snapshots in the shapes older releases wrote, through the serializer the journal uses: the test
 * writes the old shape as JSON for readability, this encodes it as the CBOR the journal holds and deserializes it.
 */
public final class JournalShapes implements AutoCloseable {
  private final ActorTestKit testKit;
  private final Serialization serialization;

  public JournalShapes(String name) {
    testKit = ActorTestKit.create(name, EntityTestKit.CONFIG);
    serialization = SerializationExtension.get(testKit.system().classicSystem());
  }

  public Object read(Class<?> type, String json) throws Exception {
    byte[] cbor = new CBORMapper().writeValueAsBytes(new ObjectMapper().readTree(json));
    Serializer serializer = serialization.serializerFor(type);
    assertThat(serializer.getClass().getSimpleName()).isEqualTo("JacksonCborSerializer");
    return serialization.deserialize(cbor, serializer.identifier(), type.getName()).get();
  }

  /** Serializes and deserializes with the journal's serializer, as a write and a later replay would. */
  public Object roundTrip(Object value) throws Exception {
    Serializer serializer = serialization.findSerializerFor(value);
    return serialization.deserialize(serializer.toBinary(value), serializer.identifier(), value.getClass().getName())
        .get();
  }

  @Override
  public void close() {
    testKit.shutdownTestKit();
  }
}
