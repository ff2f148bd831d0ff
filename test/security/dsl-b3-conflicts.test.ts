// B3/B4: rule-conflict checking compared every pair of rules (4,000 rules blocked the server for
// 29 s) and reported one error per overlapping pair, uncapped (1,500 rules gave 1.12M
// diagnostics, 378 MB). Pairs are now counted by sorting, at most LIST_PER_CODE (20) of a code
// are listed, and one `diag.more` counts the rest.
import { describe, it, expect } from 'vitest';
import { analyzeWith, policy } from './dsl-policy.js';
import { overlappingRules } from './hostile-sources.js';

const codes = (ds: { code: string }[]) => ds.reduce<Record<string, number>>((m, d) => ({ ...m, [d.code]: (m[d.code] ?? 0) + 1 }), {});

describe('B3/B4: overlapping rules', () => {
  it('4,000 overlapping rules: 20 conflicts listed and the other 7,997,980 counted', () => {
    // rule r_i applies from distance i on: every pair overlaps, 4000 × 3999 / 2 = 7,998,000 pairs
    const a = analyzeWith(overlappingRules(4000));
    expect(codes(a.diagnostics)).toEqual({ 'check.rule-conflict': 20, 'diag.more': 1 });
    const more = a.diagnostics.find((d) => d.code === 'diag.more')!;
    expect(more.more).toEqual({ code: 'check.rule-conflict', count: 7_998_000 - 20 });
    expect(more.message.zh).toContain('7997980');
    expect(more.message.en).toContain('7997980 more "check.rule-conflict"');
    expect(a.hasErrors).toBe(true);
  });

  // rules on bands [i, i+9] of the distance: two bands overlap when |i − j| ≤ 9
  const bands = (n: number) => policy(['输出 amount ='].concat(Array.from({ length: n }, (_, k) => {
    const i = k + 1;
    return `  规则 r${i} 依据「测试」: 当 household.distance_to_hq_km >= ${i} 并且 household.distance_to_hq_km <= ${i + 9} 时 ${i} 元/月`;
  })).concat(['  否则 0 元/月']).join('\n'));
  const total = (src: string) => {
    const ds = analyzeWith(src).diagnostics;
    const listed = ds.filter((d) => d.code === 'check.rule-conflict').length;
    return listed + (ds.find((d) => d.code === 'diag.more')?.more?.count ?? 0);
  };
  it('100 bands (counted by sorting): Σ_{d=1..9} (100 − d) = 855 overlapping pairs', () => {
    expect(total(bands(100))).toBe(855);
  });
  it('60 bands (compared pair by pair): Σ_{d=1..9} (60 − d) = 495 overlapping pairs', () => {
    expect(total(bands(60))).toBe(495);
  });
  it('90 rules on two areas, 45 each: 2 × (45 × 44 / 2) = 1,980 overlapping pairs', () => {
    const src = policy(['输出 amount ='].concat(Array.from({ length: 90 }, (_, k) =>
      `  规则 r${k} 依据「测试」: 当 household.area 是 ${k % 2 ? '城市' : '农村'} 时 ${k} 元/月`)).concat(['  否则 0 元/月']).join('\n'));
    expect(total(src)).toBe(1980);
  });
  it('disjoint bands give no conflict at all', () => {
    const src = policy(['输出 amount ='].concat(Array.from({ length: 200 }, (_, k) =>
      `  规则 r${k} 依据「测试」: 当 household.distance_to_hq_km >= ${k * 10} 并且 household.distance_to_hq_km < ${k * 10 + 10} 时 ${k} 元/月`)).concat(['  否则 0 元/月']).join('\n'));
    expect(analyzeWith(src).diagnostics).toEqual([]);
  });
});
