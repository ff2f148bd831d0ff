// The compiler's two modes — generated JavaScript (the fast path) and the closure tree (the
// fallback without `new Function`) — must agree byte for byte: on every shipped policy, its
// scenario suite and 2,000 generated households, outputs and traces are compared as JSON text.
// And no name, label, text or citation of a policy can reach the generated code as code.
import { describe, it, expect } from 'vitest';
import { readFileSync, readdirSync, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { compileSource, parseScenarios, runScenarios } from '../../dsl/index.js';
import { compile, type CompiledPolicy } from '../../dsl/backends/index.js';
import { lower } from '../../dsl/middle/index.js';
import { CodeGen } from '../../dsl/backends/codegen/state.js';
import { faultFree } from '../../dsl/backends/codegen/fault-free.js';
import { generatePopulation, presetNames } from '../../simulation/generator.js';
import { linkOptions, linkedFor, resolve } from '../policies/shipped.js';

const root = 'policies';
const modules = { 'common/household': readFileSync(join(root, 'common', 'household.policy'), 'utf8') };
const isDir = (p: string) => existsSync(p) && statSync(p).isDirectory();
const dirs: string[] = ['examples/dibao'];
for (const id of readdirSync(root).sort()) {
  if (id === 'common' || !isDir(join(root, id))) continue;
  for (const v of readdirSync(join(root, id)).sort()) if (/^v\d+$/.test(v) && isDir(join(root, id, v))) dirs.push(join(root, id, v));
}

function both(source: string, file?: string): { closures: CompiledPolicy; codegen: CompiledPolicy } {
  const r = compileSource(source, { file, modules, ...(file ? linkOptions(file) : {}) });
  if (!r.compiled) throw new Error(`${file}: ${JSON.stringify(r.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.range.start.line}:${d.range.start.column} ${d.code} ${d.message.en}`))}`);
  return { closures: compile(r.compiled.program, { mode: 'closures' }), codegen: compile(r.compiled.program, { mode: 'codegen' }) };
}

/** A member born 1980 with this income, nothing excluded. */
/** The header of the small policies below: an id and a title, no project or division of note. */
const head = (id: string, title: string) => `政策 ${id}「${title}」
  项目「x」
  辖区「x」
  生效 2022-01-01
  使用「common/household」
