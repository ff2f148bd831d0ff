// The trace writer (dsl/eval/trace-json.ts) writes each derivation node once per answer and the
// parts that are the same for every household once per process; the answer's text must stay
// byte for byte what JSON.stringify writes: the reference is JSON.stringify of the same trace (the
// straightforward path: every output's tree written whole), for every shipped version's scenario
// households, generated households and a household of 50 members (trace-cases.ts). What the
// trace says is checked against hand-worked derivations elsewhere (derivation.test.ts and the
// traced-answers fixture); no expected text here comes from running the code.
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { compileSource, freshTraceJsonInto, traceJsonInto, Utf8Sink, type Derivation, type DerivationNode, type TraceEntry } from '../../dsl/index.js';
import { traceCases, traceOf } from './trace-cases.js';
import { versions } from '../policies/shipped.js';

/** The answer's text for the trace as the writer gives it (its bytes, which jsonBytes puts
 *  between the brackets, read as UTF-8 by Node's decoder), from a sink that starts small (so
 *  the writer's copies of earlier parts outlive the sink growing). */
const written = (trace: readonly unknown[]) => {
  const sink = new Utf8Sink(16);
  traceJsonInto(trace, sink);
  return `[${Buffer.from(sink.bytes()).toString('utf8')}]`;
};
/** The same by freshTraceJsonInto (a trace as evaluate() gave it: its nodes written by their shape). */
const writtenFresh = (trace: readonly unknown[]) => {
  const sink = new Utf8Sink(16);
  freshTraceJsonInto(trace, sink);
  return `[${Buffer.from(sink.bytes()).toString('utf8')}]`;
};

const modules = { 'common/household': readFileSync('policies/common/household.policy', 'utf8') };
const dibao = compileSource(readFileSync('policies/dawukou-dibao/v2/policy.policy', 'utf8'), { modules }).compiled!;
function trace(household: unknown, asOf = '2024-06-01'): TraceEntry[] {
  const e = dibao.evaluate(household, asOf, { trace: true });
  if (!e.ok) throw new Error(JSON.stringify(e.errors));
  return e.trace!;
}
const derivation = (t: TraceEntry[], output: string): Derivation => t.find((e) => e.output === output)!.derivation!;
/** Every node of a tree, in order. */
const nodes = (n: DerivationNode): DerivationNode[] => [n, ...n.uses.flatMap(nodes)];

describe('the trace writer gives JSON.stringify\'s text', () => {
  const cases = traceCases();
  it('covers every shipped version', () => {
    expect(new Set(cases.map((c) => c.key.split('#')[0]!)).size).toBe(versions.length);
  });
  for (const version of [...new Set(cases.map((c) => c.key.split('#')[0]!))]) {
    it(version, () => {
      for (const c of cases.filter((x) => x.key.startsWith(`${version}#`))) {
        // twice: the second answer is written with the parts the first one froze and wrote
        for (let round = 0; round < 2; round++) {
          const t = traceOf(c);
          if (!t) throw new Error(`${c.key} refused`);
          const text = written(t);
          if (text !== JSON.stringify(t)) expect(text, c.key).toBe(JSON.stringify(t));
          // a trace nothing changed since evaluate() gave it, its nodes written by their shape
          const fresh = traceOf(c)!, freshText = writtenFresh(fresh);
          if (freshText !== JSON.stringify(fresh)) expect(freshText, `${c.key} (fresh)`).toBe(JSON.stringify(fresh));
        }
      }
    });
  }
});

