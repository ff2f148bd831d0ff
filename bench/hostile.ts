// The hostile policy sources of issue 21 (B2–B5), written once for the hardening bench and the
// test/security tests: each is valid policy text whose cost was out of proportion to its size.

const header = (id: string) => `政策 ${id}「压力测试」\n  项目「测试」\n  辖区「测试区」\n  使用「common/household」\n\n`;

/** B2: `定义 dN = d(N−1) + d(N−1)`: inlining doubles the generated code per line. */
export function doublingChain(n = 40, id = 'hostile'): string {
  const lines = ['定义 d0 = 1 元/月'];
  for (let i = 1; i <= n; i++) lines.push(`定义 d${i} = d${i - 1} + d${i - 1}`);
  return `${header(id)}${lines.join('\n')}\n\n输出 amount「金额」 = d${n}\n`;
}

/** B5: a long chain of definitions, each using the one before (deep recursion when compiled). */
export function longChain(n = 5000, id = 'hostile'): string {
  const lines = ['定义 d0 = 1 元/月'];
  for (let i = 1; i <= n; i++) lines.push(`定义 d${i} = d${i - 1} + 1 元/月`);
  return `${header(id)}${lines.join('\n')}\n\n输出 amount「金额」 = d${n}\n`;
}

/** B3/B4: `n` rules of one output whose conditions all overlap (every pair is a conflict). */
export function overlappingRules(n = 4000, id = 'hostile'): string {
  const rules: string[] = [];
  for (let i = 1; i <= n; i++) rules.push(`  规则 r${i} 依据「测试」:\n    当 人数(成员) > ${i % 7} 时 ${i} 元/月`);
  return `${header(id)}输出 amount「金额」 =\n${rules.join('\n')}\n  否则 0 元/月\n`;
}

/** A source of about `bytes` (default 1 MB): many parameters and definitions, each used once. */
export function largeSource(bytes = 1 << 20, id = 'hostile'): string {
  const lines: string[] = [];
  let size = Buffer.byteLength(header(id));
  for (let i = 0; size < bytes - 200; i++) {
    const line = i % 2 === 0 ? `参数 p${i}「参数${i}」 = ${i % 1000} 元/月 依据「测试文件 第${i}条」` : `定义 q${i} = p${i - 1} + 1 元/月`;
    lines.push(line);
    size += Buffer.byteLength(line) + 1;
  }
  return `${header(id)}${lines.join('\n')}\n\n输出 amount「金额」 = 0 元/月\n`;
}

/** The sources the bench and the tests send; `id` makes the text differ (so no cache answers). */
export const HOSTILE: { name: string; source: (id?: string) => string }[] = [
  { name: '40-definition doubling chain', source: (id) => doublingChain(40, id) },
  { name: '4,000 overlapping rules', source: (id) => overlappingRules(4000, id) },
  { name: '1 MB source', source: (id) => largeSource(1 << 20, id) },
  { name: '5,000 chained definitions', source: (id) => longChain(5000, id) },
];
