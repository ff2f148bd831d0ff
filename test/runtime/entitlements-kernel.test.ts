// entitlements-kernel.ts (and entitlements-computed.ts, where it reads the programmes' contexts):
// an answer written from the programmes' computed contexts is the text writeAnswer writes for
// the same programmes' outputs objects, with the totals totals() gives (worked out by hand here),
// and none is written where totals() would take its exact arithmetic (the answer is then made
// from outputs objects). Linked programmes: `uses` shows the outputs written before.
import { describe, expect, it } from 'vitest';
import { evaluateTogether, Utf8Sink } from '../../dsl/index.js';
import { computedOf } from '../../runtime/services/entitlements-computed.js';
import { kernelOf } from '../../runtime/services/entitlements-kernel.js';
import { asOfPiece, closingOf, introOf, listTexts, piece, TextSink, writeAnswer } from '../../runtime/services/entitlements-text.js';
import { compiled, dibao, household, subsidy } from '../dsl/link-fixtures.js';

const policy = (id: string, outputs: string) => `政策 ${id}「项目」
  生效 2022-01-01
  依据「001」
使用「common/household」
${outputs}`;
const once = policy('c-once', `输出 eligible「符合」 = 真 依据「001」
输出 amount「一次性」 = 1200 元/月 依据「001」
`);
const service = policy('d-service', `输出 eligible「符合」 = 真 依据「001」
`);
const negative = policy('e-negative', `输出 eligible「符合」 = 真 依据「001」
输出 monthly_amount「金额」 = 0 元/月 − 5 元/月 依据「001」
`);
const AS_OF = '2024-06-01';
type Compiled = ReturnType<typeof compiled>;

/** A list's kernel, its texts (as entitlements.ts makes them: each head, no assumptions) and its
 *  evaluation together (outputs objects, and contexts). */
function setup(list: { id: string; compiled: Compiled }[]) {
  const texts = listTexts({
    heads: list.map((p, i) => ({ policy: p.id, version: i + 1 })), own: list.map(() => []),
    usesAt: list.map((p) => p.compiled.uses.map((id) => list.findIndex((q) => q.id === id))),
    ids: list.map((p) => p.id), versions: list.map((_, i) => i + 1), allListed: [],
    outputs: list.map((p) => p.compiled.program.outputs.map((o) => o.decl.name.text)),
  })!;
  const computed = computedOf(list.map((p) => p.compiled))!;
  const kernel = kernelOf(computed, texts, list.map((p) => piece(JSON.stringify({ policy: p.id }))))!;
  const together = evaluateTogether(list)!;
  return { texts, kernel, together };
}

/** The kernel's text for a household (undefined: it wrote nothing and said so). */
function written(s: ReturnType<typeof setup>, h: unknown, id: string | null, reason?: object): string | undefined {
  const sink = new Utf8Sink(64);
  const ok = s.kernel(sink, s.together.contexts(h, AS_OF)!, id, asOfPiece(AS_OF, true), introOf(s.texts, null), closingOf(s.texts, reason));
  if (!ok) { expect(sink.n).toBe(0); return undefined; }
  return new TextDecoder().decode(sink.bytes());
}

/** writeAnswer's text for the same programmes' outputs objects and these totals. */
function expected(s: ReturnType<typeof setup>, h: unknown, id: string | null, totals: { monthly_cash: string; yearly_cash: string; one_off_cash: string; services: object[] }, reason?: object): string {
  const sink = new TextSink();
  writeAnswer(sink, s.texts, { householdId: id, asOf: AS_OF, routed: true, jurisdiction: null, outputs: s.together(h, AS_OF)!, totals, reason, ids: undefined, recorded: false });
  return sink.text;
}

describe('the kernel: an answer written from the computed programmes', () => {
  const a = compiled(dibao), b = compiled(subsidy), c = compiled(once), d = compiled(service), e = compiled(negative);

  it('granted programmes: monthly cash, one-off cash and services, as totals() counts them; uses copied', () => {
    const s = setup([{ id: 'a-dibao', compiled: a }, { id: 'b-subsidy', compiled: b }, { id: 'c-once', compiled: c }, { id: 'd-service', compiled: d }]);
    // a-dibao: (650 − 400) × 2 = 500.00 a month; b-subsidy: no eligible output, not counted;
    // c-once: 1200.00 once; d-service: granted, no amount
    const totals = { monthly_cash: '500.00', yearly_cash: '6000.00', one_off_cash: '1200.00', services: [{ policy: 'd-service' }] };
    const text = written(s, household, 'h')!;
    expect(text).toBe(expected(s, household, 'h', totals));
    const answer = JSON.parse(text) as { totals: object; programmes: { granted: boolean; outputs: object; uses: Record<string, { outputs: object }> }[] };
    expect(answer.totals).toEqual(totals);
    expect(answer.programmes.map((p) => p.granted)).toEqual([true, false, true, true]);
    expect(answer.programmes[0]!.outputs).toMatchObject({ eligible: true, monthly_amount: '500.00' });
    // b-subsidy reads a-dibao: its uses show a-dibao's outputs; living 110.00, top_up 500 + 110
    expect(answer.programmes[1]!.uses['a-dibao']!.outputs).toEqual(answer.programmes[0]!.outputs);
    expect(answer.programmes[1]!.outputs).toEqual({ living: '110.00', top_up: '610.00' });
  });

  it('not granted: not counted; a household without an id; a reason after the assumptions', () => {
    const s = setup([{ id: 'a-dibao', compiled: a }]);
    const richer = { ...household, members: [{ id: 'm1', birth_date: '1960-05-01', income_monthly: 1000 }] };
    const reason = Object.freeze({ code: 'x', message: 'y' });
    const totals = { monthly_cash: '0.00', yearly_cash: '0.00', one_off_cash: '0.00', services: [] };
    const text = written(s, richer, null, reason)!;
    expect(text).toBe(expected(s, richer, null, totals, reason));
    expect(JSON.parse(text)).toMatchObject({ household_id: null, totals, reason });
  });

  it('a negative amount (plain money text no more): nothing written, the answer made from the outputs', () => {
    const s = setup([{ id: 'a-dibao', compiled: a }, { id: 'e-negative', compiled: e }]);
    expect(s.together(household, AS_OF)![1]).toMatchObject({ eligible: true, monthly_amount: '-5.00' });
    expect(written(s, household, 'h')).toBeUndefined();
  });
});

describe('computedOf', () => {
  const a = compiled(dibao);
  const cx = (p: Compiled) => p.compute(p.prepare(household, { asOf: 20240601 }).value!, 20240601);

  it('reads each value where outputValue does (CompiledPolicy.outputSlots; -1 for a member output)', () => {
    const c0 = cx(a);
    expect(a.outputSlots).toHaveLength(3);
    expect(a.outputSlots[2]).toBe(-1);   // by_member
    for (const i of [0, 1]) expect(c0.hs[a.outputSlots[i]!]).toBe(a.outputValue(c0, i));
    expect(c0.hs[a.outputSlots[1]!]).toBe(50000);
  });

  it('none for a list with an output totals() reads typed otherwise (eligible as money)', () => {
    const odd = compiled(policy('f-odd', `输出 eligible「符合」 = 5 元/月 依据「001」
`));
    expect(computedOf([a, odd])).toBeUndefined();
    expect(computedOf([a])).toBeDefined();
  });
});
