// Which lists a household lands on under one programme, from three things: this run's outputs,
// the household's administrative status as the registry holds it (dibao.enrolled and its
// amount, members' tekun), and the previous run's result. Pure: the hand-worked tests drive it
// through whole runs, and it reads no clock.
import { money } from '../../../dsl/index.js';

export const LISTS = ['newly_eligible', 'no_longer_eligible', 'amount_changed', 'exit_within_30', 'exit_within_60', 'flags'] as const;
export type ListName = (typeof LISTS)[number];

export const LIST_LABELS: Record<ListName, { zh: string; en: string }> = {
  newly_eligible: { zh: '主动发现（新符合条件）', en: 'Newly eligible (proactive discovery)' },
  no_longer_eligible: { zh: '不再符合条件（含渐退）', en: 'No longer eligible (gradual exit included)' },
  amount_changed: { zh: '金额变化', en: 'Amount changed' },
  exit_within_30: { zh: '渐退 30 日内到期', en: 'Gradual exit ends within 30 days' },
  exit_within_60: { zh: '渐退 60 日内到期', en: 'Gradual exit ends within 60 days' },
  flags: { zh: '监测预警', en: 'Monitoring flags' },
};

/** Outputs that raise a monitoring flag (qinghai-low-income gives them), and the flag each raises. */
export const FLAG_OUTPUTS: Record<string, string> = {
  dibao_edge: 'low_income_edge',
  income_drop_hardship: 'income_drop',
  rigid_expense_hardship: 'rigid_expenditure',
};

/** One programme's result for one household, as stored for the next run to compare with. */
export interface Outcome { eligible: boolean | null; amount_fen: number | null; gradual_exit_until: string | null }

export interface ListEntry { list: ListName; detail: Record<string, unknown> }

/** "694.00" → 69400: the money text outputs are written in (digits, a point, two decimals),
 *  read without the exact parser; -1 for any other text (then read by it). */
function plainFen(v: string): number {
  const n = v.length;
  if (n < 4 || n > 16 || v.charCodeAt(n - 3) !== 46) return -1;
  let f = 0;
  for (let i = 0; i < n; i++) {
    if (i === n - 3) continue;
    const d = v.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    f = f * 10 + d;
  }
  return f;
}

/** Yuan (text or number) → whole fen; null when it is not an amount. */
export function fenOf(v: unknown): number | null {
  if (typeof v === 'string') { const f = plainFen(v); if (f >= 0) return f; }
  if (typeof v !== 'string' && typeof v !== 'number') return null;
  const f = money.yuanToFen(String(v));
  if (f === undefined) return null;
  const r = money.roundFen(f);
  return typeof r === 'number' ? r : null;
}
/** Whole fen as yuan text: written directly for a whole number ≥ 0 (what money.fenToYuan writes for it). */
const yuan = (fen: number | null) => {
  if (fen === null) return null;
  if (fen >= 0 && Number.isSafeInteger(fen)) { const r = fen % 100; return `${(fen - r) / 100}.${r < 10 ? '0' : ''}${r}`; }
  return money.fenToYuan(fen);
};

export function outcomeOf(outputs: Record<string, unknown>): Outcome {
  const amount = outputs['monthly_amount'] ?? outputs['amount'];
  return {
    eligible: typeof outputs['eligible'] === 'boolean' ? outputs['eligible'] : null,
    amount_fen: fenOf(amount),
    gradual_exit_until: outputs['gradual_exit'] === true && typeof outputs['gradual_exit_until'] === 'string' ? outputs['gradual_exit_until'] : null,
  };
}

type Kind = 'dibao' | 'tekun' | null;
/** Which status a programme compares with, by its 项目 (a few distinct names per run: remembered). */
const kinds = new Map<string, Kind>();
function kindOf(program: string): Kind {
  let k = kinds.get(program);
  if (k === undefined) {
    k = program.includes('低保') || program.includes('最低生活保障') ? 'dibao' : program.includes('特困') ? 'tekun' : null;
    if (kinds.size < 1000) kinds.set(program, k);
  }
  return k;
}
const NO_STATUS = Object.freeze({ enrolled: null, amount_fen: null });

/** The status the registry records for a programme: enrolled or not (null: the registry says nothing), and the amount paid. */
export function statusOf(program: string, household: Record<string, unknown>): { enrolled: boolean | null; amount_fen: number | null } {
  const kind = kindOf(program);
  if (kind === null) return NO_STATUS;
  if (kind === 'dibao') {
    const d = household['dibao'] as { enrolled?: unknown; monthly_amount?: unknown } | undefined;
    return { enrolled: d?.enrolled === true, amount_fen: d?.enrolled === true ? fenOf(d.monthly_amount) : null };
  }
  const members = (household['members'] as { tekun?: unknown }[] | undefined) ?? [];
  return { enrolled: members.some((m) => m.tekun === true), amount_fen: null };
}

const DAY = 86_400_000;
const daysBetween = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY);

/**
 * The lists for one (household, programme). "Receiving before" is the registry's status where it
 * has one (低保, 特困), else the previous run's eligibility. The previous amount is the previous
 * run's, else the amount the registry says is paid.
 */
export function listsFor(asOf: string, program: string, household: Record<string, unknown>, outputs: Record<string, unknown>, previous: Outcome | null,
  now: Outcome = outcomeOf(outputs)): ListEntry[] {
  const status = statusOf(program, household);
  const before = status.enrolled ?? previous?.eligible ?? false;
  const out: ListEntry[] = [];
  // the amount in yuan only for a household on a list (most are on none: a run decides every household)
  const amount = () => yuan(now.amount_fen);
  if (now.eligible === true && !before) out.push({ list: 'newly_eligible', detail: { amount: amount() } });
  if (now.eligible === false && before) {
    out.push({ list: 'no_longer_eligible', detail: { gradual_exit: now.gradual_exit_until !== null, gradual_exit_until: now.gradual_exit_until, amount: amount() } });
  }
  const previousFen = previous?.eligible === true ? previous.amount_fen : status.amount_fen;
  if (now.eligible === true && before && previousFen !== null && now.amount_fen !== null && previousFen !== now.amount_fen) {
    out.push({ list: 'amount_changed', detail: { before: yuan(previousFen), after: amount(), change: yuan(now.amount_fen - previousFen) } });
  }
  if (now.gradual_exit_until !== null) {
    const days = daysBetween(asOf, now.gradual_exit_until);
    if (days <= 30) out.push({ list: 'exit_within_30', detail: { gradual_exit_until: now.gradual_exit_until, days, amount: amount() } });
    if (days <= 60) out.push({ list: 'exit_within_60', detail: { gradual_exit_until: now.gradual_exit_until, days, amount: amount() } });
  }
  let flags: string[] | undefined;
  for (const o in FLAG_OUTPUTS) if (outputs[o] === true) (flags ??= []).push(FLAG_OUTPUTS[o]!);
  if (flags) out.push({ list: 'flags', detail: { flags } });
  return out;
}
