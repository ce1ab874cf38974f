// The operator's page: the cluster at a glance from GET /ops/overview (members, shards and live entities per node,
// webhook ingest rate and acknowledgement latency, AI queue depth and backpressure, unrouted content). These are node
// metrics, not projection rows, so there is no live feed for them: the page asks again every few seconds while the
// tab is visible (a hidden tab asks nothing) and on demand.
import { h, Component } from './vendor.js';
import { t } from './i18n.js';
import { api } from './api.js';
import { number, millis, modeBadge, Members, Ingest, Backpressure, Shards, Unrouted } from './ops-tables.js';

/** How often a visible page asks again. */
const REFRESH_MS = 5000;

function card(label, value, props = {}) {
  return h('div', { class: 'ops-card', ...props }, h('p', { class: 'ops-card-label' }, label),
    h('p', { class: 'ops-card-value' }, value));
}

export class Ops extends Component {
  state = { loading: true, error: null, overview: null, updatedAt: null };

  componentDidMount() {
    this.load();
    document.addEventListener('visibilitychange', this.onVisibility);
  }

  componentWillUnmount() {
    this.stopped = true;
    clearTimeout(this.timer);
    document.removeEventListener('visibilitychange', this.onVisibility);
  }

  onVisibility = () => {
    if (document.visibilityState === 'visible') this.load();
  };

  /** One request at a time; the next one is scheduled after this one ends, and only while the tab is visible. */
  load = async () => {
    clearTimeout(this.timer);
    if (this.inFlight) return;
    this.inFlight = true;
    this.setState({ loading: true });
    try {
      const overview = await api('GET', '/ops/overview');
      if (!this.stopped) this.setState({ loading: false, error: null, overview, updatedAt: new Date() });
    } catch (error) {
      if (!this.stopped) this.setState({ loading: false, error: t('ops.failed', { detail: error.message }) });
    } finally {
      this.inFlight = false;
      if (!this.stopped && document.visibilityState === 'visible') this.timer = setTimeout(this.load, REFRESH_MS);
    }
  };

  render(props, { loading, error, overview, updatedAt }) {
    return h('section', { class: 'page ops', 'aria-labelledby': 'page-title' },
      h('header', { class: 'page-header' },
        h('h1', { id: 'page-title', tabindex: -1 }, t('ops.title')),
        h('p', { class: 'summary' }, updatedAt
          ? t('ops.updated', { time: updatedAt.toLocaleTimeString(), seconds: REFRESH_MS / 1000 })
          : t('ops.loading')),
        h('button', { type: 'button', onClick: this.load, disabled: loading && !overview }, t('ops.refresh'))),
      error ? h('p', { class: 'error', role: 'alert' }, error) : null,
      overview ? this.body(overview) : null);
  }

  body(overview) {
    const ingest = overview.ingest.cluster;
    const backpressure = overview.backpressure;
    const members = overview.cluster.members;
    return [
      h('div', { class: 'ops-cards', key: 'cards' },
        card(t('ops.card.mode'), h('span', { 'aria-live': 'polite', role: 'status', id: 'ops-mode' },
          backpressure.available === false ? t('ops.unavailable') : modeBadge(backpressure.mode))),
        card(t('ops.card.depth'), h('span', { 'aria-live': 'polite' },
          backpressure.available === false ? '—' : number(backpressure.depth))),
        card(t('ops.card.webhooks'), h('span', { id: 'ops-webhook-rate' }, t('ops.perSecond', { n: number(ingest.webhooks.perSecond1m) }))),
        card(t('ops.card.messages'), t('ops.perSecond', { n: number(ingest.leadMessages.perSecond1m) })),
        card(t('ops.card.latency'), ['p50', 'p90', 'p99'].map((p) => h('span', { class: 'ops-line', key: p },
          t('ops.percentile', { p: p.toUpperCase(), value: millis(ingest.ackLatencyMs[p]) })))),
        card(t('ops.card.members'), t('ops.membersUp', {
          up: members.filter((m) => m.status === 'Up' && m.reachable).length, total: members.length,
        })),
        card(t('ops.card.unrouted'), overview.unrouted.available === false ? '—' : number(overview.unrouted.count))),
      h(Members, { key: 'members', cluster: overview.cluster, self: overview.node }),
      h(Ingest, { key: 'ingest', ingest: overview.ingest, self: overview.node }),
      h(Backpressure, { key: 'backpressure', backpressure, self: overview.node }),
      h(Shards, { key: 'shards', shards: overview.shards, self: overview.node }),
      h(Unrouted, { key: 'unrouted', unrouted: overview.unrouted }),
    ];
  }
}
