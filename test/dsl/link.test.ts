// 引用: a policy reading another policy's results — syntax (both parsers, formatter), the
// checker (types through the callback, cycles with their chain, the version checked against,
// did-you-mean), evaluation (money decoded with the output's type, the caller's wiring fault)
// and the trace across the boundary. Expected values are worked out by hand in the comments.
import { describe, it, expect } from 'vitest';
import { analyze, compileSource, format, linkOrder, parse, type CompiledPolicy, type LinkedResult } from '../../dsl/index.js';
import { compiled, dibao, household, linked, linkedIds, modules, sources, subsidy } from './link-fixtures.js';
import { lex } from '../../dsl/syntax/scanner.js';
import { parseBothWays } from '../../dsl/syntax/parser.js';

describe('引用 syntax', () => {
  it('parses the link and the division code; both parsers agree', () => {
    const { ast, diagnostics } = parse(subsidy);
    expect(diagnostics).toEqual([]);
    expect(ast.header?.links?.map((l) => [l.policy.text, l.title, l.alias.text])).toEqual([['a-dibao', '低保', '低保']]);
    expect(parse(dibao).ast.header?.jurisdictionCode?.text).toBe('640202');
    for (const t of [dibao, subsidy]) {
      const r = parseBothWays(t, lex(t).tokens);
      expect(r.errors).toBe(0);
      expect(JSON.stringify(r.fast)).toBe(JSON.stringify(r.chevrotain));
    }
  });

  it('formats to the canonical form and back, in both languages', () => {
    const messy = subsidy.replace('引用 a-dibao「低保」 简称 低保', '引用   a-dibao 「低保」简称   低保').replace('辖区 640202「', '辖区   640202 「');
    const f = format(messy);
    expect(f).toContain('  引用 a-dibao「低保」 简称 低保\n');
    expect(format(f)).toBe(f);
    expect(format(dibao)).toContain('  辖区 640202「宁夏回族自治区石嘴山市大武口区」\n');
    const en = 'policy x "X"\n  jurisdiction 640000 "Ningxia"\n  effective 2022-01-01\n  link a-dibao "Dibao" as dibao\nuse "common/household"\noutput y "Y" = dibao.eligible source "s"\n';
    const fe = format(en);
    expect(fe).toContain('  jurisdiction 640000 "Ningxia"\n');
    expect(fe).toContain('  link a-dibao "Dibao" as dibao\n');
    expect(fe).toContain('dibao.eligible');
    expect(format(fe)).toBe(fe);
  });
});

describe('引用 checking', () => {
  it('types referenced outputs, reports the version checked against, lists uses and the code', () => {
    const a = analyze(subsidy, { modules, linked, linkedIds });
    expect(a.hasErrors).toBe(false);
    expect(a.info?.uses).toEqual(['a-dibao']);
    const note = a.diagnostics.find((d) => d.code === 'check.link-version');
    expect(note?.severity).toBe('info');
    expect(note?.message.zh).toBe('引用「a-dibao」按第 2 版检查');
    expect(analyze(dibao, { modules }).info?.jurisdiction_code).toBe('640202');
    expect(analyze(dibao, { modules }).info?.uses).toEqual([]);
  });

  it('a type error across the boundary is caught (money + bool)', () => {
    const bad = subsidy.replace('低保.monthly_amount + living', '低保.eligible + living');
    expect(analyze(bad, { modules, linked }).diagnostics.map((d) => d.code)).toContain('check.operand-types');
  });

  it('unknown policy, output and name get the nearest', () => {
    const p = analyze(subsidy.replace('引用 a-dibao', '引用 a-dibaa'), { modules, linked, linkedIds });
    const d1 = p.diagnostics.find((d) => d.code === 'check.link-unknown-policy');
    expect(d1?.message.en).toContain('did you mean "a-dibao"');
    const o = analyze(subsidy.replace('低保.eligible', '低保.eligble'), { modules, linked });
    const d2 = o.diagnostics.find((d) => d.code === 'check.link-unknown-output');
    expect(d2?.message.zh).toBe('被引用的政策「a-dibao」（第 2 版）没有家庭级输出「eligble」，是否应为「eligible」？');
    // a per-member output cannot be read across policies
    expect(analyze(subsidy.replace('低保.eligible', '低保.by_member > 0 元/月'), { modules, linked }).diagnostics.map((d) => d.code)).toContain('check.link-unknown-output');
    const n = analyze(subsidy.replace('低保.eligible', '低宝.eligible'), { modules, linked });
    expect(n.diagnostics.find((d) => d.code === 'check.link-unknown-alias')?.message.zh).toBe('「低宝」不是 引用 的简称，是否应为「低保」？');
  });

  it('without a way to read referenced policies, says so', () => {
    expect(analyze(subsidy, { modules }).diagnostics.map((d) => d.code)).toContain('check.link-unresolved');
  });

  it('rejects a cycle across policies with the chain', () => {
    const a = 'policy ca "A"\n  effective 2022-01-01\n  link cb "B" as b\nuse "common/household"\noutput x "X" = b.y source "s"\n';
    const b = 'policy cb "B"\n  effective 2022-01-01\n  link ca "A" as a\nuse "common/household"\noutput y "Y" = a.x source "s"\n';
    const cyc = { ca: { version: 1, source: a }, cb: { version: 3, source: b } } as Record<string, { version: number; source: string }>;
    const r = analyze(a, { modules, linked: (id) => cyc[id] });
    const d = r.diagnostics.find((x) => x.code === 'check.link-cycle');
    expect(d?.message.zh).toBe('政策之间循环引用：ca → cb → ca');
    expect(d?.message.en).toBe('Policies refer to each other in a cycle: ca → cb → ca');
    const self = 'policy cs "S"\n  effective 2022-01-01\n  link cs "S" as s\nuse "common/household"\noutput y "Y" = s.y source "s"\n';
    expect(analyze(self, { modules, linked: () => ({ version: 1, source: self }) }).diagnostics.find((x) => x.code === 'check.link-cycle')?.message.zh).toBe('政策之间循环引用：cs → cs');
  });
});

