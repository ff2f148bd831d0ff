// The one HTTP client of the studio: every call to the runtime's /api goes through here.
// Errors come back as ApiError (the runtime's {error:{code,message,details}} shape).
import type { Json } from '../language/types';

export interface PolicySummary {
  id: string; title: string; program: string; jurisdiction: string;
  latest_version: number | null; latest_effective_from: string | null;
  draft_changed: boolean; draft_status: 'new' | 'changed' | 'unchanged';
  assumed_count: number; pending_requests: number; retired: boolean;
}
export interface PublishRequestRecord {
  id: string; status: 'pending' | 'approved' | 'rejected'; effective_from: string; note: string; hash: string;
  requested_by?: string; requested_at?: string; decided_by?: string | null; version?: number | null;
}

/** Accepts both the documented field names and the runtime's (draft_status, assumed_parameters). */
export function normalizeSummary(raw: Record<string, unknown>): PolicySummary {
  const status = (raw.draft_status as PolicySummary['draft_status'] | undefined)
    ?? (raw.draft_changed === true ? 'changed' : raw.draft_changed === false ? 'unchanged' : 'unchanged');
  return {
    id: String(raw.id ?? ''),
    title: String(raw.title ?? ''),
    program: String(raw.program ?? ''),
    jurisdiction: String(raw.jurisdiction ?? ''),
    latest_version: typeof raw.latest_version === 'number' ? raw.latest_version : null,
    latest_effective_from: typeof raw.latest_effective_from === 'string' ? raw.latest_effective_from : null,
    draft_changed: typeof raw.draft_changed === 'boolean' ? raw.draft_changed : status !== 'unchanged',
    draft_status: status,
    assumed_count: Number(raw.assumed_count ?? raw.assumed_parameters ?? 0),
    pending_requests: Number(raw.pending_requests ?? 0),
    retired: raw.retired === true,
  };
}
/** The caller, from its key (GET /api/me); null when the server does not say. */
export interface Me { name: string; role: Role; open: boolean; /** a signed-in person (not a key) */ user?: boolean }
export type Role = 'admin' | 'editor' | 'reviewer' | 'tester' | 'client';
export const ROLES: Role[] = ['admin', 'editor', 'reviewer', 'tester', 'client'];
/** An account, as an admin sees it (GET /api/users). */
export interface UserAccount { name: string; role: Role; disabled: boolean; created_at: string; created_by: string; updated_at?: string }
export interface LineDiff { added: number; removed: number; lines: { op: 'equal' | 'add' | 'remove'; text: string; from_line: number | null; to_line: number | null }[] }
export interface DiffResult { from: number | null; to: number | string; source: LineDiff; scenarios: LineDiff }
export interface TestRunResult {
  ok?: boolean; passed: number; failed: number;
  results: { name: string; ok: boolean; error?: string; outputs: { name: string; expected: unknown; actual: unknown; ok: boolean }[] }[];
}
/** A publish request with its immutable snapshot, as a reviewer reads it. */
export interface PublishRequestReview extends PublishRequestRecord {
  source: string; scenarios: string; base_version?: number;
  base: { version: number; effective_from: string; hash: string } | null;
  diff: { from: number | null; source: LineDiff; scenarios: LineDiff };
  test: TestRunResult; decision_note?: string | null;
}
export interface Draft { source: string; scenarios: string; revision: number | string; etag: string }
export interface VersionMeta {
  version: number; effective_from: string; note: string | null; hash: string;
  author?: string | null; published_at?: string | null;
}
export interface VersionDetail extends VersionMeta { source: string; scenarios: string }
export type PublishResult =
  | { kind: 'published'; version: number; body: Record<string, unknown> }
  | { kind: 'review'; requestId: string; body: Record<string, unknown> };
export interface EvaluateRequest { household: unknown; as_of?: string; version?: number }
export interface EvaluateResponse {
  policy: string; version: number; effective_from: string; as_of: string;
  outputs: Record<string, Json>; trace?: unknown[];
}

