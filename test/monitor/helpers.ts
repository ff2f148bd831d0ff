// A server over the real policies (the Dawukou programmes are what the hand-worked lists rest
// on), with its own in-memory SQL store, and helpers to import and wait for runs.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { expect } from 'vitest';
import { createApp, type StudioApp } from '../../runtime/app.js';
import { policiesDir } from '../../runtime/paths.js';
import { openStore } from '../../runtime/server.js';
import { loadModules } from '../../runtime/services/language.js';
import { openSqlStore } from '../../runtime/sql/open.js';
import type { SqlStore } from '../../runtime/sql/types.js';

export const KEYS = 'admin-key:admin,editor-key:editor,reviewer-key:reviewer,tester-key:tester,client-key:client';
export const bearer = (key = 'editor-key') => ({ Authorization: `Bearer ${key}` });

export interface MonitorApp { app: StudioApp; sql: SqlStore; close(): Promise<void> }

/** `thread`: evaluate in the monitoring evaluation thread (off by default here: bundling it from source costs a few seconds per file). */
export async function monitorApp(opts: { sql?: SqlStore; chunkSize?: number; thread?: boolean } = {}): Promise<MonitorApp> {
  const dir = mkdtempSync(join(tmpdir(), 'monitor-'));
  const modules = loadModules(policiesDir());
  const { store } = await openStore(dir, policiesDir(), modules);
  const sql = opts.sql ?? await openSqlStore({});
  const app = createApp({ store, sql, keys: KEYS, modules, log: () => undefined, studioDir: null, today: () => '2024-07-01', monitor: { chunkSize: opts.chunkSize ?? 2, thread: opts.thread ?? false } });
  return { app, sql, close: async () => { await app.locals.monitoring.monitor.stop(); await store.close(); if (!opts.sql) await sql.close(); rmSync(dir, { recursive: true, force: true }); } };
}

export const jsonl = (households: unknown[]) => households.map((h) => JSON.stringify(h)).join('\n') + '\n';

export async function importJsonl(app: StudioApp, households: unknown[], effectiveFrom: string) {
  return request(app).post(`/api/registry/import?effective_from=${effectiveFrom}`).set(bearer()).set('Content-Type', 'application/x-ndjson').send(jsonl(households));
}

/** Starts a run and waits until it is no longer running. */
export async function runFor(app: StudioApp, asOf: string): Promise<Record<string, any>> {
  const started = await request(app).post('/api/monitor/runs').set(bearer()).send({ as_of: asOf });
  expect(started.status, JSON.stringify(started.body)).toBe(202);
  for (let i = 0; i < 600; i++) {
    const r = await request(app).get(`/api/monitor/runs/${started.body.id}`).set(bearer());
    if (r.body.status !== 'running') return r.body;
    await new Promise((ok) => setTimeout(ok, 50));
  }
  throw new Error('run did not finish');
}

export async function listIds(app: StudioApp, runId: string, list: string, policy = 'dawukou-dibao'): Promise<Record<string, Record<string, unknown>>> {
  const r = await request(app).get(`/api/monitor/runs/${runId}/lists/${list}?policy=${policy}`).set(bearer());
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return Object.fromEntries((r.body.rows as { household_id: string; detail: Record<string, unknown> }[]).map((x) => [x.household_id, x.detail]));
}
