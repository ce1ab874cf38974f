// Live updates (issue 8, item 9): the engine pushes a small event whenever a projection commits a change the
// dashboard shows; pages re-read what changed through the REST API (which applies the caller's access rules).
//
// Contract for pages:
//   import { subscribe } from './live.js';
//   const unsubscribe = subscribe((events) => { ... });   // in componentDidMount; call unsubscribe() on unmount
// `events` is a batch (an array, delivered at most a few times a second so 50 messages/s never freeze a page) of
//   { type: 'lead.message', leadId, messageId, direction }   a message stored or its status changed (the lead's
//                                                            message counts and last-message time moved with it)
//   { type: 'lead.updated', leadId }                        the lead's row changed (created, score/band, assignment...)
//   { type: 'routing.changed', leadId }                     an assignment, the waiting queue or an SLA changed
//                                                            (no leadId: the SDR roster or someone's presence)
//   { type: 'appointment.changed', leadId, appointmentId }
//   { type: 'compliance.decision', leadId }                 the compliance gate decided on an outbound message
//   { type: 'compliance.changed' }                          an account's quality, limit or suspension changed
//   { type: 'tokens.changed' }                              the tenant's ledger moved
//   { type: 'reconnected' }                                 the stream was re-opened: re-read everything shown
// Events carry ids only; an SDR's stream also names leads they cannot open (the API answers 404 for those).
//
// How: one stream per signed-in tab (GET /api/v1/tenants/{t}/live, Server-Sent Events). EventSource cannot send the
// bearer token, so the stream is read with fetch() and parsed here. It opens on the first subscribe, closes a few
// seconds after the last listener goes (moving between pages keeps it) and at sign-out, and reconnects with backoff.
// liveState() / onLiveState(listener): 'connecting' | 'live' | 'reconnecting', for the header's indicator.
import { currentSession, onSessionChange, setSession } from './api.js';

const BATCH_MS = 250; // at most four batches a second, whatever the rate of events
const FIRST_RETRY_MS = 1000;
const LAST_RETRY_MS = 30000;
const LINGER_MS = 5000; // a page change unsubscribes and the next page subscribes: keep the stream meanwhile

const listeners = new Set();
const stateListeners = new Set();
let state = 'connecting';
let stream = null; // the open attempt's AbortController
let everOpened = false;
let retryDelay = FIRST_RETRY_MS;
let retryTimer = null;
let lingerTimer = null;
let pending = [];
let flushTimer = null;
let lastFlush = 0;

export function subscribe(listener) {
  listeners.add(listener);
  clearTimeout(lingerTimer);
  lingerTimer = null;
  if (!stream && !retryTimer) open();
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && !lingerTimer) {
      lingerTimer = setTimeout(() => {
        lingerTimer = null;
        if (listeners.size === 0) close();
      }, LINGER_MS);
    }
  };
}

export function liveState() {
  return state;
}

export function onLiveState(listener) {
  stateListeners.add(listener);
  return () => stateListeners.delete(listener);
}

onSessionChange((session) => {
  close();
  // a new sign-in (another token) while pages listen: open the stream as that person
  if (session && listeners.size > 0) open();
});

function setState(next) {
  if (next === state) return;
  state = next;
  stateListeners.forEach((listener) => listener(state));
}

function close() {
  clearTimeout(retryTimer);
  retryTimer = null;
  if (stream) stream.abort();
  stream = null;
  everOpened = false;
  retryDelay = FIRST_RETRY_MS;
  pending = [];
  setState('connecting');
}

async function open() {
  const session = currentSession();
  // the platform operator belongs to no tenant: there is no tenant feed to follow (the Ops page polls node vitals)
  if (!session || !session.tenantId) return;
  const controller = new AbortController();
  stream = controller;
  setState(everOpened ? 'reconnecting' : 'connecting');
  try {
    const response = await fetch(`/api/v1/tenants/${encodeURIComponent(session.tenantId)}/live`, {
      headers: { Authorization: `Bearer ${session.token}`, Accept: 'text/event-stream' },
      credentials: 'omit',
      cache: 'no-store',
      signal: controller.signal,
    });
    if (response.status === 401) {
      // the session ended (expired, or signed out elsewhere): back to sign-in, as api.js does
      if (session.token === currentSession()?.token) setSession(null);
      return;
    }
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    setState('live');
    retryDelay = FIRST_RETRY_MS;
    if (everOpened) enqueue({ type: 'reconnected' });
    everOpened = true;
    await read(response.body.getReader());
  } catch {
    // a network error, or the abort of close(): handled below
  }
  // the stream ended (its maximum age, an overflow, the network): open it again unless it was closed on purpose
  if (stream === controller) retry();
}

function retry() {
  stream = null;
  setState('reconnecting');
  const delay = retryDelay / 2 + Math.random() * retryDelay / 2;
  retryDelay = Math.min(retryDelay * 2, LAST_RETRY_MS);
  retryTimer = setTimeout(() => {
    retryTimer = null;
    if (listeners.size > 0) open();
  }, delay);
}

/** Server-Sent Events: blocks separated by a blank line, `event:` and `data:` fields, `:` comments (heartbeats). */
async function read(reader) {
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true }).replace(/\r\n?/g, '\n');
    let end = buffer.indexOf('\n\n');
    while (end >= 0) {
      dispatch(buffer.slice(0, end));
      buffer = buffer.slice(end + 2);
      end = buffer.indexOf('\n\n');
    }
  }
}

function dispatch(block) {
  let type = 'message';
  const data = [];
  for (const line of block.split('\n')) {
    if (line === '' || line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') type = value;
    else if (field === 'data') data.push(value);
  }
  // an overflow ends the stream; the reconnect that follows tells the pages to re-read
  if (data.join('') === '' || type === 'overflow') return;
  try {
    enqueue({ ...JSON.parse(data.join('\n')), type });
  } catch {
    // not JSON: nothing a page could use
  }
}

function enqueue(event) {
  pending.push(event);
  if (flushTimer) return;
  // the first event after a quiet spell goes at once; later ones wait for the next batch
  flushTimer = setTimeout(flush, Math.max(0, lastFlush + BATCH_MS - Date.now()));
}

function flush() {
  flushTimer = null;
  lastFlush = Date.now();
  const seen = new Set();
  const batch = pending.filter((event) => {
    const key = JSON.stringify(event);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  pending = [];
  if (batch.length === 0) return;
  listeners.forEach((listener) => {
    try {
      listener(batch);
    } catch (error) {
      // one page's mistake must not keep the batch from the others
      setTimeout(() => { throw error; });
    }
  });
}
