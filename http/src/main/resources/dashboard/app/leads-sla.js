// What the leads board and My queue share: the first-response SLA as a ticking countdown, one clock per page, and
// re-reading after live events without piling reads up.
import { h } from './vendor.js';
import { t, age } from './i18n.js';
import { subscribe } from './live.js';

/** "4:05" under an hour, "23:59:58" above (hours run past 24: a COLD lead's SLA is 72 h). */
export function countdown(ms) {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const rest = String(seconds % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${rest}` : `${minutes}:${rest}`;
}

/**
 * Where a lead's first-response SLA stands at {@code now}: 'answered', 'breached' (the desk recorded it, or the due
 * time passed before its keeper did), 'running', or null without an SLA. Sorting by urgency uses {@code dueAt}.
 */
export function slaState(lead, now) {
  if (!lead.slaDueAt) return null;
  const dueAt = Date.parse(lead.slaDueAt);
  if (lead.slaRespondedAt) return { kind: 'answered', dueAt };
  if (lead.slaBreachedAt || dueAt <= now) return { kind: 'breached', dueAt, since: lead.slaBreachedAt || lead.slaDueAt };
  return { kind: 'running', dueAt, left: dueAt - now };
}

/** The SLA as a card or row shows it; the text changes every second while it runs. */
export function slaTimer(lead, now) {
  const state = slaState(lead, now);
  if (!state) return null;
  const text = state.kind === 'answered' ? t('leads.sla.answered')
    : state.kind === 'breached' ? t('leads.sla.breached', { age: age(state.since, now) })
      : t(lead.queuedAt ? 'leads.sla.waiting' : 'leads.sla.left', { time: countdown(state.left) });
  return h('span', { class: `sla sla-${state.kind}`, 'data-sla': state.kind }, text);
}

/** Most urgent first: breached, then running by due time, then answered, then without an SLA. */
export function byUrgency(now) {
  const rank = (lead) => {
    const state = slaState(lead, now);
    if (!state) return [3, 0];
    return [{ breached: 0, running: 1, answered: 2 }[state.kind], state.dueAt];
  };
  return (a, b) => {
    const [ra, da] = rank(a);
    const [rb, db] = rank(b);
    return ra - rb || da - db;
  };
}

/**
 * Wires a page component to one 1-second clock (setState({now}), no per-card timers) and to the live feed: a batch
 * holding any of {@code types} (or 'reconnected') re-reads through {@code component.load()}, at most one read at a
 * time (a batch arriving during a read queues one more). Returns the function that undoes both (componentWillUnmount).
 */
export function tickAndFollow(component, types) {
  const clock = setInterval(() => component.setState({ now: Date.now() }), 1000);
  let reading = null;
  let again = false;
  const reread = async () => {
    if (reading) {
      again = true;
      return;
    }
    reading = component.load();
    try {
      await reading;
    } finally {
      reading = null;
      if (again) {
        again = false;
        reread();
      }
    }
  };
  const unsubscribe = subscribe((events) => {
    if (events.some((event) => event.type === 'reconnected' || types.includes(event.type))) reread();
  });
  return () => {
    clearInterval(clock);
    unsubscribe();
  };
}
