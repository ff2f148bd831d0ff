// Signing in and out (POST/DELETE /api/session: the session cookie), and the accounts an admin
// manages (GET/POST /api/users, PUT /api/users/{name}).
import type { Request } from 'express';
import { checkCsrf, cookie, CSRF_HEADER, ROLES, SESSION_COOKIE } from '../auth.js';
import type { Operation } from '../operation.js';
import { MAX_PASSWORD } from '../services/passwords.js';
import { SESSION_HOURS, USER_NAME_PATTERN } from '../services/users.js';
import { errorResponses, type RouteContext } from './context.js';

/** Secure when the request came over TLS (directly, or through a proxy that says so). */
function sessionCookie(req: Request, token: string, maxAgeS: number): string {
  const secure = req.secure || req.get('x-forwarded-proto') === 'https';
  return `${SESSION_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeS}${secure ? '; Secure' : ''}`;
}

const password = { type: 'string', minLength: 1, maxLength: MAX_PASSWORD } as const;
const UserSchema = {
  type: 'object',
  properties: {
    name: { type: 'string' }, role: { type: 'string', enum: [...ROLES] }, disabled: { type: 'boolean' },
    created_at: { type: 'string' }, created_by: { type: 'string' }, updated_at: { type: 'string' },
  },
};
const csrfHeader = { [CSRF_HEADER]: { schema: { type: 'string' }, description: 'required on sign-in and sign-out, and on every state-changing request signed in by cookie (any value)', required: true } };

export function userOperations(ctx: RouteContext): Operation[] {
  const { users } = ctx;
  return [
    {
      method: 'post', path: '/api/session', action: null, tag: 'people',
      summary: '登录 / Sign in with a name and password (sets the session cookie)',
      description: `Answers the person (name, role) and sets an httpOnly, SameSite=Strict cookie \`${SESSION_COOKIE}\` valid for ${SESSION_HOURS} hours. `
        + 'Wrong name or password → 401 auth.bad_credentials (the same answer for both). Too many failures for the account or from the address → 429 auth.too_many_attempts with Retry-After.',
      headers: csrfHeader,
      body: { type: 'object', required: ['name', 'password'], additionalProperties: false, properties: { name: { type: 'string', minLength: 1, maxLength: 64 }, password } },
      bodyRequired: true,
      responses: { 200: { description: 'signed in', schema: { type: 'object', properties: { name: { type: 'string' }, role: { type: 'string' }, expires_at: { type: 'string' } } } }, ...errorResponses(400, 401, 403, 429) },
      handler: async ({ body, req }) => {
        checkCsrf(req);
        const s = await users.signIn(body.name, body.password, req.ip ?? req.socket.remoteAddress ?? 'unknown');
        return {
          body: { name: s.user.name, role: s.user.role, expires_at: s.expires.toISOString() },
          headers: { 'Set-Cookie': sessionCookie(req, s.token, SESSION_HOURS * 3600), 'Cache-Control': 'no-store' },
        };
      },
    },
    {
      method: 'delete', path: '/api/session', action: null, tag: 'people',
      summary: '退出登录 / Sign out (ends the session, clears the cookie)',
      headers: csrfHeader,
      responses: { 204: { description: 'signed out' }, ...errorResponses(403) },
      handler: async ({ req }) => {
        checkCsrf(req);
        const token = cookie(req, SESSION_COOKIE);
        if (token) await users.signOut(token);
        return { status: 204, body: undefined, headers: { 'Set-Cookie': sessionCookie(req, '', 0) } };
      },
    },
    {
      method: 'get', path: '/api/users', action: 'users.manage', tag: 'people',
      summary: '用户列表 / The accounts (admin)',
      responses: { 200: { description: 'accounts by name', schema: { type: 'object', properties: { users: { type: 'array', items: UserSchema } } } }, ...errorResponses(401, 403) },
      handler: async () => ({ body: { users: await users.list() }, headers: { 'Cache-Control': 'no-store' } }),
    },
    {
      method: 'post', path: '/api/users', action: 'users.manage', tag: 'people',
      summary: '添加用户 / Add an account (admin)',
      description: `Name: ${USER_NAME_PATTERN} (lower case; it is what the audit log shows). Password: 10–${MAX_PASSWORD} characters. A taken name → 409 user.exists.`,
      body: { type: 'object', required: ['name', 'role', 'password'], additionalProperties: false, properties: { name: { type: 'string', minLength: 1, maxLength: 64 }, role: { type: 'string', enum: [...ROLES] }, password } },
      bodyRequired: true,
      responses: { 201: { description: 'added', schema: UserSchema }, ...errorResponses(400, 401, 403, 409) },
      handler: async ({ body, caller }) => ({ status: 201, body: await users.add(caller, body), headers: { Location: `/api/users/${encodeURIComponent(String(body.name).trim().toLowerCase())}` } }),
    },
    {
      method: 'put', path: '/api/users/{name}', action: 'users.manage', tag: 'people',
      summary: '修改用户 / Change an account (admin): role, disabled, password',
      description: 'Disabling an account or setting its password ends its sessions. An admin cannot disable their own account (409 user.self_disable).',
      body: { type: 'object', additionalProperties: false, properties: { role: { type: 'string', enum: [...ROLES] }, disabled: { type: 'boolean' }, password } },
      bodyRequired: true,
      responses: { 200: { description: 'the account as changed', schema: UserSchema }, ...errorResponses(400, 401, 403, 404, 409) },
      handler: async ({ body, params, caller }) => ({ body: await users.change(caller, params.name!, body) }),
    },
  ];
}
