// The leads board: the tenant's leads (an SDR's own) from GET /leads in columns by band, with counts, age and the
// first-response SLA ticking. Filters (channel, SDR, source, language, band) go to the API and live in the address
// bar's query, so a reload or a shared link keeps them; the search box asks the API for a phone number (its blind
// index) and narrows the loaded leads by name here, as names are encrypted per lead (decision 36).
import { h, Component } from './vendor.js';
import { t, age } from './i18n.js';
import { api, currentSession, tenantPath } from './api.js';
import { slaTimer, tickAndFollow } from './leads-sla.js';

const BANDS = ['HOT', 'WARM', 'COLD', 'NONE'];
const CHANNELS = ['whatsapp', 'instagram', 'messenger', 'api'];
/** The API's largest page: the board shows the most recent leads, and says so when there are more. */
const PAGE_SIZE = 500;
/** The filters the API applies, in the order of the address bar's query; 'q' is the search box. */
const FILTERS = ['channel', 'assignedTo', 'source', 'language', 'band'];
/** A search that is a whole phone number (10+ digits) goes to the API; anything else is a name. */
const PHONE = /^\+?[\d\s().-]+$/;
const isPhone = (text) => PHONE.test(text.trim()) && text.replace(/\D/g, '').length >= 10;
/** Roles that may read the routing roster (GET /sdrs): they get the SDR filter and assignees' names. */
const ROSTER_READERS = ['Admin', 'Manager', 'Auditor'];

function filtersFromUrl() {
  const query = new URLSearchParams(location.search);
  const filters = { q: query.get('q') || '' };
  FILTERS.forEach((name) => { filters[name] = query.get(name) || ''; });
  return filters;
}

function apiQuery(filters) {
  const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
  FILTERS.forEach((name) => { if (filters[name]) query.set(name, filters[name]); });
  if (isPhone(filters.q)) query.set('phone', filters.q.trim());
  return query.toString();
}

function nameMatches(lead, q) {
  const text = q.trim().toLowerCase();
  if (!text || PHONE.test(text)) return true; // a number: the API narrowed it (or it is not whole yet)
  return (lead.name || '').toLowerCase().includes(text);
}

function select(id, label, value, options, onChange) {
  return h('div', { class: 'field filter' },
    h('label', { for: id }, label),
    h('select', { id, name: id, value, onChange: (event) => onChange(event.target.value) },
      options.map(([optionValue, text]) => h('option', { value: optionValue, selected: optionValue === value }, text))));
}

export class LeadsBoard extends Component {
  state = { loading: true, error: null, items: [], total: 0, filters: filtersFromUrl(), sdrs: [], sources: [],
    languages: [], now: Date.now() };

  componentDidMount() {
    this.stop = tickAndFollow(this, ['lead.updated', 'lead.message', 'routing.changed']);
    this.load();
    if (ROSTER_READERS.includes(currentSession().user.role)) {
      api('GET', tenantPath('/sdrs')).then((roster) => this.setState({ sdrs: roster.items }), () => {});
    }
  }

  componentWillUnmount() {
    this.stop();
  }

  reads = 0;

  load = async () => {
    const read = ++this.reads;
    this.setState({ loading: true, error: null });
    try {
      const page = await api('GET', tenantPath(`/leads?${apiQuery(this.state.filters)}`));
      if (read !== this.reads) return; // a later read (the filters changed meanwhile) answers instead
      // the choices offered grow with what the board has shown, and always hold the current choice
      const seen = (key, values) => [...new Set([...this.state[key], ...values.filter(Boolean)])].sort();
      this.setState({ loading: false, items: page.items, total: page.total,
        sources: seen('sources', page.items.map((lead) => lead.attribution?.source)),
        languages: seen('languages', page.items.map((lead) => lead.language)) });
    } catch (error) {
      if (read === this.reads) this.setState({ loading: false, error: t('leads.failed', { detail: error.message }) });
    }
  };

  /**
   * Filters changed: into the address bar (replaced, not a history entry per choice), then re-read — except while
   * a name is typed, which narrows what is loaded without asking the API.
   */
  setFilters(changes) {
    const filters = { ...this.state.filters, ...changes };
    const query = new URLSearchParams();
    [...FILTERS, 'q'].forEach((key) => { if (filters[key]) query.set(key, filters[key]); });
    history.replaceState(null, '', `${location.pathname}${query.toString() ? `?${query}` : ''}`);
    const reread = apiQuery(filters) !== apiQuery(this.state.filters);
    this.setState({ filters }, reread ? this.load : undefined);
  }

  setFilter(name, value) {
    this.setFilters({ [name]: value });
  }

  clear = () => this.setFilters(Object.fromEntries([...FILTERS, 'q'].map((name) => [name, ''])));

  assignee(lead) {
    if (!lead.assignedTo) return t('leads.unassigned');
    if (lead.assignedTo === currentSession().user.id) return t('leads.you');
    return this.state.sdrs.find((sdr) => sdr.userId === lead.assignedTo)?.displayName || t('leads.assigned');
  }

