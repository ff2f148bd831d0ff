// Explanations as derivations (issue #19): every expected string below was worked out by hand
// from policies/dawukou-dibao/v2/policy.policy (650 元/月 urban standard, 10% supplement per
// special member, 12-month gradual exit).
import { describe, it, expect, afterEach } from 'vitest';
import { readFileSync } from 'node:fs';
import { compileSource, setDefaultCompileMode, type Derivation, type DerivationNode, type TraceEntry } from '../../dsl/index.js';

const modules = { 'common/household': readFileSync('policies/common/household.policy', 'utf8') };
const source = readFileSync('policies/dawukou-dibao/v2/policy.policy', 'utf8');

function trace(household: unknown, asOf = '2024-06-01'): TraceEntry[] {
  const r = compileSource(source, { modules });
  if (!r.compiled) throw new Error('does not compile');
  const e = r.compiled.evaluate(household, asOf, { trace: true });
  if (!e.ok) throw new Error(JSON.stringify(e.errors));
  return e.trace!;
}
const derivation = (t: TraceEntry[], output: string): Derivation => t.find((e) => e.output === output)!.derivation!;
const use = (n: DerivationNode, name: string, member?: string): DerivationNode => {
  const u = n.uses.find((x) => x.name === name && x.member === member);
  if (!u) throw new Error(`${n.name} does not use ${name}: ${n.uses.map((x) => x.name).join(', ')}`);
  return u;
};

// Two people, both special (74 and 9 years old on 2024-06-01); 768.45 元 in all:
// per capita 768.45 ÷ 2 = 384.225; 650 − 384.225 = 265.775;
// 265.775 × 2 + 10% × 265.775 × 2 = 531.55 + 53.155 = 584.705 → 584.71 (half up).
const couple = { id: 'h', area: 'urban', members: [
  { id: 'm1', birth_date: '1950-03-01', income_monthly: '768.45' },
  { id: 'm2', birth_date: '2015-01-01' },
] };

