// Populations from files, streamed (a household at a time; nothing holds the whole file):
//   • JSON Lines (.jsonl / .ndjson): one household JSON object per line, in the contract's shape.
//   • CSV (.csv): a header row, then either
//       – one row per household with the household's JSON in a `household_json` column, or
//       – the flat layout: one row per member, the household's columns repeated on each of its
//         rows, rows of one household consecutive (see FLAT_COLUMNS and docs/simulation.md).
// The loader only shapes rows into household JSON; validation is the policy's own (the same
// decoder the HTTP API uses), so errors carry the API's field paths, plus the file line.
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { nameIndex, nearestName } from '../dsl/index.js';

export interface ItemError { path: string; message: string }

/** One household read from a source, or a row that could not be read as one. */
export type PopulationItem =
  | { household: unknown; line?: number; memberLines?: number[] }
  | { error: ItemError; line?: number; id?: string };

export class LoaderError extends Error {
  constructor(message: string, readonly line?: number) { super(message); this.name = 'LoaderError'; }
}

export type PopulationFormat = 'jsonl' | 'csv';

export function formatOf(path: string, format?: string): PopulationFormat {
  if (format === 'jsonl' || format === 'csv') return format;
  if (format) throw new LoaderError(`unknown population format "${format}" (jsonl or csv)`);
  if (/\.csv$/i.test(path)) return 'csv';
  if (/\.(jsonl|ndjson|json)$/i.test(path)) return 'jsonl';
  throw new LoaderError(`cannot tell the format of ${path}: name it .jsonl or .csv (or pass the format)`);
}

// ── JSON Lines ─────────────────────────────────────────────────────────────

/** Non-blank lines with their 1-based numbers, in batches (one await per batch, not per line). */
export async function* readLineBatches(input: string | Readable, size = 1000): AsyncGenerator<{ texts: string[]; lines: number[] }> {
  const stream = typeof input === 'string' ? createReadStream(input, { encoding: 'utf8', highWaterMark: 1 << 20 }) : input;
  let rest = '', line = 0, first = true;
  let texts: string[] = [], lines: number[] = [];
  const take = (raw: string) => {
    line++;
    const t = raw.charCodeAt(raw.length - 1) === 13 ? raw.slice(0, -1) : raw;
    if (t.length === 0 || (t.charCodeAt(0) <= 32 && t.trim() === '')) return;
    texts.push(t); lines.push(line);
  };
  try {
    for await (const chunk of stream as AsyncIterable<string | Buffer>) {
      let s = rest + (typeof chunk === 'string' ? chunk : chunk.toString('utf8'));
      if (first) { first = false; if (s.charCodeAt(0) === 0xfeff) s = s.slice(1); }
      const parts = s.split('\n');
      rest = parts.pop()!;
      for (const part of parts) {
        take(part);
        if (texts.length >= size) { yield { texts, lines }; texts = []; lines = []; }
      }
    }
    if (rest !== '') take(rest);
    if (texts.length) yield { texts, lines };
  } finally {
    if (typeof input === 'string') stream.destroy();
  }
}

/** Non-blank lines with their 1-based numbers. */
export async function* readLines(input: string | Readable): AsyncGenerator<{ text: string; line: number }> {
  for await (const b of readLineBatches(input)) {
    for (let i = 0; i < b.texts.length; i++) yield { text: b.texts[i]!, line: b.lines[i]! };
  }
}

/** One JSON Lines line as a population item. */
export function parseJsonLine(text: string, line?: number): PopulationItem {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { error: { path: 'household', message: `不是合法的 JSON / not valid JSON: ${(e as Error).message.slice(0, 120)}` }, line };
  }
  return { household: value, line };
}

export async function* readJsonLines(input: string | Readable): AsyncGenerator<PopulationItem> {
  for await (const { text, line } of readLines(input)) yield parseJsonLine(text, line);
}

// ── CSV ────────────────────────────────────────────────────────────────────

