// evaluateTogether: policies of one list evaluated for one household in link order, the household
// decoded once. It answers only the common case (else undefined: the caller evaluates each alone).
import { describe, it, expect } from 'vitest';
import { evaluateTogether } from '../../dsl/index.js';
import { compiled, dibao, household, subsidy } from './link-fixtures.js';

/** A policy with a field of its own (as temporary-assistance declares incident_type). */
const ownField = (id: string, type: string) => `政策 ${id}「专有」
  生效 2022-01-01
  依据「001」
使用「common/household」
模式 household
  extra「专有字段」: ${type}
输出 shown「专有字段」 = household.extra 依据「001」
`;
const divides = `政策 d-divides「除」
  生效 2022-01-01
  依据「001」
使用「common/household」
输出 per_rigid「每元刚性支出」 = 100 元/月 ÷ household.rigid_expenditure_monthly 依据「001」
`;

describe('evaluateTogether', () => {
  const a = compiled(dibao), b = compiled(subsidy);

  it('evaluates each policy in order, a linked one reading the result computed before it', () => {
    const together = evaluateTogether([{ id: 'a-dibao', compiled: a }, { id: 'b-subsidy', compiled: b }])!;
    expect(together).toBeDefined();
    // a-dibao: per-capita (300 + 500) / 2 = 400 < 650 → eligible; (650 − 400) × 2 = 500.00;
    // b-subsidy reads it (a per-member output too: only the household-level ones are carried)
    const outs = together(household, '2024-06-01');
    expect(JSON.parse(JSON.stringify(outs))).toEqual([
      { eligible: true, monthly_amount: '500.00', by_member: { m1: '300.00', m2: '500.00' } },
      { living: '110.00', top_up: '610.00' },
    ]);
    // the next household gets its own answers; the earlier ones are not written to
    const other = { ...household, members: [{ id: 'm1', birth_date: '1960-05-01', income_monthly: 1000 }, { id: 'm2', birth_date: '1990-01-01', income_monthly: 0 }] };
    const next = together(other, '2024-06-01');
    expect(JSON.parse(JSON.stringify(next))).toEqual([
      { eligible: true, monthly_amount: '300.00', by_member: { m1: '1000.00', m2: '0.00' } },
      { living: '110.00', top_up: '410.00' },
    ]);
    expect(outs![1]).toEqual({ living: '110.00', top_up: '610.00' });
  });

  it('contexts: each policy\'s computed context, whose outputs are those the function gives', () => {
    const together = evaluateTogether([{ id: 'a-dibao', compiled: a }, { id: 'b-subsidy', compiled: b }])!;
    const other = { ...household, members: [{ id: 'm1', birth_date: '1960-05-01', income_monthly: 1000 }, { id: 'm2', birth_date: '1990-01-01', income_monthly: 0 }] };
    for (const h of [household, other, household]) {
      const outs = JSON.stringify(together(h, '2024-06-01'));
      const cxs = together.contexts(h, '2024-06-01')!;
      expect(cxs).toHaveLength(2);
      expect(JSON.stringify([a.outputsOf(cxs[0]!), b.outputsOf(cxs[1]!)])).toBe(outs);
    }
    // by hand: b-subsidy read a-dibao's result of this household (300 + 110)
    const cxs = together.contexts(other, '2024-06-01')!;
    expect(b.outputsOf(cxs[1]!)).toEqual({ living: '110.00', top_up: '410.00' });
    // undefined where the function is: a result b-subsidy refuses, an unknown key, no such date
    const richer = { ...household, members: [{ id: 'm1', birth_date: '1960-05-01', income_monthly: 1000 }] };
    expect(together.contexts(richer, '2024-06-01')).toBeUndefined();
    expect(together.contexts({ ...household, aera: 'urban' }, '2024-06-01')).toBeUndefined();
    expect(together.contexts(household, '2024-02-30')).toBeUndefined();
  });

  it('leaves a result the linked policy refuses to the caller, as evaluating it alone refuses it', () => {
    const together = evaluateTogether([{ id: 'a-dibao', compiled: a }, { id: 'b-subsidy', compiled: b }])!;
    // (650 − 1000) × 1: a-dibao answers "-350.00", which b-subsidy does not take as money
    const richer = { ...household, members: [{ id: 'm1', birth_date: '1960-05-01', income_monthly: 1000 }] };
    const ra = a.evaluate(richer, '2024-06-01');
    expect(ra.ok && ra.outputs['monthly_amount']).toBe('-350.00');
    const rb = b.evaluate(richer, '2024-06-01', { linked: { 'a-dibao': { version: 2, outputs: ra.ok ? ra.outputs : {} } } });
    expect(!rb.ok && rb.fault?.code).toBe('evaluation.unlinked');
    expect(together(richer, '2024-06-01')).toBeUndefined();
  });

  it('gives what evaluating each alone gives, its own fields known to it', () => {
    const own = compiled(ownField('c-own', '金额 = 0 元'));
    const list = [{ id: 'a-dibao', compiled: a }, { id: 'c-own', compiled: own }];
    const together = evaluateTogether(list)!;
    const h = { ...household, extra: '12.5' };
    const outs = together(h, '2024-06-01');
    expect(outs![1]).toEqual({ shown: '12.50' });
    expect(JSON.stringify(outs![0])).toBe(JSON.stringify((a.evaluate(household, '2024-06-01') as { outputs: unknown }).outputs));
  });

  it('leaves to the caller what it does not take: a household or a result the decoders refuse, a fault', () => {
    const together = evaluateTogether([{ id: 'a-dibao', compiled: a }, { id: 'b-subsidy', compiled: b }])!;
    expect(together({ ...household, aera: 'urban' }, '2024-06-01')).toBeUndefined();   // unknown key
    expect(together({ ...household, members: [{ id: 'm1', birth_date: '1960-05-01', income_monthly: 1.234 }] }, '2024-06-01')).toBeUndefined();
    expect(together({ id: 'h', area: 'urban' }, '2024-06-01')).toBeUndefined();   // members missing
    expect(together(household, '2024-02-30')).toBeUndefined();
    expect(together([], '2024-06-01')).toBeUndefined();
    const alone = compiled(divides), d = evaluateTogether([{ id: 'd-divides', compiled: alone }])!;
    // division by zero: the policy's fault, which evaluating it alone reports
    expect(d({ ...household, rigid_expenditure_monthly: 0 }, '2024-06-01')).toBeUndefined();
    const fault = alone.evaluate({ ...household, rigid_expenditure_monthly: 0 }, '2024-06-01');
    expect(!fault.ok && fault.fault?.line).toBe(5);
    // 100 元/月 ÷ 8 元/月 = 12.5 (a number, written as exact decimal text)
    expect(d({ ...household, rigid_expenditure_monthly: 8 }, '2024-06-01')).toEqual([{ per_rigid: '12.5' }]);
  });

  it('names the optional text fields no policy reads (a caller need not fill them in)', () => {
    const reads = (expr: string) => compiled(`政策 f-reads「读」
  生效 2022-01-01
  依据「001」
使用「common/household」
输出 place「地点」 = ${expr} 依据「001」
`);
    const ignores = (extra: CompiledPolicy[]) => evaluateTogether([a, ...extra].map((c, i) => ({ id: `p${i}`, compiled: c })))!.ignores;
    expect([...ignores([])].filter((n) => ['county', 'hukou_county', 'hukou_province', 'area', 'id'].includes(n)).sort()).toEqual(['county', 'hukou_county', 'hukou_province']);
    expect(ignores([reads('household.hukou_province')]).has('hukou_province')).toBe(false);
    // hukou_county is county when absent: reading it reads county too
    const both = ignores([reads('household.hukou_county')]);
    expect([both.has('hukou_county'), both.has('county'), both.has('hukou_province')]).toEqual([false, false, true]);
    // and filling them in or not gives the same answers
    const together = evaluateTogether([{ id: 'a-dibao', compiled: a }])!;
    expect(JSON.stringify(together({ ...household, county: '大武口区', hukou_county: '大武口区', hukou_province: '宁夏' }, '2024-06-01')))
      .toBe(JSON.stringify(together(household, '2024-06-01')));
  });

  it('is not made for policies it cannot evaluate together', () => {
    // a field two policies declare differently
    expect(evaluateTogether([{ id: 'c-own', compiled: compiled(ownField('c-own', '金额 = 0 元')) }, { id: 'e-own', compiled: compiled(ownField('e-own', '文本 = ""')) }])).toBeUndefined();
    // a referenced policy not in the list, or after the one that uses it
    expect(evaluateTogether([{ id: 'b-subsidy', compiled: b }])).toBeUndefined();
    expect(evaluateTogether([{ id: 'b-subsidy', compiled: b }, { id: 'a-dibao', compiled: a }])).toBeUndefined();
  });
});
