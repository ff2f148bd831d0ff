// A 1 MB policy (issue 21's third hostile source) is checked and compiled in linear time; past
// CODEGEN_MAX_SOURCE it compiles to closures, which give the same values (dsl-backends-agree).
import { describe, it, expect } from 'vitest';
import { compileSource } from '../../dsl/index.js';
import { CODEGEN_MAX_SOURCE } from '../../dsl/backends/index.js';
import { modules, household } from './dsl-policy.js';
import { largeSource } from './hostile-sources.js';

describe('a 1 MB policy', () => {
  it('compiles (to closures) and sums every definition', () => {
    const { source, definitions } = largeSource(1_000_000);
    expect(source.length).toBeGreaterThan(CODEGEN_MAX_SOURCE);
    const r = compileSource(source, { modules, mode: 'codegen' });
    expect(r.diagnostics).toEqual([]);
    expect(r.compiled!.mode).toBe('closures');
    // each definition is 1 元/月
    expect(r.compiled!.evaluate(household(), '2024-06-01')).toEqual({ ok: true, outputs: { total: `${definitions}.00` }, assumptions: [] });
  });
  it('a policy under the limit still compiles to generated code', () => {
    const { source, definitions } = largeSource(100_000);
    const r = compileSource(source, { modules, mode: 'codegen' });
    expect(r.compiled!.mode).toBe('codegen');
    expect(r.compiled!.evaluate(household(), '2024-06-01')).toEqual({ ok: true, outputs: { total: `${definitions}.00` }, assumptions: [] });
  });
});
