/** The console's routes: one per screen, so a URL can be shared and reloaded. */

export const BASE = '/console/';

export const TABS = ['overview', 'auth', 'data', 'storage', 'jobs', 'tokens'] as const;
export type Tab = (typeof TABS)[number];

export const TAB_LABELS: Record<Tab, string> = {
  overview: 'Overview',
  auth: 'Authentication',
  data: 'Data',
  storage: 'Storage',
  jobs: 'Jobs',
  tokens: 'Tokens',
};

export type Route =
  | { name: 'apps' }
  | { name: 'sign-in' }
  | { name: 'app'; appId: string }
  | { name: 'environment'; appId: string; env: string; tab: Tab }
  | { name: 'not-found'; path: string };

const isTab = (t: string): t is Tab => (TABS as readonly string[]).includes(t);

function decode(part: string): string | undefined {
  try {
    return decodeURIComponent(part);
  } catch {
    return undefined;
  }
}

/** The route of a location's path. */
export function parseRoute(pathname: string): Route {
  const rest = pathname.startsWith(BASE) ? pathname.slice(BASE.length) : pathname.replace(/^\/console$/, '');
  const parts = rest.split('/').filter((p) => p !== '');
  const decoded = parts.map(decode);
  if (decoded.some((p) => p === undefined)) return { name: 'not-found', path: pathname };
  const [first, appId, third, env, tab, ...extra] = decoded as string[];
  if (first === undefined) return { name: 'apps' };
  if (first === 'sign-in' && appId === undefined) return { name: 'sign-in' };
  if (first !== 'apps' || appId === undefined || extra.length > 0) return { name: 'not-found', path: pathname };
  if (third === undefined) return { name: 'app', appId };
  if (third === 'environments' && env !== undefined) {
    if (tab === undefined) return { name: 'environment', appId, env, tab: 'overview' };
    if (isTab(tab)) return { name: 'environment', appId, env, tab };
  }
  return { name: 'not-found', path: pathname };
}

/** The path of a route. */
export function routePath(route: Route): string {
  const e = encodeURIComponent;
  switch (route.name) {
    case 'apps':
      return BASE;
    case 'sign-in':
      return `${BASE}sign-in`;
    case 'app':
      return `${BASE}apps/${e(route.appId)}`;
    case 'environment':
      return `${BASE}apps/${e(route.appId)}/environments/${e(route.env)}/${route.tab}`;
    case 'not-found':
      return route.path;
  }
}
