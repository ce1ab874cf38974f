// Every English string of the dashboard lives in /i18n/en.json, so that more languages can follow as more files.
let strings = {};

export async function loadStrings(language = 'en') {
  const response = await fetch(`/i18n/${language}.json`);
  if (!response.ok) throw new Error(`strings for ${language}: HTTP ${response.status}`);
  strings = await response.json();
}

/** The string for {@code key} with {name} placeholders filled in; the key itself when it is missing. */
export function t(key, values = {}) {
  const template = strings[key] ?? key;
  return template.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));
}

/** "5 min ago" and so on, from an ISO instant. */
export function age(instant, now = Date.now()) {
  const minutes = Math.floor((now - Date.parse(instant)) / 60000);
  if (minutes < 1) return t('age.justNow');
  if (minutes < 60) return t('age.minutes', { n: minutes });
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return t('age.hours', { n: hours });
  return t('age.days', { n: Math.floor(hours / 24) });
}