/** RFC 4180 records (quoted fields may hold commas, quotes "" and newlines), streamed. */
export async function* readCsvRecords(input: string | Readable): AsyncGenerator<{ fields: string[]; line: number }> {
  const stream = typeof input === 'string' ? createReadStream(input, { encoding: 'utf8', highWaterMark: 1 << 20 }) : input;
  let field = '', fields: string[] = [], quoted = false, afterQuote = false, line = 1, startLine = 1, first = true, any = false;
  try {
    for await (const chunk of stream as AsyncIterable<string | Buffer>) {
      let s = typeof chunk === 'string' ? chunk : chunk.toString('utf8');
      if (first) { first = false; if (s.charCodeAt(0) === 0xfeff) s = s.slice(1); }
      let i = 0;
      const n = s.length;
      while (i < n) {
        const c = s[i]!;
        if (quoted) {
          if (c === '"') {
            if (i + 1 < n) {
              if (s[i + 1] === '"') { field += '"'; i += 2; continue; }
              quoted = false; afterQuote = true; i++; continue;
            }
            // the quote is the chunk's last character: decide with the next chunk
            quoted = false; afterQuote = true; i++; continue;
          }
          if (c === '\n') line++;
          // fast path: copy up to the next quote or newline
          let j = i + 1;
          while (j < n && s[j] !== '"' && s[j] !== '\n') j++;
          field += s.slice(i, j);
          i = j;
          continue;
        }
        if (afterQuote && c === '"') { field += '"'; quoted = true; afterQuote = false; i++; continue; }
        afterQuote = false;
        if (c === ',') { fields.push(field); field = ''; any = true; i++; continue; }
        if (c === '\r') { i++; continue; }
        if (c === '\n') {
          fields.push(field);
          if (any || field !== '' || fields.length > 1) yield { fields, line: startLine };
          fields = []; field = ''; any = false;
          line++; startLine = line; i++;
          continue;
        }
        if (c === '"' && field === '') { quoted = true; any = true; i++; continue; }
        let j = i + 1;
        while (j < n && s[j] !== ',' && s[j] !== '\n' && s[j] !== '\r' && s[j] !== '"') j++;
        field += s.slice(i, j);
        any = true;
        i = j;
      }
    }
    if (quoted) throw new LoaderError(`line ${startLine}: unterminated quoted field`, startLine);
    if (any || field !== '' || fields.length) { fields.push(field); yield { fields, line: startLine }; }
  } finally {
    if (typeof input === 'string') stream.destroy();
  }
}

