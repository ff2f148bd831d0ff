// Evaluating one household under the *draft* (the HTTP evaluate endpoint answers published
// versions only): a language worker of its own compiles the draft text and evaluates it with
// the trace, exactly as the editor explains a selected scenario. The worker is started on first use.
import { api } from '../api/client';
import { LanguageClient } from '../language/client';
import type { Analysis } from '../language/protocol';
import type { EvalResult, Json } from '../language/types';

export class DraftNotCompilable extends Error {
  constructor(readonly analysis: Analysis) { super('draft does not compile'); this.name = 'DraftNotCompilable'; }
}

interface Entry { source: string; client: LanguageClient | null; disposed: boolean; ready: Promise<LanguageClient> }
let current: Entry | null = null;

function dispose(e: Entry | null) {
  if (!e) return;
  e.disposed = true;
  e.client?.dispose();
}

/** One worker for the newest draft text; a different text replaces it. */
function clientFor(source: string): Promise<LanguageClient> {
  if (current && current.source === source) return current.ready;
  dispose(current);
  const entry: Entry = { source, client: null, disposed: false, ready: Promise.resolve(null as unknown as LanguageClient) };
  entry.ready = (async () => {
    const moduleText = await api.householdModule();
    if (entry.disposed) throw new Error('draft evaluator replaced');
    const client = new LanguageClient();
    entry.client = client;
    const analysis = new Promise<Analysis>((resolve) => {
      const off = client.onAnalysis((a) => { if (a.source === source) { off(); resolve(a); } });
    });
    client.init({ 'common/household': moduleText });
    client.update(source, '');
    const a = await analysis;
    if (!a.compiled) throw new DraftNotCompilable(a);
    return client;
  })();
  entry.ready.catch(() => { if (current === entry) current = null; dispose(entry); });
  current = entry;
  return entry.ready;
}

/** Evaluates a household under a policy text (the draft) in the browser, with the trace. */
export async function evaluateDraft(source: string, household: unknown, asOf: string): Promise<EvalResult> {
  const client = await clientFor(source);
  return client.request<EvalResult>('evaluate', { household: household as Json, asOf });
}

/** Stops the draft worker (the Impact tab calls it when it unmounts). */
export function disposeDraftEvaluator(): void {
  dispose(current);
  current = null;
}