export class ApiError extends Error {
  constructor(
    public status: number,
    public code: string,
    message: string,
    public details: { path?: string; message: string }[] = [],
    public body: unknown = null,
  ) { super(message); }

  /** The server's message in one language (its answers carry message_zh and message_en). */
  text(lang: 'zh' | 'en'): string {
    const e = (this.body as { error?: { message_zh?: string; message_en?: string } } | null)?.error;
    return (lang === 'zh' ? e?.message_zh : e?.message_en) || this.message;
  }
}

/** Any error as the studio shows it, in one language: the server's own message in that language
 *  for an ApiError (not the bilingual or Chinese default), the message of anything else. */
export function errorText(e: unknown, lang: 'zh' | 'en'): string {
  if (e instanceof ApiError) return e.text(lang);
  return e instanceof Error ? e.message : String(e);
}

/** The header the server requires on every state-changing request signed in by cookie (CSRF). */
export const CSRF_HEADER = 'X-Studio-Request';

export interface RawResponse { status: number; headers: Headers; body: unknown; text: string }

export class ApiClient {
  constructor(private base = '', private getKey: () => string | null = () => null) {}

  /** Absolute URL of an API path, as a curl command would need it. */
  url(path: string): string {
    const origin = typeof location !== 'undefined' ? location.origin : 'http://localhost:3000';
    return (this.base || origin) + path;
  }

  apiKey(): string | null { return this.getKey(); }

  async raw(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<RawResponse> {
    const h: Record<string, string> = { Accept: 'application/json', [CSRF_HEADER]: '1', ...headers };
    const key = this.getKey();
    if (key) h.Authorization = `Bearer ${key}`;
    if (body !== undefined) h['Content-Type'] = 'application/json';
    let res: Response;
    try {
      res = await fetch(this.base + path, { method, headers: h, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body) });
    } catch (e) {
      throw new ApiError(0, 'network', e instanceof Error ? e.message : String(e));
    }
    const text = await res.text();
    let parsed: unknown = text;
    if ((res.headers.get('content-type') ?? '').includes('json') && text) {
      try { parsed = JSON.parse(text); } catch { parsed = text; }
    }
    return { status: res.status, headers: res.headers, body: parsed, text };
  }

  private async call<T>(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ data: T; res: RawResponse }> {
    const res = await this.raw(method, path, body, headers);
    if (res.status >= 400) throw toApiError(res);
    return { data: res.body as T, res };
  }

  async listPolicies(): Promise<PolicySummary[]> {
    const { data } = await this.call<Record<string, unknown>[] | { policies: Record<string, unknown>[] }>('GET', '/api/policies');
    return (Array.isArray(data) ? data : data.policies ?? []).map(normalizeSummary);
  }

  async getPolicy(id: string): Promise<Record<string, unknown>> {
    return (await this.call<Record<string, unknown>>('GET', `/api/policies/${enc(id)}`)).data;
  }

  async getDraft(id: string): Promise<Draft> {
    const { data, res } = await this.call<{ source: string; scenarios?: string; revision: number | string }>('GET', `/api/policies/${enc(id)}/draft`);
    return { source: data.source, scenarios: data.scenarios ?? '', revision: data.revision, etag: res.headers.get('etag') ?? String(data.revision) };
  }

  /** Saves the draft if nobody else saved since `etag`; a stale etag throws ApiError 409 'conflict'. */
  async saveDraft(id: string, draft: { source: string; scenarios: string }, etag: string): Promise<{ etag: string; revision: number | string }> {
    const { data, res } = await this.call<{ revision?: number | string }>('PUT', `/api/policies/${enc(id)}/draft`, draft, { 'If-Match': etag });
    const revision = data && typeof data === 'object' && 'revision' in data ? data.revision ?? '' : '';
    return { etag: res.headers.get('etag') ?? String(revision), revision };
  }

