// The household decoder refuses what it does not know: an unknown key anywhere in a household
// (the household, a member, dibao) is an error with its JSON path and the nearest known name,
// in Chinese then English. Fields of the common contract are known to every policy that uses it;
// a policy's own fields are known to that policy only. Floods are bounded; dates are sane.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compileSource, parseScenarios, runScenarios, type CompiledPolicy } from '../../dsl/index.js';
import { linkOptions } from '../policies/shipped.js';
import { decodeHousehold, fieldNamesByRecord, MAX_DECODE_ERRORS } from '../../dsl/eval/validate.js';
import { keyPath, nameIndex, nearestName } from '../../dsl/eval/suggest.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const modules = { 'common/household': readFileSync(join(root, 'policies/common/household.policy'), 'utf8') };
const example = readFileSync(join(root, 'examples/dibao/policy.policy'), 'utf8');

function compiled(source: string, file?: string): CompiledPolicy {
  const r = compileSource(source, { modules, ...(file ? linkOptions(file) : {}) });
  if (!r.compiled) throw new Error(r.diagnostics.map((d) => d.message.en).join('\n'));
  return r.compiled;
}
const dibao = compiled(example);

/** Urban, two adults and a child; the first adult's income under `incomeKey`. */
const family = (incomeKey: string, extra: Record<string, unknown> = {}) => ({
  id: 'h1', area: 'urban',
  members: [
    { id: 'm1', birth_date: '1980-05-01', [incomeKey]: '5000.00' },
    { id: 'm2', birth_date: '1982-03-01' },
    { id: 'm3', birth_date: '2015-09-01' },
  ],
  ...extra,
});

