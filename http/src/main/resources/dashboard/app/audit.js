// The audit page (issue 8, item 7): the tenant's tamper-evident log (GET …/audit, filtered by action, subject and
// time, paged by sequence number through `after`/`nextAfter`) and the chain verification (GET …/audit/verify),
// whose result is announced. Verifying is for the roles holding AUDIT VERIFY (Admin, Manager, Auditor; Product
// reads only); the API enforces it anyway.
import { h, Component } from './vendor.js';
import { t } from './i18n.js';
import { api, currentSession, tenantPath } from './api.js';
import { dataTable, when } from './tokens-common.js';

const PAGE = 50;
const VERIFIERS = ['Admin', 'Manager', 'Auditor'];
const FILTERS = ['action', 'subject', 'from', 'to'];

/** A datetime-local value (the reader's local time) as an ISO instant; '' stays ''. */
function instant(local) {
  return local ? new Date(local).toISOString() : '';
}

function details(entry) {
  const text = entry.details && Object.keys(entry.details).length ? JSON.stringify(entry.details) : '';
  return text.length > 160 ? `${text.slice(0, 160)}…` : text;
}

export class Audit extends Component {
  state = {
    loading: true, error: null, items: [], nextAfter: null, cursors: [0],
    draft: { action: '', subject: '', from: '', to: '' }, applied: {}, verifying: false, verification: null,
  };

  componentDidMount() {
    this.load();
  }

  load = async () => {
    const { cursors, applied } = this.state;
    const query = new URLSearchParams({ limit: String(PAGE), after: String(cursors[cursors.length - 1]) });
    FILTERS.forEach((name) => {
      const value = name === 'from' || name === 'to' ? instant(applied[name]) : (applied[name] || '').trim();
      if (value) query.set(name, value);
    });
    this.setState({ loading: true, error: null });
    try {
      const page = await api('GET', tenantPath(`/audit?${query}`));
      this.setState({ loading: false, items: page.items, nextAfter: page.nextAfter });
    } catch (error) {
      this.setState({ loading: false, error: t('audit.failed', { detail: error.message }) });
    }
  };

  apply = (event) => {
    event.preventDefault();
    this.setState({ applied: { ...this.state.draft }, cursors: [0] }, this.load);
  };

  clear = () => {
    const draft = { action: '', subject: '', from: '', to: '' };
    this.setState({ draft, applied: {}, cursors: [0] }, this.load);
  };

  verify = async () => {
    this.setState({ verifying: true, verification: null });
    try {
      const result = await api('GET', tenantPath('/audit/verify'));
      this.setState({ verifying: false, verification: result.valid
        ? { ok: true, text: t('audit.intact', { entries: result.entries }) }
        : { ok: false, text: t('audit.broken', { seq: result.firstBrokenSeq, entries: result.entries }) } });
    } catch (error) {
      this.setState({ verifying: false, verification: { ok: false, text: t('audit.verifyFailed', { detail: error.message }) } });
    }
  };

  field(name, type) {
    const id = `audit-${name}`;
    return h('div', { class: 'field' },
      h('label', { for: id }, t(`audit.filter.${name}`)),
      h('input', { id, name, type, value: this.state.draft[name],
        onInput: (event) => this.setState({ draft: { ...this.state.draft, [name]: event.currentTarget.value } }) }));
  }

  render(props, state) {
    const { items, cursors, nextAfter, verification } = state;
    const mayVerify = VERIFIERS.includes(currentSession()?.user.role);
    return h('section', { class: 'page audit', 'aria-labelledby': 'page-title' },
      h('header', { class: 'page-header' },
        h('h1', { id: 'page-title', tabindex: -1 }, t('audit.title')),
        h('p', { class: 'summary', 'aria-live': 'polite' }, state.loading ? t('audit.loading') : t('audit.shown', { count: items.length }))),
      mayVerify ? h('section', { class: 'panel verify', 'aria-labelledby': 'verify-title' },
        h('h2', { id: 'verify-title' }, t('audit.verifyTitle')),
        h('p', { class: 'hint' }, t('audit.verifyIntro')),
        h('button', { type: 'button', onClick: this.verify, disabled: state.verifying }, state.verifying ? t('audit.verifying') : t('audit.verify')),
        h('p', { class: `verification ${verification ? (verification.ok ? 'intact' : 'broken') : ''}`, role: 'status', 'aria-live': 'polite' },
          verification ? verification.text : '')) : null,
      h('form', { class: 'panel filters audit-filters', onSubmit: this.apply, 'aria-label': t('audit.filters') },
        this.field('action', 'text'), this.field('subject', 'text'),
        this.field('from', 'datetime-local'), this.field('to', 'datetime-local'),
        h('div', { class: 'filter-actions' },
          h('button', { type: 'submit' }, t('audit.apply')),
          h('button', { type: 'button', class: 'secondary', onClick: this.clear }, t('audit.clear')))),
      state.error ? h('p', { class: 'error', role: 'alert' }, state.error) : null,
      dataTable({
        caption: t('audit.caption'),
        className: 'audit-log',
        columns: [{ label: t('audit.seq'), numeric: true }, { label: t('audit.at') }, { label: t('audit.actor') },
          { label: t('audit.action') }, { label: t('audit.subject') }, { label: t('audit.details') }],
        rows: items.map((entry) => [String(entry.seq), when(entry.at), entry.actor, entry.action, entry.subject || '',
          h('code', { class: 'wrap', dir: 'auto' }, details(entry))]),
        empty: t('audit.empty'),
      }),
      h('div', { class: 'pager' },
        h('button', { type: 'button', class: 'secondary', disabled: cursors.length < 2,
          onClick: () => this.setState({ cursors: cursors.slice(0, -1) }, this.load) }, t('audit.previous')),
        h('button', { type: 'button', class: 'secondary', disabled: nextAfter == null,
          onClick: () => this.setState({ cursors: [...cursors, nextAfter] }, this.load) }, t('audit.next'))));
  }
}
