// The one INSERT that writes a group of decision records, and its parameters. Up to
// VALUES_MAX_ROWS rows go as a VALUES list, a mid-sized group as one JSON array of whole rows
// (below); a large one (a batch) as follows. What costs is the bytes the database must parse (PGlite's JavaScript protocol
// encoder, then its JSON lexer in WebAssembly; the server's JSON lexer): a row as one JSON object
// (16 keys, the household escaped inside a string, both hashes) came to ≈ 1 KB. So the group goes
// as six parameters:
//   $1 the ids, $2 the household texts, $3 the outputs texts, $4 for each row the number of its
//     run of shared fields ($6), $5 each row's batch index ('' for none): one per line, split by
//     string_to_table (PostgreSQL ≥ 14). Canonical JSON has no raw newline (a newline inside a
//     string is written \n), ids and numbers none either, so they go as they are, neither escaped
//     nor lexed;
//   $6 the household ids, one JSON array of strings and nulls (an id may hold any character);
//   $7 the fields a run of consecutive rows shares (caller, request, policy, version, hashes,
//     dates: a whole batch shares one), as JSON objects, joined by their position.
// A 10,000-household batch is about half the bytes of whole rows, and its statement ≈ 1.7× faster
// in both modes (docs/performance.md, issue 15). The few small fields per row were JSON objects
// once ({"i":id,"s":run,"k":household id,"b":index}): json_to_recordset builds a hash table per
// object, and writing 10,000 of them cost the server more than the lines do (issue 17).
import type { DecisionRow } from './decision-row.js';

export const DECISION_COLUMNS = ['id', 'at', 'caller_name', 'caller_role', 'caller_key', 'request_id', 'policy', 'version', 'version_hash',
  'source_hash', 'effective_from', 'as_of', 'household_id', 'household', 'outputs', 'batch_index'] as const satisfies readonly (keyof DecisionRow)[];

/** The columns a run of consecutive rows shares (one object in $7 per run). */
const SHARED = ['at', 'caller_name', 'caller_role', 'caller_key', 'request_id', 'policy', 'version', 'version_hash', 'source_hash',
  'effective_from', 'as_of'] as const satisfies readonly (keyof DecisionRow)[];

const INSERT_SPLIT = `INSERT INTO decisions (${DECISION_COLUMNS.join(', ')})
SELECT r.id::uuid, ${SHARED.map((c) => `s.${c}`).join(', ')}, r.household_id, r.household, r.outputs, NULLIF(r.batch_index, '')::integer
FROM ROWS FROM (string_to_table($1, E'\\n'), string_to_table($2, E'\\n'), string_to_table($3, E'\\n'), string_to_table($4, E'\\n'),
    string_to_table($5, E'\\n'), json_array_elements_text($6::json))
  AS r(id, household, outputs, shared, batch_index, household_id)
JOIN json_populate_recordset(NULL::decisions, $7::json) WITH ORDINALITY AS s ON s.ordinality = r.shared::bigint`;

/** The same rows as one JSON array of whole rows: for small groups, and texts that are not canonical JSON (a raw newline). */
const INSERT_JSON = `INSERT INTO decisions (${DECISION_COLUMNS.join(', ')}) SELECT ${DECISION_COLUMNS.join(', ')} FROM json_populate_recordset(NULL::decisions, $1::json)`;

const asJson = (rows: DecisionRow[]) => ({ text: INSERT_JSON, name: 'decisions_insert_json', params: [JSON.stringify(rows)] });

/** Whether two rows share every SHARED field (written out: called once per row of a batch, where
 *  SHARED.every's closure and keyed reads cost more than the comparisons; the strings of one batch
 *  are the same objects, so each comparison is one pointer). */
const sameShared = (a: DecisionRow, b: DecisionRow) => a.at === b.at && a.caller_name === b.caller_name && a.caller_role === b.caller_role
  && a.caller_key === b.caller_key && a.request_id === b.request_id && a.policy === b.policy && a.version === b.version
  && a.version_hash === b.version_hash && a.source_hash === b.source_hash && a.effective_from === b.effective_from && a.as_of === b.as_of;

/**
 * From this many rows (a batch) the group goes as the lines above; between VALUES_MAX_ROWS and
 * this as one JSON array of whole rows: planning the join costs more than so few rows' bytes
 * save; a batch is where the bytes are.
 */