describe('unknown fields are errors, with the nearest known name', () => {
  it('"income" for income_monthly no longer pays full dibao: it is refused, path and suggestion named', () => {
    // Read as no income, this family would get (650 − 0) × 3 + 10% × 650 × 1 (the child) = 2015.00.
    const r = dibao.evaluate(family('income'), '2024-06-01');
    expect(r).toEqual({
      ok: false,
      errors: [{
        path: 'household.members[0].income',
        message: { zh: '未知字段 income，是否应为 income_monthly？', en: 'unknown field "income"; did you mean "income_monthly"?' },
      }],
    });
    // Spelt right, 5000 ÷ 3 = 1666.67 per head is above 650: not eligible, nothing paid.
    const ok = dibao.evaluate(family('income_monthly'), '2024-06-01');
    expect(ok.ok && ok.outputs).toEqual({ eligible: false, monthly_amount: '0.00' });
  });

  it('covers the household, each member and dibao', () => {
    const r = dibao.evaluate({
      id: 'h1', area: 'urban', are: 'urban', dibao: { enroled: true },
      members: [{ id: 'm1', birth_date: '1980-05-01' }, { id: 'm2', birth_date: '1982-03-01', brith_date: '1982-03-01' }],
    }, '2024-06-01');
    expect(r.ok).toBe(false);
    const paths = !r.ok ? r.errors.map((e) => [e.path, e.message.zh]) : [];
    expect(paths).toEqual([
      ['household.dibao.enroled', '未知字段 enroled，是否应为 enrolled？'],
      ['household.members[1].brith_date', '未知字段 brith_date，是否应为 birth_date？'],
      ['household.are', '未知字段 are，是否应为 area？'],
    ]);
  });

  it('suggests across case and separators, from a Chinese label, and lists the fields when nothing is near', () => {
    const near = (key: string) => {
      const r = dibao.prepare({ id: 'h', area: 'rural', members: [{ id: 'm', birth_date: '1990-01-01', [key]: 1 }] });
      return r.errors.map((e) => `${e.message.zh} / ${e.message.en}`);
    };
    for (const k of ['incomeMonthly', 'IncomeMonthly', 'INCOME-MONTHLY', 'income monthly', '月收入']) {
      expect(near(k)[0], k).toContain('did you mean "income_monthly"?');
    }
    expect(near('selfcare')[0]).toContain('did you mean "self_care"?');
    expect(near('disabilty_levle')[0]).toContain('did you mean "disability_level"?');
    const far = near('zzzz')[0]!;
    expect(far).toMatch(/^未知字段 zzzz（此处可用的字段：id、birth_date、disability_level、/);
    expect(far).toContain('/ unknown field "zzzz" (fields here: id, birth_date, disability_level,');
    expect(far).not.toContain('did you mean');
  });

  it('a contract field the policy never reads is still known; another policy\'s own field is not', () => {
    // the example policy reads neither border_regiment, tekun nor income_previous_monthly
    const contract = family('income_monthly', { border_regiment: true, distance_to_hq_km: 12, hukou_province: '宁夏' });
    (contract.members[0] as Record<string, unknown>)['tekun'] = false;
    (contract.members[0] as Record<string, unknown>)['income_previous_monthly'] = '4000.00';
    expect(dibao.prepare(contract).errors).toEqual([]);

    const tempAssist = compiled(`${example}\n模式 household\n  incident_type「困难类型」: 枚举(none「无」, emergency「急难型」) = none\n`);
    const withIncident = family('income_monthly', { incident_type: 'emergency' });
    expect(tempAssist.prepare(withIncident).errors).toEqual([]);
    expect(dibao.prepare(withIncident).errors.map((e) => e.path)).toEqual(['household.incident_type']);
  });

  it('names odd keys safely: quoted, cut short, control and bidi characters escaped', () => {
    const long = 'x'.repeat(5000);
    const r = dibao.prepare({ ...family('income_monthly'), 'a b': 1, [long]: 1, 'r\u202eevil': 1 });
    expect(r.errors.map((e) => e.path)).toEqual([
      'household["a b"]',
      `household["${'x'.repeat(40)}…"]`,
      'household["r\\\\u202eevil"]',
    ]);
    expect(r.errors[1]!.message.en.length).toBeLessThan(1000);
    expect(keyPath('household', 'income')).toBe('household.income');
  });

  it('a "__proto__" key from JSON is an unknown field, not silently dropped', () => {
    const raw = JSON.parse('{"id":"h","area":"urban","__proto__":{"x":1},"members":[{"id":"m","birth_date":"1990-01-01"}]}');
    expect(dibao.prepare(raw).errors.map((e) => e.path)).toEqual(['household.__proto__']);
  });

  it('a key whose value is undefined (a JS caller\'s absent field) is not an error', () => {
    expect(dibao.prepare({ ...family('income_monthly'), county: undefined, whatever: undefined }).errors).toEqual([]);
  });

  it('scenario files go through the same decoder: a misspelt field fails its scenario', () => {
    const { suite } = parseScenarios(`scenarios:
  - name: 拼错的收入
    as_of: 2024-06-01
    household: { id: h, area: urban, members: [{ id: m1, birth_date: 1980-05-01, incme_monthly: "100.00" }] }
    expect: { eligible: true }
`);
    const rep = runScenarios(dibao, suite!);
    expect(rep.failed).toBe(1);
    expect(rep.results[0]!.error).toEqual({ zh: 'household.members[0].incme_monthly：未知字段 incme_monthly，是否应为 income_monthly？', en: 'household.members[0].incme_monthly: unknown field "incme_monthly"; did you mean "income_monthly"?' });
  });

  it('alsoKnown: a field only the other version of a comparison declares is accepted', () => {
    const candidate = compiled(`${example}\n模式 member\n  poverty_exit「脱贫人口」: 布尔 = 假\n`);
    const h = family('income_monthly');
    (h.members[0] as Record<string, unknown>)['poverty_exit'] = true;
    expect(dibao.prepare(h).errors.map((e) => e.path)).toEqual(['household.members[0].poverty_exit']);
    expect(dibao.prepare(h, { alsoKnown: fieldNamesByRecord(candidate.schema) }).errors).toEqual([]);
    expect(candidate.prepare(h).errors).toEqual([]);
  });
});

describe('nearestName', () => {
  const idx = nameIndex(['household', 'as_of', 'version', 'trace']);
  it('finds as_of for asof, AsOf and as-of; nothing for unrelated or huge keys', () => {
    expect(nearestName('asof', idx)).toBe('as_of');
    expect(nearestName('AsOf', idx)).toBe('as_of');
    expect(nearestName('as-of', idx)).toBe('as_of');
    expect(nearestName('housheold', idx)).toBe('household');
    expect(nearestName('qqq', idx)).toBeUndefined();
    expect(nearestName('as_of'.repeat(100), idx)).toBeUndefined();
  });
});

