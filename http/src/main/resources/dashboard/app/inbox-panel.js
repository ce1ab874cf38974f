// The side panel of the inbox: who the lead is (profile, identifiers per channel, source), consent, the AI's score
// with its top-3 factors and history, the interview's progress, escalation, assignment — and who answers the lead:
// the AI, or a person who took the conversation over (POST …/takeover, …/handback).
import { h, Component } from './vendor.js';
import { t, age } from './i18n.js';
import { api, currentSession, tenantPath } from './api.js';

const SLOTS = ['NEED', 'BUDGET', 'TIMELINE', 'AUTHORITY', 'OBJECTIONS', 'NEXT_STEP'];
const DONE = ['filled', 'answered'];

function row(label, value) {
  if (value == null || value === '') return null;
  return [h('dt', null, label), h('dd', { dir: 'auto' }, value)];
}

function profile(lead) {
  const source = lead.attribution
    ? [lead.attribution.source, lead.attribution.utmSource, lead.attribution.utmMedium, lead.attribution.utmCampaign]
      .filter(Boolean).join(' · ')
    : null;
  return h('section', { 'aria-labelledby': 'panel-profile' },
    h('h3', { id: 'panel-profile' }, t('inbox.profile')),
    h('dl', { class: 'facts' },
      row(t('inbox.name'), lead.name),
      row(t('inbox.phone'), lead.phone || lead.phoneMasked),
      row(t('inbox.email'), lead.email),
      row(t('inbox.id.whatsapp'), lead.waId),
      row(t('inbox.id.instagram'), lead.igsid),
      row(t('inbox.id.messenger'), lead.psid),
      row(t('inbox.source'), source),
      row(t('inbox.firstSeen'), lead.firstInboundAt ? age(lead.firstInboundAt) : null)));
}

function consent(records) {
  return h('section', { 'aria-labelledby': 'panel-consent' },
    h('h3', { id: 'panel-consent' }, t('inbox.consent')),
    records.length
      ? h('ul', { class: 'plain' }, records.map((record) => h('li', { key: record.recordId },
        t(record.granted ? 'inbox.consentGranted' : 'inbox.consentWithdrawn',
          { purpose: record.purpose, channel: record.channel, source: record.source }))))
      : h('p', { class: 'muted' }, t('inbox.noConsent')));
}

function score(ai) {
  if (ai.score == null) {
    return h('section', { 'aria-labelledby': 'panel-score' },
      h('h3', { id: 'panel-score' }, t('inbox.score')), h('p', { class: 'muted' }, t('inbox.notScored')));
  }
  const history = (ai.scoreHistory || []).slice(0, 5);
  return h('section', { 'aria-labelledby': 'panel-score' },
    h('h3', { id: 'panel-score' }, t('inbox.score')),
    h('p', { class: 'score-line' },
      h('span', { class: `band band-${ai.band}` }, t(`inbox.band.${ai.band}`)),
      h('span', { class: 'score-value' }, t('inbox.scoreValue', { score: ai.score }))),
    h('ol', { class: 'plain factors', 'aria-label': t('inbox.factors') },
      (ai.topFactors || []).slice(0, 3).map((factor) => h('li', { key: factor.name }, factor.reason || factor.name))),
    history.length > 1 ? h('p', { class: 'history' }, t('inbox.history'), ' ',
      history.slice().reverse().map((entry) => entry.score).join(' → ')) : null);
}

function qualification(ai) {
  const slots = ai.slots || {};
  const answered = SLOTS.filter((slot) => DONE.includes(slots[slot])).length;
  return h('section', { 'aria-labelledby': 'panel-qualification' },
    h('h3', { id: 'panel-qualification' }, t('inbox.qualification')),
    h('p', null, t('inbox.qualified', { answered, total: SLOTS.length, asked: ai.questionsAsked || 0 })),
    h('ul', { class: 'slots' }, SLOTS.map((slot) => h('li', { key: slot, class: `slot slot-${slots[slot] || 'open'}` },
      t(`inbox.slot.${slot}`), ': ', t(`inbox.slotState.${slots[slot] || 'open'}`)))),
    ai.escalateReasons?.length
      ? h('p', { class: 'escalated' }, t('inbox.escalated', { reasons: ai.escalateReasons.join(', ') })) : null);
}