  async publish(id: string, req: { effective_from: string; note: string; confirm_far_future?: boolean }): Promise<PublishResult> {
    const { data, res } = await this.call<Record<string, unknown>>('POST', `/api/policies/${enc(id)}/publish`, req);
    if (res.status === 202 || data.status === 'pending' || (data.request_id != null && data.version == null)) {
      const request = data.request as { id?: string } | undefined;
      return { kind: 'review', requestId: String(data.request_id ?? request?.id ?? ''), body: data };
    }
    return { kind: 'published', version: versionNumber(data.version), body: data };
  }

  async publishRequests(id: string): Promise<PublishRequestRecord[]> {
    const { data } = await this.call<PublishRequestRecord[] | { requests: PublishRequestRecord[] }>('GET', `/api/policies/${enc(id)}/publish-requests`);
    return Array.isArray(data) ? data : data.requests ?? [];
  }

  /** Approves a publish request; returns the published version number. */
  async approve(id: string, requestId: string, hash: string, note?: string): Promise<number> {
    const { data } = await this.call<Record<string, unknown>>('POST', `/api/policies/${enc(id)}/publish-requests/${enc(requestId)}/approve`, note ? { hash, note } : { hash });
    return versionNumber(data.version);
  }

  /** Reads one request with its snapshot (what approval would publish). */
  async publishRequest(id: string, requestId: string): Promise<PublishRequestReview> {
    return (await this.call<PublishRequestReview>('GET', `/api/policies/${enc(id)}/publish-requests/${enc(requestId)}`)).data;
  }

  async reject(id: string, requestId: string, note: string): Promise<PublishRequestRecord> {
    const { data } = await this.call<{ request: PublishRequestRecord }>('POST', `/api/policies/${enc(id)}/publish-requests/${enc(requestId)}/reject`, note ? { note } : {});
    return data.request;
  }

  /** The caller's name and role (null when the server has no /api/me). */
  async me(): Promise<Me | null> {
    const res = await this.raw('GET', '/api/me');
    if (res.status === 404) return null;
    if (res.status >= 400) throw toApiError(res);
    return res.body as Me;
  }

  /** Signs in with a name and password (the server sets the session cookie). */
  async signIn(name: string, password: string): Promise<Me> {
    const { data } = await this.call<{ name: string; role: Role }>('POST', '/api/session', { name, password });
    return { name: data.name, role: data.role, open: false, user: true };
  }

  async signOut(): Promise<void> { await this.call('DELETE', '/api/session'); }

  async users(): Promise<UserAccount[]> {
    return (await this.call<{ users: UserAccount[] }>('GET', '/api/users')).data.users;
  }

  async addUser(u: { name: string; role: Role; password: string }): Promise<UserAccount> {
    return (await this.call<UserAccount>('POST', '/api/users', u)).data;
  }

  async changeUser(name: string, change: { role?: Role; disabled?: boolean; password?: string }): Promise<UserAccount> {
    return (await this.call<UserAccount>('PUT', `/api/users/${enc(name)}`, change)).data;
  }

  /** Latest version (or `from`) against the saved draft (or `to`). */
  async diff(id: string, q: { from?: number; to?: number | 'draft' } = {}): Promise<DiffResult> {
    const qs = [q.from != null ? `from=${q.from}` : '', q.to != null ? `to=${q.to}` : ''].filter(Boolean).join('&');
    return (await this.call<DiffResult>('GET', `/api/policies/${enc(id)}/diff${qs ? `?${qs}` : ''}`)).data;
  }

  /** Runs the saved draft's scenarios on the server. */
  async draftTest(id: string): Promise<TestRunResult> {
    return (await this.call<TestRunResult>('POST', `/api/policies/${enc(id)}/draft/test`, {})).data;
  }