describe('shared names across outputs', () => {
  // two people, both special (74 and 9): per capita 768.45 ÷ 2 = 384.225 (test/dsl/derivation.test.ts)
  const couple = { id: 'h', area: 'urban', members: [
    { id: 'm1', birth_date: '1950-03-01', income_monthly: '768.45' },
    { id: 'm2', birth_date: '2015-01-01' },
  ] };

  it('a name repeated inside one output and in full in another is written as each output has it', () => {
    const t = trace(couple);
    // monthly_amount: 人均收入 in full under 整户符合, then its one line (repeated) under 人均补差
    const amount = nodes(derivation(t, 'monthly_amount')).filter((n) => n.name === '人均收入');
    expect(amount.map((n) => n.repeated === true)).toEqual([false, true]);
    // eligible: the same 人均收入 in full, the very object monthly_amount gave in full
    const eligible = nodes(derivation(t, 'eligible')).filter((n) => n.name === '人均收入');
    expect(eligible.some((n) => n === amount[0])).toBe(true);
    const text = written(t);
    const full = JSON.stringify(amount[0]), line = JSON.stringify(amount[1]);
    expect(full).toContain('"uses":[{');
    expect(line).toContain('"repeated":true');
    // the full text under both outputs (the second a copy of the first's bytes), the line once more
    expect(text.split(full).length - 1).toBeGreaterThanOrEqual(2);
    expect(text).toContain(line);
    expect(text).toBe(JSON.stringify(t));
  });

  it('a household of 50 members: each output cut at 400 names, the rest their lines (truncated)', () => {
    const members = Array.from({ length: 50 }, (_, i) => ({ id: `m${i}`, birth_date: '1985-01-01', income_monthly: 1000 }));
    const t = trace({ id: 'h', area: 'urban', members });
    const d = derivation(t, 'eligible');
    expect(nodes(d).filter((n) => !n.truncated && !n.repeated).length).toBe(400);
    expect(nodes(d).some((n) => n.truncated)).toBe(true);
    expect(written(t)).toBe(JSON.stringify(t));
  });
});

describe('parts shared between answers', () => {
  it('a household figure read with the same member id and value is the same frozen node in every answer; another value is another node', () => {
    const income = (t: TraceEntry[]) => nodes(derivation(t, 'eligible')).find((n) => n.name === 'income_monthly' && n.member === 'm1' && !n.repeated)!;
    const a = income(trace({ id: 'a', area: 'urban', members: [{ id: 'm1', birth_date: '1985-01-01', income_monthly: 300 }] }));
    const b = income(trace({ id: 'b', area: 'rural', members: [{ id: 'm1', birth_date: '1990-01-01', income_monthly: 300 }, { id: 'm2', birth_date: '1991-01-01' }] }));
    const c = income(trace({ id: 'c', area: 'urban', members: [{ id: 'm1', birth_date: '1985-01-01', income_monthly: 301 }] }));
    expect(b).toBe(a);
    expect(Object.isFrozen(a) && Object.isFrozen(a.text) && Object.isFrozen(a.value)).toBe(true);
    expect(a).toEqual({ name: 'income_monthly', kind: 'input', label: { zh: '月收入', en: 'Monthly income' }, value: { zh: '300 元', en: '300 yuan' },
      text: { zh: '月收入（m1）= 300 元', en: 'Monthly income (m1) = 300 yuan' }, sources: [], uses: [], member: 'm1' });
    expect(Object.keys(a)).toEqual(['name', 'kind', 'label', 'value', 'text', 'sources', 'uses', 'member']);
    expect(c).not.toBe(a);
    expect(c.text.zh).toBe('月收入（m1）= 301 元');
  });
});

describe('what the writer does not take as it is', () => {
  it('strings that need escapes (quotes, backslashes, control characters, lone surrogates) in a member\'s id', () => {
    const ids = ['a"b', 'c\\d', 'e\nf\u0001', 'g\ud800', '\udc00h', '😀', '\u2028'];
    const t = trace({ id: 'h', area: 'urban', members: ids.map((id) => ({ id, birth_date: '1985-01-01', income_monthly: 100 })) });
    const text = written(t);
    expect(text).toContain('\\"');
    expect(text).toContain('\\ud800');
    expect(text).toBe(JSON.stringify(t));
  });

  it('an entry or a node with a toJSON, an element that is not an object, a cycle: as JSON.stringify', () => {
    const t: unknown[] = trace({ id: 'h', area: 'urban', members: [{ id: 'm1', birth_date: '1985-01-01', income_monthly: 100 }] });
    const entry = t[0] as TraceEntry;
    const node = { ...entry.derivation!.uses[0]!, toJSON: () => 'node' };
    const withNode = { ...entry, derivation: { ...entry.derivation!, uses: [node, ...entry.derivation!.uses] } };
    const odd = [...t, { toJSON: (k: string) => `entry ${k}` }, undefined, null, 7, 'x', withNode, { a: new Date(0), b: undefined, c: () => 1 }];
    expect(written(odd)).toBe(JSON.stringify(odd));
    const cyclic = { ...entry, derivation: { ...entry.derivation!, uses: [] as DerivationNode[] } };
    cyclic.derivation.uses.push(cyclic.derivation);
    expect(() => written([cyclic])).toThrow(TypeError);
  });

  it('a value that changes between two answers is written as it is now (only deeply frozen parts are remembered)', () => {
    const label = Object.freeze({ zh: '甲', en: 'A' });
    const changing = { zh: '乙', en: 'B' };
    const shallow = Object.freeze({ inner: changing });
    const entry = (n: number) => ({ output: 'o', derivation: { name: 'x', label, value: changing, shallow, n, uses: [] } });
    expect(written([entry(1)])).toBe(JSON.stringify([entry(1)]));
    changing.zh = '丙';
    expect(written([entry(2)])).toBe(JSON.stringify([entry(2)]));
    expect(written([entry(2)])).toContain('"zh":"丙"');
  });
});

