// @vitest-environment happy-dom
// People in the studio against a fake runtime: without a session the shell shows the sign-in
// screen; signing in shows the person and their role; a wrong password shows the server's reason
// in the current language; an admin manages accounts on the users screen; a reviewer's editor is
// read-only with no publish-side buttons.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { I18nProvider } from '../../studio/src/i18n/i18n';
import { App } from '../../studio/src/App';
import { mayEdit, mayPublish } from '../../studio/src/shell/roles';

interface Sent { method: string; url: string; body: unknown; headers: Record<string, string> }
let sent: Sent[];
let signedIn: { name: string; role: string } | null;
const users = [
  { name: 'boss', role: 'admin', disabled: false, created_at: '2026-12-06T08:00:00Z', created_by: 'bootstrap' },
  { name: 'eve', role: 'editor', disabled: false, created_at: '2026-12-06T08:10:00Z', created_by: 'boss' },
];

beforeEach(() => {
  sent = [];
  signedIn = null;
  location.hash = '#/';
  vi.stubGlobal('fetch', vi.fn(async (url: string, init?: RequestInit) => {
    const json = (body: unknown, status = 200) => new Response(status === 204 ? null : JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
    const method = init?.method ?? 'GET';
    const body = init?.body ? JSON.parse(String(init.body)) : undefined;
    sent.push({ method, url, body, headers: init?.headers as Record<string, string> });
    if (url === '/api/me') return signedIn ? json({ ...signedIn, open: false, user: true }) : json({ error: { code: 'auth.missing_key', message: '请登录 / Sign in', message_zh: '请登录', message_en: 'Sign in' } }, 401);
    if (url === '/api/session' && method === 'POST') {
      const b = body as { name: string; password: string };
      if (b.password !== 'right-password') return json({ error: { code: 'auth.bad_credentials', message: '用户名或密码不正确 / Wrong user name or password', message_zh: '用户名或密码不正确', message_en: 'Wrong user name or password' } }, 401);
      signedIn = { name: b.name, role: b.name === 'boss' ? 'admin' : 'reviewer' };
      return json({ ...signedIn, expires_at: '2026-12-06T20:00:00Z' });
    }
    if (url === '/api/session' && method === 'DELETE') { signedIn = null; return json(null, 204); }
    if (url === '/api/users' && method === 'GET') return json({ users });
    if (url === '/api/users' && method === 'POST') return json({ ...(body as object), disabled: false, created_at: '2026-12-06T09:00:00Z', created_by: 'boss' }, 201);
    if (url.startsWith('/api/users/') && method === 'PUT') return json({ ...users[1], ...(body as object) });
    if (url === '/api/policies') return json({ policies: [] });
    return json({ error: { code: 'route.not_found', message: url } }, 404);
  }));
});
afterEach(() => { cleanup(); vi.unstubAllGlobals(); });

const renderApp = (lang: 'zh' | 'en' = 'zh') => render(<I18nProvider lang={lang}><App /></I18nProvider>);

async function signIn(name: string, password: string) {
  fireEvent.change(await screen.findByTestId('signin-name'), { target: { value: name } });
  fireEvent.change(screen.getByTestId('signin-password'), { target: { value: password } });
  fireEvent.click(screen.getByTestId('signin-submit'));
}

describe('signing in', () => {
  it('shows the sign-in screen without a session; a wrong password shows the reason in English mode', async () => {
    renderApp('en');
    expect(await screen.findByTestId('signin-screen')).toBeTruthy();
    expect(screen.queryByTestId('nav-policies')).toBeNull();
    await signIn('rita', 'wrong');
    expect((await screen.findByTestId('signin-error')).textContent).toBe('Wrong user name or password');
    // every call carries the CSRF header
    const post = sent.find((s) => s.url === '/api/session')!;
    expect(post.headers['X-Studio-Request']).toBe('1');
    expect((screen.getByTestId('signin-password') as HTMLInputElement).value).toBe('');
  });

  it('signing in shows the person and role; signing out returns to the sign-in screen', async () => {
    renderApp('zh');
    await signIn('rita', 'right-password');
    await waitFor(() => expect(screen.getByTestId('account').textContent).toBe('当前用户rita (审核人)'));
    expect(screen.queryByTestId('nav-users')).toBeNull();   // a reviewer manages no accounts
    fireEvent.click(screen.getByTestId('sign-out'));
    expect(await screen.findByTestId('signin-screen')).toBeTruthy();
    expect(sent.some((s) => s.method === 'DELETE' && s.url === '/api/session')).toBe(true);
  });
});

describe('users screen', () => {
  it('an admin lists accounts, adds one, disables one and sets a password', async () => {
    renderApp('zh');
    await signIn('boss', 'right-password');
    fireEvent.click(await screen.findByTestId('nav-users'));
    location.hash = '#/users';
    window.dispatchEvent(new HashChangeEvent('hashchange'));
    await screen.findByTestId('user-row-eve');
    expect(screen.getByTestId('user-row-boss').textContent).toContain('boss（你）');
    expect(screen.queryByTestId('user-toggle-boss')).toBeNull();   // no disabling oneself
    fireEvent.change(screen.getByTestId('user-add-name'), { target: { value: 'Rita' } });
    fireEvent.change(screen.getByTestId('user-add-role'), { target: { value: 'reviewer' } });
    fireEvent.change(screen.getByTestId('user-add-password'), { target: { value: 'rita-password-1' } });
    fireEvent.click(screen.getByTestId('user-add-submit'));
    await waitFor(() => expect(screen.getByTestId('users-message').textContent).toBe('已添加 rita'));
    fireEvent.click(screen.getByTestId('user-toggle-eve'));
    fireEvent.change(screen.getByTestId('user-password-eve'), { target: { value: 'eve-password-2' } });
    fireEvent.click(screen.getByTestId('user-set-password-eve'));
    await waitFor(() => expect(sent.filter((s) => s.method !== 'GET').map((s) => [s.method, s.url, s.body])).toEqual([
      ['POST', '/api/session', { name: 'boss', password: 'right-password' }],
      ['POST', '/api/users', { name: 'rita', role: 'reviewer', password: 'rita-password-1' }],
      ['PUT', '/api/users/eve', { disabled: true }],
      ['PUT', '/api/users/eve', { password: 'eve-password-2' }],
    ]));
  });
});

describe('the UI follows the role', () => {
  it('only editors and admins change drafts and publish; an unknown caller is shown everything', () => {
    const me = (role: 'admin' | 'editor' | 'reviewer' | 'tester' | 'client') => ({ name: 'x', role, open: false });
    expect((['admin', 'editor', 'reviewer', 'tester', 'client'] as const).filter((r) => mayEdit(me(r)))).toEqual(['admin', 'editor']);
    expect((['admin', 'editor', 'reviewer', 'tester', 'client'] as const).filter((r) => mayPublish(me(r)))).toEqual(['admin', 'editor']);
    expect(mayEdit(null)).toBe(true);
  });
});
