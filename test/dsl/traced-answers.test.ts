// The traced answer is a contract (docs/api.md, the studio's explanation panel, `policy eval
// --explain`): its JSON must stay byte for byte what it was when the derivation's per-version
// parts started to be cached and shared (branch trace-cost). The expected texts are NOT produced
// by the code under test: fixtures/traced-answers.json.gz was written by main's build (60c7a3c)
// before that change, for shipped scenario households of four policies.
import { describe, it, expect } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { compileSource, compile } from '../../dsl/index.js';

interface Case { policy: string; scenario: string; as_of: string; household: unknown; trace: string }
const fixture = JSON.parse(gunzipSync(readFileSync('test/dsl/fixtures/traced-answers.json.gz')).toString('utf8')) as { cases: Case[] };
const modules: Record<string, string> = {};
for (const f of readdirSync('policies/common').sort()) if (f.endsWith('.policy')) modules[`common/${f.slice(0, -'.policy'.length)}`] = readFileSync(`policies/common/${f}`, 'utf8');

describe('traced answers stay byte-identical', () => {
  for (const c of fixture.cases) {
    it(`${c.policy}: ${c.scenario}`, () => {
      const rel = `policies/${c.policy}/policy.policy`;
      const r = compileSource(readFileSync(rel, 'utf8'), { file: rel, modules });
      if (!r.compiled) throw new Error(`${rel} does not compile`);
      for (const p of [r.compiled, compile(r.compiled.program, { mode: 'closures' })]) {
        // twice: the second answer is built from what the first one cached
        for (let round = 0; round < 2; round++) {
          const e = p.evaluate(c.household, c.as_of, { trace: true });
          if (!e.ok) throw new Error(JSON.stringify(e.errors));
          expect(JSON.stringify(e.trace)).toBe(c.trace);
        }
      }
    });
  }
  it('a household evaluated between two others does not change their answers', () => {
    const [a, b] = fixture.cases;
    const rel = `policies/${a!.policy}/policy.policy`;
    const p = compileSource(readFileSync(rel, 'utf8'), { file: rel, modules }).compiled!;
    const text = (x: Case) => { const e = p.evaluate(x.household, x.as_of, { trace: true }); return e.ok ? JSON.stringify(e.trace) : ''; };
    expect([text(a!), text(b!), text(a!)]).toEqual([a!.trace, b!.trace, a!.trace]);
  });
});
