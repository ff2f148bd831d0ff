// The hover text of a name, from what the middle form knows of it: a declaration's level
// (household or member), its rules in the order they are decided with their citations, its
// folded constant; a parameter's value and legal range; a field's type. One language per text.
import type { Middle, Decl, Clause } from '../middle/index.js';
import { constOf } from '../middle/index.js';
import type { FieldInfo, LinkTarget, Type } from '../check/types.js';
import { typeText } from '../check/types.js';
import { showValue } from '../eval/show-value.js';
import type { Meaning } from './meaning-at.js';
import { say, quoted, labelIn, someOf, citationsText, type Lang } from './lang.js';

/** At most this many clauses listed in a hover (a decision table can have thousands of rows). */
const MAX_CLAUSES = 12;

export function describe(m: Middle, it: Meaning, lang: Lang): string {
  switch (it.kind) {
    case 'decl': return declText(m, it.decl, lang);
    case 'param': return paramText(m, it.index, lang);
    case 'clause': return clauseText(it.decl, it.clause, lang);
    case 'field': return fieldText(it.fields, it.bare, lang);
    case 'link': return linkText(it.link, lang);
    case 'enum': return enumText(m.program.types.get(it.expr), it.value, lang);
  }
}

function declText(m: Middle, d: Decl, lang: Lang): string {
  const member = d.level === 'member';
  const what = d.kind === 'def'
    ? (member ? say(lang, '成员定义', 'member definition') : say(lang, '定义', 'definition'))
    : (member ? say(lang, '成员输出', 'member output') : say(lang, '输出', 'output'));
  const lines = [
    `**${what} ${d.name}**${quoted(lang, d.label, d.labelEn)}`,
    `${say(lang, '类型', 'type')}: ${typeText(d.type)[lang]}`,
    `${say(lang, '层级', 'level')}: ${member ? say(lang, '成员（每名成员一个值）', 'member (one value per member)') : say(lang, '家庭（每户一个值）', 'household (one value per household)')}`,
  ];
  if (d.body.kind === 'expr') {
    const k = constOf(m, d.body.expr);
    if (k) lines.push(`${say(lang, '值', 'value')}: **${valueText(k.v, d.type, lang)}**`);
    if (d.citations.length) lines.push(`${say(lang, '依据', 'source')}: ${citationsText(lang, d.citations)}`);
    return lines.join('\n\n');
  }
  const b = d.body;
  const listed = b.order.slice(0, MAX_CLAUSES).map((i, n) => `${n + 1}. ${clauseLine(b.clauses, b.clauses[i]!, lang)}`);
  if (b.order.length > MAX_CLAUSES) listed.push(say(lang, `…… 另有 ${b.order.length - MAX_CLAUSES} 条`, `… ${b.order.length - MAX_CLAUSES} more`));
  if (b.otherwise) listed.push(`${b.order.length + 1}. ${say(lang, '否则', 'otherwise')}${cited(b.otherwiseCitations, lang)}`);
  lines.push(`${say(lang, '规则（按优先顺序）', 'rules, in priority order')}:\n${listed.join('\n')}`);
  return lines.join('\n\n');
}

/** `例外 渐退期 — 依据「002 第一条」`, and for a clause others override, which ones. */
function clauseLine(clauses: Clause[], c: Clause, lang: Lang): string {
  const unless = overriders(clauses, c, lang);
  return `${clauseName(c, lang)}${cited(c.citations, lang)}${unless ? say(lang, `（${unless}）`, ` (${unless})`) : ''}`;
}

const clauseName = (c: Clause, lang: Lang) => `${c.kind === 'exception' ? say(lang, '例外', 'exception') : say(lang, '规则', 'rule')} ${c.name}`;

/** `除非 渐退期 适用` / `unless 渐退期 applies`, or '' when nothing overrides the clause. */
function overriders(clauses: Clause[], c: Clause, lang: Lang): string {
  const by = c.overriddenBy.map((j) => clauses[j]!.name);
  return by.length ? say(lang, `除非 ${someOf(lang, by)} 适用`, `unless ${someOf(lang, by)} applies`) : '';
}

function clauseText(d: Decl, c: Clause, lang: Lang): string {
  const lines = [`**${clauseName(c, lang)}** · ${d.name}`];
  if (c.citations.length) lines.push(`${say(lang, '依据', 'source')}: ${citationsText(lang, c.citations)}`);
  const unless = d.body.kind === 'rules' ? overriders(d.body.clauses, c, lang) : '';
  if (unless) lines.push(unless);
  return lines.join('\n\n');
}

