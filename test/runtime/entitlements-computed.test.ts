// entitlements-computed.ts: what an answer written from the programmes' computed contexts reads
// of them besides their outputs' text: whether each is granted, and its totals as whole fen —
// the totals totals() gives from the outputs' JSON, or none where totals() would take its exact
// arithmetic (the answer is then made from outputs objects). Expected values worked out by hand.
import { describe, expect, it } from 'vitest';
import { computedOf, computedTotals } from '../../runtime/services/entitlements-computed.js';
import { compiled, dibao, household } from '../dsl/link-fixtures.js';

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
const lines = (ids: string[]) => ids.map((id) => ({ policy: id }));

describe('computedTotals', () => {
  const a = compiled(dibao), c = compiled(once), d = compiled(service), e = compiled(negative);
  const cx = (p: typeof a) => p.compute(p.prepare(household, { asOf: 20240601 }).value!, 20240601);

  it('granted programmes: monthly cash, one-off cash and services, as totals() counts them from the outputs', () => {
    const list = [a, c, d];
    const p = computedOf(list)!;
    expect(p).toBeDefined();
    // the contexts are each policy's own (reused per compute): computed one after another as together() does
    const cxs = [cx(a), cx(c), cx(d)];
    const none: { policy: string }[] = [];
    const t = computedTotals(p, cxs, lines(['a-dibao', 'c-once', 'd-service']), none)!;
    // a-dibao: (650 − 400) × 2 = 500.00 a month; c-once: 1200.00 once; d-service: granted, no amount
    expect(t).toEqual({ monthly: 50000, once: 120000, services: [{ policy: 'd-service' }] });
    expect([...p.granted]).toEqual([1, 1, 1]);
    expect(a.outputsOf(cxs[0]!)).toMatchObject({ eligible: true, monthly_amount: '500.00' });
  });

  it('not granted: not counted; none granted without cash: the shared empty list of services', () => {
    const p = computedOf([a])!;
    const richer = { ...household, members: [{ id: 'm1', birth_date: '1960-05-01', income_monthly: 1000 }] };
    const cxs = [a.compute(a.prepare(richer, { asOf: 20240601 }).value!, 20240601)];
    const none: { policy: string }[] = [];
    const t = computedTotals(p, cxs, lines(['a-dibao']), none)!;
    expect(t).toEqual({ monthly: 0, once: 0, services: [] });
    expect(t.services).toBe(none);
    expect([...p.granted]).toEqual([0]);
  });

  it('a negative amount (plain money text no more): none, the answer made from the outputs', () => {
    const p = computedOf([e])!;
    expect(e.outputsOf(cx(e))).toMatchObject({ eligible: true, monthly_amount: '-5.00' });
    expect(computedTotals(p, [cx(e)], lines(['e-negative']), [])).toBeUndefined();
  });

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
