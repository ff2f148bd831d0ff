// The registry of households under monitoring: import (JSON Lines or CSV, streamed through the
// simulation loader's readers, validated by the same household decoder evaluation uses) and
// one-household upserts, each dated by effective_from. An import is all-or-nothing: its rows are
// staged as they stream in and copied into the history only when every row is valid.
import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { readCsv, readJsonLines, LoaderError, type PopulationItem } from '../../../simulation/loader.js';
import { householdPath, isDate } from '../../../dsl/index.js';
import type { HistoryRow, RegistryRepository, StagedRow } from '../../store/registry.js';
import { canonicalJson } from '../canonical-json.js';
import { DomainError, detailOf, type ErrorDetail } from '../domain-error.js';

/** Errors given in full (with line and field); past them they are only counted. */
export const MAX_IMPORT_ERRORS = 100;
/** Rows staged per statement (memory stays flat: one batch at a time). */
const STAGE_BATCH = 1000;

export type ImportFormat = 'jsonl' | 'csv';
type Validate = (json: unknown) => { ok: boolean; errors: { path: string; message: { zh: string; en: string } }[] };

export interface ImportResult { import_id: string; effective_from: string; households: number; created: number; updated: number }

export function checkEffectiveFrom(text: unknown, path = 'effective_from'): string {
  if (typeof text !== 'string' || !isDate(text)) {
    throw new DomainError('invalid', 'request.invalid', `${path} 应为真实日期 YYYY-MM-DD`, `${path} must be a real date YYYY-MM-DD`,
      [{ path, message: String(text ?? '(missing)').slice(0, 40) }]);
  }
  return text;
}

const notFound = (id: string) =>
  new DomainError('not_found', 'registry.not_found', `登记册中没有家庭 ${id}`, `No household ${id} in the registry`, [{ path: 'householdId', message: id.slice(0, 80) }]);

export class RegistryService {
  constructor(readonly repo: RegistryRepository, private readonly validate: Validate) {}

  /** A household's problems, each path starting at `household` (as evaluate answers them). */
  private problems(h: unknown): ErrorDetail[] {
    const r = this.validate(h);
    const out = r.errors.map((e) => detailOf({ path: householdPath(e.path), message: e.message }));
    if (r.ok && (typeof (h as { id?: unknown }).id !== 'string' || (h as { id: string }).id.trim() === '')) {
      out.push({ path: 'household.id', message: '登记册中的家庭须有编号 / a registry household needs an id' });
    }
    return out;
  }

  /** Streams an import; 400 with each bad row's line and field (nothing applied), else every row applied. */
  async import(input: Readable, format: ImportFormat, effectiveFrom: string): Promise<ImportResult> {
    const importId = randomUUID();
    // decoded as a stream: a character split between two network chunks stays whole (大武口区)
    input.setEncoding('utf8');
    const errors: ErrorDetail[] = [];
    let errorCount = 0;
    let households = 0;
    const fail = (line: number | undefined, path: string, message: string) => {
      if (++errorCount <= MAX_IMPORT_ERRORS) errors.push({ path: `line ${line ?? '?'}: ${path}`, message });
    };
    let batch: StagedRow[] = [];
    try {
      try {
        for await (const item of (format === 'csv' ? readCsv(input) : readJsonLines(input)) as AsyncGenerator<PopulationItem>) {
          households++;
          if ('error' in item) { fail(item.line, item.error.path, item.error.message); continue; }
          const problems = this.problems(item.household);
          if (problems.length) { for (const p of problems) fail(item.line, p.path, p.message); continue; }
          if (errorCount) continue;   // a rejected import stages nothing more: only errors are collected
          const h = item.household as { id: string; county?: unknown };
          batch.push({ line: item.line ?? households, household_id: h.id, county: typeof h.county === 'string' ? h.county : null, household: canonicalJson(h) });
          if (batch.length >= STAGE_BATCH) { await this.repo.stage(importId, batch); batch = []; }
        }
      } catch (e) {
        if (!(e instanceof LoaderError)) throw e;
        fail(e.line, '(file)', e.message);
      }
      if (!errorCount) { await this.repo.stage(importId, batch); batch = []; }
      if (!errorCount) {
        for (const d of await this.repo.duplicates(importId, MAX_IMPORT_ERRORS)) {
          fail(d.again, 'household.id', `编号 ${d.household_id} 在第 ${d.first} 行已出现 / id ${d.household_id} already given at line ${d.first}`);
        }
      }
      if (!households && !errorCount) fail(1, '(file)', '没有家庭 / no households in the file');
      if (errorCount) {
        throw new DomainError('invalid', 'registry.import_invalid',
          `导入被拒绝：${errorCount} 处错误，未导入任何家庭`, `Import refused: ${errorCount} error(s); nothing was imported`,
          errors, { error_count: errorCount, errors_omitted: Math.max(0, errorCount - MAX_IMPORT_ERRORS) });
      }
      const { rows, created } = await this.repo.commit(importId, effectiveFrom);
      return { import_id: importId, effective_from: effectiveFrom, households: rows, created, updated: rows - created };
    } finally {
      await this.repo.discard(importId).catch(() => undefined);
    }
  }

  /** One household's new version from `effective_from` (the id in the path wins over a different one in the body: 400). */
  async put(id: string, household: unknown, effectiveFrom: string): Promise<{ id: string; effective_from: string; seq: number; created: boolean }> {
    const given = household && typeof household === 'object' && !Array.isArray(household) ? (household as { id?: unknown }).id : undefined;
    if (given !== undefined && given !== id) {
      throw new DomainError('invalid', 'request.invalid', '请求体中的家庭编号与路径不一致', 'The household id in the body differs from the one in the path',
        [{ path: 'household.id', message: String(given).slice(0, 80) }]);
    }
    const h = household && typeof household === 'object' && !Array.isArray(household) ? { ...(household as object), id } : household;
    const problems = this.problems(h);
    if (problems.length) throw new DomainError('invalid', 'household.invalid', '家庭数据不符合要求', 'The household is invalid', problems.slice(0, MAX_IMPORT_ERRORS));
    const county = typeof (h as { county?: unknown }).county === 'string' ? (h as { county: string }).county : null;
    const r = await this.repo.put(id, effectiveFrom, county, canonicalJson(h));
    return { id, effective_from: effectiveFrom, ...r };
  }

  async history(id: string): Promise<{ id: string; versions: (Omit<HistoryRow, 'household'> & { household: unknown })[] }> {
    const rows = await this.repo.history(id);
    if (!rows) throw notFound(id);
    return { id, versions: rows.map((r) => ({ ...r, household: JSON.parse(r.household) as unknown })) };
  }

  count(): Promise<number> { return this.repo.count(); }
}
