// A page that is not built yet: its title and what it will show.
import { h } from './vendor.js';
import { t } from './i18n.js';

export function Placeholder({ page }) {
  return h('section', { class: 'page', 'aria-labelledby': 'page-title' },
    h('header', { class: 'page-header' }, h('h1', { id: 'page-title', tabindex: -1 }, t(`nav.${page.id}`))),
    h('p', { class: 'empty' }, t('page.placeholder', { what: t(`placeholder.${page.id}`) })));
}
