// The compliance page (issue 8, item 6), from GET …/compliance/summary and …/compliance/decisions: each account's
// quality, tier and suspension, the customer-service windows open and closed per channel, tier use per WhatsApp
// portfolio, sends the gate stopped counted by rule, the quality history, Meta's notices and the recent decisions,
// filterable by verdict and rule. Live: `compliance.decision` re-reads it (coalesced to one re-read every 2 s).
import { h, Component } from './vendor.js';
import { t } from './i18n.js';
import { api, tenantPath } from './api.js';
import { dataTable, liveReload, when } from './tokens-common.js';

const VERDICTS = ['send', 'template', 'defer', 'block'];
const PAGE = 20;

function filterSelect(id, label, value, options, onChange) {
  return h('div', { class: 'field' },
    h('label', { for: id }, label),
    h('select', { id, value, onChange: (event) => onChange(event.currentTarget.value) },
      h('option', { value: '' }, t('compliance.filter.all')),
      options.map((option) => h('option', { value: option, key: option }, option))));
}

export class Compliance extends Component {
  state = { loading: true, error: null, summary: null, decisions: { items: [], total: 0 }, verdict: '', rule: '', offset: 0 };

  componentDidMount() {
    this.load();
    this.unsubscribe = liveReload(['compliance.decision'], this.load, 2000);
  }

  componentWillUnmount() {
    this.unsubscribe();
  }

  load = async () => {
    const { verdict, rule, offset } = this.state;
    const query = new URLSearchParams({ limit: String(PAGE), offset: String(offset) });
    if (verdict) query.set('verdict', verdict);
    if (rule) query.set('rule', rule);
    try {
      const [summary, decisions] = await Promise.all([
        api('GET', tenantPath('/compliance/summary')),
        api('GET', tenantPath(`/compliance/decisions?${query}`)),
      ]);
      this.setState({ loading: false, error: null, summary, decisions });
    } catch (error) {
      this.setState({ loading: false, error: t('compliance.failed', { detail: error.message }) });
    }
  };

  filter = (change) => this.setState({ ...change, offset: 0 }, this.load);

  render(props, state) {
    const summary = state.summary;
    return h('section', { class: 'page compliance', 'aria-labelledby': 'page-title' },
      h('header', { class: 'page-header' },
        h('h1', { id: 'page-title', tabindex: -1 }, t('compliance.title')),
        h('p', { class: 'summary', 'aria-live': 'polite' }, state.loading ? t('compliance.loading')
          : summary ? t('compliance.summary', { accounts: summary.accounts.length, suspended: summary.suspendedAccounts.length }) : ''),
        h('button', { type: 'button', class: 'secondary', onClick: this.load }, t('compliance.refresh'))),
      state.error ? h('p', { class: 'error', role: 'alert' }, state.error) : null,
      summary ? this.overview(summary) : null,
      summary ? this.decisions(summary, state) : null);
  }

