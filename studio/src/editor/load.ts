// The editor's chunk (Monaco) is the studio's largest. A deep link to a policy starts loading it
// at once, beside the session check, instead of after it; the policy list, once shown, loads it
// when the browser is idle, so opening a policy from the list does not wait for it.
import { useEffect, useState } from 'react';
import { api, type Draft } from '../api/client';

type WorkspaceModule = typeof import('./Workspace');
let workspaceModule: WorkspaceModule | null = null;
let importing: Promise<WorkspaceModule> | null = null;

/** The editor's chunk, asked for once (a failed load may be asked for again). */
export function loadWorkspace(): Promise<WorkspaceModule> {
  importing ??= import('./Workspace').then((m) => (workspaceModule = m), (e: unknown) => { importing = null; throw e; });
  return importing;
}

/** The Workspace component once its chunk has run, for the shell to render directly. Not
 *  React.lazy + Suspense: a lazy component suspends on its first render even when its chunk is
 *  already in, and React then holds the content back until 300 ms after the fallback was shown
 *  (its throttle for Suspense reveals), which on a deep link came after the chunk had run. */
export function useWorkspace(): { Workspace: WorkspaceModule['default'] | null; error: unknown; retry(): void } {
  const [mod, setMod] = useState(workspaceModule);
  const [error, setError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    if (mod) return;
    let live = true;
    loadWorkspace().then((m) => { if (live) setMod(m); }, (e: unknown) => { if (live) setError(e); });
    return () => { live = false; };
  }, [mod, attempt]);
  return { Workspace: mod?.default ?? null, error, retry: () => { setError(null); setAttempt(attempt + 1); } };
}

export interface Fetched { draft: Draft; moduleText: string; schema: unknown }

/** What the editor needs from the server to open a policy. */
export async function fetchPolicyData(id: string): Promise<Fetched> {
  const [draft, moduleText, schema] = await Promise.all([
    api.getDraft(id),
    api.householdModule(),
    api.householdSchema().catch(() => null),
  ]);
  return { draft, moduleText, schema };
}

// A deep link's data, asked for while the editor's chunk loads; taken once, and only while
// fresh, so a later opening of the same policy reads the server again.
let early: { id: string; at: number; data: Promise<Fetched> } | null = null;

export function prefetchPolicyData(id: string): void {
  const data = fetchPolicyData(id);
  data.catch(() => { /* the editor asks again and shows the error */ });
  early = { id, at: Date.now(), data };
}

export function takePolicyData(id: string): Promise<Fetched> {
  const e = early;
  early = null;
  return e && e.id === id && Date.now() - e.at < 10_000 ? e.data.catch(() => fetchPolicyData(id)) : fetchPolicyData(id);
}

/** After the list has rendered: load the editor's chunk in idle time (once; import() caches). */
export function prefetchWorkspace(): void {
  const go = () => void loadWorkspace();
  if ('requestIdleCallback' in window) requestIdleCallback(go, { timeout: 5000 });
  else setTimeout(go, 500);
}
