// A small HTTP client for --server: JSON in and out, the API key as a Bearer token, and error
// answers ({ error: { code, message, details } }) turned into messages that say what to do.
import { CliError } from './args.js';

export interface ApiResponse<T = unknown> { status: number; headers: Headers; body: T }
export interface ApiErrorBody { error?: { code?: string; message?: string; message_zh?: string; message_en?: string; details?: { path: string; message: string }[]; request?: string } }

export class Client {
  readonly base: string;
  constructor(server: string, private key?: string) {
    let url: URL;
    try { url = new URL(server); } catch {
      throw new CliError(`--server ${server}: 不是有效的地址 / not a valid URL — e.g. --server http://127.0.0.1:3000`, 2);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new CliError(`--server ${server}: 应为 http:// 或 https:// 地址 / must be an http(s) URL`, 2);
    this.base = url.href.replace(/\/+$/, '');
  }

  async request<T = unknown>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse<T>> {
    const h: Record<string, string> = { Accept: 'application/json', ...headers };
    if (this.key) h.Authorization = `Bearer ${this.key}`;
    if (body !== undefined) h['Content-Type'] = 'application/json';
    let res: Response;
    try {
      res = await fetch(`${this.base}${path}`, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(60_000) });
    } catch (e) {
      const cause = (e as { cause?: { code?: string } }).cause?.code ?? (e as Error).name;
      throw new CliError(`${this.base}: 无法连接服务器 / cannot reach the server (${cause}) — is it running (npm start)? check --server`);
    }
    const text = await res.text();
    let parsed: unknown = undefined;
    if (text) {
      try { parsed = JSON.parse(text); } catch {
        throw new CliError(`${method} ${this.base}${path}: 服务器返回的不是 JSON（HTTP ${res.status}）/ the server answered HTTP ${res.status} with non-JSON — is --server the policy studio?`);
      }
    }
    return { status: res.status, headers: res.headers, body: parsed as T };
  }
}

/** The lines describing an error answer: "HTTP 422 publish.refused 不能发布 / Cannot publish" + details. */
export function errorLines(res: ApiResponse): string[] {
  const e = (res.body as ApiErrorBody | undefined)?.error;
  const lines = [`HTTP ${res.status}${e?.code ? ` ${e.code}` : ''}${e?.message ? ` ${e.message}` : ''}`];
  for (const d of e?.details ?? []) lines.push(`  - ${d.path}: ${d.message}`);
  if (res.status === 401) lines.push('  需要有效的 API 密钥 / a valid API key is needed: --key KEY (or POLICY_API_KEY)');
  if (res.status === 403) lines.push('  此密钥的角色无权执行此操作 / this key\'s role may not do this — use a key with the right role');
  return lines;
}
