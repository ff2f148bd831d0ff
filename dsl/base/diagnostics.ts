// Diagnostics are data: every stage collects them and carries on. Codes are stable (tests and
// docs refer to them); every message lives in the one registry below, in Chinese and English.

export interface Position { line: number; column: number; offset: number }
export interface Range { start: Position; end: Position }
export type Severity = 'error' | 'warning' | 'info';
export interface Message { zh: string; en: string }
export interface Diagnostic {
  range: Range; severity: Severity; code: string; message: Message; file?: string;
  /** On a `diag.more` summary only: the code it stands for and how many it stands for. */
  more?: { code: string; count: number };
}

/** A message argument: a name or number (the same in both languages), or words with a Chinese
 *  and an English form (each message is filled with its own language's). */
type Args = Record<string, string | number | Message>;
type Template = { severity: Severity; zh: string; en: string };

const registry = {
  'syntax.unexpected-character': { severity: 'error', zh: '无法识别的字符「{text}」', en: 'Unexpected character "{text}"' },
  'syntax.bidi-control': { severity: 'error', zh: '源文件含有双向文本控制字符 U+{code}，它会让显示的代码与实际代码不同：请删除', en: 'The source contains the bidirectional control character U+{code}, which makes code display differently from what it is: remove it' },
  'syntax.invisible-character': { severity: 'error', zh: '此处有不可见字符 U+{code}：请删除', en: 'Invisible character U+{code} here: remove it' },
  'syntax.mixed-script': { severity: 'error', zh: '名称「{name}」混用了{scriptsZh}字母，容易与外形相同的名称混淆：请只用一种文字', en: 'Name "{name}" mixes {scriptsEn} letters, which look alike: write it in one script' },
  'syntax.grammar': { severity: 'error', zh: '语法错误：{detail}', en: 'Syntax error: {detail}' },
  'syntax.joined-keyword': { severity: 'error', zh: '关键字「{keyword}」与名称「{name}」连写了：请在两者之间加空格', en: 'The keyword "{keyword}" ({keywordEn}) is written against the name "{name}": put a space between them' },
  'check.missing-header': { severity: 'error', zh: '政策文件应以「政策 编号「标题」」开头', en: 'A policy file must start with `policy <id> "<title>"`' },
  'check.bad-policy-id': { severity: 'error', zh: '政策编号「{id}」只能包含小写字母、数字和连字符', en: 'Policy id "{id}" may contain only lowercase letters, digits and hyphens' },
  'syntax.too-deep': { severity: 'error', zh: '表达式嵌套过深（超过 {limit} 层）：请拆成几个定义', en: 'Expression nested too deeply (more than {limit} levels): split it into several definitions' },
  'check.bad-date': { severity: 'error', zh: '日期 {text} 不存在', en: 'Date {text} does not exist' },
  'check.unknown-name': { severity: 'error', zh: '未定义的名称「{name}」{hint_zh}', en: 'Unknown name "{name}"{hint_en}' },
  'check.unknown-field': { severity: 'error', zh: '{owner} 没有字段「{name}」{hint_zh}', en: '{owner} has no field "{name}"{hint_en}' },
  'check.unknown-module': { severity: 'error', zh: '找不到模块「{name}」', en: 'Module "{name}" not found' },
  'check.no-schema': { severity: 'error', zh: '未引入家庭模式：请加上 使用「common/household」', en: 'No household schema: add use "common/household"' },
  'check.duplicate-name': { severity: 'error', zh: '名称「{name}」重复定义', en: 'Name "{name}" is defined more than once' },
  'check.type-mismatch': { severity: 'error', zh: '类型不符：需要{expected}，实际是{actual}', en: 'Type mismatch: expected {expected}, got {actual}' },
  'check.arity': { severity: 'error', zh: '「{fn}」需要 {expected} 个参数，这里有 {actual} 个', en: '"{fn}" takes {expected} argument(s), not {actual}' },
  'check.operand-types': { severity: 'error', zh: '「{op}」不能用于{left}和{right}', en: '"{op}" cannot combine {left} and {right}' },
  'check.period-mismatch': { severity: 'error', zh: '周期不一致：{left} 与 {right} 不能直接运算，请用 按月(…) 或 按年(…) 换算', en: 'Period mismatch: {left} and {right} cannot be combined; convert with monthly(…) or yearly(…)' },
  'check.cycle': { severity: 'error', zh: '循环定义：{path}', en: 'Circular definition: {path}' },
  'check.out-of-range': { severity: 'error', zh: '参数「{name}」的值 {value} 超出法定范围 [{min}, {max}]', en: 'Parameter "{name}" = {value} is outside its legal range [{min}, {max}]' },
  'check.range-order': { severity: 'error', zh: '范围下限大于上限', en: 'Range lower bound is greater than its upper bound' },
  'check.unused-definition': { severity: 'warning', zh: '「{name}」已定义但从未使用', en: '"{name}" is defined but never used' },
  'check.unused-parameter': { severity: 'warning', zh: '参数「{name}」从未使用', en: 'Parameter "{name}" is never used' },
  'check.member-context': { severity: 'error', zh: '「{name}」是成员级的值，只能在成员定义或 合计/人数 等汇总中使用', en: '"{name}" is a member-level value: use it in a member definition or inside an aggregate (sum, count, …)' },
  'check.aggregate-nested': { severity: 'error', zh: '汇总不能嵌套在成员级表达式中', en: 'An aggregate cannot be nested inside a member-level expression' },
  'check.rule-conflict': { severity: 'error', zh: '规则「{a}」与「{b}」可能同时适用且没有优先关系：请把其中一条写成 例外', en: 'Rules "{a}" and "{b}" may both apply and neither has priority: make one an exception' },
  'check.exception-without-rule': { severity: 'error', zh: '例外「{name}」没有可以优先的规则', en: 'Exception "{name}" has no rule to override' },
  'check.exception-unknown-rule': { severity: 'error', zh: '例外「{name}」优先于的规则「{target}」不存在', en: 'Exception "{name}" overrides "{target}", which does not exist' },
  'check.output-undefined-path': { severity: 'error', zh: '输出「{name}」在所有规则都不适用时没有值：请加上 否则 …', en: 'Output "{name}" has no value when no rule applies: add otherwise …' },
  'check.tier-overlap': { severity: 'error', zh: '分档区间重叠：{a} 与 {b}', en: 'Tier brackets overlap: {a} and {b}' },
  'check.tier-gap': { severity: 'warning', zh: '分档区间之间有空档：{a} 与 {b} 之间的值没有对应档次（将取 否则 的值）', en: 'Gap between tier brackets {a} and {b} (values there fall to otherwise)' },
  'check.tier-bound': { severity: 'error', zh: '分档边界必须是常量', en: 'Tier bounds must be constants' },
  'check.not-constant': { severity: 'error', zh: '参数的值必须是常量', en: 'A parameter value must be a constant' },
  'check.enum-value': { severity: 'error', zh: '「{name}」不是{enum}的取值（可选：{values}）', en: '"{name}" is not a value of {enum} (one of: {values})' },
  'check.missing-source': { severity: 'warning', zh: '规则「{name}」没有注明依据', en: 'Rule "{name}" cites no source' },
  'check.confusable-name': { severity: 'error', zh: '名称「{name}」与「{other}」外形相同但字符不同：请改用一眼能区分的名称', en: 'Name "{name}" looks the same as "{other}" but is made of other letters: choose names that can be told apart' },
  'check.too-deep': { severity: 'error', zh: '「{name}」依赖的定义链过深（计算深度超过 {limit} 层）：请减少定义之间层层引用', en: 'The chain of definitions behind "{name}" is too deep (evaluation depth over {limit}): reduce how deeply definitions refer to definitions' },
  'check.rules-too-many': { severity: 'error', zh: '输出「{name}」的规则过多，无法逐对检查冲突（已比较 {budget} 对后停止）：请用 例外 写明优先关系，或拆分输出', en: 'Output "{name}" has too many rules to compare pair by pair (stopped after {budget} pairs): make priorities explicit with exceptions, or split the output' },
  'check.link-cycle': { severity: 'error', zh: '政策之间循环引用：{chain}', en: 'Policies refer to each other in a cycle: {chain}' },
  'check.link-unresolved': { severity: 'error', zh: '无法检查 引用 {id}：调用方没有提供被引用的政策', en: 'Cannot check link {id}: the caller gave no way to read referenced policies' },
  'check.link-unknown-policy': { severity: 'error', zh: '引用的政策「{id}」不存在或在评估日不生效{hint_zh}', en: 'Linked policy "{id}" does not exist or is not in force{hint_en}' },
  'check.link-errors': { severity: 'error', zh: '被引用的政策「{id}」第 {version} 版有错误：{first}', en: 'Linked policy "{id}" version {version} has errors: {first}' },
  'check.link-unknown-output': { severity: 'error', zh: '被引用的政策「{id}」（第 {version} 版）没有家庭级输出「{name}」{hint_zh}', en: 'Linked policy "{id}" (version {version}) has no household-level output "{name}"{hint_en}' },
  'check.link-unknown-alias': { severity: 'error', zh: '「{name}」不是 引用 的简称{hint_zh}', en: '"{name}" is not the name of a link{hint_en}' },
  'check.link-version': { severity: 'info', zh: '引用「{id}」按第 {version} 版检查', en: '"{id}" checked against version {version}' },
  'evaluation.unlinked': { severity: 'error', zh: '缺少被引用政策「{id}」的结果：调用方应先评估它', en: 'No result for linked policy "{id}": the caller must evaluate it first' },
  'check.table-gap': { severity: 'error', zh: '{exampleZh}：没有一行匹配（请补上这种情形的行，或加 否则）', en: '{exampleEn}: no row matches (add a row for it, or otherwise)' },
  'check.table-overlap': { severity: 'error', zh: '{exampleZh}：{a} 与 {b} 都匹配（唯一命中的决策表各行不能重叠；要按行序取先写的一行，请写 首个）', en: '{exampleEn}: both {a} and {b} match (the rows of a unique table must not overlap; write first to let row order decide)' },
  'check.table-unreachable-row': { severity: 'warning', zh: '{row} 永远不会被用到：它的情形已被前面的行覆盖，或它的条件不可能成立', en: '{row} can never decide: earlier rows cover all its cases, or its tests cannot hold' },
  'check.table-shape': { severity: 'error', zh: '{row} 有 {cells} 格，而决策表有 {columns} 列', en: '{row} has {cells} cells but the table has {columns} columns' },
  'check.table-sum-otherwise': { severity: 'error', zh: '合计 决策表不能有 否则：没有一行匹配时合计为 0', en: 'A sum table takes no otherwise: when no row matches, the sum is 0' },
  'check.table-too-large': { severity: 'warning', zh: '决策表的情形太多，未能完整检查是否有空缺或重叠', en: 'The decision table has too many cases to check fully for gaps and overlaps' },
  'diag.more': { severity: 'error', zh: '另有 {count} 条「{code}」诊断未列出（同类诊断只列前 {shown} 条）', en: '{count} more "{code}" diagnostics not listed (only the first {shown} of a kind are)' },
  'scenario.yaml': { severity: 'error', zh: '场景文件格式错误：{detail}', en: 'Scenario file is not valid YAML: {detail}' },
  'scenario.shape': { severity: 'error', zh: '场景格式错误（{path}）：{detail}', en: 'Scenario format error at {path}: {detail}' },
  'scenario.unknown-key': { severity: 'error', zh: '{path}中没有键「{name}」{hint_zh}', en: 'There is no key "{name}" in {path}{hint_en}' },
  'scenario.duplicate-name': { severity: 'error', zh: '情景名称「{name}」重复（第 {line} 行已使用）', en: 'Scenario name "{name}" is used twice (first on line {line})' },
  'scenario.unknown-output': { severity: 'error', zh: '情景「{scenario}」的 {section} 中「{name}」不是本政策的输出{hint_zh}', en: 'Scenario "{scenario}": {section} names "{name}", which is not an output of this policy{hint_en}' },
  'scenario.policy-unresolved': { severity: 'error', zh: '{zh}', en: '{en}' },
  'internal': { severity: 'error', zh: '内部错误：检查未能完成，请报告此问题', en: 'Internal error: the check could not finish; please report it' },
  'scenario.unknown-rule': { severity: 'error', zh: '情景「{scenario}」的 decided_by：「{name}」不是输出 {output} 的规则或例外{hint_zh}', en: 'Scenario "{scenario}": decided_by {output}: "{name}" is no rule or exception of that output{hint_en}' },
} satisfies Record<string, Template>;

