// Sign-in: e-mail and password, the authenticator code when the role has one, and TOTP enrolment for roles that
// must have one (Admin, Manager) before their token may do anything else. The platform operator has no account: a
// secondary form takes the operator key (ops-signin.js).
import { h, Component } from './vendor.js';
import { t } from './i18n.js';
import { api, ApiError, setSession } from './api.js';
import { OperatorSignIn } from './ops-signin.js';

function field(id, label, props, hint) {
  return h('div', { class: 'field' },
    h('label', { for: id }, label),
    h('input', { id, name: id, ...props, 'aria-describedby': hint ? `${id}-hint` : undefined }),
    hint ? h('p', { id: `${id}-hint`, class: 'hint' }, hint) : null);
}

function failure(error) {
  if (error instanceof ApiError && error.status === 429 && error.retryAfter) {
    return t('signIn.locked', { seconds: error.retryAfter });
  }
  return t('signIn.failed', { detail: error.message });
}

/** After a full token: who the person is and which tenant (the sign-in answer does not name it). */
async function establish(token, expiresAt) {
  const me = await api('GET', '/auth/me', undefined, token);
  setSession({ token, expiresAt, tenantId: me.tenantId, user: { id: me.id, name: me.name, email: me.email, role: me.role } });
}

export class SignIn extends Component {
  state = { email: '', password: '', totp: '', needsTotp: false, busy: false, error: null, enrolment: null, code: '' };

  componentDidMount() {
    this.base?.querySelector('input')?.focus();
  }

  submit = async (event) => {
    event.preventDefault();
    const { email, password, totp, needsTotp } = this.state;
    this.setState({ busy: true, error: null });
    try {
      const body = { email, password };
      if (needsTotp && totp) body.totp = totp;
      const signedIn = await api('POST', '/auth/login', body, null);
      if (signedIn.secondFactor === 'enrolment-required') {
        const enrolment = await api('POST', '/auth/mfa/enroll', {}, signedIn.token);
        this.setState({ busy: false, enrolment: { token: signedIn.token, ...enrolment } });
        return;
      }
      await establish(signedIn.token, signedIn.expiresAt);
    } catch (error) {
      const totpMissing = error instanceof ApiError && error.status === 401 && error.problem.field === 'totp';
      this.setState({
        busy: false,
        needsTotp: this.state.needsTotp || totpMissing,
        error: totpMissing && !this.state.needsTotp ? t('signIn.totpRequired') : failure(error),
      });
    }
  };

  verify = async (event) => {
    event.preventDefault();
    const { enrolment, code } = this.state;
    this.setState({ busy: true, error: null });
    try {
      const verified = await api('POST', '/auth/mfa/verify', { code }, enrolment.token);
      await establish(verified.token, verified.expiresAt);
    } catch (error) {
      this.setState({ busy: false, error: t('enrol.failed', { detail: error.message }) });
    }
  };

  componentDidUpdate(previous, previousState) {
    if (this.state.needsTotp && !previousState.needsTotp) this.base?.querySelector('#totp')?.focus();
    if (this.state.enrolment && !previousState.enrolment) this.base?.querySelector('#code')?.focus();
  }

  render(props, state) {
    const error = state.error ? h('p', { class: 'error', role: 'alert' }, state.error) : null;
    if (state.enrolment) {
      return h('main', { class: 'sign-in', id: 'content' },
        h('form', { class: 'card', onSubmit: this.verify, 'aria-labelledby': 'enrol-title' },
          h('h1', { id: 'enrol-title' }, t('enrol.title')),
          h('p', null, t('enrol.intro')),
          h('dl', { class: 'secret' },
            h('dt', null, t('enrol.secret')), h('dd', null, h('code', null, state.enrolment.secret)),
            h('dt', null, t('enrol.uri')), h('dd', null, h('code', { class: 'wrap' }, state.enrolment.otpauthUri))),
          field('code', t('enrol.code'), {
            value: state.code, required: true, inputmode: 'numeric', autocomplete: 'one-time-code',
            pattern: '[0-9]{6}', maxlength: 6, onInput: (e) => this.setState({ code: e.currentTarget.value }),
          }),
          error,
          h('button', { type: 'submit', disabled: state.busy }, state.busy ? t('signIn.busy') : t('enrol.submit'))));
    }
    return h('main', { class: 'sign-in', id: 'content' },
      h('form', { class: 'card', onSubmit: this.submit, 'aria-labelledby': 'sign-in-title' },
        h('p', { class: 'brand' }, t('app.name')),
        h('h1', { id: 'sign-in-title' }, t('signIn.title')),
        h('p', null, t('signIn.intro')),
        field('email', t('signIn.email'), {
          type: 'email', value: state.email, required: true, autocomplete: 'username',
          onInput: (e) => this.setState({ email: e.currentTarget.value }),
        }),
        field('password', t('signIn.password'), {
          type: 'password', value: state.password, required: true, autocomplete: 'current-password',
          onInput: (e) => this.setState({ password: e.currentTarget.value }),
        }),
        state.needsTotp ? field('totp', t('signIn.totp'), {
          value: state.totp, required: true, inputmode: 'numeric', autocomplete: 'one-time-code',
          pattern: '[0-9]{6}', maxlength: 6, onInput: (e) => this.setState({ totp: e.currentTarget.value }),
        }, t('signIn.totpHint')) : null,
        error,
        h('button', { type: 'submit', disabled: state.busy }, state.busy ? t('signIn.busy') : t('signIn.submit'))),
      h(OperatorSignIn, null));
  }
}