type Kind = 'text' | 'bool' | 'number' | 'list';
/** The flat layout: column → [where, JSON field, kind]. Household columns first. */
export const FLAT_COLUMNS: Record<string, { on: 'household' | 'dibao' | 'member'; field: string; kind: Kind }> = {
  household_id: { on: 'household', field: 'id', kind: 'text' },
  area: { on: 'household', field: 'area', kind: 'text' },
  county: { on: 'household', field: 'county', kind: 'text' },
  hukou_county: { on: 'household', field: 'hukou_county', kind: 'text' },
  hukou_province: { on: 'household', field: 'hukou_province', kind: 'text' },
  residence_permit: { on: 'household', field: 'residence_permit', kind: 'bool' },
  distance_to_hq_km: { on: 'household', field: 'distance_to_hq_km', kind: 'number' },
  border_regiment: { on: 'household', field: 'border_regiment', kind: 'bool' },
  rigid_expenditure_monthly: { on: 'household', field: 'rigid_expenditure_monthly', kind: 'number' },
  dibao_enrolled: { on: 'dibao', field: 'enrolled', kind: 'bool' },
  dibao_monthly_amount: { on: 'dibao', field: 'monthly_amount', kind: 'number' },
  dibao_income_exceeded_since: { on: 'dibao', field: 'income_exceeded_since', kind: 'text' },
  applies_single_person: { on: 'household', field: 'applies_single_person', kind: 'list' },
  member_id: { on: 'member', field: 'id', kind: 'text' },
  birth_date: { on: 'member', field: 'birth_date', kind: 'text' },
  disability_level: { on: 'member', field: 'disability_level', kind: 'number' },
  disability_type: { on: 'member', field: 'disability_type', kind: 'text' },
  serious_illness: { on: 'member', field: 'serious_illness', kind: 'bool' },
  self_care: { on: 'member', field: 'self_care', kind: 'text' },
  labor_capacity: { on: 'member', field: 'labor_capacity', kind: 'text' },
  income_monthly: { on: 'member', field: 'income_monthly', kind: 'number' },
  excluded_income_monthly: { on: 'member', field: 'excluded_income_monthly', kind: 'number' },
  employment_cost_monthly: { on: 'member', field: 'employment_cost_monthly', kind: 'number' },
  orphan: { on: 'member', field: 'orphan', kind: 'bool' },
  de_facto_unsupported: { on: 'member', field: 'de_facto_unsupported', kind: 'bool' },
  has_capable_supporter: { on: 'member', field: 'has_capable_supporter', kind: 'bool' },
  institutional_care: { on: 'member', field: 'institutional_care', kind: 'bool' },
  tekun: { on: 'member', field: 'tekun', kind: 'bool' },
};

const CSV_COLUMNS = nameIndex([...Object.keys(FLAT_COLUMNS), 'household_json']);

const TRUE = new Set(['true', '1', 'yes', 'y', '是', 't']);
const FALSE = new Set(['false', '0', 'no', 'n', '否', 'f']);

/** A cell as JSON: empty → undefined (the field takes its default); a bad boolean stays text so the decoder names it. */
function cellValue(raw: string, kind: Kind, field: string): unknown {
  const v = raw.trim();
  if (v === '') return undefined;
  switch (kind) {
    case 'bool': {
      const l = v.toLowerCase();
      return TRUE.has(l) ? true : FALSE.has(l) ? false : v;
    }
    // a JSON number, as the household schema wants; other text goes on for the decoder to name
    case 'number': return /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v;
    case 'list': return v.split(/[;；|]/).map((x) => x.trim()).filter(Boolean);
    default:
      if (v.toLowerCase() === 'null' && (field === 'income_exceeded_since' || field === 'disability_type')) return null;
      return v;
  }
}

interface Column { index: number; name: string; on: 'household' | 'dibao' | 'member'; field: string; kind: Kind }

function headerColumns(header: string[], line: number): { json?: number; columns: Column[] } {
  const names = header.map((h) => h.trim());
  const json = names.indexOf('household_json');
  if (json >= 0) return { json, columns: [] };
  const columns: Column[] = [];
  const bad: string[] = [];
  names.forEach((name, index) => {
    if (name === '') return;
    const known = FLAT_COLUMNS[name];
    if (known) { columns.push({ index, name, ...known }); return; }
    const m = /^(household|member)\.([A-Za-z_][A-Za-z0-9_]*)$/.exec(name);
    if (m) { columns.push({ index, name, on: m[1] as 'household' | 'member', field: m[2]!, kind: 'text' }); return; }
    bad.push(name);
  });
  if (bad.length) {
    const near = (b: string) => { const n = nearestName(b, CSV_COLUMNS); return n ? ` (did you mean "${n}"?)` : ''; };
    throw new LoaderError(`line ${line}: unknown CSV column(s) ${bad.map((b) => JSON.stringify(b) + near(b)).join(', ')} `
      + `(known: ${Object.keys(FLAT_COLUMNS).join(', ')}, household_json, or household.<field> / member.<field> for extension fields)`, line);
  }
  if (!columns.some((c) => c.name === 'household_id')) throw new LoaderError(`line ${line}: the flat CSV layout needs a household_id column (or use a household_json column)`, line);
  return { columns };
}

