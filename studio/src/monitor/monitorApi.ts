// The monitoring endpoints the screen calls (docs/monitoring.md), through the studio's client.
import { api, toApiError } from '../api/client';

export const LISTS = ['newly_eligible', 'no_longer_eligible', 'amount_changed', 'exit_within_30', 'exit_within_60', 'flags'] as const;
export type ListName = (typeof LISTS)[number];

export interface RunSummary { id: string; as_of: string; status: string; households_total: number; households_done: number }
export interface ListCount { label: { zh: string; en: string }; total: number; by_policy: Record<string, number>; by_county: Record<string, number> }
export interface Run {
  id: string; as_of: string; status: string; started_by: string;
  progress: { households_total: number; households_done: number; chunks_total: number; chunks_done: number; fraction: number };
  evaluation_errors: number; lists: Record<ListName, ListCount>;
}
export interface ListRow { household_id: string; policy: string; county: string | null; decision_id: string | null; explanation: string; detail: Record<string, unknown> }

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await api.raw(method, path, body);
  if (res.status >= 400) throw toApiError(res);
  return res.body as T;
}

export const monitorApi = {
  runs: () => call<{ runs: RunSummary[] }>('GET', '/api/monitor/runs').then((r) => r.runs),
  run: (id: string) => call<Run>('GET', `/api/monitor/runs/${encodeURIComponent(id)}`),
  start: (asOf: string) => call<Run>('POST', '/api/monitor/runs', { as_of: asOf }),
  cancel: (id: string) => call<Run>('DELETE', `/api/monitor/runs/${encodeURIComponent(id)}`),
  list: (id: string, list: ListName, f: { policy?: string; county?: string }) => {
    const q = new URLSearchParams({ limit: '200' });
    if (f.policy) q.set('policy', f.policy);
    if (f.county) q.set('county', f.county);
    return call<{ rows: ListRow[]; next_cursor: string | null }>('GET', `/api/monitor/runs/${encodeURIComponent(id)}/lists/${list}?${q}`);
  },
  replay: (decisionId: string) => call<{ identical: boolean; outputs: Record<string, unknown> }>('POST', `/api/decisions/${encodeURIComponent(decisionId)}/replay`),
  history: (householdId: string) => call<{ versions: { effective_from: string; seq: number; household: unknown }[] }>('GET', `/api/registry/households/${encodeURIComponent(householdId)}`),
  /** The export as a file download (fetched with the key, then saved from a blob). */
  async download(id: string, list: ListName, format: 'csv' | 'xlsx', f: { policy?: string; county?: string }) {
    const q = new URLSearchParams({ format });
    if (f.policy) q.set('policy', f.policy);
    if (f.county) q.set('county', f.county);
    const key = api.apiKey();
    const res = await fetch(`/api/monitor/runs/${encodeURIComponent(id)}/lists/${list}/export?${q}`, { headers: key ? { Authorization: `Bearer ${key}` } : {} });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    const a = document.createElement('a');
    a.href = URL.createObjectURL(await res.blob());
    a.download = `${list}-${id}.${format}`;
    a.click();
    URL.revokeObjectURL(a.href);
  },
};
