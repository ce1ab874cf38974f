// The REST API, as the signed-in person. The access token is kept in memory and in sessionStorage (this tab only,
// gone when the tab closes; never localStorage or a cookie): a reload keeps the session, another tab or a later
// visit signs in again. Errors arrive as problem+json and are thrown as ApiError with the problem's detail.
import { t } from './i18n.js';

const STORAGE_KEY = 'flexoraa.session';
let session = readStored();
const listeners = new Set();

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem || {};
  }
}

function readStored() {
  try {
    return JSON.parse(sessionStorage.getItem(STORAGE_KEY)) || null;
  } catch {
    return null;
  }
}

export function currentSession() {
  return session;
}

/** {token, expiresAt, user: {id, name, email, role}, tenantId} or null when signed out. */
export function setSession(next) {
  session = next;
  if (next) sessionStorage.setItem(STORAGE_KEY, JSON.stringify(next));
  else sessionStorage.removeItem(STORAGE_KEY);
  listeners.forEach((listener) => listener(session));
}

export function onSessionChange(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export async function api(method, path, body, token = session?.token) {
  const headers = { Accept: 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response;
  try {
    response = await fetch(`/api/v1${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'omit',
      cache: 'no-store',
    });
  } catch {
    throw new ApiError(0, { detail: t('error.network') });
  }
  const text = await response.text();
  const payload = text ? JSON.parse(text) : null;
  if (!response.ok) {
    const error = new ApiError(response.status, payload);
    error.retryAfter = Number(response.headers.get('Retry-After')) || null;
    // a token that expired or was ended elsewhere: back to the sign-in page (not for the sign-in call itself)
    if (response.status === 401 && token && token === session?.token) setSession(null);
    throw error;
  }
  return payload;
}

/** The tenant's path prefix for the signed-in person. */
export function tenantPath(suffix) {
  return `/tenants/${encodeURIComponent(session.tenantId)}${suffix}`;
}