/** Households from a CSV file or stream (either layout), streamed. */
export async function* readCsv(input: string | Readable): AsyncGenerator<PopulationItem> {
  let header: { json?: number; columns: Column[] } | undefined;
  let cur: { id: string; household: Record<string, unknown>; seen: Map<string, { raw: string; line: number }>; members: Record<string, unknown>[]; lines: number[]; line: number; conflicts: ItemError[] } | undefined;

  const flush = (): PopulationItem | undefined => {
    if (!cur) return undefined;
    const c = cur; cur = undefined;
    if (c.conflicts.length) return { error: c.conflicts[0]!, line: c.line, id: c.id };
    return { household: { ...c.household, members: c.members }, line: c.line, memberLines: c.lines };
  };

  for await (const { fields, line } of readCsvRecords(input)) {
    if (!header) { header = headerColumns(fields, line); continue; }
    if (header.json !== undefined) {
      const text = fields[header.json] ?? '';
      if (text.trim() === '') { yield { error: { path: 'household', message: '空的 household_json / empty household_json cell' }, line }; continue; }
      yield parseJsonLine(text, line);
      continue;
    }
    const idCol = header.columns.find((c) => c.name === 'household_id')!;
    const id = (fields[idCol.index] ?? '').trim();
    if (!cur || cur.id !== id) {
      const done = flush();
      if (done) yield done;
      cur = { id, household: {}, seen: new Map(), members: [], lines: [], line, conflicts: [] };
    }
    const member: Record<string, unknown> = {};
    for (const col of header.columns) {
      const raw = fields[col.index] ?? '';
      if (col.on === 'member') {
        const v = cellValue(raw, col.kind, col.field);
        if (v !== undefined) member[col.field] = v;
        continue;
      }
      // household columns: the first row sets them; later rows must agree
      const prev = cur.seen.get(col.name);
      if (prev) {
        if (prev.raw.trim() !== raw.trim() && raw.trim() !== '') {
          const path = col.on === 'dibao' ? `household.dibao.${col.field}` : `household.${col.field}`;
          cur.conflicts.push({ path, message: `同户各行的 ${col.name} 不一致（第 ${prev.line} 行「${prev.raw}」，第 ${line} 行「${raw}」）/ rows of household ${id} disagree on ${col.name} (line ${prev.line}: "${prev.raw}", line ${line}: "${raw}")` });
        }
        continue;
      }
      if (raw.trim() === '') continue;
      cur.seen.set(col.name, { raw, line });
      const v = cellValue(raw, col.kind, col.field);
      if (col.on === 'dibao') {
        const d = (cur.household['dibao'] ??= {}) as Record<string, unknown>;
        d[col.field] = v;
      } else cur.household[col.field] = v;
    }
    cur.members.push(member);
    cur.lines.push(line);
  }
  const done = flush();
  if (done) yield done;
}

/** Households from a .jsonl or .csv file, streamed. */
export function readPopulation(path: string, format?: string): AsyncGenerator<PopulationItem> {
  return formatOf(path, format) === 'csv' ? readCsv(path) : readJsonLines(path);
}

/** CSV text for households (flat layout, one row per member): for exporting a generated population. */
export function toFlatCsvRows(h: Record<string, unknown>): string[] {
  const members = (h['members'] as Record<string, unknown>[] | undefined) ?? [];
  const dibao = (h['dibao'] as Record<string, unknown> | undefined) ?? {};
  const cell = (v: unknown) => {
    if (v === undefined || v === null) return '';
    const s = Array.isArray(v) ? v.join(';') : String(v);
    return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return members.map((m) => Object.entries(FLAT_COLUMNS).map(([, c]) =>
    cell(c.on === 'member' ? m[c.field] : c.on === 'dibao' ? dibao[c.field] : h[c.field])).join(','));
}
export const FLAT_HEADER = Object.keys(FLAT_COLUMNS).join(',');