`;
const m = (i: number, income: number) => ({ id: `m${i}`, birth_date: '1980-01-01', income_monthly: income, excluded_income_monthly: 0 });
/** An urban household of such members with no rigid expenditure (and `applies_single_person` when given). */
const hh = (id: string, incomes: number[], list?: string[]) => ({ id, area: 'urban', rigid_expenditure_monthly: 0, members: incomes.map((x, i) => m(i, x)), ...(list ? { applies_single_person: list } : {}) });

/** Each household evaluated on 2024-06-01 in both modes (traced or not), the two answers required
 *  to be the same JSON; the generated code's answers, in order. */
function agreeing(p: { closures: CompiledPolicy; codegen: CompiledPolicy }, runs: readonly (readonly [unknown, boolean])[]) {
  return runs.map(([h, trace]) => {
    const a = p.closures.evaluate(h, '2024-06-01', { trace }), b = p.codegen.evaluate(h, '2024-06-01', { trace });
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    return b;
  });
}

const DATES = ['2024-06-01', '2023-01-15', '2025-12-31'];

describe('code generation and closures agree', () => {
  for (const dir of dirs) {
    it(dir, () => {
      const { closures, codegen } = both(readFileSync(join(dir, 'policy.policy'), 'utf8'), `${dir}/policy.policy`);
      expect(closures.mode).toBe('closures');
      expect(codegen.mode).toBe('codegen');
      // the scenario suite, traces included
      const suiteText = existsSync(join(dir, 'scenarios.yaml')) ? readFileSync(join(dir, 'scenarios.yaml'), 'utf8') : '';
      if (suiteText) {
        const { suite } = parseScenarios(suiteText, `${dir}/scenarios.yaml`);
        if (suite) expect(JSON.stringify(runScenarios(codegen, suite, { resolve }))).toBe(JSON.stringify(runScenarios(closures, suite, { resolve })));
      }
      // 2,000 generated households from the presets in turn, on three dates; every fourth with
      // its trace and derivations (building derivations costs ~5× the evaluation: 500 traced
      // households per policy keep every rule's formula compared between the backends)
      const presets = presetNames();
      let ok = 0;
      for (let i = 0; i < 2000; i++) {
        const asOf = DATES[i % DATES.length]!;
        const [h] = [...generatePopulation({ preset: presets[i % presets.length]!, seed: 7 + i, households: 1, asOf })];
        // a policy that reads others (引用) gets their results for the same household and date
        const linked = linkedFor(closures, h, asOf);
        const trace = i % 4 === 0;
        const a = closures.evaluate(h, asOf, { trace, linked });
        const b = codegen.evaluate(h, asOf, { trace, linked });
        const ta = JSON.stringify(a), tb = JSON.stringify(b);
        if (ta !== tb) expect(tb).toBe(ta);
        if (a.ok) ok++;
      }
      expect(ok).toBeGreaterThan(0);
    }, 120_000);
  }
});

describe('generated code cannot be injected', () => {
  const hostile = '"); process.exit(1); ("*/ \u2028 \u2029 \\ ` ${x} </script>';
  const src = `政策 hostile「标签 ${hostile.replace(/[「」]/g, '')}」
  项目「x」
  辖区「x」
  生效 2022-01-01
  说明「${hostile}」
  依据「${hostile}」
  使用「common/household」

参数 标准「${hostile}」 = 650 元/月 依据「${hostile}」
定义 可计收入「${hostile}」 = 合计(成员.income_monthly)
定义 低于标准「${hostile}」 = 可计收入 < 标准
输出 eligible「${hostile}」 =
  规则 第一条 依据「${hostile}」:
    当 低于标准 时 真
  否则 假
输出 说明文字「${hostile}」 = 如果 低于标准 那么「${hostile}」否则「*/ ");」
`;
  it('evaluates a policy whose labels, texts and citations are hostile', () => {
    const r = compileSource(src, { modules, file: 'hostile.policy' });
    if (!r.compiled) {
      // the exact wording of the policy is not what is tested here: report it
      throw new Error(JSON.stringify(r.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.range.start.line}:${d.range.start.column} ${d.code} ${d.message.en}`)));
    }
    const g = compile(r.compiled.program, { mode: 'codegen' });
    const c = compile(r.compiled.program, { mode: 'closures' });
    expect(g.mode).toBe('codegen');
    expect(g.source).not.toContain('process.exit');
    expect(g.source).not.toContain('*/');
    const h = { id: 'h', area: 'urban', members: [{ id: 'a"); process.exit(1); ("', birth_date: '1980-01-01', income_monthly: 100 }] };
    const a = g.evaluate(h, '2024-06-01', { trace: true });
    expect(a).toMatchObject({ ok: true, outputs: { eligible: true, 说明文字: hostile } });
    expect(JSON.stringify(a)).toBe(JSON.stringify(c.evaluate(h, '2024-06-01', { trace: true })));
  });

  it('quotes field names, even ones no policy could spell (a Program built by other means)', () => {
    const r = compileSource(src, { modules, file: 'hostile.policy' });
    const p = r.compiled!.program;
    const evil = 'income_monthly"]); process.exit(1); (["*/\u2028 ';
    // rename the member field everywhere it is known (schema and resolutions share the FieldInfo)
    for (const res of p.resolutions.values()) if ('fields' in res) for (const f of res.fields) if (f.name === 'income_monthly') (f as { name: string }).name = evil;
    const g = compile(p, { mode: 'codegen' });
    expect(g.mode).toBe('codegen');
    // the name is in the source only as a JSON string literal
    expect(g.source).toContain(JSON.stringify(evil));
    expect(g.source!.split(JSON.stringify(evil)).join('')).not.toContain('process.exit');
    const cx = g.compute({ id: 'h', area: 'urban', members: [{ id: 'a', birth_date: 19800101, [evil]: 100 }] }, 20240601);
    expect(g.outputValue(cx, 0)).toBe(true);
    const cx2 = g.compute({ id: 'h', area: 'urban', members: [{ id: 'a', birth_date: 19800101, [evil]: 100000 }] }, 20240601);
    expect(g.outputValue(cx2, 0)).toBe(false);
  });
});

// compute() resets only the memo slots it fills itself; a definition written in place has its
// slot filled only when a trace asks for it. Traces taken between evaluations without one, after
// a fault and as households grow must still show each household's own values. A member
// condition whose head is household-level (高收入 = 人均 > 门槛 并且 …) skips its loops when
// the head is false, and meets the head's fault (one member: division by zero) at the same point.
describe('memo slots between evaluations', () => {
  const src = `${head('reuse', 'memo')}
参数 倍数「倍数」 = 2
定义 门槛「门槛」 = 倍数 × household.rigid_expenditure_monthly
成员定义 净收入「净收入」 = income_monthly − excluded_income_monthly
定义 可计收入「可计收入」 = 合计(成员.income_monthly)
定义 人均「人均」 = 可计收入 ÷ (人数(成员) − 1)
成员定义 高收入「高收入」 = 人均 > 门槛 并且 净收入 > 0 元/月
输出 any_high「有高收入成员」 = 存在(高收入)
输出 high「高收入成员」 = 编号(成员 其中 高收入)
输出 n_high「高收入人数」 = 人数(高收入)
输出 eligible「符合」 = 人均 < 门槛
输出 earners「有净收入的成员」 = 编号(成员 其中 净收入 > 0 元/月)
`;
  it('traces show the in-place definitions of their own household', () => {
    const { codegen: g, closures: c } = both(src, 'memo.policy');
    expect(g.mode).toBe('codegen');
    const member = (i: number, income: number, excluded: number) => ({ id: `m${i}`, birth_date: '1980-01-01', income_monthly: income, excluded_income_monthly: excluded });
    const household = (n: number, rigid: number) => ({ id: `h${n}`, area: 'urban', rigid_expenditure_monthly: rigid, members: Array.from({ length: n }, (_, i) => member(i, 100 * (i + n), i % 2 === 0 ? 50 * n : 0)) });
    // [members, rigid expenditure, traced]: one member divides by zero (a fault)
    const runs: [number, number, boolean][] = [[3, 400, true], [2, 10, false], [2, 900, false], [1, 5, false], [4, 300, true], [2, 7, false], [5, 1200, true], [1, 3, true], [6, 2000, false], [3, 250, true], [2, 60, true]];
    let faults = 0;
    for (const [n, rigid, trace] of runs) {
      const h = household(n, rigid);
      const a = c.evaluate(h, '2024-06-01', { trace }), b = g.evaluate(h, '2024-06-01', { trace });
      expect(JSON.stringify(b)).toBe(JSON.stringify(a));
      if (!a.ok && 'fault' in a && a.fault) faults++;
    }
    expect(faults).toBe(2);
  });

  it('keeps a member output in a member condition inside the loop (only the household-level head is skipped on)', () => {
    const { codegen: g, closures: c } = both(`${head('head', 'head')}
定义 大户「大户」 = 人数(成员) > 2
成员输出 有收入「有收入」 = income_monthly > 0 元/月
成员定义 合格「合格」 = 大户 并且 有收入 并且 年龄 > 1
输出 n「合格人数」 = 人数(合格)
输出 qualified「合格成员」 = 编号(成员 其中 合格)
`, 'head.policy');
    const answers = agreeing({ codegen: g, closures: c }, [[hh('a', [0, 5, 7]), false], [hh('b', [5, 0]), true], [hh('c', [0, 0, 9, 0]), true], [hh('d', [1, 2]), false], [hh('e', [3, 0, 4]), true]]);
    expect(answers.flatMap((b) => (b.ok ? [b.outputs['n']] : []))).toEqual([2, 0, 1, 0, 2]);
  });

  // 单人户's shape: after the household-level head, `id 属于 <household list>`; with the list empty
  // no member is in it, so the loops are skipped on the list too (the first member would read it
  // next, and its id is a plain read). Members named in the list still qualify, in both modes.
  it('skips a member loop on an empty household list after the household-level head', () => {
    const { codegen: g, closures: c } = both(`${head('listhead', 'list head')}
定义 小户「小户」 = 人数(成员) < 4
成员定义 单列「单列」 = 小户 并且 id 属于 household.applies_single_person 并且 income_monthly > 0 元/月
输出 n「单列人数」 = 人数(单列)
输出 some「有单列」 = 存在(单列)
输出 who「单列成员」 = 编号(成员 其中 单列)
`, 'listhead.policy');
    expect(g.mode).toBe('codegen');
    // the ids loop returns before its loop when the list is empty
    expect(g.source).toMatch(/\(\(t\d+ = h\["applies_single_person"\]\) !== null && t\d+ !== undefined && t\d+\.length !== 0\)[^\n]*\) return \[\];/);
    const runs: [ReturnType<typeof hh>, boolean][] = [
      [hh('a', [5, 0, 7], []), false], [hh('b', [5, 0, 7], ['m0', 'm1']), true], [hh('c', [5, 6], undefined), true],
      [hh('d', [5, 6, 7, 8], ['m0']), true], [hh('e', [0, 9], ['m1', 'm0']), false], [hh('f', [3], []), true], [hh('g', [1, 2, 3], ['x', 'm2']), true],
    ];
    const seen = agreeing({ codegen: g, closures: c }, runs).flatMap((b) => (b.ok ? [[b.outputs['n'], b.outputs['some'], b.outputs['who']]] : []));
    // by hand: a empty list; b m0 (m1 has no income); c no list; d four members (not 小户); e m1
    // (m0 has no income); f empty; g m2 ("x" is no member)
    expect(seen).toEqual([[0, false, []], [1, true, ['m0']], [0, false, []], [0, false, []], [1, true, ['m1']], [0, false, []], [1, true, ['m2']]]);
  });

  // the list's test goes before the household-level conditions when none of them can fault (a
  // division by 人数(成员) cannot in a household with members): with the list empty they are not
  // computed. One that can fault (÷ (人数(成员) − 1)) stays first, so its fault is still met.
  it('tests an empty household list first only when the conditions before it cannot fault', () => {
    const policy = (divisor: string) => `${head('listfirst', 'list first')}
定义 人均「人均」 = 合计(成员.income_monthly) ÷ ${divisor}
定义 小户「小户」 = 人数(成员) < 4
成员定义 单列「单列」 = 人均 < 500 元/月 并且 小户 并且 id 属于 household.applies_single_person 并且 income_monthly > 0 元/月
输出 n「单列人数」 = 人数(单列)
输出 who「单列成员」 = 编号(成员 其中 单列)
`;
    const safe = both(policy('人数(成员)'), 'listfirst.policy');
    const risky = both(policy('(人数(成员) − 1)'), 'listfirst.policy');
    expect(safe.codegen.mode).toBe('codegen');
    // (after the tests of parts already decided in their slots, decided.ts: 小户's slot here)
    const listFirst = /if \(mem\.length !== 0 && \(.*?!\(\(\(t\d+ = h\["applies_single_person"\]\) !== null/;
    expect(safe.codegen.source).toMatch(listFirst);
    expect(risky.codegen.source).not.toMatch(listFirst);
    const runs: [ReturnType<typeof hh>, boolean][] = [
      [hh('a', [100, 200], []), false], [hh('b', [100, 200], ['m1']), true], [hh('c', [300], undefined), true], [hh('d', [300], ['m0']), false],
      [hh('e', [100, 200, 300, 400], ['m0']), true], [hh('f', [2000, 0], ['m0']), false], [hh('g', [0, 50, 70], ['m0', 'm2']), true],
    ];
    const answers = (p: typeof safe) => agreeing(p, runs).map((b) => (b.ok ? [b.outputs['n'], b.outputs['who']] : 'fault'));
    // by hand, 人均 = total ÷ n: a empty list; b 150 < 500, m1 earns; c no list; d m0; e four
    // members (not 小户); f 1000 ≥ 500; g 40 < 500, m0 earns nothing, m2 does
    expect(answers(safe)).toEqual([[0, []], [1, ['m1']], [0, []], [1, ['m0']], [0, []], [0, []], [1, ['m2']]]);
    // ÷ (n − 1): c and d (one member) divide by zero, with the list absent or not; b 300, g 60
    // < 500; f 2000 ≥ 500
    expect(answers(risky)).toEqual([[0, []], [1, ['m1']], 'fault', 'fault', [0, []], [0, []], [1, ['m2']]]);
  });

  // what may be evaluated later or not at all: reads, numbers, comparisons, a division by a
  // non-zero constant or by 人数(成员) (a household with members), definitions made of those;
  // not a division by anything else, a date plus a duration, rules (two may conflict)
  it('knows which expressions cannot fault', () => {
    const r = compileSource(`${head('faults', 'faults')}
参数 期限「期限」 = 3 个月
定义 人均「人均」 = 合计(成员.income_monthly) ÷ 人数(成员)
定义 一半「一半」 = 人均 ÷ 2 < 100 元/月 并且 不 household.dibao.enrolled
定义 有人「有人」 = 存在(income_monthly > 0 元/月 并且 年龄 < 18)
定义 差人均「差人均」 = 合计(成员.income_monthly) ÷ (人数(成员) − 1)
定义 比较「比较」 = 差人均 > 0 元/月
定义 到期「到期」 = household.dibao.income_exceeded_since + 期限
定义 零除「零除」 = 人均 ÷ 0
定义 档「档」 =
  规则 甲: 当 人均 > 1 元/月 时 1
  否则 0
定义 引用档「引用档」 = 档 > 0
`, { file: 'faults.policy', modules });
    if (!r.compiled) throw new Error(JSON.stringify(r.diagnostics.filter((d) => d.severity === 'error')));
    const g = new CodeGen(lower(r.compiled.program));
    const free = Object.fromEntries(r.compiled.program.defs.map((d) => [d.decl.name.text, d.decl.body.kind === 'Expr' && faultFree(g, d.decl.body.expr)]));
    expect(free).toEqual({ 人均: true, 一半: true, 有人: true, 差人均: false, 比较: false, 到期: false, 零除: false, 档: false, 引用档: false });
  });

  // a part of a 并且/或者 chain that compute() has already decided in its slot (不 符合 once 符合
  // was needed for the output before) answers for the chain when the parts before it cannot
  // fault: household.dibao and the applies list are not read. A part before it that can fault
  // (÷ (人数 − 1)) keeps the chain as it is, so its fault is still met; with no member the
  // chain is evaluated as written.
  it('answers a chain from a part already decided in its slot, only past parts that cannot fault', () => {
    const { codegen: g, closures: c } = both(`${head('decided', 'decided')}
参数 期限「期限」 = 6 个月
定义 人均「人均」 = 合计(成员.income_monthly) ÷ 人数(成员)
定义 差人均「差人均」 = 合计(成员.income_monthly) ÷ (人数(成员) − 1)
定义 符合「符合」 = 人均 < 500 元/月
输出 eligible「符合」 = 符合
定义 渐退「渐退」 = household.dibao.enrolled 并且 不 符合 并且 评估日 < household.dibao.income_exceeded_since + 期限
输出 gradual「渐退」 = 渐退
输出 either「在保或符合」 = household.dibao.enrolled 或者 符合
输出 risky「差人均为正且不符合」 = 差人均 > 0 元/月 并且 不 符合
成员定义 单列「单列」 = 不 符合 并且 id 属于 household.applies_single_person
输出 who「单列成员」 = 编号(成员 其中 单列)
`, 'decided.policy');
    expect(g.mode).toBe('codegen');
    const fn = (name: string) => g.source!.split('\n').findIndex((l) => l.startsWith(`function ${name}()`));
    const body = (name: string) => g.source!.split('\n').slice(fn(name), fn(name) + 3).join('\n');
    // 渐退 (D3): 不 符合 decided in 符合's slot (hs[2]) answers false before household.dibao is read
    expect(body('D3')).toMatch(/v = \(mem\.length !== 0 && \(\(\(t\d+ = hs\[2\]\) !== undefined && !!t\d+\)\) \? false : \(!!\(\(\(h\["dibao"\]\)/);
    // 在保或符合: 符合 decided true answers true
    expect(body('O2')).toMatch(/\(\(\(t\d+ = hs\[2\]\) !== undefined && !!t\d+\)\) \? true : /);
    // after 差人均 > 0 (can fault) nothing is answered early
    expect(body('O3')).not.toContain('? false :');
    // the ids loop: 不 符合 decided false skips it before the list is read
    expect(g.source).toMatch(/if \(mem\.length !== 0 && \(\(\(t\d+ = hs\[2\]\) !== undefined && !!t\d+\) \|\| !\(\(\(t\d+ = h\["applies_single_person"\]\)/);
    const hd = (id: string, incomes: number[], enrolled: boolean, since: string | null, list?: string[]) => ({ ...hh(id, incomes, list), dibao: { enrolled, monthly_amount: 100, income_exceeded_since: since } });
    const runs: [ReturnType<typeof hd>, boolean][] = [
      [hd('a', [100, 200], false, null), false], [hd('b', [900, 800], true, '2024-03-01'), true], [hd('c', [900, 800], true, '2023-01-01'), false],
      [hd('d', [100, 300], true, '2024-03-01', ['m0']), true], [hd('e', [900, 800], false, null, ['m1']), false], [hd('f', [600], true, '2024-05-01'), true],
      [hd('g', [], true, '2024-05-01'), true], [hd('h', [100], false, null, ['m0']), false], [hd('i', [700, 900, 800], false, null, ['m2', 'm0']), true],
    ];
    const seen = agreeing({ codegen: g, closures: c }, runs).map((b) => (b.ok ? [b.outputs['eligible'], b.outputs['gradual'], b.outputs['either'], b.outputs['risky'], b.outputs['who']] : 'fault'));
    // by hand (人均 < 500; 渐退: enrolled, not eligible, 2024-06-01 before since + 6 months; 差人均
    // divides by n − 1): a 150; b 850, until 2024-09-01; c until 2023-07-01: over; d 200; e 850,
    // m1 listed; f one member: 差人均 ÷ 0; g no member: 人均 ÷ 0; h one member; i 800, both listed
    expect(seen).toEqual([
      [true, false, true, false, []], [false, true, true, true, []], [false, false, true, true, []],
      [true, false, true, false, []], [false, false, false, true, ['m1']], 'fault',
      'fault', 'fault', [false, false, false, true, ['m0', 'm2']],
    ]);
  });

  // + − × on numbers: a result that is an int32 is taken after an integer test, anything larger
  // (past 2^31 fen; past 2^53 − 1: ×10^9) goes through the range test, and money.ts, as before
  it('adds, subtracts and multiplies across the int32 and safe-integer limits as the closures do', () => {
    const { codegen: g, closures: c } = both(`${head('arith', 'arith')}
定义 净收入合计「净收入合计」 = 合计(成员.income_monthly − 成员.excluded_income_monthly)
输出 total「合计」 = 净收入合计
输出 triple「三倍」 = 净收入合计 × 3
输出 diff「刚性支出减合计」 = household.rigid_expenditure_monthly − 净收入合计
输出 big「放大」 = 净收入合计 × 1000000000
`, 'arith.policy');
    expect(g.mode).toBe('codegen');
    expect(g.source).toContain('| 0) === t');
    const h = (id: string, rigid: number, incomes: [number, number][]) => ({ id, area: 'urban', rigid_expenditure_monthly: rigid, members: incomes.map(([x, e], i) => ({ ...m(i, x), excluded_income_monthly: e })) });
    const runs: [ReturnType<typeof h>, boolean][] = [
      [h('a', 0, [[21474836.47, 0]]), false], [h('b', 0, [[21474836.47, 0], [0.01, 0]]), true], [h('c', 21474836.48, [[0.01, 0]]), false],
      [h('d', 0, [[30000000, 0], [30000000, 0]]), false], [h('e', 5, [[10, 20]]), true],
    ];
    const seen = agreeing({ codegen: g, closures: c }, runs).map((b) => (b.ok ? [b.outputs['total'], b.outputs['triple'], b.outputs['diff'], b.outputs['big']] : 'invalid'));
    // by hand (fen): a 2^31 − 1, ×3 = 6442450941; b 2^31; c 2^31 − 1 left of the rigid 2^31;
    // d 6·10^9; e 1000 − 2000 = −1000, ×3, 500 + 1000; big ×10^9: past 2^53 − 1 in a, b, d
    expect(seen).toEqual([
      ['21474836.47', '64424509.41', '-21474836.47', '21474836470000000.00'], ['21474836.48', '64424509.44', '-21474836.48', '21474836480000000.00'],
      ['0.01', '0.03', '21474836.47', '10000000.00'], ['60000000.00', '180000000.00', '-60000000.00', '60000000000000000.00'], ['-10.00', '-30.00', '15.00', '-10000000000.00'],
    ]);
  });

  // compute() clears the member slots the last household filled, and nothing when it filled none
  // (its member loops skipped on the head 大户): a household after one that filled none must
  // still not see the values of an earlier one (A's 高于均值 in C's slots would give m2, not m1)
  it('clears the member slots of the last household that filled any', () => {
    const { codegen: g, closures: c } = both(`${head('mslots', 'member slots')}
定义 合计收入「合计收入」 = 合计(成员.income_monthly)
定义 户数「户数」 = 人数(成员)
定义 大户「大户」 = 户数 > 2
成员定义 高于均值「高于均值」 = 大户 并且 income_monthly × 户数 > 合计收入
输出 n「人数」 = 人数(高于均值)
输出 who「成员」 = 编号(成员 其中 高于均值)
`, 'mslots.policy');
    expect(g.mode).toBe('codegen');
    expect(g.source).toContain('M0()');
    expect(g.source).toContain('mset = true;');
    const runs: [ReturnType<typeof hh>, boolean][] = [
      [hh('a', [10, 0, 30, 0]), false], [hh('b', [5, 1]), false], [hh('c', [0, 30, 0, 10]), false], [hh('d', [7, 7, 1]), false],
      [hh('e', [0, 0, 0, 0, 9]), true], [hh('f', [1, 1]), false], [hh('g', [1, 2, 3, 4]), false],
    ];
    const seen = agreeing({ codegen: g, closures: c }, runs).flatMap((b) => (b.ok ? [[b.outputs['n'], b.outputs['who']]] : []));
    // by hand, income × n > total: a 30×4 > 40 (10×4 = 40 is not); b, f two members; c 30×4 > 40;
    // d 7×3 > 15 twice; e 9×5 > 9; g 3×4 and 4×4 > 10
    expect(seen).toEqual([[1, ['m2']], [0, []], [1, ['m1']], [2, ['m0', 'm1']], [1, ['m4']], [0, []], [2, ['m2', 'm3']]]);
  });

  // an output no declaration reads is computed once per compute(): its function has no memo check
  // and its slot no reset, yet each household shows its own value, after a fault too (the next
  // compute() resets every slot); an output another one reads keeps its memo check
  it('writes the outputs nothing reads, and the definitions, without a memo check of their own; each household its own value', () => {
    const { codegen: g, closures: c } = both(`${head('unread', 'unread outputs')}
定义 合计收入「合计收入」 = 合计(成员.income_monthly)
输出 per「人均」 = 合计收入 ÷ (人数(成员) − 1)
输出 twice「两倍」 = per × 2
输出 n「人数」 = 人数(成员)
`, 'unread.policy');
    expect(g.mode).toBe('codegen');
    const fn = (name: string) => g.source!.split('\n').find((l) => l.startsWith(`function ${name}()`))!;
    expect(fn('O0')).toContain('if (v !== undefined) return v;');   // per: read by twice
    expect(fn('O1')).not.toContain('if (v !== undefined) return v;');
    expect(fn('O2')).not.toContain('if (v !== undefined) return v;');
    // a definition's function is called only on an unset slot: the caller reads it (def() too)
    expect(fn('D0')).not.toContain('undefined');
    expect(g.source).toContain('const v = hs[0]; return v !== undefined ? v : D0();');
    const seen = agreeing({ codegen: g, closures: c }, [[hh('a', [10, 20, 30]), false], [hh('b', [7]), false], [hh('c', [1, 2]), true], [hh('d', [5]), true], [hh('e', [4, 4, 4, 4, 4]), false]])
      .map((b) => (b.ok ? [b.outputs['twice'], b.outputs['n']] : 'fault'));
    // by hand (yuan): a 60 ÷ 2 = 30, ×2 = 60; b, d one member: ÷ 0; c 3 ÷ 1 = 3, ×2 = 6; e 20 ÷ 4 = 5, ×2 = 10
    expect(seen).toEqual([['60.00', 3], 'fault', ['6.00', 2], 'fault', ['10.00', 5]]);
  });

  // a fraction pair's leaf that holds a kept fraction (份额: a conditional, so a memo slot with a
  // Ratio, read by the helper ratioN) and leaves that are always integers (人数, 标准: no test)
  it('computes pairs whose leaves are kept fractions or always integers', () => {
    const { codegen: g, closures: c } = both(`${head('leaves', 'leaves')}
定义 标准「标准」 = 如果 household.area 是 城市 那么 600 元/月 否则 500 元/月
定义 可计收入「可计收入」 = 合计(成员.income_monthly)
定义 份额「份额」 = 如果 人数(成员) > 1 那么 可计收入 ÷ 3 否则 可计收入 ÷ 7
输出 amount「金额」 = 舍入到分(份额 × 人数(成员) ÷ 2 + 标准 ÷ 人数(成员))
输出 small_share「低于」 = 份额 < household.rigid_expenditure_monthly ÷ 3
`, 'leaves.policy');
    expect(g.mode).toBe('codegen');
    expect(g.source).toContain('ratioN(');
    const hh = (id: string, area: string, rigid: number, incomes: number[]) => ({ id, area, rigid_expenditure_monthly: rigid, members: incomes.map((x, i) => m(i, x)) });
    const amounts: unknown[] = [];
    for (const h of [hh('a', 'urban', 40, [100.01, 0]), hh('b', 'rural', 0, [100.01]), hh('c', 'urban', 300, [1, 2, 3.05]), hh('d', 'rural', 33.34, [50, 50.02]), hh('e', 'urban', 0, [0, 0, 0, 0])]) {
      const a = c.evaluate(h, '2024-06-01'), b = g.evaluate(h, '2024-06-01');
      expect(JSON.stringify(b)).toBe(JSON.stringify(a));
      if (b.ok) amounts.push(b.outputs['amount']);
    }
    // a: 份额 = 10001/3 fen, × 2 ÷ 2 = 3333.67 fen, + 60000/2 = 33333.67 → 333.34 元 (by hand)
    expect(amounts[0]).toBe('333.34');
  });

  // a pair tests each value once: a leaf's parts, a count and a copy of a tested value are not
  // tested again, a denominator (always positive) against the upper bound only, and a division
  // by a count (never negative) fixes no sign; a divisor that can be negative still does
  it('tests a pair\'s values once, and agrees on fractions, negatives, zero divisors and values past the safe range', () => {
    const { codegen: g, closures: c } = both(`${head('once', 'tested once')}
定义 标准「标准」 = 如果 household.area 是 城市 那么 600 元/月 否则 500 元/月
定义 可计收入「可计收入」 = 合计(成员.income_monthly)
定义 人均「人均」 = 可计收入 ÷ 人数(成员)
成员定义 特殊「特殊」 = 年龄 < 18
输出 gap「补差」 = 舍入到分((标准 − 人均) × 人数(成员) + 10% × (标准 − 人均) × 人数(特殊))
输出 under「低于」 = 人均 < 标准
输出 per_gap「比」 = 舍入到分(可计收入 ÷ (标准 − 可计收入))
`, 'once.policy');
    expect(g.mode).toBe('codegen');
    const fn = (name: string) => g.source!.split('\n').find((l) => l.startsWith(`function ${name}()`))! + g.source!.split(`function ${name}()`)[1]!.split('\nfunction ')[0];
    // under: 可计收入 · 1 < 标准 · (1 · 人数): one product tested (a denominator: its upper bound), no sign fix
    const below = fn('O1');
    expect(below.match(/<= 9007199254740991/g)).toHaveLength(2);
    expect(below).not.toContain('>= -9007199254740991');
    expect(below).not.toMatch(/t\d+ < 0 && \(/);
    // gap: over d (人均's) and 10·d (the 10% term's), the sum is over 10·d: n₁·10 + n₂, no cross products
    expect(fn('O0')).toMatch(/(t\d+) = 10 \* t\d+,.*roundPair\(t\d+, \1\)/);
    // d·人数 (÷ 人数), 标准·d, × 人数, 10·d, × 人数(特殊), n₁·10: six products (cross products would add d·10d, n₁·10d, n₂·d)
    expect(fn('O0').match(/ \* /g)).toHaveLength(6);
    // per_gap divides by 标准 − 可计收入, which may be negative: the sign is fixed
    expect(fn('O2')).toMatch(/t\d+ < 0 && \(/);
    const kid = { id: 'k', birth_date: '2010-01-01', income_monthly: 0.01, excluded_income_monthly: 0 };
    const big = (n: number) => Array.from({ length: n }, (_, i) => m(i, 999999999999));   // (the largest income allowed, 50 the most members)
    const runs: [unknown, boolean][] = [
      [{ ...hh('a', [100, 200]), members: [m(0, 100), m(1, 200), kid] }, true],
      [hh('b', [700]), false],
      [hh('c', [600]), false],
      [hh('d', [900000000000, 900000000000, 900000000000]), false],
      [{ ...hh('e', []), members: big(50) }, false],
      [hh('f', []), false],
    ];
    const seen = agreeing({ codegen: g, closures: c }, runs).map((b) => (b.ok ? [b.outputs['gap'], b.outputs['under'], b.outputs['per_gap']] : b.errors[0]!.message.en));
    // by hand, in fen (标准 60000; the ratio 比 is a number, rounded to two decimals):
    // a 可计收入 30001, 人均 30001/3, 补差 149999/3: ×3 = 149999, + 149999/30 (one member under 18)
    //   = 154998.97 → 154999; 30001 ÷ 29999 = 1.00007 → 1
    // b 70000: 补差 −10000 − 0 (no one under 18); 70000 ÷ −10000 = −7
    // c 60000: 60000 ÷ 0 faults
    // d 2.7e14: 补差 (180000 − 2.7e14)/3 × 3 = −269999999820000 (the 10% term's cross products
    //   leave the safe range: the generic code answers); 2.7e14 ÷ (60000 − 2.7e14) = −1.0000000002 → −1
    // e 50 × 99999999999900 = 4999999999995000, 补差 (3000000 − 4999999999995000) × 50 / 50
    //   (the product leaves the safe range) = −4999999996995000; the ratio −1.000000000012 → −1
    // f no members: refused before any evaluation
    expect(seen).toEqual([
      ['1549.99', true, 1],
      ['-100.00', false, -7],
      'division by zero',
      ['-2699999998200.00', false, -1],
      ['-49999999969950.00', false, -1],
      'needs at least 1 item(s)',
    ]);
  });
});
