// Hover on a decision table row: the row's name, its tests in interval notation ([80, 90)),
// its value and its citation, so an officer reads the row as the checker and the trace do.
import type * as A from '../syntax/ast.js';
import { rowName } from '../check/table-lower.js';
import { say, citationsText, type Lang } from './lang.js';

const policyText = { unique: ['唯一', 'unique'], first: ['首个', 'first'], sum: ['合计', 'sum'] } as const;

/** The hover text of the table row at `offset`, or null when no row is there. */
export function tableRowHover(ast: A.PolicyFile, source: string, offset: number, lang: Lang): string | null {
  for (const d of ast.decls) {
    if (d.kind === 'Param' || !d.body.table) continue;
    const t = d.body.table;
    const i = t.rows.findIndex((r) => r.range.start.offset <= offset && offset < r.range.end.offset);
    if (i < 0) continue;
    const r = t.rows[i]!;
    const slice = (e: A.Expr) => source.slice(e.range.start.offset, e.range.end.offset);
    const tests = r.cells.map((c, k) => {
      const col = t.columns[k]?.text ?? '?';
      if (c.kind === 'any') return `${col}${say(lang, '：任意', ': any')}`;
      if (c.kind === 'values') return `${col} = ${c.values.map(slice).join(say(lang, ' 或 ', ' or '))}`;
      const lo = c.lower ? slice(c.lower.value) : '-∞', hi = c.upper ? slice(c.upper.value) : '+∞';
      return `${col} ∈ ${c.lower?.inclusive ? '[' : '('}${lo}, ${hi}${c.upper?.inclusive ? ']' : ')'}`;
    });
    const [zh, en] = policyText[t.policy];
    const lines = [`**${r.name?.text ?? rowName(t, i)}**${say(lang, `（决策表 ${zh}，${d.name.text}）`, ` (decision table, ${en}; ${d.name.text})`)}`, ...tests, `→ ${slice(r.result)}`];
    if (r.sources.length) lines.push(`${say(lang, '依据', 'source')}: ${citationsText(lang, r.sources.map((s) => s.text))}`);
    return lines.join('\n\n');
  }
  return null;
}
