// The one INSERT that writes a group of decision records, and its parameters. A small group goes
// as one JSON array of whole rows (below); a large one (a batch) as follows. What costs is
// the bytes the database must parse (PGlite's JavaScript protocol encoder, then its JSON lexer
// in WebAssembly; the server's JSON lexer): a row as one JSON object (16 keys, the household
// escaped inside a string, both hashes) came to ≈ 1 KB. So the group goes as four parameters:
//   $1 per row, the few small fields, as JSON objects with one-letter keys;
//   $2, $3 the household and outputs texts, one per line: canonical JSON has no raw newline
//     (a newline inside a string is written \n), so they go as they are, neither escaped nor
//     lexed, split by string_to_table (PostgreSQL ≥ 14);
//   $4 the fields a run of consecutive rows shares (caller, request, policy, version, hashes,
//     dates: a whole batch shares one), as JSON objects, joined by their position.
// A 10,000-household batch is about half the bytes, and its statement ≈ 1.7× faster in both
// modes (docs/performance.md, issue 15).
import type { DecisionRow } from './decision-row.js';

export const DECISION_COLUMNS = ['id', 'at', 'caller_name', 'caller_role', 'caller_key', 'request_id', 'policy', 'version', 'version_hash',
  'source_hash', 'effective_from', 'as_of', 'household_id', 'household', 'outputs', 'batch_index'] as const satisfies readonly (keyof DecisionRow)[];

/** The columns a run of consecutive rows shares (one object in $4 per run). */
const SHARED = ['at', 'caller_name', 'caller_role', 'caller_key', 'request_id', 'policy', 'version', 'version_hash', 'source_hash',
  'effective_from', 'as_of'] as const satisfies readonly (keyof DecisionRow)[];

const INSERT_SPLIT = `INSERT INTO decisions (${DECISION_COLUMNS.join(', ')})
SELECT r.id, ${SHARED.map((c) => `s.${c}`).join(', ')}, r.household_id, r.household, r.outputs, r.batch_index
FROM ROWS FROM (json_to_recordset($1::json) AS (i uuid, s bigint, k text, b integer), string_to_table($2, E'\\n'), string_to_table($3, E'\\n'))
  AS r(id, shared, household_id, batch_index, household, outputs)
JOIN json_populate_recordset(NULL::decisions, $4::json) WITH ORDINALITY AS s ON s.ordinality = r.shared`;

/** The same rows as one JSON array of whole rows: for small groups, and texts that are not canonical JSON (a raw newline). */
const INSERT_JSON = `INSERT INTO decisions (${DECISION_COLUMNS.join(', ')}) SELECT ${DECISION_COLUMNS.join(', ')} FROM json_populate_recordset(NULL::decisions, $1::json)`;

const asJson = (rows: DecisionRow[]) => ({ text: INSERT_JSON, name: 'decisions_insert_json', params: [JSON.stringify(rows)] });

const sameShared = (a: DecisionRow, b: DecisionRow) => SHARED.every((c) => a[c] === b[c]);

/**
 * Below this many rows (single evaluations grouped: at most a few dozen) the group goes as one
 * JSON array of whole rows: on the HTTP bench the statement above, and a VALUES list for one or
 * two rows, both lowered the recorded throughput of single evaluations (planning the join costs
 * more than so few rows' bytes save); a batch is where the bytes are.
 */
export const SPLIT_MIN_ROWS = 100;

/** The statement, its name as a prepared statement (QueryOptions.name: planned once), and parameters that insert `rows` (at least one). */
export function decisionInsert(rows: DecisionRow[]): { text: string; name: string; params: string[] } {
  if (rows.length < SPLIT_MIN_ROWS) return asJson(rows);
  const small: { i: string; s: number; k: string | null; b: number | null }[] = [];
  const households: string[] = [];
  const outputs: string[] = [];
  const shared: Partial<DecisionRow>[] = [];
  let last: DecisionRow | undefined;
  for (const r of rows) {
    if (r.household.includes('\n') || r.outputs.includes('\n')) return asJson(rows);
    if (!last || !sameShared(last, r)) {
      last = r;
      const s: Partial<DecisionRow> = {};
      for (const c of SHARED) (s as Record<string, unknown>)[c] = r[c];
      shared.push(s);
    }
    small.push({ i: r.id, s: shared.length, k: r.household_id, b: r.batch_index });
    households.push(r.household);
    outputs.push(r.outputs);
  }
  return { text: INSERT_SPLIT, name: 'decisions_insert_split', params: [JSON.stringify(small), households.join('\n'), outputs.join('\n'), JSON.stringify(shared)] };
}