describe('linkOrder', () => {
  it('orders every policy after the ones it uses, else keeps the given order', () => {
    expect(linkOrder({ c: ['b'], b: ['a'], a: [], d: [] })).toEqual({ order: ['a', 'b', 'c', 'd'] });
    expect(linkOrder({ x: [], y: [] })).toEqual({ order: ['x', 'y'] });
    // a referenced id that is not listed is left out (the caller decides what a missing policy means)
    expect(linkOrder({ s: ['gone'] })).toEqual({ order: ['s'] });
  });
  it('gives the first cycle as a chain', () => {
    expect(linkOrder({ a: ['b'], b: ['c'], c: ['a'] })).toEqual({ cycle: ['a', 'b', 'c', 'a'] });
    expect(linkOrder({ a: ['a'] })).toEqual({ cycle: ['a', 'a'] });
  });
  it('a chain of 10,000 policies does not overflow the stack', () => {
    const uses: Record<string, string[]> = {};
    for (let i = 0; i < 10000; i++) uses[`p${i}`] = i === 9999 ? [] : [`p${i + 1}`];
    const r = linkOrder(uses);
    expect('order' in r && r.order[0]).toBe('p9999');
  });
});

describe('引用 evaluation', () => {
  const a = () => compiled(dibao);
  const b = () => compiled(subsidy);

  it('reads the referenced result: money "500.00" is 500 元 again', () => {
    const c = b();
    expect(c.uses).toEqual(['a-dibao']);
    expect(a().uses).toEqual([]);
    const r = c.evaluate(household, '2024-06-01', { linked: { 'a-dibao': { version: 2, outputs: { eligible: true, monthly_amount: '500.00' } } } });
    // living 110; top_up 500.00 + 110 = 610.00
    expect(r.ok && r.outputs).toEqual({ living: '110.00', top_up: '610.00' });
  });

  it('the referenced policy evaluated first gives the same household its answer', () => {
    // a-dibao: per-capita (300 + 500) / 2 = 400 < 650 → eligible; (650 − 400) × 2 = 500.00
    const ra = a().evaluate(household, '2024-06-01', { trace: true });
    expect(ra.ok && ra.outputs['monthly_amount']).toBe('500.00');
    const linkedResult: LinkedResult = { version: 2, outputs: ra.ok ? ra.outputs : {}, trace: ra.ok ? ra.trace : undefined };
    const rb = b().evaluate(household, '2024-06-01', { trace: true, linked: { 'a-dibao': linkedResult } });
    expect(rb.ok && rb.outputs['living']).toBe('110.00');
    // the trace names policy, version, output, value and the rule + citation that decided it there
    const entry = rb.ok ? rb.trace!.find((t) => t.output === 'living') : undefined;
    expect(entry?.decided_by.name).toBe('低保家庭');
    expect(entry?.linked).toEqual([{
      policy: 'a-dibao', version: 2, output: 'eligible', label: '符合', value: true,
      decided_by: expect.objectContaining({ kind: 'rule', name: '差额补助', sources: ['001 第一章第一节'] }),
      because: { zh: 'a-dibao.eligible = 是（规则 差额补助，001 第一章第一节）', en: 'a-dibao.eligible = yes (rule 差额补助, 001 第一章第一节)' },
    }]);
    expect(entry?.inputs.some((i) => i.path.includes('引用'))).toBe(false);
  });

  it('a missing or malformed referenced result is the caller\'s wiring fault', () => {
    const c = b();
    const none = c.evaluate(household, '2024-06-01');
    expect(none.ok).toBe(false);
    expect(!none.ok && none.fault?.code).toBe('evaluation.unlinked');
    expect(!none.ok && none.fault?.message.zh).toBe('缺少被引用政策「a-dibao」的结果：调用方应先评估它');
    const missing = c.evaluate(household, '2024-06-01', { linked: { 'a-dibao': { version: 2, outputs: { eligible: true } } } });
    expect(!missing.ok && missing.fault?.code).toBe('evaluation.unlinked');
    expect(!missing.ok && missing.fault?.message.en).toContain('monthly_amount');
    const badType = c.evaluate(household, '2024-06-01', { linked: { 'a-dibao': { version: 2, outputs: { eligible: 'yes', monthly_amount: '500.00' } } } });
    expect(!badType.ok && badType.fault?.code).toBe('evaluation.unlinked');
    expect(!badType.ok && badType.errors[0]!.path).toBe('linked.a-dibao');
  });

  it('a result with per-member outputs or a bad value gives the answer or error of the exact outputs', () => {
    // the household-level outputs alone are carried as given; with a per-member output they are
    // picked first; either way the same answer, and a bad value the full decoder's error
    const c = b();
    const exact = { eligible: true, monthly_amount: '500.00' };
    const withMember = { ...exact, by_member: ['300.00', '500.00'] };
    const r1 = c.evaluate(household, '2024-06-01', { linked: { 'a-dibao': { version: 2, outputs: exact } } });
    const r2 = c.evaluate(household, '2024-06-01', { linked: { 'a-dibao': { version: 2, outputs: withMember } } });
    expect(r1.ok && r1.outputs).toEqual({ living: '110.00', top_up: '610.00' });
    expect(JSON.stringify(r2)).toBe(JSON.stringify(r1));
    expect(exact).toEqual({ eligible: true, monthly_amount: '500.00' });   // the caller's object is not written to
    const bad = (outputs: Record<string, unknown>) => c.evaluate(household, '2024-06-01', { linked: { 'a-dibao': { version: 2, outputs } } });
    const e1 = bad({ eligible: true, monthly_amount: '500.123' }), e2 = bad({ eligible: true, monthly_amount: '500.123', by_member: [] });
    expect(!e1.ok && e1.fault?.code).toBe('evaluation.unlinked');
    expect(!e1.ok && e1.fault?.message.en).toContain('a-dibao.outputs.monthly_amount');
    expect(JSON.stringify(e2)).toBe(JSON.stringify(e1));
  });

  it('the household JSON Schema does not show the carried results', () => {
    const c = b();
    expect(Object.keys((c.jsonSchema() as { properties: object }).properties).some((k) => k.startsWith('引用'))).toBe(false);
  });

  it('closures and generated code agree', () => {
    const run = (mode: 'closures' | 'codegen') => {
      const c = compileSource(subsidy, { modules, linked, mode }).compiled!;
      return c.evaluate(household, '2024-06-01', { trace: true, linked: { 'a-dibao': { version: 2, outputs: { eligible: false, monthly_amount: '0.00' } } } });
    };
    const x = run('closures'), y = run('codegen');
    expect(x.ok && x.outputs).toEqual({ living: '0.00', top_up: '0.00' });
    expect(JSON.stringify(y)).toBe(JSON.stringify(x));
  });
});

describe('引用 in the editor', () => {
  it('completes and explains referenced outputs after the link\'s name', async () => {
    const { createLanguageService } = await import('../../dsl/index.js');
    const service = createLanguageService(modules, { linked, linkedIds });
    const line = subsidy.split('\n').findIndex((l) => l.includes('低保.eligible')) + 1;
    const col = subsidy.split('\n')[line - 1]!.indexOf('低保.eligible') + 1;
    const items = service.completions(subsidy, { line, column: col + 3 }).map((c) => c.label);
    // after `低保.`: a-dibao's household-level outputs, not its per-member one
    expect(items).toEqual(['eligible', 'monthly_amount']);
    expect(service.hover(subsidy, { line, column: col + 4 })?.contents).toContain('**eligible**「符合」');
    expect(service.hover(subsidy, { line, column: col })?.contents).toContain('**引用 a-dibao**「低保」');
  });
});