function assignment(lead, routing) {
  const me = currentSession()?.user?.id;
  const current = routing?.assignments?.find((entry) => !entry.endedAt);
  let text = t('inbox.unassigned');
  if (lead.assignedTo) text = lead.assignedTo === me ? t('inbox.assignedToYou') : t('inbox.assignedTo', { who: lead.assignedTo });
  return h('section', { 'aria-labelledby': 'panel-assignment' },
    h('h3', { id: 'panel-assignment' }, t('inbox.assignment')),
    h('p', null, text, current?.assignedAt ? ` · ${age(current.assignedAt)}` : ''));
}

export class LeadPanel extends Component {
  state = { ai: null, consents: [], routing: null, error: null, busy: false, handling: null };

  componentDidMount() {
    this.load();
  }

  componentDidUpdate(previous) {
    if (previous.lead?.id !== this.props.lead?.id) this.setState({ ai: null, handling: null }, this.load);
    else if (previous.version !== this.props.version) this.load();
  }

  load = async () => {
    const id = encodeURIComponent(this.props.lead.id);
    const quiet = (promise) => promise.catch(() => null);
    try {
      const [ai, consents, routing] = await Promise.all([
        api('GET', tenantPath(`/leads/${id}/ai`)),
        quiet(api('GET', tenantPath(`/leads/${id}/consents`))),
        quiet(api('GET', tenantPath(`/leads/${id}/routing`))),
      ]);
      // the takeover's own answer wins until the read model shows the same
      const handling = this.state.handling && this.state.handling.handledBy !== ai.handledBy ? this.state.handling : null;
      this.setState({ ai, consents: consents?.items || [], routing, handling, error: null });
    } catch (error) {
      this.setState({ error: t('inbox.panelFailed', { detail: error.message }) });
    }
  };

  /** Takes over or hands back; the agent answers at once (the read model follows a moment later). */
  act = async (what) => {
    this.setState({ busy: true, error: null });
    try {
      const handling = await api('POST', tenantPath(`/leads/${encodeURIComponent(this.props.lead.id)}/${what}`), {});
      this.setState({ busy: false, handling });
    } catch (error) {
      this.setState({ busy: false, error: t('inbox.actFailed', { detail: error.message }) });
    }
  };

  render({ lead }, state) {
    const ai = state.ai || {};
    const handledBy = state.handling?.handledBy || ai.handledBy || lead.handledBy || 'ai';
    const by = state.handling ? state.handling.takenOverBy : (ai.takenOverBy || lead.takenOverBy);
    const me = currentSession()?.user?.id;
    return h('aside', { class: 'panel', 'aria-labelledby': 'panel-title' },
      h('h2', { id: 'panel-title', dir: 'auto' }, lead.name || lead.phoneMasked || t('inbox.unnamed')),
      h('section', { class: `handling handling-${handledBy}`, 'aria-labelledby': 'panel-handling' },
        h('h3', { id: 'panel-handling' }, t('inbox.handling')),
        h('p', { class: 'handled-by', role: 'status', 'aria-live': 'polite' },
          handledBy === 'human'
            ? (by === me ? t('inbox.handledByYou') : t('inbox.handledByPerson', { who: by || '' }))
            : t('inbox.handledByAi')),
        handledBy === 'human'
          ? h('button', { type: 'button', disabled: state.busy, onClick: () => this.act('handback') }, t('inbox.handBack'))
          : h('button', { type: 'button', disabled: state.busy, onClick: () => this.act('takeover') }, t('inbox.takeOver'))),
      state.error ? h('p', { class: 'error', role: 'alert' }, state.error) : null,
      profile(lead),
      consent(state.consents),
      state.ai ? score(ai) : null,
      state.ai ? qualification(ai) : null,
      assignment(lead, state.routing));
  }
}
