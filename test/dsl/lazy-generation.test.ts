// compile() generates the batch text reader and the whole-household decoder at their first use
// (the editor compiles at every edit and its scenario runner needs neither): not at compile time,
// once, and with the same answers as the paths that do not use them.
import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';

const made = vi.hoisted(() => ({ reader: 0, whole: 0 }));
vi.mock('../../dsl/eval/text-read.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../dsl/eval/text-read.js')>();
  return { ...real, generateTextReader: (...a: Parameters<typeof real.generateTextReader>) => { made.reader++; return real.generateTextReader(...a); } };
});
vi.mock('../../dsl/eval/fast-decode.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../dsl/eval/fast-decode.js')>();
  return { ...real, generateFastDecoder: (...a: Parameters<typeof real.generateFastDecoder>) => { if ((a[1] ?? 'all') === 'all') made.whole++; return real.generateFastDecoder(...a); } };
});

const { compileSource, parseScenarios, runScenarios } = await import('../../dsl/index.js');
const modules = { 'common/household': readFileSync('policies/common/household.policy', 'utf8') };
const source = readFileSync('examples/dibao/policy.policy', 'utf8');
// one urban adult with 500 income: 650 − 500 = 150.00 (examples/dibao's 差额补助)
const household = { id: 'h1', area: 'urban', members: [{ id: 'a', birth_date: '1980-01-01', income_monthly: 500 }] };
const text = new TextEncoder().encode(JSON.stringify(household));

describe('generated at first use', () => {
  it('compiling and running scenarios generates neither', () => {
    made.reader = made.whole = 0;
    const c = compileSource(source, { modules, mode: 'codegen' }).compiled!;
    const suite = parseScenarios('scenarios:\n  - name: 一人\n    as_of: 2024-06-01\n    household: { id: h1, area: urban, members: [{ id: a, birth_date: 1980-01-01, income_monthly: 500 }] }\n    expect: { eligible: true, monthly_amount: "150.00" }\n    decided_by: { monthly_amount: 差额补助 }\n').suite!;
    expect(runScenarios(c, suite).passed).toBe(1);
    expect(c.evaluateJson).toBeDefined();
    expect(made).toEqual({ reader: 0, whole: 0 });
  });

  it('the text reader: once, at the first batch read, answering as evaluate does', () => {
    made.reader = 0;
    const c = compileSource(source, { modules, mode: 'codegen' }).compiled!;
    expect(made.reader).toBe(0);
    const r = c.evaluateJson!(text, '2024-06-01');
    expect(made.reader).toBe(1);
    const plain = c.evaluate(household, '2024-06-01');
    expect(plain.ok).toBe(true);
    expect(r).toEqual({ id: 'h1', outputsJson: JSON.stringify(plain.ok && plain.outputs) });
    expect(JSON.parse(r!.outputsJson)).toMatchObject({ eligible: true, monthly_amount: '150.00' });
    expect(c.evaluateJsonAt!(text, '2024-06-01', 0)).toEqual({ ...r, end: text.length });
    expect(made.reader).toBe(1);
  });

  it('the whole-household decoder: once, at the first prepare or traced evaluation, decoding as the full decoder does', () => {
    made.whole = 0;
    const c = compileSource(source, { modules, mode: 'codegen' }).compiled!;
    const closures = compileSource(source, { modules, mode: 'closures' }).compiled!;
    expect(made.whole).toBe(0);
    const traced = c.evaluate(household, '2024-06-01', { trace: true });
    expect(made.whole).toBe(1);
    expect(JSON.stringify(traced)).toBe(JSON.stringify(closures.evaluate(household, '2024-06-01', { trace: true })));
    expect(c.prepare(household)).toEqual(closures.prepare(household));
    expect(c.prepare({ ...household, area: 'town' })).toEqual(closures.prepare({ ...household, area: 'town' }));
    expect(made.whole).toBe(1);
  });
});
