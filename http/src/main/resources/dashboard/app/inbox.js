// The inbox (issue 8, item 2): the caller's conversations (an SDR's own leads), most recent first, with a "new" mark,
// channel and band; the chosen lead's one thread across channels with the reply box; and the lead's panel. The
// chosen lead is in the address (/inbox/<leadId>), so a link or a reload opens it. Live: a new message re-reads the
// open thread or the list, a lead's change re-reads its panel, a reconnect re-reads everything.
import { h, Component } from './vendor.js';
import { t, age } from './i18n.js';
import { api, tenantPath } from './api.js';
import { subscribe } from './live.js';
import { Thread } from './inbox-thread.js';
import { LeadPanel } from './inbox-panel.js';

/** How many conversations the list shows (the most recent). */
const LISTED = 100;
/** When this person last opened each lead in this tab, so a later message marks it new. */
const SEEN_KEY = 'flexoraa.inbox.seen';

function leadIdAt(pathname) {
  const match = /^\/inbox\/([^/]+)/.exec(pathname);
  return match ? decodeURIComponent(match[1]) : null;
}

function readSeen() {
  try {
    return JSON.parse(sessionStorage.getItem(SEEN_KEY)) || {};
  } catch {
    return {};
  }
}

function isNew(lead, seen) {
  if (!lead.lastInboundAt) return false;
  const opened = seen[lead.id];
  return !opened || Date.parse(lead.lastInboundAt) > opened;
}

export class Inbox extends Component {
  state = {
    loading: true, error: null, leads: [], total: 0, leadId: leadIdAt(location.pathname), lead: null,
    threadVersion: 0, panelVersion: 0, seen: readSeen(),
  };

  componentDidMount() {
    this.loadList();
    if (this.state.leadId) this.loadLead(this.state.leadId);
    this.unsubscribe = subscribe(this.onLive);
    window.addEventListener('popstate', this.onPopState);
  }

  componentWillUnmount() {
    this.unsubscribe();
    window.removeEventListener('popstate', this.onPopState);
  }

  onPopState = () => {
    const leadId = leadIdAt(location.pathname);
    this.setState({ leadId, lead: null });
    if (leadId) this.loadLead(leadId);
  };

  /** A batch of live events: one re-read per kind of change, however many events the batch holds. */
  onLive = (events) => {
    const open = this.state.leadId;
    let list = false;
    let thread = false;
    let panel = false;
    for (const event of events) {
      if (event.type === 'reconnected') {
        list = thread = panel = true;
      } else if (event.type === 'lead.message') {
        list = true;
        if (event.leadId === open) thread = true;
      } else if (event.type === 'lead.updated' || event.type === 'routing.changed') {
        list = true;
        if (event.leadId === open) panel = true;
      } else if (event.type === 'compliance.decision' && event.leadId === open) {
        thread = true;
      }
    }
    if (list) this.loadList();
    if (open && (thread || panel)) this.loadLead(open);
    if (thread) this.setState((state) => ({ threadVersion: state.threadVersion + 1 }));
    if (panel) this.setState((state) => ({ panelVersion: state.panelVersion + 1 }));
  };

  loadList = async () => {
    try {
      const page = await api('GET', tenantPath(`/leads?limit=${LISTED}`));
      this.setState({ loading: false, error: null, leads: page.items, total: page.total });
    } catch (error) {
      this.setState({ loading: false, error: t('inbox.failed', { detail: error.message }) });
    }
  };

  loadLead = async (leadId) => {
    try {
      const lead = await api('GET', tenantPath(`/leads/${encodeURIComponent(leadId)}`));
      if (leadId !== this.state.leadId) return;
      this.markSeen(lead);
      this.setState({ lead, error: null });
    } catch (error) {
      this.setState({ error: error.status === 404 ? t('inbox.noSuchLead') : t('inbox.failed', { detail: error.message }) });
    }
  };

  markSeen(lead) {
    const seen = { ...this.state.seen, [lead.id]: Date.now() };
    sessionStorage.setItem(SEEN_KEY, JSON.stringify(seen));
    this.setState({ seen });
  }

  open = (event, leadId) => {
    if (event && (event.ctrlKey || event.metaKey || event.shiftKey || event.button === 1)) return;
    event?.preventDefault();
    history.pushState(null, '', leadId ? `/inbox/${encodeURIComponent(leadId)}` : '/inbox');
    this.setState({ leadId, lead: null }, () => document.getElementById(leadId ? 'thread-title' : 'page-title')?.focus());
    if (leadId) this.loadLead(leadId);
  };

  refresh = () => {
    this.loadList();
    if (this.state.leadId) {
      this.loadLead(this.state.leadId);
      this.setState((state) => ({ threadVersion: state.threadVersion + 1, panelVersion: state.panelVersion + 1 }));
    }
  };

  conversation = (lead) => {
    const fresh = isNew(lead, this.state.seen) && lead.id !== this.state.leadId;
    const name = lead.name || lead.phoneMasked || lead.phone || t('inbox.unnamed');
    return h('li', { key: lead.id, class: 'conversation', 'data-lead': lead.id },
      h('a', {
        href: `/inbox/${encodeURIComponent(lead.id)}`,
        'aria-current': lead.id === this.state.leadId ? 'true' : undefined,
        onClick: (event) => this.open(event, lead.id),
      },
      h('span', { class: 'conv-name', dir: 'auto' }, name),
      fresh ? h('span', { class: 'new' }, t('inbox.new')) : null,
      h('span', { class: 'conv-meta' },
        lead.channel ? h('span', { class: `badge badge-${lead.channel}` }, t(`inbox.channel.${lead.channel}`)) : null,
        lead.band ? h('span', { class: `band band-${lead.band}` }, t(`inbox.band.${lead.band}`)) : null,
        lead.handledBy === 'human' ? h('span', { class: 'person' }, t('inbox.person')) : null,
        h('span', null, lead.lastInboundAt ? age(lead.lastInboundAt) : t('inbox.noMessage')))));
  };

  render(props, state) {
    const chosen = state.leadId;
    return h('section', { class: `page inbox ${chosen ? 'has-lead' : ''}`, 'aria-labelledby': 'page-title' },
      h('header', { class: 'page-header' },
        h('h1', { id: 'page-title', tabindex: -1 }, t('inbox.title')),
        h('p', { class: 'summary', 'aria-live': 'polite' },
          state.loading ? t('inbox.loading') : t('inbox.total', { total: state.total })),
        h('button', { type: 'button', class: 'secondary', onClick: this.refresh }, t('inbox.refresh'))),
      state.error ? h('p', { class: 'error', role: 'alert' }, state.error) : null,
      h('div', { class: 'inbox-columns' },
        h('nav', { class: 'conversations', 'aria-label': t('inbox.conversations') },
          state.leads.length
            ? h('ul', null, state.leads.map(this.conversation))
            : (state.loading ? null : h('p', { class: 'empty' }, t('inbox.empty')))),
        chosen ? h('div', { class: 'inbox-lead' },
          h('a', { class: 'back', href: '/inbox', onClick: (event) => this.open(event, null) }, t('inbox.back')),
          h(Thread, { leadId: chosen, lead: state.lead, version: state.threadVersion })) : h('p', { class: 'empty pick' },
          t('inbox.pick')),
        chosen && state.lead ? h(LeadPanel, { lead: state.lead, version: state.panelVersion }) : null));
  }
}
