// The tokens page (issue 8, item 5): the balance as the Tenant entity has it (GET …/tokens), the alerts
// (…/tokens/notifications), today's burn against the daily limit, the ledger (paged) and this month's usage by
// operation, channel and day (…/usage?groupBy=) as charts with their tables. Admins buy top-ups here. Live: a
// `tokens.changed` event re-reads the page (coalesced, decision 37).
import { h, Component } from './vendor.js';
import { t } from './i18n.js';
import { api, currentSession, tenantPath } from './api.js';
import { dataTable, liveReload, when } from './tokens-common.js';
import { UsageChart } from './tokens-chart.js';
import { TopUp } from './tokens-topup.js';

const LEDGER_PAGE = 20;
/** The ledger is a projection that trails the balance by moments: re-read it this often, this many times, until it has caught up. */
const CATCH_UP_MS = 300;
const CATCH_UP_TRIES = 20;
const GROUPS = ['operation', 'channel', 'day'];
/** Billing write is the Admin's alone (PRODUCT §9); the API refuses anyone else anyway. */
const BUYERS = ['Admin'];

function usageTable(report) {
  return {
    columns: [
      { label: t(`tokens.usage.key.${report.groupBy}`) },
      { label: t('tokens.usage.tokens'), numeric: true },
      { label: t('tokens.usage.debits'), numeric: true },
      { label: t('tokens.usage.aiCalls'), numeric: true },
      { label: t('tokens.usage.outbound'), numeric: true },
    ],
    rows: report.rows.map((row) => [row.key, row.tokens, String(row.debits), String(row.aiCalls), String(row.outboundMessages)]),
  };
}

function figure(label, value, extra) {
  return h('div', { class: 'figure' }, h('dt', null, label), h('dd', null, value, extra || null));
}

export class Tokens extends Component {
  state = { loading: true, error: null, balance: null, alerts: [], ledger: { items: [], total: 0 }, offset: 0, usage: {} };

  componentDidMount() {
    this.load();
    this.unsubscribe = liveReload(['tokens.changed'], this.load);
  }

  componentWillUnmount() {
    this.unsubscribe();
    clearTimeout(this.catchUp);
  }

  load = async () => {
    try {
      const [balance, alerts, ledger, ...reports] = await Promise.all([
        api('GET', tenantPath('/tokens')),
        api('GET', tenantPath('/tokens/notifications?limit=5')),
        api('GET', tenantPath(`/tokens/ledger?limit=${LEDGER_PAGE}&offset=${this.state.offset}`)),
        ...GROUPS.map((group) => api('GET', tenantPath(`/usage?groupBy=${group}`))),
      ]);
      const usage = Object.fromEntries(GROUPS.map((group, index) => [group, reports[index]]));
      this.setState({ loading: false, error: null, balance, alerts: alerts.items, ledger, usage });
      this.catchUpWith(balance, ledger);
    } catch (error) {
      this.setState({ loading: false, error: t('tokens.failed', { detail: error.message }) });
    }
  };

  /** The balance names its last ledger entry; while the ledger's newest is older, read again shortly (bounded). */
  catchUpWith(balance, ledger) {
    clearTimeout(this.catchUp);
    const behind = this.state.offset === 0 && (ledger.items[0]?.entryId ?? 0) < balance.ledgerPosition;
    this.tries = behind ? (this.tries || 0) + 1 : 0;
    if (behind && this.tries <= CATCH_UP_TRIES) this.catchUp = setTimeout(this.load, CATCH_UP_MS);
  }

  page = (offset) => this.setState({ offset }, this.load);

  chart(group, kind) {
    const report = this.state.usage[group];
    if (!report) return null;
    const rows = report.rows;
    return h(UsageChart, {
      id: `usage-${group}`,
      title: t(`tokens.usage.by.${group}`),
      kind,
      labels: rows.map((row) => row.key),
      values: rows.map((row) => Number(row.tokens)),
      valueLabel: t('tokens.usage.tokens'),
      summary: t('tokens.usage.summary', { total: report.totals.tokens, count: rows.length }),
      table: usageTable(report),
      empty: t('tokens.usage.empty'),
      onError: () => this.setState({ error: t('tokens.chartsUnavailable') }),
    });
  }

