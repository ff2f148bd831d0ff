// The evaluation thread of a monitoring run: evaluates chunks (chunk.ts) off the event loop,
// so an instance's second core evaluates while its main thread reads and writes the store
// (embedded, PGlite runs on the main thread). It evaluates the published policies it was last
// sent (a run sends them when it starts), with the same language modules as the main thread.
import { parentPort } from 'node:worker_threads';
import type { DbData, Store } from '../../store/types.js';
import { EvaluationService } from '../evaluation.js';
import { Language, type ModuleSources } from '../language.js';
import { linkedSourcesOf } from '../linked-sources.js';
import { PolicyService } from '../policies.js';
import { evaluateChunk } from './chunk.js';
import { EntitlementsEvaluator } from './evaluator.js';
import type { ThreadReply, ThreadRequest } from './thread-protocol.js';

const port = parentPort;
if (port) {
  let lang: Language | undefined;
  let evaluator: EntitlementsEvaluator | undefined;
  port.on('message', (m: ThreadRequest) => {
    void (async (): Promise<ThreadReply> => {
      try {
        if (m.kind === 'policies') {
          lang ??= new Language(m.modules as ModuleSources);
          // a read-only view of the published policies: all evaluation reads of the store
          const store = { data: { policies: m.policies } as unknown as DbData } as Store;
          // `引用` resolves as on the main thread: against the versions in force on its today
          lang.setLinkedSources(linkedSourcesOf(store, () => m.today));
          const evaluation = new EvaluationService(lang, new PolicyService(store, lang, false), () => m.today);
          evaluator = new EntitlementsEvaluator(evaluation);
          evaluator.reset(m.asOf);
          // the programmes compile on first use, in each thread at once (compiled code cannot cross
          // threads), only those the households need: compiling every one in force at once (13,
          // where the bench's households need 7) cost more than the first chunk's read it would
          // overlap. Kept across runs: the Language caches a compiled source (versions are immutable).
          return { id: m.id, ok: true };
        }
        if (!evaluator) throw new Error('evaluation thread: no policies sent yet');
        return { id: m.id, ok: true, output: await evaluateChunk(evaluator, m.run, m.entries, m.previous) };
      } catch (e) {
        return { id: m.id, ok: false, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
      }
    })().then((r) => port.postMessage(r));
  });
}
