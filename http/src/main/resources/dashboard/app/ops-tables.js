// The Ops page's tables: every one in a scrollable, labelled region so that a phone scrolls the table, not the page.
import { h } from './vendor.js';
import { t, age } from './i18n.js';

const numbers = new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 });

export function number(value) {
  return value == null ? '—' : numbers.format(value);
}

export function millis(value) {
  return value == null ? '—' : t('ops.ms', { n: numbers.format(value) });
}

export function modeBadge(mode) {
  if (!mode) return t('ops.unavailable');
  return h('span', { class: `ops-mode ops-mode-${mode}` }, t(`ops.mode.${mode}`));
}

/** "10.0.0.5:25520" from "pekko://flexoraa@10.0.0.5:25520"; the full address stays in the title. */
function node(address, self) {
  const short = String(address).replace(/^[a-z]+:\/\/[^@]*@/, '');
  return h('span', { title: address, class: 'ops-node' }, short,
    address === self ? h('span', { class: 'ops-self' }, t('ops.thisNode')) : null);
}

function table(id, caption, headings, rows) {
  return h('section', { class: 'ops-section', 'aria-labelledby': `${id}-title` },
    h('h2', { id: `${id}-title` }, caption),
    h('div', { class: 'ops-scroll', role: 'region', tabindex: 0, 'aria-labelledby': `${id}-title` },
      h('table', { class: 'ops-table', id },
        h('thead', null, h('tr', null, headings.map((heading) => h('th', { scope: 'col' }, heading)))),
        h('tbody', null, rows))));
}

const unanswered = (columns) => h('td', { colspan: columns, class: 'ops-missing' }, t('ops.noAnswer'));

export function Members({ cluster, self }) {
  const rows = cluster.members.map((member) => h('tr', { key: member.address },
    h('th', { scope: 'row' }, node(member.address, self),
      member.address === cluster.leader ? h('span', { class: 'ops-self' }, t('ops.leader')) : null),
    h('td', null, member.status),
    h('td', null, member.reachable ? t('ops.yes') : h('strong', { class: 'error' }, t('ops.no'))),
    h('td', null, member.roles.join(', ') || '—'),
    h('td', null, member.upSince ? age(member.upSince) : '—')));
  return table('ops-members', t('ops.members'),
    [t('ops.col.node'), t('ops.col.status'), t('ops.col.reachable'), t('ops.col.roles'), t('ops.col.upSince')], rows);
}

function ingestCells(figures) {
  return [
    h('td', null, number(figures.webhooks.perSecond1m)), h('td', null, number(figures.webhooks.perSecond5m)),
    h('td', null, number(figures.leadMessages.perSecond1m)), h('td', null, number(figures.leadMessages.perSecond5m)),
    h('td', null, millis(figures.ackLatencyMs.p50)), h('td', null, millis(figures.ackLatencyMs.p90)),
    h('td', null, millis(figures.ackLatencyMs.p99)),
  ];
}

export function Ingest({ ingest, self }) {
  const rows = ingest.nodes.map((row) => h('tr', { key: row.address },
    h('th', { scope: 'row' }, node(row.address, self)), row.available ? ingestCells(row) : unanswered(7)));
  rows.push(h('tr', { key: 'cluster', class: 'ops-total' },
    h('th', { scope: 'row' }, t('ops.clusterTotal')), ingestCells(ingest.cluster)));
  return table('ops-ingest', t('ops.ingest'), [t('ops.col.node'), t('ops.col.webhooks1m'), t('ops.col.webhooks5m'),
    t('ops.col.messages1m'), t('ops.col.messages5m'), t('ops.col.p50'), t('ops.col.p90'), t('ops.col.p99')], rows);
}

export function Backpressure({ backpressure, self }) {
  const rows = (backpressure.nodes || []).map((row) => h('tr', { key: row.address },
    h('th', { scope: 'row' }, node(row.address, self)),
    row.available
      ? [h('td', null, modeBadge(row.mode)), h('td', null, number(row.depth)), h('td', null, number(row.leads)),
        h('td', null, row.since ? age(row.since) : '—')]
      : unanswered(4)));
  return table('ops-backpressure', t('ops.backpressure'),
    [t('ops.col.node'), t('ops.col.mode'), t('ops.col.depth'), t('ops.col.leads'), t('ops.col.since')], rows);
}

export function Shards({ shards, self }) {
  const rows = shards.map((type) => h('tr', { key: type.entity, 'data-entity': type.entity },
    h('th', { scope: 'row' }, type.entity),
    h('td', { class: 'ops-shards' }, type.available ? number(type.shards) : t('ops.noAnswer')),
    h('td', { class: 'ops-entities' }, type.available ? number(type.entities) : '—'),
    h('td', null, h('ul', { class: 'ops-per-node' }, type.nodes.map((row) => h('li', { key: row.address },
      node(row.address, self), ' ',
      row.answered ? t('ops.shardsOnNode', { shards: row.shards, entities: row.entities }) : t('ops.noAnswer')))))));
  return table('ops-shard-table', t('ops.shards'),
    [t('ops.col.entity'), t('ops.col.shards'), t('ops.col.entities'), t('ops.col.perNode')], rows);
}

export function Unrouted({ unrouted }) {
  if (unrouted.available === false) {
    return h('section', { class: 'ops-section' }, h('h2', null, t('ops.unrouted')), h('p', { class: 'empty' }, t('ops.noAnswer')));
  }
  const rows = unrouted.newest.map((item) => h('tr', { key: item.id },
    h('th', { scope: 'row' }, age(item.receivedAt)),
    h('td', null, item.source), h('td', { dir: 'auto', class: 'ops-wrap' }, item.reason), h('td', { class: 'ops-wrap' }, item.accountRef || '—')));
  return h('div', { class: 'ops-section' },
    table('ops-unrouted', t('ops.unroutedCount', { count: unrouted.count }),
      [t('ops.col.received'), t('ops.col.source'), t('ops.col.reason'), t('ops.col.account')], rows),
    unrouted.count === 0 ? h('p', { class: 'empty' }, t('ops.unroutedNone')) : null);
}
