// The generated fast decoder (dsl/eval/fast-decode.ts) must change nothing a caller can see:
// on every shipped scenario household and on random households (valid and not), prepare()
// gives exactly what the full decoder gives — the same decoded value, or the same errors
// (an invalid household always falls back to the full decoder). It must also really be taken
// on valid input, or it would buy nothing.
// evaluate()'s own path (the decoder keeping only the fields compute() reads, written into records
// reused from one household to the next, and outputs written by generated code) is held to the
// reference: the same policy compiled to closures, which decodes with the full decoder, computes
// with closures and writes outputs with a loop. Both answers must be equal, household by household,
// in one long sequence per policy (so a record reused from a bigger or an invalid household shows).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compile, parseDate, linkedResults, type CompiledPolicy } from '../../dsl/index.js';
import { resolve, shippedCodegen } from '../policies/shipped.js';
import { lower } from '../../dsl/middle/index.js';
import { fieldsRead } from '../../dsl/backends/fields-read.js';
import { generateHouseholds } from '../../bench/lib/households.js';
import { decodeHousehold } from '../../dsl/eval/validate.js';
import { generateFastDecoder, fastDate, fastMoneyText, FAIL } from '../../dsl/eval/fast-decode.js';
import type { SchemaInfo, FieldInfo } from '../../dsl/check/types.js';

const shipped = shippedCodegen();

describe('fast decoder: shipped scenario households', () => {
  it('covers every shipped schema and gives the full decoder\'s answer on each household', () => {
    let fast = 0, total = 0;
    for (const { name, compiled, scenarios } of shipped) {
      const gen = generateFastDecoder(compiled.schema);
      const byKey = generateFastDecoder(compiled.schema, 'all', 'many');
      expect(gen, name).toBeDefined();
      for (const s of scenarios) {
        const asOf = parseDate(s.as_of)!;
        const full = decodeHousehold(compiled.schema, s.household, { asOf });
        expect(compiled.prepare(s.household, { asOf }), `${name} ${s.as_of}`).toEqual(full);
        const f = gen!(s.household, asOf);
        if (f !== FAIL) { fast++; expect(f).toEqual(full.value); expect(full.errors).toEqual([]); }
        expect(byKey!(s.household, asOf), `${name} ${s.as_of} by key`).toEqual(f);
        total++;
      }
    }
    expect(total).toBeGreaterThan(100);
    // shipped households write money as text or whole yuan: nearly all of them take the fast path
    expect(fast / total).toBeGreaterThan(0.9);
  });
});