const cited = (cs: string[], lang: Lang) => (cs.length ? ` — ${say(lang, '依据', 'source: ')}${citationsText(lang, cs)}` : '');

function paramText(m: Middle, index: number, lang: Lang): string {
  const p = m.program.params[index]!, info = m.program.info.parameters[index]!;
  const lines = [
    `**${say(lang, '参数', 'parameter')} ${info.name}**${quoted(lang, info.label, info.labelEn)}`,
    `${say(lang, '类型', 'type')}: ${typeText(p.type)[lang]}`,
    `${say(lang, '当前值', 'value')}: **${valueText(p.value, p.type, lang)}**`,
  ];
  if (info.min !== null) lines.push(`${say(lang, '法定范围', 'legal range')}: [${info.min}, ${info.max}]`);
  if (info.sources.length) lines.push(`${say(lang, '依据', 'source')}: ${citationsText(lang, info.sources)}`);
  if (info.assumed) lines.push(`⚠ ${say(lang, '假定', 'assumed')}: ${info.assumed}`);
  return lines.join('\n\n');
}

/** A constant as an officer reads it; an amount with its period (650 元/月). */
function valueText(v: unknown, t: Type, lang: Lang): string {
  if (t.k !== 'money') return showValue(v, t, 'exact')[lang];
  const amount = showValue(v, { k: 'money', p: 'none' }, 'exact')[lang];
  return t.p === 'none' ? amount : `${amount}${t.p === 'month' ? say(lang, '/月', '/month') : say(lang, '/年', '/year')}`;
}

function fieldText(fields: FieldInfo[], bare: boolean, lang: Lang): string {
  const f = fields[fields.length - 1]!;
  const name = bare ? `${say(lang, '成员', 'member')}.${f.name}` : f.name;
  const required = !bare && f.required ? say(lang, '（必填）', ' (required)') : '';
  return `**${name}**${quoted(lang, f.label, f.labelEn)}\n\n${say(lang, '类型', 'type')}: ${fieldTypeText(f, lang)}${required}`;
}

function linkText(link: LinkTarget, lang: Lang): string {
  const outputs = link.outputs.fields.map((f) => f.name);
  return say(lang,
    `**引用 ${link.policy}**「${link.title}」\n\n第 ${link.version} 版：${outputs.join('、')}`,
    `**link ${link.policy}** "${link.title}"\n\nversion ${link.version}: ${outputs.join(', ')}`);
}

function enumText(t: Type | undefined, value: string, lang: Lang): string {
  const v = t?.k === 'enum' ? t.values.find((x) => x.name === value) : undefined;
  const label = v && labelIn(lang, v.label, v.labelEn) !== value ? quoted(lang, v.label, v.labelEn) : '';
  const of = t?.k === 'enum' && t.name ? say(lang, `枚举 ${t.name} 的值`, `a value of enum ${t.name}`) : say(lang, '枚举值', 'an enum value');
  return `**${value}**${label}\n\n${of}`;
}

/** A schema field's type in one language. */
export function fieldTypeText(f: FieldInfo, lang: Lang): string {
  switch (f.type.k) {
    case 'money': return f.type.p === 'month' ? say(lang, '金额/月', 'money/month') : f.type.p === 'year' ? say(lang, '金额/年', 'money/year') : say(lang, '金额', 'money');
    case 'enum': return `${say(lang, '枚举', 'enum')}(${f.type.values.map((v) => `${v.name}${labelIn(lang, v.label, v.labelEn) === v.name ? '' : quoted(lang, v.label, v.labelEn)}`).join(', ')})`;   // urban "urban" says nothing
    case 'list': return `${say(lang, '列表', 'list')}(${f.type.of.name})`;
    case 'record': return f.type.of.name;
    default: {
      const names: Record<string, [string, string]> = { text: ['文本', 'text'], bool: ['布尔', 'bool'], number: ['数', 'number'], integer: ['整数', 'integer'], date: ['日期', 'date'], textlist: ['文本列表', 'text list'] };
      const n = names[f.type.k];
      return n ? say(lang, n[0], n[1]) : f.type.k;
    }
  }
}
