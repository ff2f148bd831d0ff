// The checker: a driver over the passes (Catala's desugaring: names resolved, types and levels
// known). names.ts (header, schemas, declared names) → declarations.ts (each declaration once,
// cycles) with infer.ts (types, via type-rules.ts for units and periods; levels.ts for member vs
// household), ranges.ts (parameter ranges, tier brackets), priorities.ts (exceptions,
// exclusivity) → unused.ts (too deep, unused names) → dependencies.ts (for the trace) → info.ts.
// It never throws; it returns a Program the compiler can trust when no error was reported, and
// diagnostics either way.
import type * as A from '../syntax/ast.js';
import type { Diagnostic } from '../base/diagnostics.js';
import type { Program } from './types.js';
import { CheckState } from './state.js';
import { checkHeaderAndSchemas, declareSymbols } from './names.js';
import { installDeclarations, checkDecl } from './declarations.js';
import { reportMoreConflicts } from './priorities.js';
import { reportTooDeep, reportUnused } from './unused.js';
import { collectDependencies } from './dependencies.js';
import { policyInfo } from './info.js';
import { prepareLinks, type LinkOptions } from './linked.js';
import { lowerTables } from './table-lower.js';

export { fieldTypeToType, unify } from './type-rules.js';
export { showConst } from './info.js';

export interface CheckResult { program?: Program; diagnostics: Diagnostic[] }

export function check(written: A.PolicyFile, modules: Map<string, A.PolicyFile> = new Map(), linkOpts: LinkOptions = {}): CheckResult {
  // decision tables become rules (or a sum) before any pass reads the declarations (table-lower.ts)
  const ast = lowerTables(written);
  const cx = new CheckState();
  checkHeaderAndSchemas(cx, ast, modules);
  // 引用: referenced policies' outputs join the household as one record per link (linked.ts)
  cx.links = prepareLinks(ast, cx.household, modules, linkOpts, (code, range, args) => cx.err(code, range, args), (d) => cx.diagnostics.push(d));
  cx.household = cx.links.household;
  declareSymbols(cx, ast.decls);
  installDeclarations(cx);
  for (const s of cx.symbols.values()) checkDecl(cx, s);
  reportMoreConflicts(cx);
  reportTooDeep(cx);
  reportUnused(cx);
  collectDependencies(cx);

  const { diagnostics, household, params, defs, memberDefs, outputs, types, resolutions, overrides } = cx;
  const info = policyInfo(ast.header, params, outputs);
  const hasErrors = diagnostics.some((d) => d.severity === 'error');
  const program: Program = { ast, info, household, params, defs, memberDefs, outputs, types, resolutions, overrides, links: cx.links.links };
  return { program: hasErrors ? undefined : program, diagnostics, ...(hasErrors ? { partial: program } : {}) } as CheckResult & { partial?: Program };
}
