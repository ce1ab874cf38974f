// One lead's conversation across channels (GET /leads/{id}/messages: WhatsApp, Instagram, Messenger and the messages
// of merged leads, in time order), and the reply box that sends through the compliance gate (POST …/messages) and
// says in words what the gate decided.
import { h, Component } from './vendor.js';
import { t } from './i18n.js';
import { api, tenantPath } from './api.js';

/** WhatsApp's customer-service window: free text inside it, an approved template outside (PRODUCT §8). */
const WINDOW_MS = 24 * 60 * 60 * 1000;
/** How many of the latest messages the thread shows. */
const SHOWN = 200;
/** How often, and how far apart, the thread is re-read after a send until the new message shows. */
const SENT_READS = 8;
const SENT_READ_PAUSE_MS = 250;
const MEDIA = ['image', 'video', 'audio', 'voice', 'document', 'sticker', 'location', 'contacts', 'reaction',
  'attachment', 'file', 'button', 'interactive'];

export function windowClosed(lead, now = Date.now()) {
  return lead.channel === 'whatsapp' && (!lead.lastInboundAt || now - Date.parse(lead.lastInboundAt) >= WINDOW_MS);
}

function time(instant) {
  return instant ? new Date(instant).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }) : '';
}

/** ✓ sent, ✓✓ delivered, blue ✓✓ read, ⚠ failed — each with words for screen readers. */
function ticks(status) {
  const marks = { sent: '✓', delivered: '✓✓', read: '✓✓', failed: '⚠' }[status];
  if (!marks) return status ? h('span', { class: 'ticks' }, t(`inbox.status.${status}`)) : null;
  return h('span', { class: `ticks ticks-${status}`, 'data-status': status },
    h('span', { 'aria-hidden': 'true' }, marks),
    h('span', { class: 'sr-only' }, t(`inbox.status.${status}`)));
}

/** The gate's decision in words (the send API's answer and the stored message use the same fields). */
export function decisionText(decision) {
  if (!decision || !decision.decision) return null;
  const rule = decision.rule ? t(`inbox.rule.${decision.rule}`) : '';
  switch (decision.decision) {
    case 'send':
      return decision.outcome && decision.outcome !== 'sent' && decision.outcome !== 'accepted'
        ? t('inbox.decision.sendFailed', { outcome: decision.outcome }) : t('inbox.decision.send');
    case 'template':
      return decision.template
        ? t('inbox.decision.template', { template: decision.template }) : t('inbox.decision.templateUnnamed');
    case 'defer':
      return t('inbox.decision.defer', { time: time(decision.notBefore), rule });
    case 'block':
      return t('inbox.decision.block', { rule });
    default:
      return decision.decision;
  }
}

function body(message) {
  if (message.deletedAt) return h('p', { class: 'msg-text deleted' }, t('inbox.deleted'));
  const media = message.type && message.type !== 'text' && MEDIA.includes(message.type)
    ? h('p', { class: 'media' }, t(`inbox.media.${message.type}`)) : null;
  const text = message.text ? h('p', { class: 'msg-text', dir: 'auto' }, message.text) : null;
  if (!media && !text) return h('p', { class: 'msg-text muted' }, t('inbox.noText'));
  return [media, text];
}

function bubble(message) {
  const out = message.direction === 'outbound';
  const outbound = message.outbound;
  return h('li', { class: `msg ${out ? 'msg-out' : 'msg-in'}`, 'data-message': message.platformMessageId },
    h('p', { class: 'msg-meta' },
      h('span', { class: `badge badge-${message.channel}` }, t(`inbox.channel.${message.channel}`)),
      out ? h('span', { class: 'author' }, t(`inbox.author.${outbound?.author || 'human'}`)) : null,
      h('time', { datetime: message.sentAt || message.statusAt }, time(message.sentAt || message.statusAt))),
    body(message),
    out ? h('p', { class: 'msg-status' }, ticks(message.status),
      outbound?.decision ? h('span', { class: 'decision' }, decisionText(outbound)) : null) : null);
}