describe('an entry\'s definitions and inputs', () => {
  // two people; every output lists the parameters it reads, and most list the members' incomes
  const couple = { id: 'h', area: 'urban', members: [
    { id: 'm1', birth_date: '1950-03-01', income_monthly: '768.45' },
    { id: 'm2', birth_date: '2015-01-01' },
  ] };

  it('a definition or input listed by several outputs is one object, written as JSON.stringify writes it in each', () => {
    const t = trace(couple);
    const listing = (pick: (e: TraceEntry) => object[], match: (x: object) => boolean) => t.map((e) => pick(e).find(match)).filter((x) => x !== undefined);
    const income = listing((e) => e.inputs, (x) => (x as { path: string }).path === 'members[0].income_monthly');
    expect(income.length).toBeGreaterThan(1);
    expect(new Set(income).size).toBe(1);
    expect(income[0]).toEqual({ path: 'members[0].income_monthly', value: '768.45' });
    const own = listing((e) => e.definitions, (x) => (x as { name: string; member?: string }).name === '本人可计收入' && (x as { member?: string }).member === 'm2');
    expect(own.length).toBeGreaterThan(1);
    expect(new Set(own).size).toBe(1);
    expect(own[0]).toEqual({ name: '本人可计收入', label: '本人可计收入（月）', kind: 'definition', value: '0.00', member: 'm2' });
    expect(written(t)).toBe(JSON.stringify(t));
  });

  it('a parameter is the same frozen object in every answer of the version', () => {
    const param = (t: TraceEntry[]) => t.flatMap((e) => e.definitions).find((d) => d.name === '城市低保标准')!;
    const a = param(trace(couple)), b = param(trace({ id: 'x', area: 'rural', members: [{ id: 'p', birth_date: '1980-01-01' }] }));
    expect(b).toBe(a);
    expect(Object.isFrozen(a)).toBe(true);
    expect(a).toEqual({ name: '城市低保标准', label: '城市低保标准', kind: 'parameter', value: '650.00' });
  });

  it('lists with an element that is not plain data, shared elements changed between answers: as JSON.stringify', () => {
    const shared = { path: 'household.area', value: 'urban' };
    const odd = (extra: unknown) => [
      { output: 'a', definitions: [shared, extra], inputs: [shared, shared] },
      { output: 'b', definitions: [], inputs: [shared, 7, null, 'x'] },
    ];
    for (const extra of [{ toJSON: (k: string) => `element ${k}` }, undefined, () => 1, [1, 2], { a: new Date(0) }]) {
      expect(written(odd(extra))).toBe(JSON.stringify(odd(extra)));
    }
    const withToJson = Object.assign([shared], { toJSON: () => 'list' });
    const listed = [{ output: 'c', definitions: withToJson, inputs: [shared] }];
    expect(written(listed)).toBe(JSON.stringify(listed));
    shared.value = 'rural';
    expect(written(odd(1))).toContain('"value":"rural"');
    expect(written(odd(1))).toBe(JSON.stringify(odd(1)));
  });
});

