// API keys, sessions and roles. Systems use API keys: API_KEYS="key:role,key:role" (optionally
// "name=key:role" to name a key in the audit log), sent as "Authorization: Bearer <key>". People
// sign in with a name and password (services/users.ts) and carry a session cookie. With no
// API_KEYS and no accounts the server runs in local open mode: everyone is admin, and it binds
// to loopback only.
import { createHash } from 'node:crypto';
import type { RequestHandler, Request } from 'express';
import { ApiError } from './errors.js';

export const ROLES = ['admin', 'editor', 'reviewer', 'tester', 'client'] as const;
export type Role = (typeof ROLES)[number];

export interface ApiKey { name: string; role: Role; fingerprint: string }
/** `user`: a signed-in person (name = the account name), not a key. */
export interface Principal extends ApiKey { open: boolean; user?: boolean }

/** Every protected action and the roles allowed to do it (admin may do everything). */
export const PERMISSIONS = {
  // Published policies and versions are public rules: a client may list and read them (never
  // drafts, diffs with drafts or publish requests: services give a client the published view).
  'policy.list':      ['editor', 'reviewer', 'tester', 'client'],
  'policy.read':      ['editor', 'reviewer', 'tester', 'client'],
  'policy.create':    ['editor'],
  'draft.read':       ['editor', 'reviewer', 'tester'],
  'draft.write':      ['editor'],
  'draft.check':      ['editor', 'reviewer', 'tester'],
  'draft.test':       ['editor', 'reviewer', 'tester'],
  'publish':          ['editor'],
  'publish.read':     ['editor', 'reviewer', 'tester'],
  'publish.approve':  ['reviewer'],
  'policy.retire':    [],
  'evaluate':         ['editor', 'reviewer', 'tester', 'client'],
  'schema.read':      ['editor', 'reviewer', 'tester', 'client'],
  'check':            ['editor', 'reviewer', 'tester'],
  'audit.read':       [],
  // who the caller is (the studio shows only what the role may do)
  'me.read':          ['editor', 'reviewer', 'tester', 'client'],
  // Simulation jobs: each key sees and cancels only its own jobs; admin sees every job.
  'simulation.run':   ['editor', 'reviewer', 'tester'],
  'simulation.read':  ['editor', 'reviewer', 'tester'],
  // An evaluation that is not recorded (a dry run: "record": false).
  'evaluate.unrecorded': ['tester'],
  // Decision records (read, list, replay): admin and reviewer any decision; the other roles
  // only the decisions their own key made (another key's is 404).
  'decision.read':    ['editor', 'reviewer', 'tester', 'client'],
  // People: add, list, disable, re-enable accounts, set their role or password.
  'users.manage':     [],
  // Household registry and monitoring runs (issue 16): personal data, so no tester or client.
  'registry.read':    ['editor', 'reviewer'],
  'registry.write':   ['editor'],
  'monitor.run':      ['editor', 'reviewer'],
  'monitor.read':     ['editor', 'reviewer'],
} satisfies Record<string, Role[]>;
export type Action = keyof typeof PERMISSIONS;

export function allowed(role: Role, action: Action): boolean {
  return role === 'admin' || (PERMISSIONS[action] as readonly Role[]).includes(role);
}

export const fingerprint = (key: string) => createHash('sha256').update(key).digest('hex').slice(0, 8);

/** Parses API_KEYS; throws on a malformed entry or unknown role. */
export function parseApiKeys(spec: string | undefined): Map<string, ApiKey> {
  const keys = new Map<string, ApiKey>();
  for (const raw of (spec ?? '').split(',')) {
    const entry = raw.trim();
    if (!entry) continue;
    const colon = entry.lastIndexOf(':');
    if (colon <= 0) throw new Error(`API_KEYS entry "${entry.slice(0, 3)}…" must be key:role`);
    let key = entry.slice(0, colon).trim();
    const role = entry.slice(colon + 1).trim() as Role;
    if (!ROLES.includes(role)) throw new Error(`API_KEYS: unknown role "${role}" (roles: ${ROLES.join(', ')})`);
    let name: string | undefined;
    const eq = key.indexOf('=');
    if (eq > 0) { name = key.slice(0, eq).trim(); key = key.slice(eq + 1).trim(); }
    if (!key) throw new Error('API_KEYS: empty key');
    const fp = fingerprint(key);
    keys.set(createHash('sha256').update(key).digest('hex'), { name: name || `${role}-${fp}`, role, fingerprint: fp });
  }
  return keys;
}

const OPEN: Principal = { name: 'local', role: 'admin', fingerprint: 'local', open: true };
const ANONYMOUS: Principal = { name: 'anonymous', role: 'client', fingerprint: 'anonymous', open: false };