  render(props, state) {
    const { balance, ledger, offset } = state;
    const role = currentSession()?.user.role;
    return h('section', { class: 'page tokens', 'aria-labelledby': 'page-title' },
      h('header', { class: 'page-header' },
        h('h1', { id: 'page-title', tabindex: -1 }, t('tokens.title')),
        h('p', { class: 'summary', 'aria-live': 'polite' }, state.loading ? t('tokens.loading')
          : balance ? t('tokens.summary', { balance: balance.balance, plan: balance.plan }) : ''),
        h('button', { type: 'button', class: 'secondary', onClick: this.load }, t('tokens.refresh'))),
      state.error ? h('p', { class: 'error', role: 'alert' }, state.error) : null,
      balance ? this.account(balance) : null,
      state.alerts.length ? h('section', { class: 'panel', 'aria-labelledby': 'alerts-title' },
        h('h2', { id: 'alerts-title' }, t('tokens.alerts')),
        h('ul', { class: 'alerts' }, state.alerts.map((alert) => h('li', { key: alert.id, class: `alert alert-${alert.level}` },
          h('span', { class: 'alert-level' }, alert.level), ' ', alert.message, ' ',
          h('time', { datetime: alert.at, class: 'hint' }, when(alert.at)))))) : null,
      BUYERS.includes(role) ? h(TopUp, { onCredited: this.load }) : null,
      h('section', { class: 'panel', 'aria-labelledby': 'usage-title' },
        h('h2', { id: 'usage-title' }, t('tokens.usage.title')),
        h('div', { class: 'charts' }, this.chart('operation', 'bar'), this.chart('channel', 'bar'), this.chart('day', 'line'))),
      h('section', { class: 'panel', 'aria-labelledby': 'ledger-title' },
        h('h2', { id: 'ledger-title' }, t('tokens.ledger.title')),
        dataTable({
          caption: t('tokens.ledger.caption', { from: ledger.total ? offset + 1 : 0, to: offset + ledger.items.length, total: ledger.total }),
          className: 'ledger',
          columns: [
            { label: t('tokens.ledger.entry'), numeric: true }, { label: t('tokens.ledger.at') },
            { label: t('tokens.ledger.operation') }, { label: t('tokens.ledger.tokens'), numeric: true },
            { label: t('tokens.ledger.balanceAfter'), numeric: true }, { label: t('tokens.ledger.reference') },
          ],
          rows: ledger.items.map((entry) => [String(entry.entryId), when(entry.at), entry.operation,
            (entry.kind === 'credit' ? '+' : '−') + entry.tokens, entry.balanceAfter, entry.reason || entry.reference || '']),
          empty: t('tokens.ledger.empty'),
        }),
        h('div', { class: 'pager' },
          h('button', { type: 'button', class: 'secondary', disabled: offset === 0,
            onClick: () => this.page(Math.max(0, offset - LEDGER_PAGE)) }, t('tokens.ledger.newer')),
          h('button', { type: 'button', class: 'secondary', disabled: offset + LEDGER_PAGE >= ledger.total,
            onClick: () => this.page(offset + LEDGER_PAGE) }, t('tokens.ledger.older')))));
  }

  account(balance) {
    const burn = Number(balance.burnToday);
    const limit = Number(balance.dailyBurnLimit);
    return h('section', { class: 'panel', 'aria-labelledby': 'account-title' },
      h('h2', { id: 'account-title' }, t('tokens.account')),
      h('dl', { class: 'figures' },
        figure(t('tokens.balance'), h('span', { class: 'tokens-balance', 'aria-live': 'polite' }, balance.balance)),
        figure(t('tokens.plan'), balance.plan),
        figure(t('tokens.period'), t('tokens.periodValue', { consumed: balance.consumed, credit: balance.periodCredit, start: balance.periodStart })),
        figure(t('tokens.burn'), t('tokens.burnValue', { burn: balance.burnToday, limit: balance.dailyBurnLimit }),
          h('progress', { max: limit || 1, value: Math.min(burn, limit || 1), 'aria-label': t('tokens.burn') })),
        figure(t('tokens.ai'), h('span', { class: balance.aiPaused ? 'ai-paused' : 'ai-running', 'data-ai': balance.aiMode },
          balance.aiPaused ? t('tokens.aiPaused', { reason: t(`tokens.pause.${balance.pauseReason}`) })
            : t('tokens.aiRunning', { mode: balance.aiMode })))));
  }
}
