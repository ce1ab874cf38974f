// The leads board: the tenant's leads (an SDR's own) from GET /leads, in columns by band with counts. Filters,
// search, SLA timers and live updates come next (issue 8).
import { h, Component } from './vendor.js';
import { t, age } from './i18n.js';
import { api, tenantPath } from './api.js';

const BANDS = ['HOT', 'WARM', 'COLD', 'NONE'];
/** The API's largest page: the board shows the most recent leads, and says so when there are more. */
const PAGE_SIZE = 500;

function card(lead) {
  const title = lead.name || lead.phoneMasked || lead.phone || lead.email || t('leads.unnamed');
  return h('li', { class: 'lead', 'data-lead': lead.id },
    h('p', { class: 'lead-name' }, title),
    h('p', { class: 'lead-meta' },
      lead.channel ? h('span', { class: `badge badge-${lead.channel}` }, lead.channel) : null,
      lead.score != null ? h('span', null, t('leads.score', { score: lead.score })) : null,
      lead.assignedTo ? h('span', null, t('leads.assigned')) : null),
    h('p', { class: 'lead-age' },
      lead.lastInboundAt ? t('leads.lastInbound', { age: age(lead.lastInboundAt) }) : t('leads.noMessage')));
}

export class LeadsBoard extends Component {
  state = { loading: true, error: null, items: [], total: 0 };

  componentDidMount() {
    this.load();
  }

  load = async () => {
    this.setState({ loading: true, error: null });
    try {
      const page = await api('GET', tenantPath(`/leads?limit=${PAGE_SIZE}`));
      this.setState({ loading: false, items: page.items, total: page.total });
    } catch (error) {
      this.setState({ loading: false, error: t('leads.failed', { detail: error.message }) });
    }
  };

  render(props, state) {
    const columns = Object.fromEntries(BANDS.map((band) => [band, []]));
    state.items.forEach((lead) => columns[BANDS.includes(lead.band) ? lead.band : 'NONE'].push(lead));
    return h('section', { class: 'page', 'aria-labelledby': 'page-title' },
      h('header', { class: 'page-header' },
        h('h1', { id: 'page-title', tabindex: -1 }, t('leads.title')),
        h('p', { class: 'summary', 'aria-live': 'polite' },
          state.loading ? t('leads.loading') : t('leads.total', { total: state.total })),
        h('button', { type: 'button', onClick: this.load, disabled: state.loading }, t('leads.refresh'))),
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
        ? h('ul', { class: 'leads' }, columns[band].map(card))
        : h('p', { class: 'empty' }, t('leads.empty'))))));
  }
}
