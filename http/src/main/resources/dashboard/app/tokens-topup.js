// Buying tokens (Admins only: billing write): choose a pack, the engine creates a Razorpay order, Razorpay Checkout
// (loaded from Razorpay on demand; the page's policy allows exactly its origins, decision 37) takes the payment, and
// Checkout's answer is sent to the engine, which checks its signature and credits the pack. The webhook credits the
// same payment if this tab closes first; either way the balance moves once.
import { h, Component } from './vendor.js';
import { t } from './i18n.js';
import { api, ApiError, tenantPath } from './api.js';
import { loadScript } from './tokens-common.js';

const CHECKOUT = 'https://checkout.razorpay.com/v1/checkout.js';

function money(minor, currency) {
  try {
    return new Intl.NumberFormat(undefined, { style: 'currency', currency }).format(minor / 100);
  } catch {
    return `${(minor / 100).toFixed(2)} ${currency}`;
  }
}

/** props: onCredited() — the page re-reads the balance and the ledger. */
export class TopUp extends Component {
  state = { packs: null, currency: 'USD', pack: '', busy: false, status: null, error: null };

  componentDidMount() {
    this.loadPacks();
  }

  loadPacks = async () => {
    try {
      const list = await api('GET', tenantPath('/tokens/packs'));
      const middle = list.items[Math.min(1, list.items.length - 1)];
      this.setState({ packs: list.items, currency: list.currency, pack: middle ? middle.pack : '' });
    } catch (error) {
      this.setState({ packs: [], error: t('tokens.topup.failed', { detail: error.message }) });
    }
  };

  buy = async (event) => {
    event.preventDefault();
    this.setState({ busy: true, error: null, status: t('tokens.topup.ordering') });
    let order;
    try {
      order = await api('POST', tenantPath('/tokens/topups'), { pack: this.state.pack });
    } catch (error) {
      const notConfigured = error instanceof ApiError && error.status === 503 && /not configured/i.test(error.problem.title || '');
      this.setState({ busy: false, status: null,
        error: notConfigured ? t('tokens.topup.notConfigured') : t('tokens.topup.failed', { detail: error.message }) });
      return;
    }
    let Razorpay;
    try {
      Razorpay = await loadScript(CHECKOUT, 'Razorpay');
    } catch {
      this.setState({ busy: false, status: null, error: t('tokens.topup.checkoutUnavailable') });
      return;
    }
    this.setState({ status: t('tokens.topup.paying') });
    new Razorpay({
      key: order.keyId,
      order_id: order.orderId,
      amount: order.amount,
      currency: order.currency,
      name: t('app.name'),
      description: t('tokens.topup.description', { tokens: order.tokens }),
      handler: (answer) => this.confirm(order, answer),
      modal: { ondismiss: () => this.setState({ busy: false, status: t('tokens.topup.cancelled') }) },
    }).open();
  };

  confirm = async (order, answer) => {
    this.setState({ status: t('tokens.topup.confirming') });
    try {
      const confirmed = await api('POST', tenantPath(`/tokens/topups/${encodeURIComponent(order.orderId)}/confirm`), {
        razorpay_payment_id: answer.razorpay_payment_id,
        razorpay_order_id: answer.razorpay_order_id || order.orderId,
        razorpay_signature: answer.razorpay_signature,
      });
      this.setState({ busy: false, status: t('tokens.topup.credited', { tokens: confirmed.tokens, balance: confirmed.balance }) });
      this.props.onCredited();
    } catch (error) {
      this.setState({ busy: false, status: null, error: t('tokens.topup.failed', { detail: error.message }) });
    }
  };

  render(props, { packs, currency, pack, busy, status, error }) {
    return h('section', { class: 'panel topup', 'aria-labelledby': 'topup-title' },
      h('h2', { id: 'topup-title' }, t('tokens.topup.title')),
      packs === null ? h('p', { class: 'hint' }, t('tokens.loading')) : h('form', { onSubmit: this.buy, class: 'topup-form' },
        h('fieldset', null,
          h('legend', null, t('tokens.topup.choose')),
          h('div', { class: 'packs' }, packs.map((item) => h('label', { class: 'pack', key: item.pack },
            h('input', { type: 'radio', name: 'pack', value: item.pack, checked: item.pack === pack,
              onChange: () => this.setState({ pack: item.pack }) }),
            h('span', null, t('tokens.topup.pack', { tokens: item.tokens, price: money(item.amount, currency) })))))),
        h('button', { type: 'submit', disabled: busy || !pack }, t('tokens.topup.buy'))),
      h('p', { class: 'topup-status', role: 'status', 'aria-live': 'polite' }, status || ''),
      error ? h('p', { class: 'error', role: 'alert' }, error) : null);
  }
}
