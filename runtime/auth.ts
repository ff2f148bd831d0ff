// API keys and roles. API_KEYS="key:role,key:role" (optionally "name=key:role" to name a key
// in the audit log). A request carries "Authorization: Bearer <key>". With no API_KEYS the
// server runs in local open mode: everyone is admin, and it binds to loopback only.
import { createHash } from 'node:crypto';
import type { RequestHandler, Request } from 'express';
import { ApiError } from './errors.js';

export const ROLES = ['admin', 'editor', 'reviewer', 'tester', 'client'] as const;
export type Role = (typeof ROLES)[number];

export interface ApiKey { name: string; role: Role; fingerprint: string }
export interface Principal extends ApiKey { open: boolean }

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

/** Identifies the caller (401 for a missing or unknown key). */
export function authenticate(keys: Map<string, ApiKey>): RequestHandler {
  return (req, _res, next) => {
    if (keys.size === 0) { (req as Request & { principal?: Principal }).principal = OPEN; next(); return; }
    const header = req.get('authorization') ?? '';
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!m) {
      next(new ApiError(401, 'auth.missing_key', { zh: '缺少 API 密钥（Authorization: Bearer <key>）', en: 'Missing API key (Authorization: Bearer <key>)' },
        [], {}, { 'WWW-Authenticate': 'Bearer' }));
      return;
    }
    const found = keys.get(createHash('sha256').update(m[1]!).digest('hex'));
    if (!found) {
      next(new ApiError(401, 'auth.invalid_key', { zh: 'API 密钥无效', en: 'Invalid API key' }, [], {}, { 'WWW-Authenticate': 'Bearer' }));
      return;
    }
    (req as Request & { principal?: Principal }).principal = { ...found, open: false };
    next();
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

/** Two-step publishing is on when any key has the reviewer role. */
export function reviewRequired(keys: Map<string, ApiKey>): boolean {
  for (const k of keys.values()) if (k.role === 'reviewer') return true;
  return false;
}