export class Thread extends Component {
  state = { loading: true, error: null, items: [], text: '', sending: false, sent: null, sendError: null };

  componentDidMount() {
    this.load();
  }

  componentDidUpdate(previous) {
    if (previous.leadId !== this.props.leadId) {
      this.setState({ items: [], text: '', sent: null, sendError: null, loading: true });
      this.load();
    } else if (previous.version !== this.props.version) {
      this.load();
    }
  }

  /** The latest {@link SHOWN} messages: the first page says how many there are. */
  load = async () => {
    const leadId = this.props.leadId;
    const path = (offset) => tenantPath(`/leads/${encodeURIComponent(leadId)}/messages?limit=${SHOWN}&offset=${offset}`);
    try {
      let page = await api('GET', path(0));
      if (page.total > SHOWN) page = await api('GET', path(page.total - SHOWN));
      if (leadId !== this.props.leadId) return;
      this.setState({ loading: false, error: null, items: page.items, total: page.total }, this.scrollDown);
    } catch (error) {
      this.setState({ loading: false, error: t('inbox.threadFailed', { detail: error.message }) });
    }
  };

  /**
   * The send answers before the read model has the message (its projection is a moment behind): re-read a few times
   * until it shows, without waiting for the live feed.
   */
  showSent = async (messageId) => {
    for (let attempt = 0; attempt < SENT_READS; attempt++) {
      await this.load();
      if (this.state.items.some((message) => message.outbound?.messageId === messageId)) return;
      await new Promise((resolve) => setTimeout(resolve, SENT_READ_PAUSE_MS));
    }
  };

  scrollDown = () => {
    const list = this.base?.querySelector('.messages');
    if (list) list.scrollTop = list.scrollHeight;
  };

  send = async (event) => {
    event.preventDefault();
    const text = this.state.text.trim();
    if (!text) return;
    this.setState({ sending: true, sent: null, sendError: null });
    try {
      const answer = await api('POST', tenantPath(`/leads/${encodeURIComponent(this.props.leadId)}/messages`), { text });
      this.setState({ sending: false, text: '', sent: answer });
      this.showSent(answer.messageId);
    } catch (error) {
      this.setState({ sending: false, sendError: t('inbox.sendFailed', { detail: error.message }) });
    }
  };

  render({ lead }, state) {
    const closed = lead && windowClosed(lead);
    return h('section', { class: 'thread', 'aria-labelledby': 'thread-title' },
      h('h2', { id: 'thread-title', tabindex: -1 }, t('inbox.thread')),
      state.error ? h('p', { class: 'error', role: 'alert' }, state.error) : null,
      state.loading ? h('p', { class: 'loading' }, t('inbox.threadLoading')) : null,
      state.total > state.items.length
        ? h('p', { class: 'hint' }, t('inbox.partial', { shown: state.items.length, total: state.total })) : null,
      !state.loading && !state.items.length ? h('p', { class: 'empty' }, t('inbox.noMessages')) : null,
      h('ol', { class: 'messages', 'aria-label': t('inbox.messages'), tabindex: 0 }, state.items.map(bubble)),
      h('form', { class: 'reply', onSubmit: this.send },
        closed ? h('p', { class: 'window-closed', id: 'window-note' }, t('inbox.windowClosed')) : null,
        h('label', { for: 'reply-text' }, t('inbox.reply')),
        h('textarea', {
          id: 'reply-text', dir: 'auto', rows: 3, value: state.text, maxlength: 4096,
          'aria-describedby': closed ? 'window-note' : undefined,
          onInput: (event) => this.setState({ text: event.currentTarget.value }),
        }),
        h('button', { type: 'submit', disabled: state.sending || !state.text.trim() },
          state.sending ? t('inbox.sending') : t('inbox.send')),
        h('p', { class: 'gate', role: 'status', 'aria-live': 'polite' },
          state.sent ? decisionText(state.sent) : ''),
        state.sendError ? h('p', { class: 'error', role: 'alert' }, state.sendError) : null));
  }
}
