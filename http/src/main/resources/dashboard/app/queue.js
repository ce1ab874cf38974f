// My queue: for an SDR, their open leads by SLA urgency (timers ticking), their SLA breaches, how many leads wait
// for someone (not which: decision 36), their presence, upcoming appointments and follow-up tasks. A Manager sees
// the team instead: every SDR's presence and load, the whole waiting queue and the team's appointments.
import { h, Component } from './vendor.js';
import { t, age } from './i18n.js';
import { api, ApiError, currentSession, tenantPath } from './api.js';
import { byUrgency, countdown, slaState, slaTimer, tickAndFollow } from './leads-sla.js';
import { presenceControl, queueRows, appointmentList, taskList, teamTable } from './queue-parts.js';

const PAGE_SIZE = 500;

export class Queue extends Component {
  state = { loading: true, error: null, leads: [], waiting: [], me: null, onRoster: true, team: [],
    appointments: [], tasks: [], busy: false, now: Date.now() };

  componentDidMount() {
    this.stop = tickAndFollow(this, ['routing.changed', 'appointment.changed', 'lead.updated']);
    this.load();
  }

  componentWillUnmount() {
    this.stop();
  }

  manager() {
    return currentSession().user.role !== 'SDR';
  }

  load = async () => {
    const me = currentSession().user.id;
    const from = new Date(Date.now() - 3600_000).toISOString();
    try {
      const [leads, waiting, appointments, extra] = await Promise.all([
        api('GET', tenantPath(`/leads?limit=${PAGE_SIZE}`)),
        api('GET', tenantPath('/routing/queue')),
        api('GET', tenantPath(`/appointments?from=${encodeURIComponent(from)}${this.manager() ? '' : `&userId=${me}`}`)),
        this.manager() ? api('GET', tenantPath('/sdrs')) : this.mine(me),
      ]);
      this.setState({ loading: false, error: null, leads: leads.items, waiting: waiting.items,
        appointments: appointments.items.filter((item) => item.status === 'booked'),
        ...(this.manager() ? { team: extra.items } : extra) });
    } catch (error) {
      this.setState({ loading: false, error: t('queue.failed', { detail: error.message }) });
    }
  };

  /** The SDR's roster entry (presence, capacity) and follow-up tasks; not on the roster is a state, not an error. */
  async mine(me) {
    const tasks = await api('GET', tenantPath('/appointments/tasks'));
    try {
      return { me: await api('GET', tenantPath(`/sdrs/${encodeURIComponent(me)}`)), onRoster: true, tasks: tasks.items };
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) return { me: null, onRoster: false, tasks: tasks.items };
      throw error;
    }
  }

  setPresence = async (presence) => {
    this.setState({ busy: true, error: null });
    try {
      const me = await api('PUT', tenantPath(`/sdrs/${encodeURIComponent(currentSession().user.id)}/presence`), { presence });
      this.setState({ busy: false, me: { ...this.state.me, ...me } });
    } catch (error) {
      this.setState({ busy: false, error: t('queue.presenceFailed', { detail: error.message }) });
    }
  };

  leadRow = (lead) => h('tr', { key: lead.id, 'data-lead': lead.id },
    h('th', { scope: 'row', dir: 'auto' }, lead.name || lead.phoneMasked || t('leads.unnamed')),
    h('td', null, t(`leads.band.${lead.band || 'NONE'}`)),
    h('td', null, slaTimer(lead, this.state.now) || t('queue.noSla')),
    h('td', null, lead.lastInboundAt ? age(lead.lastInboundAt, this.state.now) : t('leads.noMessage')));

  leadTable(id, caption, leads) {
    return h('section', { class: 'panel', 'aria-labelledby': id },
      h('h2', { id }, caption, ' ', h('span', { class: 'count' }, String(leads.length))),
      leads.length ? h('div', { class: 'table-wrap' }, h('table', { class: 'queue-table' },
        h('thead', null, h('tr', null,
          ['queue.col.lead', 'queue.col.band', 'queue.col.sla', 'queue.col.last'].map((key) =>
            h('th', { scope: 'col', key }, t(key))))),
        h('tbody', null, leads.map(this.leadRow)))) : h('p', { class: 'empty' }, t('queue.none')));
  }

  render(props, state) {
    const now = state.now;
    const mine = this.manager() ? [] : [...state.leads].sort(byUrgency(now));
    const breaches = state.leads.filter((lead) => slaState(lead, now)?.kind === 'breached');
    const names = Object.fromEntries(state.leads.map((lead) => [lead.id, lead.name]));
    const summary = state.loading ? t('queue.loading')
      : t(this.manager() ? 'queue.summaryTeam' : 'queue.summary',
        { open: state.leads.length, breaches: breaches.length, waiting: state.waiting.length });
    return h('section', { class: 'page queue', 'aria-labelledby': 'page-title' },
      h('header', { class: 'page-header' },
        h('h1', { id: 'page-title', tabindex: -1 }, t('queue.title')),
        h('p', { class: 'summary', 'aria-live': 'polite' }, summary),
        h('button', { type: 'button', onClick: this.load }, t('leads.refresh'))),
      state.error ? h('p', { class: 'error', role: 'alert' }, state.error) : null,
      this.manager() ? null : presenceControl(state, this.setPresence),
      this.manager() ? teamTable(state.team) : this.leadTable('queue-mine', t('queue.mine'), mine),
      this.leadTable('queue-breaches', t('queue.breaches'), breaches),
      queueRows(state.waiting, now, this.manager(), countdown),
      appointmentList(state.appointments, names, state.team, now),
      this.manager() ? null : taskList(state.tasks, names, now));
  }
}