/** Random values for a field: mostly valid, sometimes what the full decoder refuses. */
function fieldArb(f: FieldInfo, depth: number): fc.Arbitrary<unknown> {
  const t = f.type;
  const junk = fc.oneof(fc.constant(null), fc.constant('x'), fc.integer({ min: -5, max: 5 }), fc.constant(1.5), fc.constant([]), fc.constant({}), fc.constant('1.234'), fc.constant('-3'));
  let valid: fc.Arbitrary<unknown>;
  switch (t.k) {
    case 'text': valid = fc.string({ maxLength: 6 }); break;
    case 'bool': valid = fc.boolean(); break;
    case 'number': case 'integer': valid = fc.oneof({ arbitrary: fc.integer({ min: typeof f.min === 'number' ? f.min : 0, max: typeof f.max === 'number' ? f.max : 120 }), weight: 20 }, { arbitrary: fc.constant(2.5), weight: 1 }); break;
    case 'money': valid = fc.oneof({ arbitrary: fc.integer({ min: 0, max: 99999 }), weight: 10 }, { arbitrary: fc.integer({ min: 0, max: 9999999 }).map((n) => `${Math.floor(n / 100)}.${String(n % 100).padStart(2, '0')}`), weight: 10 }, { arbitrary: fc.integer({ min: 0, max: 99999999 }).map((n) => n / 100), weight: 10 }, fc.double({ min: 0, max: 1e13, noNaN: true }), fc.constant('12.5'), fc.constant('007'), fc.constant(0.1), fc.constant(1e-7), fc.constant(999999999999.99)); break;
    case 'date': valid = fc.oneof({ arbitrary: fc.date({ min: new Date('1900-01-01'), max: new Date('2030-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)), weight: 30 }, fc.constant('2023-02-29'), fc.constant('1899-12-31')); break;
    case 'enum': valid = fc.constantFrom(...t.values.map((v) => v.name)); break;
    case 'textlist': valid = fc.array(fc.string({ maxLength: 3 }), { maxLength: 3 }); break;
    case 'record': valid = depth > 2 ? fc.constant({}) : recordArb(t.of, depth + 1); break;
    case 'list': valid = depth > 2 ? fc.constant([]) : fc.array(recordArb(t.of, depth + 1), { minLength: 1, maxLength: 4 }); break;
  }
  // junk about once in 300 fields: a household has dozens of fields, and half should stay valid
  return fc.oneof({ arbitrary: valid, weight: 300 }, { arbitrary: junk, weight: 1 });
}

/** null 29 times in 30, else a value of `a`. */
const rarely = <T>(a: fc.Arbitrary<T>) => fc.oneof({ arbitrary: fc.constant(null), weight: 29 }, { arbitrary: a, weight: 1 });

function recordArb(schema: SchemaInfo, depth = 0): fc.Arbitrary<Record<string, unknown>> {
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  for (const f of schema.fields) model[f.name] = fieldArb(f, depth);
  // required fields are kept almost always; optional ones come and go
  const required = schema.fields.filter((f) => f.default.kind === 'none' && f.type.k !== 'record').map((f) => f.name);
  return fc.tuple(fc.record(model, { requiredKeys: required }), rarely(fc.constantFrom('incme', 'x', 'area_')), rarely(fc.constantFrom(...schema.fields.map((f) => f.name))))
    .map(([r, extra, drop]) => {
      const o: Record<string, unknown> = { ...r };
      if (extra !== null) o[extra] = 1;
      if (drop !== null) delete o[drop];
      return o;
    });
}

describe('fast decoder: random households (fast-check, fixed seed)', () => {
  for (const name of ['dawukou-dibao/v2', 'qinghai-low-income/v1', 'temporary-assistance/v1']) {
    it(`${name}: prepare() equals the full decoder, value and errors`, () => {
      const pol = shipped.find((s) => s.name === name)!;
      const gen = generateFastDecoder(pol.compiled.schema)!;
      const byKey = generateFastDecoder(pol.compiled.schema, 'all', 'many')!;
      let fastCount = 0, invalid = 0;
      fc.assert(fc.property(recordArb(pol.compiled.schema), fc.constantFrom('2031-01-01', '2031-01-01', '2031-01-01', '1950-01-01'), (h, asOfText) => {
        const asOf = parseDate(asOfText)!;
        const full = decodeHousehold(pol.compiled.schema, h, { asOf });
        expect(pol.compiled.prepare(h, { asOf })).toEqual(full);
        const f = gen(h, asOf);
        if (f !== FAIL) { fastCount++; expect(f).toEqual(full.value); }
        if (full.errors.length) { invalid++; expect(f).toBe(FAIL); }
        // read by key: what by name takes, the same (these are JSON-like objects: nothing hidden)
        expect(byKey(h, asOf)).toEqual(f);
      }), { seed: 20261206, numRuns: 1500 });
      // both sides are exercised: households the fast path takes and invalid ones that fall back
      expect(fastCount).toBeGreaterThan(50);
      expect(invalid).toBeGreaterThan(50);
    });
  }
});

describe('fast decoder pieces', () => {
  it('fastDate agrees with parseDate (worked examples)', () => {
    expect(fastDate('2024-02-29')).toBe(20240229);
    expect(fastDate('2023-02-29')).toBe(-1);
    expect(fastDate('2023-13-01')).toBe(-1);
    expect(fastDate('2023-1-01')).toBe(-1);
    expect(fastDate('２023-01-01')).toBe(-1);
    expect(fastDate('1980-05-01')).toBe(19800501);
  });
  it('fastMoneyText reads MONEY_TEXT to fen and refuses the rest', () => {
    expect(fastMoneyText('900.00')).toBe(90000);
    expect(fastMoneyText('12.5')).toBe(1250);
    expect(fastMoneyText('007')).toBe(700);
    expect(fastMoneyText('999999999999.99')).toBe(99999999999999);
    for (const bad of ['', '.5', '1.', '1.234', '-3', '1e3', '1 ', '1234567890123']) expect(fastMoneyText(bad), bad).toBe(-1);
  });
  it('an invalid household answers the full decoder\'s errors (unknown key with its nearest name)', () => {
    const pol = shipped.find((s) => s.name === 'dawukou-dibao/v2')!;
    const h = { id: 'h1', area: 'urban', members: [{ id: 'm1', birth_date: '1980-05-01', incme_monthly: '5.00' }] };
    const r = pol.compiled.prepare(h, { asOf: 20240701 });
    expect(r.value).toBeUndefined();
    expect(r.errors).toEqual(decodeHousehold(pol.compiled.schema, h, { asOf: 20240701 }).errors);
    expect(r.errors[0]!.path).toBe('household.members[0].incme_monthly');
  });
});

/** The same policy compiled to closures: full decoder, closure compute, outputs by a loop. */
const reference = (c: CompiledPolicy) => compile(c.program, { mode: 'closures' });
/** An answer as a caller sees it (outputs with their keys in order), for toEqual. */
/** evaluate's options for `c` on `h`: the results of the policies it references (引用), the
 *  scenario's fixed ones or evaluated here; none when they cannot be had (both sides then answer
 *  evaluation.unlinked). */
function linkedOpts(c: CompiledPolicy, h: unknown, asOf: string, fixed?: Record<string, Record<string, unknown>>) {
  if (c.uses.length === 0) return {};
  const links = linkedResults(c, h, asOf, fixed as never, resolve, { trace: false });
  return 'linked' in links ? { linked: links.linked } : {};
}
const view = (r: ReturnType<CompiledPolicy['evaluate']>) => (r.ok ? { ok: true, keys: Object.keys(r.outputs), outputs: { ...r.outputs }, assumptions: r.assumptions } : r);

describe('evaluate(json) fast path against the reference (closures, full decoder)', () => {
  it('every shipped scenario household, linked policies with their referenced results; the fast path is taken', () => {
    let fast = 0, total = 0;
    for (const { name, compiled, scenarios } of shipped) {
      expect(compiled.mode, name).toBe('codegen');
      const ref = reference(compiled);
      const lean = generateFastDecoder(compiled.schema, fieldsRead(lower(compiled.program)))!;
      expect(lean, name).toBeDefined();
      for (const s of scenarios) {
        const opts = linkedOpts(compiled, s.household, s.as_of, s.linked);
        const got = compiled.evaluate(s.household, s.as_of, opts);
        expect(view(got), `${name} ${s.as_of}`).toEqual(view(ref.evaluate(s.household, s.as_of, opts)));
        // with a trace the answer goes through prepare() (whole records): the same outputs
        const traced = compiled.evaluate(s.household, s.as_of, { ...opts, trace: true });
        expect(view({ ...traced, trace: undefined } as never)).toEqual(view(got));
        if (compiled.uses.length > 0) continue;
        if (lean(s.household, parseDate(s.as_of)) !== FAIL) fast++;
        total++;
      }
    }
    expect(total).toBeGreaterThan(50);
    expect(fast / total).toBeGreaterThan(0.9);
  });

  it('dawukou-dibao/v2: the benchmark households, then edge values and absent optional fields, in one sequence', () => {
    const pol = shipped.find((s) => s.name === 'dawukou-dibao/v2')!;
    const ref = reference(pol.compiled);
    const asOf = '2024-06-01';
    const member = { id: 'm1', birth_date: '1980-05-01' };
    const edge: unknown[] = [
      // required fields only: every optional field (household, dibao, member) takes its default
      { id: 'h', area: 'urban', members: [member] },
      { id: 'h', area: 'rural', members: [{ ...member, birth_date: '2006-06-01' }, { id: 'm2', birth_date: '1964-06-01' }] },
      // money at its bounds, as numbers and as text; whole yuan, cents, 0; a birthday on as_of
      { id: 'h', area: 'urban', rigid_expenditure_monthly: '0.01', members: [{ ...member, income_monthly: 999999999999.99, excluded_income_monthly: '999999999999.99' }, { id: 'm2', birth_date: asOf, income_monthly: 0 }] },
      { id: 'h', area: 'urban', rigid_expenditure_monthly: 0, members: [{ ...member, income_monthly: '1234.5', excluded_income_monthly: 34.5 }] },
      // nullable fields null, enrolled with a date, a text list naming a member, hukou_county given
      { id: 'h', area: 'urban', county: 'x', hukou_county: 'y', dibao: { enrolled: true, monthly_amount: '321.09', income_exceeded_since: '2024-03-01' }, applies_single_person: ['m2'],
        members: [{ ...member, disability_type: null, income_previous_monthly: null }, { id: 'm2', birth_date: '1950-01-01', disability_level: 1, serious_illness: true, tekun: false }] },
      // 50 members (the bound), then one again (a shorter list after a long one)
      { id: 'h', area: 'rural', members: Array.from({ length: 50 }, (_, i) => ({ id: `m${i}`, birth_date: '1990-01-01', income_monthly: `${i * 10}.0${i % 10}` })) },
      { id: 'h', area: 'rural', members: [member] },
      // invalid part-way through the members (a record filled in part), then valid again
      { id: 'h', area: 'urban', members: [member, { id: 'm2', birth_date: '1990-01-01', income_monthly: 1.234 }, { id: 'm3', birth_date: '1990-01-01' }] },
      { id: 'h', area: 'urban', members: [member, { id: 'm1', birth_date: '1990-01-01' }] },
      { id: 'h', area: 'urban', members: [{ ...member, incme_monthly: 5 }] },
      { id: 'h', area: 'urban', members: [{ id: 'm9', birth_date: '2030-01-01' }] },
      { id: 'h', area: 'urban', members: [member, { id: 'm2', birth_date: '1991-02-03', income_monthly: '88' }] },
    ];
    const households = [...generateHouseholds(2000), ...edge, ...generateHouseholds(200, 7)];
    let invalid = 0;
    for (const [i, h] of households.entries()) {
      const got = pol.compiled.evaluate(h, asOf);
      if (!got.ok) invalid++;
      expect(view(got), `household ${i}`).toEqual(view(ref.evaluate(h, asOf)));
    }
    expect(invalid).toBe(4);
  });

  for (const name of ['dawukou-dibao/v2', 'qinghai-low-income/v1', 'temporary-assistance/v1']) {
    it(`${name}: random households (valid and not), one after another`, () => {
      const pol = shipped.find((s) => s.name === name)!;
      const ref = reference(pol.compiled);
      let ok = 0, bad = 0;
      fc.assert(fc.property(recordArb(pol.compiled.schema), fc.constantFrom('2031-01-01', '2031-01-01', '1950-01-01'), (h, asOf) => {
        const opts = linkedOpts(pol.compiled, h, asOf);
        const got = pol.compiled.evaluate(h, asOf, opts);
        if (got.ok) ok++; else bad++;
        expect(view(got)).toEqual(view(ref.evaluate(h, asOf, opts)));
      }), { seed: 20261207, numRuns: 600 });
      expect(ok).toBeGreaterThan(10);
      expect(bad).toBeGreaterThan(30);
    });
  }
});

describe("records read by their keys ('many' shapes: a population's households)", () => {
  const pol = shipped.find((s) => s.name === 'dawukou-dibao/v2')!;
  const schema = pol.compiled.schema;
  const asOf = 20240701;
  // worked by hand from policies/common/household.policy: money in fen, dates as yyyymmdd, every
  // absent field its default (hukou_county: county's), the keys given in an unusual order
  const member = { income_monthly: '12.5', birth_date: '1980-05-01', id: 'm1' };
  const household = { members: [member, { labor_capacity: 'none', id: 'm2', disability_level: 2, birth_date: '2010-01-31' }], area: 'rural', hukou_province: '宁夏', id: 'h1' };
  const defaults = { disability_level: 0, disability_type: null, serious_illness: false, self_care: 'independent', labor_capacity: 'full', income_monthly: 0,
    income_previous_monthly: null, excluded_income_monthly: 0, employment_cost_monthly: 0, orphan: false, de_facto_unsupported: false, has_capable_supporter: false,
    institutional_care: false, tekun: false };
  const expected = {
    id: 'h1', area: 'rural', county: '', hukou_county: '', hukou_province: '宁夏', residence_code: '', hukou_code: '', residence_permit: false, distance_to_hq_km: 0,
    border_regiment: false, rigid_expenditure_monthly: 0, dibao: { enrolled: false, monthly_amount: 0, income_exceeded_since: null }, applies_single_person: [],
    members: [{ ...defaults, id: 'm1', birth_date: 19800501, income_monthly: 1250 }, { ...defaults, id: 'm2', birth_date: 20100131, disability_level: 2, labor_capacity: 'none' }],
  };

  it('decodes the keys given, in any order, and defaults the absent fields', () => {
    const gen = generateFastDecoder(schema, 'all', 'many')!;
    expect(gen(household, asOf)).toEqual(expected);
    expect(decodeHousehold(schema, household, { asOf }).value).toEqual(expected);
    // an object without a prototype (Object.create(null)) is read the same way
    const bare = Object.assign(Object.create(null) as object, household, { members: [Object.assign(Object.create(null) as object, member)] });
    expect(gen(bare, asOf)).toEqual({ ...expected, members: [expected.members[0]] });
  });

  it('a record of shapes not seen from JSON goes to the full decoder, whose answer prepare() gives', () => {
    const gen = generateFastDecoder(schema, 'all', 'many')!;
    class Member { id = 'm1'; birth_date = '1980-05-01'; get income_monthly() { return '12.5'; } }
    const odd: [string, unknown, unknown][] = [
      // a class instance: its getter (on the prototype, not a key) is read by the full decoder
      ['class', { ...household, members: [new Member()] }, { ...expected, members: [expected.members[0]] }],
      // an inherited field (not an own key): read by the full decoder
      ['inherited', Object.assign(Object.create({ area: 'urban' }) as object, { id: 'h1', hukou_province: '宁夏', members: household.members }), { ...expected, area: 'urban' }],
      // a field given as undefined: absent to the full decoder (its default)
      ['undefined', { ...household, county: undefined }, expected],
    ];
    for (const [name, h, value] of odd) {
      expect(gen(h, asOf), name).toBe(FAIL);
      const full = decodeHousehold(schema, h, { asOf });
      expect(full, name).toEqual({ value, errors: [] });
      expect(pol.compiled.prepare(h, { asOf }), name).toEqual(full);
    }
  });

  it('an unknown key or a bad value anywhere still refuses (then the full decoder reports it)', () => {
    const gen = generateFastDecoder(schema, 'all', 'many')!;
    expect(gen({ ...household, areas: 'rural' }, asOf)).toBe(FAIL);
    expect(gen({ ...household, members: [{ ...member, income_monthly: '1.234' }] }, asOf)).toBe(FAIL);
    expect(gen({ ...household, members: [{ ...member, birth_date: '2024-07-02' }] }, asOf)).toBe(FAIL);
    expect(gen({ ...household, members: [{ birth_date: '1980-05-01' }] }, asOf)).toBe(FAIL);
    expect(gen({ ...household, members: [member, { ...member }] }, asOf)).toBe(FAIL);
  });

  it("'one' shape: the fields looked up by name, inherited ones too (a policy's outputs)", () => {
    const dibao = schema.fields.find((f) => f.name === 'dibao')!.type as { k: 'record'; of: SchemaInfo };
    expect(dibao.k).toBe('record');
    const gen = generateFastDecoder(dibao.of, 'all', 'one')!;
    const proto = Object.create(null) as Record<string, unknown>;
    const outputs = Object.assign(Object.create(proto) as object, { enrolled: true, monthly_amount: '694.00' });
    expect(gen(outputs, asOf)).toEqual({ enrolled: true, monthly_amount: 69400, income_exceeded_since: null });
  });
});
