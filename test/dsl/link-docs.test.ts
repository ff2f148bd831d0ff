// docs/language.md, section 引用: its examples run as printed — the two policies (Chinese and
// English keywords), the household, the outputs and the trace line the text shows, the
// diagnostics it quotes and the linkOrder call.
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { analyze, compileSource, linkOrder, type Json } from '../../dsl/index.js';

const modules = { 'common/household': readFileSync('policies/common/household.policy', 'utf8') };
const md = readFileSync('docs/language.md', 'utf8');
const section = md.slice(md.indexOf('## Reading another policy\'s results (引用)'), md.indexOf('\n## ', md.indexOf('## Reading another policy\'s results (引用)') + 5));
const blocks = (lang: string) => [...section.matchAll(new RegExp('```' + lang + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1]!);
const [dibaoSrc, subsidySrc, englishSrc] = blocks('policy');
const [householdJson, outputsJson] = blocks('json');
const [traceLine] = blocks('text');
const sources: Record<string, { version: number; source: string }> = { 'demo-dibao': { version: 2, source: dibaoSrc! } };
const linked = (id: string) => sources[id];

describe('docs/language.md: 引用 examples', () => {
  it('has the examples', () => {
    expect([dibaoSrc, subsidySrc, englishSrc, householdJson, outputsJson, traceLine].every(Boolean)).toBe(true);
  });

  it('both spellings of the referencing policy check, against the version the text names', () => {
    for (const src of [subsidySrc!, englishSrc!]) {
      const a = analyze(src, { modules, linked });
      expect(a.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message.en)).toEqual([]);
      const note = a.diagnostics.find((d) => d.code === 'check.link-version')!;
      expect(section).toContain(note.message.zh);
      expect(a.info?.uses).toEqual(['demo-dibao']);
    }
    expect(analyze(dibaoSrc!, { modules }).info?.jurisdiction_code).toBe('640202');
  });

  it('the quoted unknown-output message is what the checker says', () => {
    const a = analyze(subsidySrc!.replace('低保.eligible', '低保.eligble'), { modules, linked });
    expect(section).toContain(a.diagnostics.find((d) => d.code === 'check.link-unknown-output')!.message.zh);
  });

  it('the household gives the printed outputs, and the trace line crosses the boundary', () => {
    const household = JSON.parse(householdJson!) as unknown;
    const expected = JSON.parse(outputsJson!) as Record<string, Record<string, Json>>;
    const dibao = compileSource(dibaoSrc!, { modules }).compiled!;
    const d = dibao.evaluate(household, '2024-06-01', { trace: true });
    expect(d.ok && d.outputs).toEqual(expected['demo-dibao']);
    for (const src of [subsidySrc!, englishSrc!]) {
      const c = compileSource(src, { modules, linked }).compiled!;
      const r = c.evaluate(household, '2024-06-01', { trace: true, linked: { 'demo-dibao': { version: 2, outputs: d.ok ? d.outputs : {}, trace: d.ok ? d.trace : undefined } } });
      expect(r.ok && r.outputs).toEqual(expected['demo-subsidy']);
      const entry = r.ok ? r.trace!.find((t) => t.output === 'living_subsidy') : undefined;
      expect(entry?.linked?.[0]?.because.zh).toBe(traceLine!.trim());
    }
  });

  it('linkOrder as printed', () => {
    const m = /`linkOrder\((\{[^`]*\})\)` gives the order to\s+evaluate them in \(`(\{[^`]*\})`\)/.exec(section)!;
    const toJson = (s: string) => JSON.parse(s.replace(/'/g, '"').replace(/(\w+):/g, '"$1":').replace(/""/g, '"')) as unknown;
    expect(linkOrder(toJson(m[1]!) as Record<string, string[]>)).toEqual(toJson(m[2]!));
  });
});
