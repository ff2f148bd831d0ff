// People: named accounts with a role, password sign-in and sessions. Signing in checks the
// password (scrypt, constant-time) under per-account and per-IP limits on failures, and hands out
// a random session token; the store keeps only its hash. Admins add, list, disable and re-enable
// accounts and set passwords; disabling an account or changing its password ends its sessions.
import { createHash, randomBytes } from 'node:crypto';
import { ROLES, type Principal, type Role } from '../auth.js';
import type { UserRepository, UserRow } from '../store/users.js';
import { DomainError } from './domain-error.js';
import { dummyHash, hashPassword, MAX_PASSWORD, MIN_PASSWORD, verifyPassword } from './passwords.js';
import { FailureLimiter } from './rate-limit.js';

/** A session lasts 12 hours from sign-in (then the officer signs in again). */
export const SESSION_HOURS = 12;
/** Failed sign-ins allowed per window: per account, per IP address; entries kept at most. */
export const SIGN_IN_LIMITS = { perAccount: 5, perIp: 20, windowMinutes: 15, maxKeys: 10_000 } as const;
export const USER_NAME_PATTERN = '^[a-z][a-z0-9._-]{1,39}$';
const NAME_RE = new RegExp(USER_NAME_PATTERN);
/** How long the cached counts (open mode, review required) are trusted before re-reading. */
const COUNTS_TTL_MS = 5_000;

export interface SignedIn { token: string; user: UserRow; expires: Date }

const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');
export const userPrincipal = (u: { name: string; role: string }): Principal =>
  ({ name: u.name, role: u.role as Role, fingerprint: `user:${u.name}`, open: false, user: true });

const notFound = (name: string) => new DomainError('not_found', 'user.not_found', `没有用户 ${name}`, `No user ${name}`, [{ path: 'name', message: name }]);
const badSignIn = () => new DomainError('unauthorized', 'auth.bad_credentials', '用户名或密码不正确', 'Wrong user name or password');

function checkPassword(password: string, path = 'password'): void {
  if ([...password].length < MIN_PASSWORD || password.length > MAX_PASSWORD) {
    throw new DomainError('invalid', 'user.weak_password', `密码须为 ${MIN_PASSWORD}–${MAX_PASSWORD} 个字符`, `A password must be ${MIN_PASSWORD}–${MAX_PASSWORD} characters`,
      [{ path, message: `${[...password].length}` }]);
  }
}

function checkRole(role: string): Role {
  if (!(ROLES as readonly string[]).includes(role)) {
    throw new DomainError('invalid', 'user.unknown_role', `未知角色 ${role}`, `Unknown role ${role}`, [{ path: 'role', message: `roles: ${ROLES.join(', ')}` }]);
  }
  return role as Role;
}

export class UserService {
  readonly byAccount: FailureLimiter;
  readonly byIp: FailureLimiter;
  private counts = { enabled: 0, reviewers: 0 };
  private countsAt = -Infinity;
  private refreshing: Promise<void> | undefined;

  constructor(readonly repo: UserRepository, readonly now: () => Date = () => new Date()) {
    const windowMs = SIGN_IN_LIMITS.windowMinutes * 60_000;
    const clock = () => this.now().getTime();
    this.byAccount = new FailureLimiter({ max: SIGN_IN_LIMITS.perAccount, windowMs, maxKeys: SIGN_IN_LIMITS.maxKeys }, clock);
    this.byIp = new FailureLimiter({ max: SIGN_IN_LIMITS.perIp, windowMs, maxKeys: SIGN_IN_LIMITS.maxKeys }, clock);
  }

  /** Re-reads the counts when they are older than a few seconds (another instance may have
   *  added users). Resolves once they are current enough. */
  async refresh(force = false): Promise<void> {
    if (!force && this.now().getTime() - this.countsAt < COUNTS_TTL_MS) return;
    this.refreshing ??= this.repo.counts().then((c) => { this.counts = c; this.countsAt = this.now().getTime(); }).finally(() => { this.refreshing = undefined; });
    await this.refreshing;
  }

  /** Any enabled account: then nobody is let in without a key or a session. */
  get anyUsers(): boolean { return this.counts.enabled > 0; }
  /** Any enabled reviewer account: then publishing goes through review. */
  get anyReviewers(): boolean { return this.counts.reviewers > 0; }