describe('derivations', () => {
  afterEach(() => setDefaultCompileMode(undefined));

  it('gives the monthly amount as the deciding rule, its formula with the numbers put in, and the result', () => {
    const d = derivation(trace(couple), 'monthly_amount');
    expect(d.text).toEqual({
      zh: '月保障金额 = 舍入到分(265.775 × 2 + 10% × 265.775 × 2) = 584.71 元',
      en: '月保障金额 = round(265.775 × 2 + 10% × 265.775 × 2) = 584.71 yuan',
    });
    expect(d.formula!.zh).toBe('舍入到分(「人均补差（标准 − 人均收入）」 × 人数(成员) + 「特殊成员加发比例（人均补差的百分比）」 × 「人均补差（标准 − 人均收入）」 × 人数(「老年人、残疾人、未成年人或重病患者」))');
    expect(d.rule).toMatchObject({ kind: 'rule', name: '差额补助', text: { zh: '规则「差额补助」', en: 'rule "差额补助"' } });
    expect(d.rule!.condition).toEqual({ formula: { zh: '「整户符合低保条件」', en: '"整户符合低保条件"' }, values: { zh: '是', en: 'yes' }, result: { zh: '是', en: 'yes' } });
    expect(d.sources).toEqual(['国家规定：按人均补差乘以人数发放', '001 第一章第一节']);
    expect(d.value).toEqual({ zh: '584.71 元', en: '584.71 yuan' });
  });

  it('expands the names the rule used down to the household figures, with exact intermediate values', () => {
    const d = derivation(trace(couple), 'monthly_amount');
    expect(d.uses.map((u) => u.member ? `${u.name}/${u.member}` : u.name)).toEqual(['整户符合', '人均补差', '特殊成员加发比例', '特殊成员/m1', '特殊成员/m2']);
    const gap = use(d, '人均补差');
    expect(gap.text.zh).toBe('人均补差（标准 − 人均收入） = 650 − 384.225 = 265.775 元');
    // 人均收入 was derived in full under 整户符合 (the rule's condition): here only its line
    expect(use(gap, '人均收入')).toMatchObject({ repeated: true, uses: [], text: { zh: '家庭人均可计收入 = 768.45 ÷ 2 = 384.225 元' } });
    const perCapita = use(use(d, '整户符合'), '人均收入');
    expect(perCapita.text).toEqual({ zh: '家庭人均可计收入 = 768.45 ÷ 2 = 384.225 元', en: '家庭人均可计收入 = 768.45 ÷ 2 = 384.225 yuan' });
    const income = use(perCapita, '可计收入');
    expect(income.text.zh).toBe('家庭可计收入（月） = 不低于 0 (768.45 − 0) = 768.45 元');
    expect(use(income, 'income_monthly', 'm1')).toMatchObject({ kind: 'input', text: { zh: '月收入（m1）= 768.45 元' } });
    expect(use(d, '特殊成员加发比例')).toMatchObject({ kind: 'parameter', text: { zh: '特殊成员加发比例（人均补差的百分比） = 10%' }, sources: ['001 第一章第一节'] });
    expect(use(d, '特殊成员', 'm2').text.zh).toBe('老年人、残疾人、未成年人或重病患者（m2）= 9 ≥ 60 或者 9 < 18 或者 0 > 0 或者 否 = 是');
    // 如果 … 那么 … 否则: only the branch taken, with its condition beside it
    const standard = use(use(d, '整户符合'), '低保标准');
    expect(standard.text.zh).toBe('本地低保标准（月） = 650 元');
    expect(standard.conditions).toEqual([{ formula: { zh: '「城乡类别」 是 城市', en: '"Urban or rural" is urban' }, values: { zh: '城市 是 城市', en: 'urban is urban' }, result: { zh: '是', en: 'yes' } }]);
  });

  it('writes a per-capita income that does not end as a fraction, with its value to the fen', () => {
    // 1000 ÷ 3 = 1000/3 ≈ 333.33; 650 − 1000/3 = 950/3 ≈ 316.67; 950/3 × 3 = 950
    const d = derivation(trace({ id: 'h', area: 'urban', members: [
      { id: 'm1', birth_date: '1985-01-01', income_monthly: 600 },
      { id: 'm2', birth_date: '1986-01-01', income_monthly: 400 },
      { id: 'm3', birth_date: '1990-01-01' },
    ] }), 'monthly_amount');
    expect(d.text.zh).toBe('月保障金额 = 舍入到分(950/3 × 3 + 10% × 950/3 × 0) = 950.00 元');
    expect(use(use(d, '整户符合'), '人均收入').text.zh).toBe('家庭人均可计收入 = 1000 ÷ 3 = 1000/3 ≈ 333.33 元');
  });

  it('shows the exception of the gradual exit, and dates as dates', () => {
    // enrolled; per capita 700 ≥ 650; 2024-06-01 < 2024-01-15 + 12 个月 = 2025-01-15
    const t = trace({ id: 'h', area: 'urban', dibao: { enrolled: true, monthly_amount: '300.00', income_exceeded_since: '2024-01-15' }, members: [
      { id: 'm1', birth_date: '1985-01-01', income_monthly: 1400 }, { id: 'm2', birth_date: '1986-01-01' },
    ] });
    const amount = derivation(t, 'monthly_amount');
    expect(amount.rule).toMatchObject({ kind: 'exception', name: '渐退期', text: { zh: '例外「渐退期」', en: 'exception "渐退期"' } });
    expect(amount.text.zh).toBe('月保障金额 = 300.00 元');
    expect(amount.sources).toEqual(['001 第二章第三节', '002 第一条']);
    const until = derivation(t, 'gradual_exit_until');
    expect(until.text).toEqual({
      zh: '渐退期截止日（当日起停发） = 2024年1月15日 + 12 个月 = 2025年1月15日',
      en: '渐退期截止日（当日起停发） = 2024-01-15 + 12 months = 2025-01-15',
    });
    expect(until.conditions![0]!.formula.zh).toBe('「处于渐退期」');
    expect(use(until, '渐退').text.zh).toBe('处于渐退期 = 是 并且 不 否 并且 2024年6月1日 < 2024年1月15日 + 12 个月 = 是');
  });

  it('says when an amount is yearly: the rural standard 5520 元/年, per month 5520 ÷ 12 = 460', () => {
    const d = derivation(trace({ id: 'h', area: 'rural', members: [{ id: 'm1', birth_date: '1985-01-01', income_monthly: 100 }] }), 'standard');
    const standard = use(d, '低保标准');
    expect(standard.text).toEqual({ zh: '本地低保标准（月） = 按月(5520) = 460 元', en: '本地低保标准（月） = monthly(5520) = 460 yuan' });
    expect(use(standard, '农村低保标准').text.zh).toBe('农村低保标准 = 5520 元/年');
    expect(standard.conditions![0]!.values.zh).toBe('农村 是 城市');
  });

  it('names the rule that refused, with its condition', () => {
    // rural 460 元/月; per capita 920 ÷ 2 = 460, not below 460
    const d = derivation(trace({ id: 'h', area: 'rural', members: [
      { id: 'm1', birth_date: '1985-01-01', income_monthly: 460 }, { id: 'm2', birth_date: '1986-01-01', income_monthly: 460 },
    ] }), 'monthly_amount');
    expect(d.rule!.name).toBe('不予保障');
    expect(d.rule!.condition!.values.zh).toBe('不 否 并且 不 否');
    expect(d.text.zh).toBe('月保障金额 = 0.00 元');
    expect(use(d, '整户符合').text.zh).toBe('整户符合低保条件 = 460 < 460 = 否');
  });

  it('gives at most 400 names in full per output: a household of 50 members is cut, each name then its one line', () => {
    const members = Array.from({ length: 50 }, (_, i) => ({ id: `m${i}`, birth_date: '1985-01-01', income_monthly: 1000 }));
    const d = derivation(trace({ id: 'h', area: 'urban', members }), 'eligible');
    let full = 0, truncated = 0;
    const walk = (n: DerivationNode): void => {
      if (n.truncated) truncated++; else if (!n.repeated) full++;
      n.uses.forEach(walk);
    };
    walk(d);
    expect(full).toBe(400);
    expect(truncated).toBeGreaterThan(0);
    // per capita 1000 (50 000 ÷ 50) is not below 650: the first line is still whole
    expect(d.text.zh).toBe('是否符合低保条件（整户或单人户） = 否 或者 否 = 否');
  });

  it('is the same from both backends', () => {
    const strip = (t: TraceEntry[]) => JSON.stringify(t.map((e) => e.derivation));
    setDefaultCompileMode('closures');
    const closures = strip(trace(couple));
    setDefaultCompileMode('codegen');
    expect(strip(trace(couple))).toBe(closures);
  });
});