  async versions(id: string): Promise<VersionMeta[]> {
    const { data } = await this.call<VersionMeta[] | { versions: VersionMeta[] }>('GET', `/api/policies/${enc(id)}/versions`);
    return Array.isArray(data) ? data : data.versions ?? [];
  }

  async version(id: string, n: number): Promise<VersionDetail> {
    return (await this.call<VersionDetail>('GET', `/api/policies/${enc(id)}/versions/${n}`)).data;
  }

  /** Evaluates through the HTTP API; returns the raw response too (the Try it screen shows it). */
  async evaluate(id: string, req: EvaluateRequest): Promise<RawResponse> {
    return this.raw('POST', `/api/policies/${enc(id)}/evaluate`, req);
  }

  /** 一门受理: every programme one household may receive (POST /api/entitlements), the raw answer. */
  async entitlements(req: { household: unknown; as_of?: string; trace?: boolean }): Promise<RawResponse> {
    return this.raw('POST', '/api/entitlements', req);
  }

  /** The published programmes (GET /api/programmes): jurisdictions and typed outputs. */
  async programmes(): Promise<{ as_of: string; programmes: { policy: string; title: string | null; jurisdiction: { code: string | null; name: string | null } }[] }> {
    return (await this.call<{ as_of: string; programmes: { policy: string; title: string | null; jurisdiction: { code: string | null; name: string | null } }[] }>('GET', '/api/programmes')).data;
  }

  /** The shared household schema module's source (the runtime answers text or {name, source}). */
  async householdModule(): Promise<string> {
    const res = await this.raw('GET', '/api/modules/common/household', undefined, { Accept: 'application/json, text/plain' });
    if (res.status >= 400) throw toApiError(res);
    const b = res.body as { source?: string } | string;
    return typeof b === 'object' && b && typeof b.source === 'string' ? b.source : res.text;
  }

  async householdSchema(): Promise<Record<string, unknown>> {
    return (await this.call<Record<string, unknown>>('GET', '/api/schema/household')).data;
  }

  /** The curl command equivalent to an evaluate call (shown on the Try it screen). */
  curlEvaluate(id: string, req: EvaluateRequest): string {
    const lines = [`curl -sS -X POST '${this.url(`/api/policies/${enc(id)}/evaluate`)}'`, `  -H 'Content-Type: application/json'`];
    if (this.getKey()) lines.push(`  -H 'Authorization: Bearer ${this.getKey()}'`);
    lines.push(`  -d '${JSON.stringify(req).replace(/'/g, "'\\''")}'`);
    return lines.join(' \\\n');
  }
}

function versionNumber(v: unknown): number {
  if (v && typeof v === 'object' && 'version' in v) return Number((v as { version: unknown }).version);
  return Number(v);
}

function enc(s: string): string { return encodeURIComponent(s); }

export function toApiError(res: RawResponse): ApiError {
  const b = res.body as { error?: { code?: string; message?: string; details?: { path?: string; message: string }[] } } | string;
  if (b && typeof b === 'object' && b.error) {
    return new ApiError(res.status, b.error.code ?? String(res.status), b.error.message ?? `HTTP ${res.status}`, b.error.details ?? [], b);
  }
  return new ApiError(res.status, String(res.status), typeof b === 'string' && b ? b.slice(0, 200) : `HTTP ${res.status}`, [], b);
}

/** Fired on window when the API key changes, so screens reload with it. */
export const SETTINGS_CHANGED = 'studio:settings-changed';

const keyStorage = 'studio.apiKey';
export function storedApiKey(): string | null {
  try { return globalThis.localStorage?.getItem(keyStorage) || null; } catch { return null; }
}
export function storeApiKey(key: string): void {
  try {
    if (key) globalThis.localStorage?.setItem(keyStorage, key); else globalThis.localStorage?.removeItem(keyStorage);
  } catch { /* ignore */ }
}

export const api = new ApiClient('', storedApiKey);