/** Every diagnostic code, by stage: syntax.* (scanner, parsers), check.* (the checker),
 *  scenario.* (scenario suites), diag.more (a summary), internal (a check that could not finish). */
export type DiagnosticCode = keyof typeof registry;

/** Codes renamed so that each names the stage that emits it (old → new); docs/language.md lists them. */
export const renamedCodes: Readonly<Record<string, DiagnosticCode>> = {
  'lex.unexpected-character': 'syntax.unexpected-character',
  'lex.bidi-control': 'syntax.bidi-control',
  'lex.invisible-character': 'syntax.invisible-character',
  'lex.mixed-script': 'syntax.mixed-script',
  'parse.syntax': 'syntax.grammar',
  'parse.too-deep': 'syntax.too-deep',
  'parse.missing-header': 'check.missing-header',
  'parse.bad-policy-id': 'check.bad-policy-id',
  'parse.bad-date': 'check.bad-date',
};

function fill(template: string, args: Args, lang: 'zh' | 'en'): string {
  return template.replace(/\{(\w+)\}/g, (_, k: string) => {
    const a = args[k];
    return a === undefined ? `{${k}}` : typeof a === 'object' ? a[lang] : String(a);
  });
}

export function messageOf(code: string, args: Args = {}): Message {
  const t = (registry as Record<string, Template>)[code];
  if (!t) return { zh: code, en: code };
  return { zh: fill(t.zh, args, 'zh'), en: fill(t.en, args, 'en') };
}

