// Small pieces the tokens, compliance and audit pages share: a data table with a caption and scoped headers (the
// charts' accessible twin too), a scrolling wrapper that keeps wide tables off the page's own width, instants in the
// reader's locale, and live updates coalesced so a burst of events is one re-read, not fifty.
import { h } from './vendor.js';
import { subscribe } from './live.js';

/** An ISO instant as the reader's locale writes date and time; '' for none. */
export function when(instant) {
  return instant ? new Date(instant).toLocaleString() : '';
}

/**
 * A table: {caption, columns: [{label, numeric}], rows: [[cell, ...]], hidden}. `hidden` keeps it for screen readers
 * only (beside a chart that shows the same numbers). Wide tables scroll inside their own box, reachable by keyboard.
 */
export function dataTable({ caption, columns, rows, hidden = false, className = '', empty }) {
  const table = h('table', { class: `data-table ${className}` },
    h('caption', null, caption),
    h('thead', null, h('tr', null, columns.map((column) =>
      h('th', { scope: 'col', class: column.numeric ? 'num' : undefined }, column.label)))),
    h('tbody', null, rows.length
      ? rows.map((cells, index) => h('tr', { key: index }, cells.map((cell, at) => at === 0
        ? h('th', { scope: 'row', class: columns[0].numeric ? 'num' : undefined }, cell)
        : h('td', { class: columns[at].numeric ? 'num' : undefined }, cell))))
      : h('tr', null, h('td', { colspan: columns.length, class: 'empty' }, empty || ''))));
  if (hidden) return h('div', { class: 'sr-only' }, table);
  return h('div', { class: 'table-scroll', tabindex: 0, role: 'region', 'aria-label': caption }, table);
}

/**
 * Calls `reload` after live events of `types` (and after a reconnect), at most once per `interval` ms: a burst of
 * events during one re-read leads to one more re-read, never a queue of them. Returns the unsubscribe function.
 */
export function liveReload(types, reload, interval = 1000) {
  let timer = null;
  let pending = false;
  const fire = () => {
    timer = null;
    if (!pending) return;
    pending = false;
    reload();
    timer = setTimeout(fire, interval);
  };
  const unsubscribe = subscribe((events) => {
    if (!events.some((event) => event.type === 'reconnected' || types.includes(event.type))) return;
    pending = true;
    if (!timer) fire();
  });
  return () => {
    unsubscribe();
    if (timer) clearTimeout(timer);
  };
}

/** Loads a classic script once (same-origin or an origin the page's policy allows) and answers window[name]. */
const scripts = new Map();
export function loadScript(src, name) {
  if (window[name]) return Promise.resolve(window[name]);
  if (!scripts.has(src)) {
    scripts.set(src, new Promise((resolve, reject) => {
      const script = document.createElement('script');
      script.src = src;
      script.async = true;
      script.onload = () => (window[name] ? resolve(window[name]) : reject(new Error(`${src} defined no ${name}`)));
      script.onerror = () => {
        scripts.delete(src);
        script.remove();
        reject(new Error(`${src} could not be loaded`));
      };
      document.head.appendChild(script);
    }));
  }
  return scripts.get(src);
}