export const SPLIT_MIN_ROWS = 100;

/**
 * Up to this many rows the group goes as a VALUES list with one plain parameter per field, one
 * prepared statement per row count (issue 17). PostgreSQL reads text parameters straight into
 * the columns' types, where json_populate_recordset first lexes the rows as JSON (the household
 * escaped inside a string) and builds a record from each; and no JSON.stringify of the rows. At a
 * steady 1,000 req/s the recorder meets one or two decisions at a time (in PGlite ≈ 25 % less
 * WebAssembly time for one row); unthrottled single evaluations (32 connections) arrive in groups
 * of a few dozen, where VALUES measured 15 % (16 rows) and 6 % (32 rows) less CPU per row than the
 * JSON array, in process, alternated. Each count is prepared when first met (≤ 512 parameters).
 */
export const VALUES_MAX_ROWS = 32;

/** The VALUES statement of each row count, made when first needed. */
const insertValues: string[] = [];
function valuesStatement(n: number): string {
  const row = (r: number) => `(${DECISION_COLUMNS.map((_, c) => `$${r * DECISION_COLUMNS.length + c + 1}`).join(', ')})`;
  return (insertValues[n] ??= `INSERT INTO decisions (${DECISION_COLUMNS.join(', ')}) VALUES ${Array.from({ length: n }, (_, r) => row(r)).join(', ')}`);
}

/** The rows' fields in DECISION_COLUMNS order, as PostgreSQL's text input reads them (numbers as their decimal text). */
function asValues(rows: DecisionRow[]): { text: string; name: string; params: (string | null)[] } {
  const params: (string | null)[] = [];
  for (const r of rows) {
    params.push(r.id, r.at, r.caller_name, r.caller_role, r.caller_key, r.request_id, r.policy, String(r.version), r.version_hash,
      r.source_hash, r.effective_from, r.as_of, r.household_id, r.household, r.outputs, r.batch_index === null ? null : String(r.batch_index));
  }
  return { text: valuesStatement(rows.length), name: `decisions_insert_values_${rows.length}`, params };
}

/** The statement, its name as a prepared statement (QueryOptions.name: planned once), and parameters that insert `rows` (at least one).
 *  `skipStored`: rows whose id is already stored are left out, not an error (the embedded journal's
 *  rows written again after a restart, runtime/store/decision-journal.ts). */
export function decisionInsert(rows: DecisionRow[], skipStored = false): { text: string; name: string; params: (string | null)[] } {
  const s = insertOf(rows);
  return skipStored ? { text: `${s.text} ON CONFLICT (id) DO NOTHING`, name: `${s.name}_skip`, params: s.params } : s;
}

function insertOf(rows: DecisionRow[]): { text: string; name: string; params: (string | null)[] } {
  if (rows.length <= VALUES_MAX_ROWS) return asValues(rows);
  if (rows.length < SPLIT_MIN_ROWS) return asJson(rows);
  const ids: string[] = new Array<string>(rows.length);
  const households: string[] = new Array<string>(rows.length);
  const outputs: string[] = new Array<string>(rows.length);
  const runs: number[] = new Array<number>(rows.length);
  const indexes: (number | string)[] = new Array<number | string>(rows.length);
  const householdIds: (string | null)[] = new Array<string | null>(rows.length);
  const shared: Partial<DecisionRow>[] = [];
  let last: DecisionRow | undefined;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    if (r.household.includes('\n') || r.outputs.includes('\n')) return asJson(rows);
    if (!last || !sameShared(last, r)) {
      last = r;
      const s: Partial<DecisionRow> = {};
      for (const c of SHARED) (s as Record<string, unknown>)[c] = r[c];
      shared.push(s);
    }
    ids[i] = r.id;
    households[i] = r.household;
    outputs[i] = r.outputs;
    runs[i] = shared.length;
    indexes[i] = r.batch_index ?? '';
    householdIds[i] = r.household_id;
  }
  return {
    text: INSERT_SPLIT, name: 'decisions_insert_lines',
    params: [ids.join('\n'), households.join('\n'), outputs.join('\n'), runs.join('\n'), indexes.join('\n'), JSON.stringify(householdIds), JSON.stringify(shared)],
  };
}