describe('bounded work on floods of unknown keys', () => {
  it('150,000 unknown keys in a member: 100 listed, then one entry counting the other 149,900', () => {
    const member: Record<string, unknown> = { id: 'm1', birth_date: '1980-05-01' };
    for (let i = 0; i < 150_000; i++) member[`k${i}`] = i;
    const r = decodeHousehold(dibao.schema, { id: 'h', area: 'urban', members: [member] });
    expect(r.value).toBeUndefined();
    expect(r.errors).toHaveLength(MAX_DECODE_ERRORS + 1);
    expect(MAX_DECODE_ERRORS).toBe(100);
    expect(r.errors[0]!.path).toBe('household.members[0].k0');
    expect(r.errors[99]!.path).toBe('household.members[0].k99');
    expect(r.errors[100]).toEqual({ path: 'household', message: { zh: '……另有 149900 个错误未列出', en: '…and 149900 more errors not listed' } });
  });

  it('the cap counts every kind of error, not only unknown keys', () => {
    const members = Array.from({ length: 50 }, (_, i) => ({ id: `m${i}`, birth_date: 'soon', income_monthly: -1 }));
    const r = decodeHousehold(dibao.schema, { id: 'h', area: 'urban', members }, { maxErrors: 10 });
    // two errors per member (date and money): 100 in all, 10 listed
    expect(r.errors).toHaveLength(11);
    expect(r.errors[10]!.message).toEqual({ zh: '……另有 90 个错误未列出', en: '…and 90 more errors not listed' });
  });
});

describe('dates', () => {
  const one = (birth: string, asOf = '2024-06-01') => {
    const r = dibao.evaluate({ id: 'h', area: 'urban', members: [{ id: 'm1', birth_date: birth }] }, asOf);
    return r.ok ? [] : r.errors;
  };
  it('birth dates 0000-01-01 and 1899-12-31 are refused: before 1900', () => {
    expect(one('0000-01-01')).toEqual([{ path: 'household.members[0].birth_date', message: { zh: '日期 0000-01-01 早于 1900-01-01，不合理', en: '0000-01-01 is before 1900-01-01, which cannot be right' } }]);
    expect(one('1899-12-31')).toHaveLength(1);
    expect(one('1900-01-01')).toEqual([]);
  });
  it('a birth date after as_of is refused; on as_of it is accepted', () => {
    expect(one('9999-12-31')).toEqual([{ path: 'household.members[0].birth_date', message: { zh: '出生日期 9999-12-31 晚于评估日 2024-06-01', en: 'birth date 9999-12-31 is after the evaluation date (as_of) 2024-06-01' } }]);
    expect(one('2024-06-02')).toHaveLength(1);
    expect(one('2024-06-01')).toEqual([]);
    // the same birth date is fine when the evaluation date is later
    expect(one('2024-06-02', '2024-07-01')).toEqual([]);
  });
  it('other dates must be real and not before 1900 too', () => {
    const r = dibao.prepare({ id: 'h', area: 'urban', dibao: { enrolled: true, income_exceeded_since: '0000-01-01' }, members: [{ id: 'm1', birth_date: '1990-02-30' }] });
    expect(r.errors.map((e) => e.path)).toEqual(['household.dibao.income_exceeded_since', 'household.members[0].birth_date']);
    expect(r.errors[1]!.message.en).toContain('1990-02-30 is not a real date');
  });
});

describe('every policy\'s household JSON Schema passes a strict validator', () => {
  it('compiles in strict Ajv 2020-12 and every default is valid against its field', async () => {
    const { Ajv2020 } = await import('ajv/dist/2020.js');
    const addFormats = (await import('ajv-formats')).default as unknown as (a: InstanceType<typeof Ajv2020>) => void;
    const { readdirSync, existsSync } = await import('node:fs');
    const ajv = new Ajv2020({ strict: true, allowUnionTypes: true });
    addFormats(ajv);
    for (const k of ['x-money', 'x-label-en', 'x-enum-labels', 'x-enum-labels-en', 'x-default-from']) ajv.addKeyword({ keyword: k });
    const files = readdirSync(join(root, 'policies')).flatMap((p) => ['v1', 'v2', 'v3'].map((v) => join(root, 'policies', p, v, 'policy.policy'))).filter((f) => existsSync(f));
    expect(files.length).toBeGreaterThan(15);
    let defaults = 0;
    for (const f of files) {
      const schema = compiled(readFileSync(f, 'utf8'), f).jsonSchema() as { properties: Record<string, Record<string, unknown>> };
      expect(() => ajv.compile({ ...schema, $id: f }), f).not.toThrow();
      const fields = (s: { properties?: Record<string, Record<string, unknown>> }): Record<string, unknown>[] =>
        Object.values(s.properties ?? {}).flatMap((p) => [p, ...fields(p as never), ...fields((p['items'] ?? {}) as never)]);
      for (const field of fields(schema)) {
        if (!('default' in field)) continue;
        defaults++;
        const { default: d, ...rest } = field;
        expect(ajv.validate(rest, d), `${f}: ${JSON.stringify(field)}`).toBe(true);
      }
    }
    expect(defaults).toBeGreaterThan(100);
  });
});
