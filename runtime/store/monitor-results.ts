// 一户一行：监测批次的结果按户存储（迁移 14）。A monitoring run's results, one row per household
// (migration 14): all the household's programmes in two text columns, instead of a row per
// (household, programme). Why: storing was the run's main-thread cost (≈ 6 rows and their JSON
// per household through PGlite); one row per household, its texts passed as they are (split
// by string_to_table, never lexed as JSON) makes the INSERT ÷ 6 in rows and far fewer bytes parsed.
//
//   outcomes: one line per programme, fields separated by US (\x1f):
//             policy, version, eligible (t/f/empty), amount_fen, gradual_exit_until, error
//             (a household routed nowhere: one line, policy empty, with the error)
//   outputs:  one line per programme, the same order: its canonical JSON outputs (empty for an
//             error). Canonical JSON has no raw control character, so neither \n nor \x1e occurs.
//             Since migration 15 a line may instead be `#n`: the chunk's n-th distinct outputs,
//             stored once in monitor_outputs (run, block, n), `block` being the first 28
//             characters of the household's decision base (the part its chunk's bases share).
//             Why: households share outputs (a chunk of 1,000 Dawukou households: ≈ 6,600
//             outputs, ≈ 320 distinct, 724 KB → 52 KB), and every byte stored costs the run.
//             Canonical JSON outputs are an object, so a stored one starts with `{`, never `#`.
//   decision_base: a UUIDv7 whose last byte is 00; programme i's (1-based line) decision id is
//             the base with last byte i. GET /api/decisions/{id} finds the row by the base.
// In the chunk's INSERT parameters, households are separated by RS (\x1e).
import { uuidv7 } from '../sql/uuid7.js';

export const US = '\x1f';
export const RS = '\x1e';

/** Control characters (newlines, separators) in an error text become spaces: the format's separators stay unambiguous. */
const CONTROL = /[\x00-\x1f]/g;
export const cleanText = (s: string) => s.replace(CONTROL, ' ');

/** One programme's outcome as a line of the outcomes column. */
export function outcomeLine(policy: string, version: number | null, eligible: boolean | null, amountFen: number | null, gradualExitUntil: string | null, error: string | null): string {
  return `${policy}${US}${version ?? ''}${US}${eligible === null ? '' : eligible ? 't' : 'f'}${US}${amountFen ?? ''}${US}${gradualExitUntil ?? ''}${US}${error === null ? '' : cleanText(error)}`;
}

export interface ParsedOutcome { policy: string; version: number | null; eligible: boolean | null; amount_fen: number | null; gradual_exit_until: string | null; error: string | null }

export function parseOutcomes(text: string): ParsedOutcome[] {
  return text.split('\n').map((l) => {
    const [policy = '', version = '', e = '', amount = '', until = '', error = ''] = l.split(US);
    return { policy, version: version === '' ? null : Number(version), eligible: e === '' ? null : e === 't', amount_fen: amount === '' ? null : Number(amount),
      gradual_exit_until: until === '' ? null : until, error: error === '' ? null : error };
  });
}

/** A new decision base: programme i's decision id is decisionId(base, i). */
export const decisionBase = (now: number = Date.now()) => `${uuidv7(now).slice(0, 34)}00`;

/**
 * Decision bases for the households of one chunk, in order: one UUIDv7 per 65,536 households
 * (its time and counter: unique and ordered in this process, as every UUIDv7 made here), then
 * the household's number in two bytes, one random byte, and 00 for the programme. Why: a UUIDv7
 * per household cost more than storing the household's row.
 */
export class DecisionBases {
  private prefix = '';
  private n = 0x10000;
  next(): string {
    if (this.n === 0x10000) { this.prefix = uuidv7().slice(0, 28); this.n = 0; }
    const hex = (this.n++ * 0x100 + Math.floor(Math.random() * 0x100)).toString(16).padStart(6, '0');
    return `${this.prefix}${hex}00`;
  }
}
export function decisionId(base: string, i: number): string {
  if (i < 1 || i > 255) throw new Error(`a household's programme number ${i} is out of 1–255`);
  return base.slice(0, 34) + i.toString(16).padStart(2, '0');
}
/** The part of a decision base a chunk's households share (DecisionBases' prefix): monitor_outputs' `block`. */
export const blockOf = (base: string) => base.slice(0, 28);
/** An outputs line naming the chunk's n-th (1-based) distinct outputs. */
export const sharedLine = (n: number) => `#${n}`;