/** The caller set by authenticate() (a request it did not see is anonymous). */
export function principal(req: Request): Principal {
  return (req as Request & { principal?: Principal }).principal ?? ANONYMOUS;
}

/** The cookie that carries a person's session (httpOnly, SameSite=Strict). */
export const SESSION_COOKIE = 'studio_session';
/** The header a cookie-authenticated request that changes anything must carry (CSRF): a
 *  cross-site form cannot set it, and a cross-site script cannot without a CORS preflight the
 *  server never grants. */
export const CSRF_HEADER = 'X-Studio-Request';

/** Where sessions are looked up (services/users.ts). */
export interface Sessions {
  session(token: string): Promise<Principal | null>;
  /** Re-reads whether any account exists (cached for a few seconds). */
  refresh(): Promise<void>;
  readonly anyUsers: boolean;
}

/** The value of one cookie of the request, or undefined. */
export function cookie(req: Request, name: string): string | undefined {
  for (const part of (req.get('cookie') ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** 403 for a state-changing request without the studio's header, or from another origin. */
export function checkCsrf(req: Request): void {
  if (SAFE_METHODS.has(req.method)) return;
  const origin = req.get('origin');
  let sameOrigin = true;
  if (origin !== undefined) {
    try { sameOrigin = new URL(origin).host === req.get('host'); } catch { sameOrigin = false; }
  }
  if (!req.get(CSRF_HEADER) || !sameOrigin) {
    throw new ApiError(403, 'auth.csrf', { zh: `请求缺少 ${CSRF_HEADER} 头或来自其他网站`, en: `The request lacks the ${CSRF_HEADER} header or comes from another site` },
      [{ path: origin === undefined || sameOrigin ? CSRF_HEADER : 'Origin', message: origin ?? '' }]);
  }
}

type WithPrincipal = Request & { principal?: Principal };
const unauthenticated = () => new ApiError(401, 'auth.missing_key',
  { zh: '请登录，或提供 API 密钥（Authorization: Bearer <key>）', en: 'Sign in, or give an API key (Authorization: Bearer <key>)' }, [], {}, { 'WWW-Authenticate': 'Bearer' });

/** Identifies the caller: an API key, else a session cookie, else open mode (no keys, no
 *  accounts); 401 otherwise. */
export function authenticate(keys: Map<string, ApiKey>, sessions?: Sessions): RequestHandler {
  return (req, _res, next) => {
    const header = req.get('authorization');
    if (header !== undefined && keys.size > 0) {
      const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
      const found = m ? keys.get(createHash('sha256').update(m[1]!).digest('hex')) : undefined;
      if (!found) {
        next(new ApiError(401, m ? 'auth.invalid_key' : 'auth.missing_key', m ? { zh: 'API 密钥无效', en: 'Invalid API key' } : { zh: '缺少 API 密钥（Authorization: Bearer <key>）', en: 'Missing API key (Authorization: Bearer <key>)' },
          [], {}, { 'WWW-Authenticate': 'Bearer' }));
        return;
      }
      (req as WithPrincipal).principal = { ...found, open: false };
      next();
      return;
    }
    const token = sessions && cookie(req, SESSION_COOKIE);
    if (!sessions || (!token && keys.size > 0)) {
      if (keys.size === 0) { (req as WithPrincipal).principal = OPEN; next(); return; }
      next(unauthenticated());
      return;
    }
    void (async () => {
      const who = token ? await sessions.session(token) : null;
      if (who) { checkCsrf(req); return who; }
      if (keys.size === 0) {
        await sessions.refresh();
        if (!sessions.anyUsers) return OPEN;
      }
      throw token ? new ApiError(401, 'auth.session_expired', { zh: '登录已过期，请重新登录', en: 'Your session has ended; sign in again' }) : unauthenticated();
    })().then((p) => { (req as WithPrincipal).principal = p; next(); }, next);
  };
}

/** 403 unless the caller's role may perform `action`. */
export function requireRole(action: Action): RequestHandler {
  return (req, _res, next) => {
    const p = principal(req);
    if (allowed(p.role, action)) { next(); return; }
    next(new ApiError(403, 'auth.forbidden', { zh: `角色 ${p.role} 无权执行 ${action}`, en: `Role ${p.role} may not perform ${action}` },
      [], { action, role: p.role }));
  };
}

/** What the caller may read of a policy: its drafts and publish requests, or only what is published. */
export const readView = (p: { role: Role }) => ({ drafts: allowed(p.role, 'draft.read') });

/** Two-step publishing is on when any key has the reviewer role (or any account: app.ts). */
export function reviewRequired(keys: Map<string, ApiKey>): boolean {
  for (const k of keys.values()) if (k.role === 'reviewer') return true;
  return false;
}
