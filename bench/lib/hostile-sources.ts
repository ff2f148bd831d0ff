// The hostile policy sources of issue 21, built in one place so the DSL regression tests
// (test/security/, which re-exports this file), the HTTP tests and the benchmarks replay the
// same inputs. Each is a complete policy file (header and `使用「common/household」`); the one of
// overlapping rules is meant to be refused by the checker (rule conflicts).

const header = (id: string) => `政策 ${id}「加固测试」
  项目「测试」
  辖区「测试」
  生效 2022-01-01
  使用「common/household」
`;

/** B2: `定义 dN = d(N−1) + d(N−1)`, n definitions after d0 = the household's rigid expenditure
 *  (元/月); output `total` = dn. With rigid_expenditure_monthly = 1.00, total = 2^n 元/月. */
export function doublingChain(n = 40): string {
  const lines = [header('doubling-chain'), '定义 d0 = household.rigid_expenditure_monthly'];
  for (let i = 1; i <= n; i++) lines.push(`定义 d${i} = d${i - 1} + d${i - 1}`);
  lines.push(`输出 total = d${n}`);
  return lines.join('\n') + '\n';
}

/** B3/B4: one output with n plain rules on the same subject, all pairwise overlapping:
 *  rule r_i applies when the household's distance is ≥ i (i = 1 … n), so every pair overlaps
 *  (both apply from max(i, j) on) and the checker reports n·(n−1)/2 conflicts. */
export function overlappingRules(n = 4000): string {
  const lines = [header('overlapping-rules'), '输出 amount ='];
  for (let i = 1; i <= n; i++) lines.push(`  规则 r${i} 依据「测试」: 当 household.distance_to_hq_km >= ${i} 时 ${i} 元/月`);
  lines.push('  否则 0 元/月');
  return lines.join('\n') + '\n';
}

/** A valid policy of about `bytes` characters (default 1 MB): many small definitions, each
 *  summed into one output, so every stage (lexer, parser, checker, compiler) sees all of it.
 *  Output `total` = n 元/月 where n is the number of definitions (each is 1 元/月). */
export function largeSource(bytes = 1_000_000): { source: string; definitions: number } {
  const lines = [header('large-source'), '参数 一元「一元」 = 1 元/月 依据「测试」'];
  let size = lines.join('\n').length;
  let n = 0;
  // each definition: 定义 v123「说明……」 = 一元 (padded with a label to make the file large)
  const label = '说明'.repeat(20);
  while (size < bytes - 200) {
    const line = `定义 v${n}「${label}」 = 一元`;
    lines.push(line);
    size += line.length + 1;
    n++;
  }
  // the sum in chunks of 50 (a deep left-leaning chain of n terms would be refused as too deep)
  const parts: string[] = [];
  for (let i = 0; i < n; i += 50) {
    const name = `s${i / 50}`;
    const terms = Array.from({ length: Math.min(50, n - i) }, (_, k) => `v${i + k}`);
    lines.push(`定义 ${name} = ${terms.join(' + ')}`);
    parts.push(name);
  }
  // and the chunk sums summed in a balanced tree, so nothing is deep
  let level = parts;
  let t = 0;
  while (level.length > 1) {
    const next: string[] = [];
    for (let i = 0; i < level.length; i += 50) {
      const name = `t${t++}`;
      lines.push(`定义 ${name} = ${level.slice(i, i + 50).join(' + ')}`);
      next.push(name);
    }
    level = next;
  }
  lines.push(`输出 total = ${level[0] ?? '0 元/月'}`);
  return { source: lines.join('\n') + '\n', definitions: n };
}
