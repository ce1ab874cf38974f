// Live updates (issue 8, item 9): the engine pushes a small event whenever a projection commits a change the
// dashboard shows; pages re-read what changed through the REST API (which applies the caller's access rules).
//
// Contract for pages:
//   import { subscribe } from './live.js';
//   const unsubscribe = subscribe((events) => { ... });   // in componentDidMount; call unsubscribe() on unmount
// `events` is a batch (an array, delivered at most a few times a second so 50 messages/s never freeze a page) of
//   { type: 'lead.message', leadId, messageId, direction }   a message stored or its status changed
//   { type: 'lead.updated', leadId }                        the lead's row changed (created, score/band, assignment...)
//   { type: 'routing.changed', leadId }                     an assignment, the waiting queue or an SLA changed
//   { type: 'appointment.changed', leadId, appointmentId }
//   { type: 'compliance.decision', leadId }                 the compliance gate decided on an outbound message
//   { type: 'tokens.changed' }                              the tenant's ledger moved
//   { type: 'reconnected' }                                 the stream was re-opened: re-read everything shown
//
// This file is a stand-in until the live feed lands: it never delivers anything.
const listeners = new Set();

export function subscribe(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
