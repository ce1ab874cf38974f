// The dashboard's pages and which roles see them. The API enforces the same table (PRODUCT §9, Endpoint.java);
// this only keeps people from links that would answer 403.
export const PAGES = [
  { id: 'inbox', path: '/inbox', roles: ['Admin', 'Manager', 'SDR'] },
  { id: 'leads', path: '/leads', roles: ['Admin', 'Manager', 'SDR', 'Product', 'Auditor', 'ReadOnly'] },
  { id: 'queue', path: '/queue', roles: ['Manager', 'SDR'] },
  { id: 'tokens', path: '/tokens', roles: ['Admin', 'Manager'] },
  { id: 'compliance', path: '/compliance', roles: ['Admin', 'Manager'] },
  { id: 'audit', path: '/audit', roles: ['Admin', 'Manager', 'Product', 'Auditor'] },
  // the operator only: its API (ops/*) answers the operator key, never a tenant's people (decision 38)
  { id: 'ops', path: '/ops', roles: ['Operator'] },
];

export function pagesFor(role) {
  return PAGES.filter((page) => page.roles.includes(role));
}

/** The page at {@code pathname} if the role may see it; else null. */
export function pageAt(pathname, role) {
  const first = '/' + (pathname.split('/')[1] || '');
  return pagesFor(role).find((page) => page.path === first) || null;
}
