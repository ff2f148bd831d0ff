// Hash routing: #/ (policy list), #/p/<id>/<tab>, #/users (accounts, admins). Hash routes work with any static server.
import { useEffect, useState } from 'react';

export type Tab = 'editor' | 'parameters' | 'versions' | 'tryit' | 'household' | 'impact';
export type Route = { screen: 'list' } | { screen: 'users' } | { screen: 'entitlements' } | { screen: 'policy'; id: string; tab: Tab };

const tabs: Tab[] = ['editor', 'parameters', 'versions', 'tryit', 'household', 'impact'];

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  if (parts[0] === 'entitlements') return { screen: 'entitlements' };
  if (parts[0] === 'p' && parts[1]) {
    const tab = tabs.includes(parts[2] as Tab) ? (parts[2] as Tab) : 'editor';
    return { screen: 'policy', id: parts[1], tab };
  }
  if (parts[0] === 'users') return { screen: 'users' };
  return { screen: 'list' };
}

export function href(r: Route): string {
  if (r.screen === 'entitlements') return '#/entitlements';
  return r.screen === 'list' ? '#/' : r.screen === 'users' ? '#/users' : `#/p/${encodeURIComponent(r.id)}/${r.tab}`;
}

export function navigate(r: Route) { location.hash = href(r); }

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const on = () => setRoute(parseRoute(location.hash));
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return route;
}