export function diagnostic(code: DiagnosticCode, range: Range, args: Args = {}, severity?: Severity): Diagnostic {
  const t: Template = registry[code];
  return { range, severity: severity ?? t?.severity ?? 'error', code, message: messageOf(code, args) };
}

export const diagnosticCodes = Object.keys(registry) as DiagnosticCode[];

export const zeroRange: Range = { start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 1, offset: 0 } };

/** Diagnostics listed per code before the rest are summed up in one `diag.more` (B4: one error per
 *  pair of 1,500 overlapping rules made an answer of 378 MB). */
export const LIST_PER_CODE = 20;

/** A `diag.more` summary: `count` more diagnostics of `code`, at `range`, with their severity. */
export function moreDiagnostic(code: string, count: number, range: Range, severity: Severity): Diagnostic {
  return { ...diagnostic('diag.more', range, { code, count, shown: LIST_PER_CODE }, severity), more: { code, count } };
}

/** The first LIST_PER_CODE diagnostics of each code, in order, and one `diag.more` per code for
 *  the rest (added to a summary the list already holds for that code). */
export function capPerCode(list: Diagnostic[]): Diagnostic[] {
  const shown = new Map<string, number>();
  const extra = new Map<string, { count: number; first: Diagnostic }>();
  const out: Diagnostic[] = [];
  for (const d of list) {
    if (d.more) { addMore(extra, d.more.code, d.more.count, d); continue; }
    const n = shown.get(d.code) ?? 0;
    if (n < LIST_PER_CODE) { shown.set(d.code, n + 1); out.push(d); } else addMore(extra, d.code, 1, d);
  }
  for (const [code, e] of extra) out.push({ ...moreDiagnostic(code, e.count, e.first.range, e.first.severity), ...(e.first.file ? { file: e.first.file } : {}) });
  return out;
}

function addMore(extra: Map<string, { count: number; first: Diagnostic }>, code: string, count: number, d: Diagnostic): void {
  const e = extra.get(code);
  if (e) e.count += count; else extra.set(code, { count, first: d });
}