  async signIn(name: string, password: string, ip: string): Promise<SignedIn> {
    const account = name.trim().toLowerCase();
    const wait = Math.max(this.byAccount.retryAfter(account), this.byIp.retryAfter(ip));
    if (wait > 0) {
      throw new DomainError('too_many', 'auth.too_many_attempts', `登录失败次数过多，请 ${Math.ceil(wait / 60)} 分钟后再试`,
        `Too many failed sign-ins; try again in ${Math.ceil(wait / 60)} min`, [], { retry_after_s: wait });
    }
    const user = NAME_RE.test(account) ? await this.repo.find(account) : null;
    // an unknown or disabled name costs a hash check too: names cannot be told apart by timing
    const ok = await verifyPassword(password, user?.password_hash ?? await dummyHash());
    if (!user || !ok || user.disabled) {
      this.byAccount.fail(account);
      this.byIp.fail(ip);
      throw badSignIn();
    }
    this.byAccount.reset(account);
    const token = randomBytes(32).toString('base64url');
    const at = this.now();
    const expires = new Date(at.getTime() + SESSION_HOURS * 3_600_000);
    await this.repo.insertSession(tokenHash(token), user.name, at, expires);
    const { password_hash: _omit, ...row } = user;
    return { token, user: row, expires };
  }

  /** The person a session cookie belongs to, or null (unknown, expired, disabled). */
  async session(token: string): Promise<Principal | null> {
    const u = await this.repo.sessionUser(tokenHash(token), this.now());
    return u ? userPrincipal(u) : null;
  }

  async signOut(token: string): Promise<void> { await this.repo.deleteSession(tokenHash(token)); }

  list(): Promise<UserRow[]> { return this.repo.list(); }

  async add(by: Principal, input: { name: string; role: string; password: string }): Promise<UserRow> {
    const name = input.name.trim().toLowerCase();
    if (!NAME_RE.test(name)) {
      throw new DomainError('invalid', 'user.bad_name', '用户名须为 2–40 个小写字母、数字或 . _ -，以字母开头',
        'A user name is 2–40 lower-case letters, digits or . _ -, starting with a letter', [{ path: 'name', message: input.name }]);
    }
    const role = checkRole(input.role);
    checkPassword(input.password);
    const added = await this.repo.insert({ name, role, password_hash: await hashPassword(input.password), created_by: by.name }, this.now());
    if (!added) throw new DomainError('conflict', 'user.exists', `用户 ${name} 已存在`, `User ${name} already exists`, [{ path: 'name', message: name }]);
    await this.refresh(true);
    const { password_hash: _omit, ...row } = (await this.repo.find(name))!;
    return row;
  }

  /** Changes role, password and/or disabled, all checked before any is applied. A new
   *  password or disabling ends the account's sessions. */
  async change(by: Principal, name: string, change: { role?: string; password?: string; disabled?: boolean }): Promise<UserRow> {
    if (change.role === undefined && change.password === undefined && change.disabled === undefined) {
      throw new DomainError('invalid', 'user.nothing_to_change', '请给出 role、password 或 disabled', 'Give role, password or disabled', [{ path: '(body)', message: '{}' }]);
    }
    const role = change.role === undefined ? undefined : checkRole(change.role);
    if (change.password !== undefined) checkPassword(change.password);
    if (change.disabled === true && by.user === true && by.name === name) {
      throw new DomainError('conflict', 'user.self_disable', '不能停用自己的账号', 'You cannot disable your own account', [{ path: 'name', message: name }]);
    }
    const password_hash = change.password === undefined ? undefined : await hashPassword(change.password);
    if (!(await this.repo.update(name, { role, password_hash, disabled: change.disabled }, this.now()))) throw notFound(name);
    if (password_hash !== undefined || change.disabled === true) await this.repo.deleteSessionsOf(name);
    if (password_hash !== undefined) this.byAccount.reset(name);
    await this.refresh(true);
    const { password_hash: _omit, ...row } = (await this.repo.find(name))!;
    return row;
  }

  /** The first admin, from the environment: created only while there are no accounts at all. */
  async bootstrap(name: string, password: string): Promise<UserRow | null> {
    if ((await this.repo.list()).length > 0) return null;
    return this.add({ name: 'bootstrap', role: 'admin', fingerprint: 'bootstrap', open: false }, { name, role: 'admin', password });
  }
}