  card = (lead) => {
    const title = lead.name || lead.phoneMasked || lead.phone || lead.email || t('leads.unnamed');
    const since = lead.lastInboundAt || lead.createdAt;
    return h('li', { class: 'lead', 'data-lead': lead.id, key: lead.id },
      h('p', { class: 'lead-name', dir: 'auto' }, title),
      h('p', { class: 'lead-meta' },
        lead.channel ? h('span', { class: `badge badge-${lead.channel}` }, t(`leads.channel.${lead.channel}`)) : null,
        lead.attribution?.source ? h('span', { class: 'lead-source' }, lead.attribution.source) : null,
        lead.language ? h('span', { class: 'lead-language', lang: lead.language }, lead.language.toUpperCase()) : null,
        lead.score != null ? h('span', null, t('leads.score', { score: lead.score })) : null),
      h('p', { class: 'lead-meta' }, h('span', { class: 'lead-owner' }, this.assignee(lead)),
        slaTimer(lead, this.state.now)),
      h('p', { class: 'lead-age' },
        lead.lastInboundAt ? t('leads.lastInbound', { age: age(since, this.state.now) })
          : since ? t('leads.created', { age: age(since, this.state.now) }) : t('leads.noMessage')));
  };

  filterBar(filters) {
    const any = t('leads.filter.any');
    const sdrChoices = this.state.sdrs.map((sdr) => [sdr.userId, sdr.displayName || sdr.email]);
    const withCurrent = (values, current) => (current && !values.includes(current) ? [...values, current] : values);
    return h('form', { class: 'filters', role: 'search', 'aria-label': t('leads.filter.label'),
      onSubmit: (event) => event.preventDefault() },
    h('div', { class: 'field filter filter-search' },
      h('label', { for: 'leads-q' }, t('leads.filter.search')),
      h('input', { id: 'leads-q', type: 'search', value: filters.q, placeholder: t('leads.filter.searchHint'),
        onInput: (event) => this.setFilter('q', event.target.value) })),
    select('leads-channel', t('leads.filter.channel'), filters.channel,
      [['', any], ...CHANNELS.map((channel) => [channel, t(`leads.channel.${channel}`)])],
      (value) => this.setFilter('channel', value)),
    this.state.sdrs.length ? select('leads-sdr', t('leads.filter.sdr'), filters.assignedTo,
      [['', any], ['none', t('leads.unassigned')], ...sdrChoices], (value) => this.setFilter('assignedTo', value)) : null,
    select('leads-source', t('leads.filter.source'), filters.source,
      [['', any], ...withCurrent(this.state.sources, filters.source).map((source) => [source, source])],
      (value) => this.setFilter('source', value)),
    select('leads-language', t('leads.filter.language'), filters.language,
      [['', any], ...withCurrent(this.state.languages, filters.language).map((code) => [code, code.toUpperCase()])],
      (value) => this.setFilter('language', value)),
    select('leads-band', t('leads.filter.band'), filters.band,
      [['', any], ...BANDS.map((band) => [band, t(`leads.band.${band}`)])], (value) => this.setFilter('band', value)),
    h('button', { type: 'button', class: 'secondary', onClick: this.clear }, t('leads.filter.clear')));
  }

  render(props, state) {
    const shown = state.items.filter((lead) => nameMatches(lead, state.filters.q));
    const columns = Object.fromEntries(BANDS.map((band) => [band, []]));
    shown.forEach((lead) => columns[BANDS.includes(lead.band) ? lead.band : 'NONE'].push(lead));
    const summary = state.loading && !state.items.length ? t('leads.loading')
      : shown.length === state.items.length ? t('leads.total', { total: state.total })
        : t('leads.matching', { shown: shown.length, total: state.total });
    return h('section', { class: 'page', 'aria-labelledby': 'page-title' },
      h('header', { class: 'page-header' },
        h('h1', { id: 'page-title', tabindex: -1 }, t('leads.title')),
        h('p', { class: 'summary', 'aria-live': 'polite' }, summary),
        h('button', { type: 'button', onClick: this.load, disabled: state.loading }, t('leads.refresh'))),
      this.filterBar(state.filters),
      state.error ? h('p', { class: 'error', role: 'alert' }, state.error) : null,
      state.total > state.items.length
        ? h('p', { class: 'hint' }, t('leads.partial', { shown: state.items.length, total: state.total })) : null,
      h('div', { class: 'board' }, BANDS.map((band) => h('section', {
        class: `column column-${band.toLowerCase()}`, 'aria-labelledby': `column-${band}`, 'data-band': band,
      },
      h('h2', { id: `column-${band}` },
        h('span', null, t(`leads.band.${band}`)),
        h('span', { class: 'count', 'aria-label': t('leads.column', { band: t(`leads.band.${band}`), count: columns[band].length }) },
          String(columns[band].length))),
      columns[band].length
        ? h('ul', { class: 'leads' }, columns[band].map(this.card))
        : h('p', { class: 'empty' }, t('leads.empty'))))));
  }
}
