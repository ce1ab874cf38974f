// The platform operator's way in: no account, no tenant, only the operator key (FLEXORAA_OPERATOR_KEY or the data
// directory's operator-key file). Hidden behind a secondary button so that people are not drawn to it. The key is
// checked by calling an operator-only endpoint and then kept like any session's token (this tab's sessionStorage);
// signing out forgets it.
import { h, Component } from './vendor.js';
import { t } from './i18n.js';
import { api, ApiError, setSession } from './api.js';

export const OPERATOR_ROLE = 'Operator';

export class OperatorSignIn extends Component {
  state = { open: false, key: '', busy: false, error: null };

  toggle = () => this.setState({ open: !this.state.open, error: null },
    () => this.state.open && this.base?.querySelector('#operator-key')?.focus());

  submit = async (event) => {
    event.preventDefault();
    this.setState({ busy: true, error: null });
    const key = this.state.key.trim();
    try {
      await api('GET', '/ops/overview', undefined, key);
      setSession({ token: key, tenantId: null, user: { id: 'operator', name: t('ops.operatorName'), role: OPERATOR_ROLE } });
    } catch (error) {
      const refused = error instanceof ApiError && (error.status === 401 || error.status === 403);
      this.setState({ busy: false, error: refused ? t('ops.keyRefused') : t('signIn.failed', { detail: error.message }) });
    }
  };

  render(props, state) {
    return h('div', { class: 'operator-sign-in' },
      h('button', {
        type: 'button', class: 'secondary link', 'aria-expanded': String(state.open), 'aria-controls': 'operator-form',
        onClick: this.toggle,
      }, t('ops.useKey')),
      state.open ? h('form', { id: 'operator-form', class: 'card', onSubmit: this.submit, 'aria-labelledby': 'operator-title' },
        h('h2', { id: 'operator-title' }, t('ops.keyTitle')),
        h('div', { class: 'field' },
          h('label', { for: 'operator-key' }, t('ops.key')),
          h('input', {
            id: 'operator-key', name: 'operator-key', type: 'password', value: state.key, required: true,
            autocomplete: 'off', 'aria-describedby': 'operator-key-hint',
            onInput: (e) => this.setState({ key: e.currentTarget.value }),
          }),
          h('p', { id: 'operator-key-hint', class: 'hint' }, t('ops.keyHint'))),
        state.error ? h('p', { class: 'error', role: 'alert' }, state.error) : null,
        h('button', { type: 'submit', disabled: state.busy }, state.busy ? t('signIn.busy') : t('ops.keySubmit'))) : null);
  }
}