  overview(summary) {
    return h('div', { class: 'compliance-grid' },
      h('section', { class: 'panel', 'aria-labelledby': 'accounts-title' },
        h('h2', { id: 'accounts-title' }, t('compliance.accounts')),
        summary.suspendedAccounts.length
          ? h('p', { class: 'error', role: 'alert' }, t('compliance.suspended', { accounts: summary.suspendedAccounts.map((a) => a.externalId).join(', ') }))
          : h('p', { class: 'hint' }, t('compliance.noneSuspended')),
        dataTable({
          caption: t('compliance.accounts'),
          columns: [{ label: t('compliance.account') }, { label: t('compliance.channel') }, { label: t('compliance.quality') },
            { label: t('compliance.tierLimit'), numeric: true }, { label: t('compliance.state') }],
          rows: summary.accounts.map((account) => [account.externalId, account.channel, account.quality || '—',
            account.tierLimit == null ? '—' : String(account.tierLimit),
            account.suspension ? t('compliance.stateSuspended') : t('compliance.stateActive')]),
          empty: t('compliance.noAccounts'),
        })),
      h('section', { class: 'panel', 'aria-labelledby': 'windows-title' },
        h('h2', { id: 'windows-title' }, t('compliance.windows')),
        dataTable({
          caption: t('compliance.windowsCaption'),
          className: 'windows',
          columns: [{ label: t('compliance.channel') }, { label: t('compliance.open'), numeric: true },
            { label: t('compliance.closed'), numeric: true }],
          rows: summary.windows.map((window) => [window.channel, String(window.open), String(window.closed)]),
          empty: t('compliance.noWindows'),
        }),
        h('h3', null, t('compliance.tiers')),
        summary.tiers.length ? h('ul', { class: 'tiers' }, summary.tiers.map((tier) => h('li', { key: tier.businessAccountId },
          h('span', null, t('compliance.tier', { portfolio: tier.businessAccountId, used: tier.used, limit: tier.limit })),
          tier.limit === 'unlimited' ? null : h('progress', { max: Number(tier.limit), value: tier.used,
            'aria-label': t('compliance.tierUse', { portfolio: tier.businessAccountId }) }))))
          : h('p', { class: 'hint' }, t('compliance.noTiers'))),
      h('section', { class: 'panel', 'aria-labelledby': 'prevented-title' },
        h('h2', { id: 'prevented-title' }, t('compliance.prevented')),
        dataTable({
          caption: t('compliance.preventedCaption'),
          className: 'prevented',
          columns: [{ label: t('compliance.rule') }, { label: t('compliance.verdict') }, { label: t('compliance.count'), numeric: true }],
          rows: summary.prevented.map((row) => [row.rule, row.verdict, String(row.count)]),
          empty: t('compliance.nonePrevented'),
        })),
      h('section', { class: 'panel', 'aria-labelledby': 'quality-title' },
        h('h2', { id: 'quality-title' }, t('compliance.history')),
        dataTable({
          caption: t('compliance.history'),
          columns: [{ label: t('compliance.at') }, { label: t('compliance.account') }, { label: t('compliance.event') },
            { label: t('compliance.quality') }, { label: t('compliance.reason') }],
          rows: summary.qualityHistory.slice(0, 10).map((row) => [when(row.at), row.account, row.event || row.kind,
            row.previousQuality && row.quality && row.previousQuality !== row.quality ? `${row.previousQuality} → ${row.quality}` : (row.quality || '—'),
            row.reason || '']),
          empty: t('compliance.noHistory'),
        }),
        summary.notifications.length ? h('div', null,
          h('h3', null, t('compliance.notifications')),
          h('ul', { class: 'alerts' }, summary.notifications.slice(0, 5).map((note, index) => h('li', { key: index, class: `alert alert-${note.level}` },
            h('span', { class: 'alert-level' }, note.level), ' ', note.message, ' ', h('time', { datetime: note.at, class: 'hint' }, when(note.at))))))
          : null));
  }

  decisions(summary, state) {
    const { decisions, verdict, rule, offset } = state;
    const rules = [...new Set([...summary.prevented.map((row) => row.rule), ...(rule ? [rule] : [])])].sort();
    return h('section', { class: 'panel', 'aria-labelledby': 'decisions-title' },
      h('h2', { id: 'decisions-title' }, t('compliance.decisions')),
      h('div', { class: 'filters', role: 'group', 'aria-label': t('compliance.filters') },
        filterSelect('decision-verdict', t('compliance.verdict'), verdict, VERDICTS, (value) => this.filter({ verdict: value })),
        filterSelect('decision-rule', t('compliance.rule'), rule, rules, (value) => this.filter({ rule: value }))),
      dataTable({
        caption: t('compliance.decisionsCaption', { shown: decisions.items.length, total: decisions.total }),
        className: 'decisions',
        columns: [{ label: t('compliance.at') }, { label: t('compliance.lead') }, { label: t('compliance.channel') },
          { label: t('compliance.author') }, { label: t('compliance.verdict') }, { label: t('compliance.rule') },
          { label: t('compliance.template') }],
        rows: decisions.items.map((row) => [when(row.decidedAt), row.leadId, row.channel, row.author,
          h('span', { class: `verdict verdict-${row.verdict}` }, row.verdict), row.rule || '—', row.templateName || '—']),
        empty: t('compliance.noDecisions'),
      }),
      h('div', { class: 'pager' },
        h('button', { type: 'button', class: 'secondary', disabled: offset === 0,
          onClick: () => this.setState({ offset: Math.max(0, offset - PAGE) }, this.load) }, t('compliance.newer')),
        h('button', { type: 'button', class: 'secondary', disabled: offset + PAGE >= decisions.total,
          onClick: () => this.setState({ offset: offset + PAGE }, this.load) }, t('compliance.older'))));
  }
}
