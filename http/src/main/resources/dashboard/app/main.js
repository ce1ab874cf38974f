// The dashboard's shell: sign-in when signed out; otherwise a header, the pages the person's role may see, and the
// page at the address bar's path (the engine serves index.html for every page path, so links and reloads work).
import { h, render, Component } from './vendor.js';
import { loadStrings, t } from './i18n.js';
import { api, currentSession, onSessionChange, setSession } from './api.js';
import { pagesFor, pageAt } from './pages.js';
import { SignIn } from './signin.js';
import { LeadsBoard } from './leads-board.js';
import { Inbox } from './inbox.js';
import { Queue } from './queue.js';
import { Tokens } from './tokens.js';
import { Compliance } from './compliance.js';
import { Audit } from './audit.js';
import { Ops } from './ops.js';
import { LiveStatus } from './live-status.js';

const VIEWS = {
  inbox: Inbox,
  leads: LeadsBoard,
  queue: Queue,
  tokens: Tokens,
  compliance: Compliance,
  audit: Audit,
  ops: Ops,
};

class App extends Component {
  state = { session: currentSession(), path: location.pathname };

  componentDidMount() {
    this.unsubscribe = onSessionChange((session) => this.setState({ session }));
    window.addEventListener('popstate', this.onPopState);
  }

  componentWillUnmount() {
    this.unsubscribe();
    window.removeEventListener('popstate', this.onPopState);
  }

  onPopState = () => this.setState({ path: location.pathname });

  navigate = (event, path) => {
    if (event.ctrlKey || event.metaKey || event.shiftKey || event.button === 1) return;
    event.preventDefault();
    history.pushState(null, '', path);
    this.setState({ path }, () => document.getElementById('page-title')?.focus());
  };

  signOut = async () => {
    try {
      // the operator key is no session the engine could end: signing out only forgets it
      if (currentSession()?.user.role !== 'Operator') await api('POST', '/auth/logout', {});
    } catch {
      // the session ends here whatever the engine answered
    }
    setSession(null);
  };

  render(props, { session, path }) {
    if (!session) return h(SignIn, null);
    const pages = pagesFor(session.user.role);
    const page = pageAt(path, session.user.role) || (path === '/' ? pages[0] : null);
    const View = page && VIEWS[page.id];
    return h('div', { class: 'shell' },
      h('a', { class: 'skip', href: '#content' }, t('app.skip')),
      h('header', { class: 'top' },
        h('p', { class: 'brand' }, t('app.name')),
        h('p', { class: 'who' }, t('shell.signedInAs', { name: session.user.name, role: session.user.role })),
        session.tenantId ? h(LiveStatus, null) : null,
        h('button', { type: 'button', class: 'secondary', onClick: this.signOut }, t('shell.signOut'))),
      h('nav', { class: 'nav', 'aria-label': t('shell.nav') },
        h('ul', null, pages.map((item) => h('li', { key: item.id },
          h('a', {
            href: item.path,
            'aria-current': page && page.id === item.id ? 'page' : undefined,
            onClick: (event) => this.navigate(event, item.path),
          }, t(`nav.${item.id}`)))))),
      h('main', { id: 'content', class: 'content', tabindex: -1 },
        View ? h(View, { key: page.id, page }) : h('p', { class: 'empty' }, t('page.notFound'))));
  }
}

async function start() {
  await loadStrings('en');
  document.title = t('app.name');
  const root = document.getElementById('app');
  root.textContent = '';
  render(h(App, null), root);
}

start();
