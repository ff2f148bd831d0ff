// Helpers the DSL regression tests share: a policy around a body of declarations, and the
// common household module the shipped policies use.
import { readFileSync } from 'node:fs';
import { compileSource, analyze } from '../../dsl/index.js';
import { compile, type CompiledPolicy } from '../../dsl/backends/index.js';

export const modules = { 'common/household': readFileSync('policies/common/household.policy', 'utf8') };

/** A complete policy file around `body` (declarations). */
export function policy(body: string, id = 'hardening'): string {
  return `政策 ${id}「加固测试」
  项目「测试」
  辖区「测试」
  生效 2022-01-01
  使用「common/household」

${body}
`;
}

/** The policy compiled in both modes; throws with the diagnostics when it does not compile. */
export function bothModes(source: string, extra: Omit<Parameters<typeof compileSource>[1], 'modules'> = {}): { closures: CompiledPolicy; codegen: CompiledPolicy } {
  const r = compileSource(source, { modules, ...extra });
  if (!r.compiled) throw new Error(JSON.stringify(r.diagnostics.map((d) => `${d.range.start.line} ${d.code} ${d.message.en}`)));
  return { closures: compile(r.compiled.program, { mode: 'closures' }), codegen: compile(r.compiled.program, { mode: 'codegen' }) };
}

export const analyzeWith = (source: string) => analyze(source, { modules });

/** A household of one adult member. */
export function household(extra: Record<string, unknown> = {}, members: Record<string, unknown>[] = [{ id: 'm1', birth_date: '1980-01-01' }]) {
  return { id: 'h1', area: 'urban', members, ...extra };
}
