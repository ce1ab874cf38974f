package io.flexoraa.engine;

/**
 * Marker for every command, event, reply and state that crosses an actor boundary or lands in the journal.
 * Bound to Jackson CBOR in configuration, so each message type states its wire format by implementing this.
 */
public interface CborSerializable {}
