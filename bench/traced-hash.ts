// The bytes of many traced answers, hashed, to prove a change to the trace (its building or its
// writing) leaves every answer byte for byte as it was: `node dist/bench/traced-hash.js
// [households per policy] [seed]` evaluates generated households with the trace against every
// seeded policy through the service the route uses (EvaluationService.evaluate) and turns each
// answer into bytes as sendJson does (jsonBytes); a refusal counts as its code and texts. Run it
// in both builds and compare the lines: one SHA-256 per policy and one over them all.
import { createHash } from 'node:crypto';
import { seededEvaluation } from './lib/seeded-evaluation.js';
import { jsonBytes } from '../runtime/json-bytes.js';
import { DomainError } from '../runtime/services/domain-error.js';
import { generateHouseholds, AS_OF } from './lib/households.js';

async function main(): Promise<void> {
  const perPolicy = Number(process.argv[2] ?? 500);
  const seed = Number(process.argv[3] ?? 4242);
  const seeded = await seededEvaluation(AS_OF, 'traced-hash-');
  try {
    const households = generateHouseholds(perPolicy, seed);
    const all = createHash('sha256');
    let answers = 0, refusals = 0, bytes = 0;
    for (const id of Object.keys(seeded.store.data.policies).sort()) {
      const h = createHash('sha256');
      let ok = 0, refused = 0;
      for (const household of households) {
        let b: Uint8Array;
        try {
          b = jsonBytes(seeded.evaluation.evaluate(id, { household, as_of: AS_OF }))!;
          ok++;
        } catch (e) {
          if (!(e instanceof DomainError)) throw e;
          b = Buffer.from(JSON.stringify({ code: e.code, zh: e.zh, en: e.en, details: e.details }));
          refused++;
        }
        h.update(b); all.update(b); bytes += b.length;
      }
      answers += ok; refusals += refused;
      console.log(`${id}: ${ok} traced answers, ${refused} refused, sha256 ${h.digest('hex')}`);
    }
    console.log(`all: ${answers} traced answers, ${refusals} refused, ${(bytes / 1e6).toFixed(1)} MB, sha256 ${all.digest('hex')}`);
  } finally {
    await seeded.close();
  }
}
void main();
