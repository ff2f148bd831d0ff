// The run's outputs writer (runtime/services/monitor/outputs-json.ts) writes exactly the canonical
// JSON every decision stores: by hand for a programme's outputs, then against canonicalJson for
// key orders, nested values, skipped members and a programme whose keys change.
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../runtime/services/canonical-json.js';
import { OutputsJson } from '../../runtime/services/monitor/outputs-json.js';

describe('monitoring outputs as canonical JSON', () => {
  it('writes a programme\'s outputs with sorted keys, nested maps sorted too', () => {
    const w = new OutputsJson();
    const o = { eligible: true, standard: '650.00', monthly_amount: '694.00', by_member: { m2: '1.00', m1: '0.00' }, recipients: ['m1'], until: null };
    const text = '{"by_member":{"m1":"0.00","m2":"1.00"},"eligible":true,"monthly_amount":"694.00","recipients":["m1"],"standard":"650.00","until":null}';
    expect(w.text('p', o)).toBe(text);
    // the second household of the same programme (its key list remembered)
    expect(w.text('p', { ...o, eligible: false })).toBe(text.replace('"eligible":true', '"eligible":false'));
  });

  it('equals canonicalJson whatever the keys, values and order', () => {
    const w = new OutputsJson();
    const cases: Record<string, unknown>[] = [
      {},
      { b: 1, a: 2 },
      { a: 2, b: 1 },
      { b: 1, a: 2, c: undefined, d: () => 1 },
      { z: [1, undefined, null, { y: 1, x: [{ q: 1, p: 2 }] }], 名称: '低保', A: 'upper', _: -0, n: 1.5e-7 },
      { 'a"b': 'quo"te\n', 'é': 'é', '\u2028': '\u2028' },
      { b: 1 },
      { b: 1, a: 2 },
    ];
    for (const c of cases) expect(w.text('same-programme', c)).toBe(canonicalJson(c));
    for (const c of cases) expect(w.text(`own-${Object.keys(c).length}`, c)).toBe(canonicalJson(c));
  });
});