/** The base a decision id names (a legacy per-programme result's id is not one: found by the id itself). */
export const baseOf = (id: string) => `${id.slice(0, 34)}00`;
export const indexOf = (id: string) => parseInt(id.slice(34), 16);

/** A chunk's results, packed for one INSERT each (runtime/services/monitor/chunk.ts builds them). */
export interface PackedResults {
  /** Households in the chunk's results (rows). */
  rows: number;
  /** JSON array of {h: household id, c: county, s: registry seq, b: decision base}. */
  households: string;
  /** The outcomes and outputs columns, one per household, RS-separated, in the order of `households`. */
  outcomes: string;
  outputs: string;
  /**
   * The distinct outputs the `#n` lines of `outputs` name, RS-separated in the order of n (1-based),
   * and each one's block, RS-separated, in the same order. Absent: no line is `#n`.
   */
  shared?: { texts: string; blocks: string };
  /**
   * JSON array of list rows {l: list, h, p: policy, c, i: decision id, d: detail (a JSON value)}.
   * (Lines split by string_to_table and string_to_array were tried: 1,600 list rows cost 29 %
   * more CPU in PGlite than this JSON, measured in process, alternated.)
   */
  lists: string;
}

/** A result column's SQL (the view and the readers): `line` is one outcomes line. */
const field = (line: string, n: number) => `split_part(${line}, E'\\x1f', ${n})`;

/**
 * SQL: every result of the new and the legacy tables, one row per (household, programme);
 * `outputs` is the column's SQL for a line `p.outputs`, `join` what else the households' part joins.
 */
const resultsView = (create: string, outputs: string, join = '') => `
${create} monitor_programme_results AS
SELECT r.run_id, r.household_id, ${field('p.outcome', 1)} AS policy, nullif(${field('p.outcome', 2)}, '')::integer AS version, r.county,
       CASE WHEN coalesce(p.outputs, '') <> '' THEN (substr(r.decision_base::text, 1, 34) || lpad(to_hex(p.i::integer), 2, '0'))::uuid END AS decision_id,
       CASE ${field('p.outcome', 3)} WHEN 't' THEN true WHEN 'f' THEN false END AS eligible,
       nullif(${field('p.outcome', 4)}, '')::bigint AS amount_fen, nullif(${field('p.outcome', 5)}, '') AS gradual_exit_until,
       ${outputs} AS outputs, nullif(${field('p.outcome', 6)}, '') AS error, r.household_seq, r.decision_base
  FROM monitor_households r
  CROSS JOIN LATERAL ROWS FROM (string_to_table(r.outcomes, E'\\n'), string_to_table(r.outputs, E'\\n')) WITH ORDINALITY AS p(outcome, outputs, i)${join}
UNION ALL
SELECT run_id, household_id, policy, version, county, decision_id, eligible, amount_fen, gradual_exit_until, outputs, error, household_seq, decision_id AS decision_base
  FROM monitor_results`;

/** The view as migration 14 made it (kept as it was: a migration's text never changes). */
export const RESULTS_VIEW_14 = resultsView('CREATE VIEW', "nullif(p.outputs, '')");

/**
 * The view since migration 15: a `#n` line's outputs are read from monitor_outputs (by its primary
 * key). A join, not a subquery in the column: PostgreSQL costs a correlated subquery once per row
 * the view could give (≈ 400,000 by its default guess for an unanalysed table), so any query on
 * the view passed jit_above_cost and spent ≈ 1.2 s compiling (the decisions listing timed out).
 */
export const RESULTS_VIEW = resultsView('CREATE OR REPLACE VIEW', "CASE WHEN left(p.outputs, 1) = '#' THEN o.outputs ELSE nullif(p.outputs, '') END", `
  LEFT JOIN monitor_outputs o ON o.run_id = r.run_id AND o.block = left(r.decision_base::text, 28)
   AND o.n = CASE WHEN left(p.outputs, 1) = '#' THEN substr(p.outputs, 2)::integer END`);