describe('values and nodes the writer takes a short way', () => {
  it('freshTraceJsonInto: a node not shaped as derivation.ts builds it (a value, label, citation list, range, rule or condition of another kind, uses not a list): as JSON.stringify', () => {
    const household = { id: 'h', area: 'urban', members: [{ id: 'm1', birth_date: '1985-01-01', income_monthly: 100 }] };
    const changes: ((n: Record<string, unknown>) => void)[] = [
      (n) => { n['value'] = 7; }, (n) => { n['value'] = { zh: '甲', en: 1 }; }, (n) => { n['label'] = { zh: '未冻结', en: 'not frozen' }; },
      (n) => { n['label'] = null; }, (n) => { n['sources'] = ['未冻结']; }, (n) => { n['range'] = { start: 1 }; }, (n) => { n['uses'] = {}; },
      (n) => { n['text'] = 'line'; }, (n) => { n['member'] = 3; }, (n) => { n['formula'] = { zh: 'f', en: 'f' }; }, (n) => { n['rule'] = 'r'; },
      (n) => { n['rule'] = { kind: 'rule', name: 'r', line: 'x', range: Object.freeze({}), text: Object.freeze({ zh: 'r', en: 'r' }), condition: {} }; },
      (n) => { n['rule'] = { kind: 'rule', name: 'r', line: 1, range: Object.freeze({}), text: Object.freeze({ zh: 'r', en: 'r' }), condition: { formula: 1 } }; },
      (n) => { n['conditions'] = 'c'; }, (n) => { n['conditions'] = [{ formula: Object.freeze({ zh: 'f', en: 'f' }), values: { zh: 'v', en: 'v' }, result: { zh: '是', en: 'yes' } }]; },
    ];
    for (const change of changes) {
      const t = trace(household);
      const d = t[0]!.derivation! as unknown as Record<string, unknown>;
      change(d);
      expect(writtenFresh(t)).toBe(JSON.stringify(t));
      expect(writtenFresh(trace(household))).toBe(JSON.stringify(trace(household)));
    }
  });

  it('objects shaped almost like { zh, en }: as JSON.stringify', () => {
    const values = [{ zh: '甲', en: 'A' }, { en: 'A', zh: '甲' }, { zh: '甲', en: 1 }, { zh: '甲', en: 'A', x: 1 }, { zh: '"\\\n', en: '\ud800' },
      { zh: undefined, en: 'A' }, { zh: '甲', en: { zh: 'x', en: 'y' } }, Object.freeze({ zh: '乙', en: 'B' })];
    const entry = [{ output: 'o', derivation: { name: 'x', value: values, label: values[0], text: values[4], uses: values.map((v, i) => ({ name: `n${i}`, value: v, uses: [] })) } }];
    expect(written(entry)).toBe(JSON.stringify(entry));
  });

  it('keys read by for … in only for plain objects: inherited keys, a null prototype, a class: as JSON.stringify', () => {
    class Pair { zh = '丙'; en = 'C'; }
    const inherited = Object.assign(Object.create({ zh: '丁', en: 'D' }) as object, { extra: 1 });
    const onlyInherited = Object.create({ zh: '戊', en: 'E' }) as object;
    const bare = Object.assign(Object.create(null) as object, { zh: '己', en: 'F' });
    const nodeWithInherited = Object.assign(Object.create({ hidden: 'x' }) as object, { name: 'n', uses: [] });
    const values = [new Pair(), inherited, onlyInherited, bare];
    const entry = [{ output: 'o', derivation: { name: 'x', value: values[0], label: values[1], text: values[2], values: values[3], uses: [nodeWithInherited, ...values.map((v, i) => ({ name: `n${i}`, value: v, uses: [] }))] } }];
    expect(written(entry)).toBe(JSON.stringify(entry));
    expect(written(entry)).not.toContain('hidden');
    expect(written(entry)).not.toContain('戊');
  });

  it('an enumerable key added to Object.prototype: not written (JSON.stringify lists own keys only)', () => {
    const entry = [{ output: 'o', value: { zh: '甲', en: 'A' }, derivation: { name: 'x', value: { zh: '乙', en: 'B' }, uses: [{ name: 'y', uses: [] }] } }];
    const proto = Object.prototype as Record<string, unknown>;
    proto['polluted'] = 1;
    try {
      const text = written(entry);
      expect(text).toBe(JSON.stringify(entry));
      expect(text).not.toContain('polluted');
    } finally {
      delete proto['polluted'];
    }
    expect(written(entry)).toBe(JSON.stringify(entry));
  });

  it('a getter that adds an enumerable key to Object.prototype while an entry is written: the entry as JSON.stringify writes it', () => {
    const proto = Object.prototype as Record<string, unknown>;
    const make = () => [{ output: 'o', derivation: { name: 'x', get value() { proto['added'] = 1; return { zh: '甲', en: 'A' }; }, uses: [{ name: 'y', label: { zh: '乙', en: 'B' }, uses: [] }] } }, { output: 'p', value: { zh: '丙', en: 'C' } }];
    try {
      const text = written(make());
      delete proto['added'];
      const expected = JSON.stringify(make());
      expect(text).toBe(expected);
      expect(text).not.toContain('added');
    } finally {
      delete proto['added'];
    }
  });

  it('lists of data in a node, element by element: holes, undefined, functions, symbols, numbers, nested lists, frozen parts', () => {
    const sparse: unknown[] = [1];
    sparse[3] = 'x';
    const frozen = Object.freeze({ zh: '是', en: 'yes' });
    const list = [undefined, () => 1, Symbol('s'), NaN, -0, 1.5e21, Infinity, true, null, '"\\\n\ud800', [], [[1, [2]]], sparse, frozen, { zh: '否', en: 'no' }, { a: undefined, b: [frozen] }];
    const entry = [{ output: 'o', derivation: { name: 'x', conditions: list, uses: [{ name: 'y', conditions: [{ formula: frozen, values: { zh: '1 > 0', en: '1 > 0' }, result: frozen }], uses: [] }] } }];
    expect(written(entry)).toBe(JSON.stringify(entry));
    // the text by hand: undefined, a function and a symbol as null, -0 as 0, a hole as null
    expect(written([{ c: [undefined, () => 1, Symbol('s'), -0, sparse] }])).toBe('[{"c":[null,null,null,0,[1,null,null,"x"]]}]');
  });

  it('lists of data with a toJSON inside, a cycle, a nesting of 300: as JSON.stringify (a cycle refused as it refuses it)', () => {
    const withToJson = [{ output: 'o', derivation: { name: 'x', conditions: [1, { toJSON: () => 'T' }, [new Date(0)]], uses: [] } }];
    expect(written(withToJson)).toBe(JSON.stringify(withToJson));
    let deep: unknown[] = ['leaf'];
    for (let i = 0; i < 300; i++) deep = [deep];
    const nested = [{ output: 'o', derivation: { name: 'x', conditions: deep, uses: [] } }];
    expect(written(nested)).toBe(JSON.stringify(nested));
    const cycle: unknown[] = [1];
    cycle.push(cycle);
    const cyclic = [{ output: 'o', derivation: { name: 'x', conditions: cycle, uses: [] } }];
    expect(() => JSON.stringify(cyclic)).toThrow(TypeError);
    expect(() => written(cyclic)).toThrow(TypeError);
  });

  it('names (name, kind, output, label, path) with escapes and lone surrogates, written again from what was kept, and past the names kept (5,000)', () => {
    const odd = ['"q"', 'back\\slash', 'tab\tnew\nline', '\u0001', '\ud800', '\udc00x', '😀', '中文', ''];
    const entry = (names: string[]) => [{ output: names[0], label: names[1], definitions: names.map((n) => ({ name: n, kind: n, label: n, value: n })), inputs: names.map((n) => ({ path: n, value: n })),
      derivation: { name: names[2], kind: names[3], label: { zh: names[4], en: names[5] }, uses: names.map((n) => ({ name: n, kind: n, path: n, uses: [] })) } }];
    for (let round = 0; round < 2; round++) expect(written(entry(odd))).toBe(JSON.stringify(entry(odd)));
    // by hand: a lone surrogate as its \u escape, a pair as its character
    expect(written([{ name: '\ud800', kind: '😀' }])).toBe('[{"name":"\\ud800","kind":"😀"}]');
    const many = Array.from({ length: 5000 }, (_, i) => `名${i}"`);
    expect(written(entry(many))).toBe(JSON.stringify(entry(many)));
    expect(written(entry(['x', 'y', 'z', 'w', 'v', 'u']))).toBe(JSON.stringify(entry(['x', 'y', 'z', 'w', 'v', 'u'])));
  });

  it('a chain of nodes deeper than the writer goes (300): JSON.stringify\'s text', () => {
    let n: { name: string; uses: unknown[] } = { name: 'leaf', uses: [] };
    for (let i = 0; i < 300; i++) n = { name: `n${i}`, uses: [n] };
    const entry = [{ output: 'deep', derivation: n }];
    expect(written(entry)).toBe(JSON.stringify(entry));
  });
});
