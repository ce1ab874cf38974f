// The panels of My queue that need no state of their own: presence, the waiting queue, the team, appointments and
// follow-up tasks. Times are shown in the viewer's own zone.
import { h } from './vendor.js';
import { t, age } from './i18n.js';

const PRESENCES = ['online', 'away', 'offline'];
const when = (instant) => new Date(instant).toLocaleString(undefined,
  { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });

/** Online / away / offline as a group of toggle buttons: the routing desk gives leads only to online SDRs. */
export function presenceControl(state, setPresence) {
  if (!state.onRoster) return h('p', { class: 'hint' }, t('queue.notOnRoster'));
  const current = state.me?.presence;
  return h('section', { class: 'panel presence', 'aria-labelledby': 'queue-presence' },
    h('h2', { id: 'queue-presence' }, t('queue.presence')),
    h('div', { class: 'presence-choices', role: 'group', 'aria-labelledby': 'queue-presence' },
      PRESENCES.map((presence) => h('button', {
        type: 'button', key: presence, class: `presence-${presence}${current === presence ? ' current' : ''}`,
        'aria-pressed': current === presence ? 'true' : 'false', disabled: state.busy,
        onClick: () => setPresence(presence),
      }, t(`queue.presence.${presence}`)))),
    state.me ? h('p', { class: 'hint', 'aria-live': 'polite' }, t('queue.load',
      { open: state.me.openLeads ?? 0, capacity: state.me.capacity })) : null);
}

/** The leads waiting for an SDR: each one to a Manager; to an SDR only band, since when and the SLA (decision 36). */
export function queueRows(waiting, now, full, countdown) {
  return h('section', { class: 'panel', 'aria-labelledby': 'queue-waiting' },
    h('h2', { id: 'queue-waiting' }, t('queue.waiting'), ' ', h('span', { class: 'count' }, String(waiting.length))),
    waiting.length ? h('ul', { class: 'rows' }, waiting.map((item, index) => {
      const left = Date.parse(item.slaDue) - now;
      return h('li', { key: item.leadId || index, class: 'row' },
        h('span', { class: `band band-${(item.band || 'none').toLowerCase()}` }, t(`leads.band.${item.band || 'NONE'}`)),
        h('span', null, t('queue.waitingSince', { age: age(item.queuedAt, now) })),
        item.breachedAt || left <= 0
          ? h('span', { class: 'sla sla-breached', 'data-sla': 'breached' }, t('leads.sla.breached', { age: age(item.breachedAt || item.slaDue, now) }))
          : h('span', { class: 'sla sla-running', 'data-sla': 'running' }, t('leads.sla.left', { time: countdown(left) })),
        full && item.leadId ? h('code', { class: 'lead-id' }, item.leadId) : null);
    })) : h('p', { class: 'empty' }, t('queue.noneWaiting')));
}

/** Every SDR on the roster with presence and load against capacity (a Manager's view). */
export function teamTable(team) {
  return h('section', { class: 'panel', 'aria-labelledby': 'queue-team' },
    h('h2', { id: 'queue-team' }, t('queue.team')),
    team.length ? h('div', { class: 'table-wrap' }, h('table', { class: 'queue-table' },
      h('thead', null, h('tr', null, ['queue.col.sdr', 'queue.col.presence', 'queue.col.load'].map((key) =>
        h('th', { scope: 'col', key }, t(key))))),
      h('tbody', null, team.map((sdr) => h('tr', { key: sdr.userId, 'data-sdr': sdr.userId },
        h('th', { scope: 'row' }, sdr.displayName || sdr.email),
        h('td', null, h('span', { class: `presence-dot presence-${sdr.presence}` }, t(`queue.presence.${sdr.presence}`))),
        h('td', null, t('queue.loadShort', { open: sdr.openLeads ?? 0, capacity: sdr.capacity })))))))
      : h('p', { class: 'empty' }, t('queue.noTeam')));
}

function leadName(names, leadId) {
  return names[leadId] || t('leads.unnamed');
}

/** Booked appointments from an hour ago on, each with the reminders still to go out. */
export function appointmentList(appointments, names, team, now) {
  const sdr = (userId) => team.find((member) => member.userId === userId)?.displayName;
  return h('section', { class: 'panel', 'aria-labelledby': 'queue-appointments' },
    h('h2', { id: 'queue-appointments' }, t('queue.appointments'), ' ',
      h('span', { class: 'count' }, String(appointments.length))),
    appointments.length ? h('ul', { class: 'rows' }, appointments.map((item) => h('li', {
      key: item.id, class: 'row appointment', 'data-appointment': item.id },
    h('strong', null, when(item.startsAt)),
    h('span', { dir: 'auto' }, leadName(names, item.leadId)),
    sdr(item.userId) ? h('span', null, sdr(item.userId)) : null,
    h('span', { class: 'hint' }, item.remindersDue?.length
      ? t('queue.reminders', { times: item.remindersDue.map(when).join(', ') })
      : Date.parse(item.startsAt) > now ? t('queue.remindersSent') : t('queue.started')))))
      : h('p', { class: 'empty' }, t('queue.noAppointments')));
}

/** The follow-ups the SDR owes after their calls. */
export function taskList(tasks, names, now) {
  return h('section', { class: 'panel', 'aria-labelledby': 'queue-tasks' },
    h('h2', { id: 'queue-tasks' }, t('queue.tasks'), ' ', h('span', { class: 'count' }, String(tasks.length))),
    tasks.length ? h('ul', { class: 'rows' }, tasks.map((task) => h('li', {
      key: `${task.appointmentId}-${task.kind}`, class: 'row' },
    h('span', { dir: 'auto' }, leadName(names, task.leadId)),
    h('span', null, t('queue.followUpDue', { age: age(task.dueAt, now) })))))
      : h('p', { class: 'empty' }, t('queue.noTasks')));
}
