// docs/security.md must say what the code does: its role × action matrix is compared with
// PERMISSIONS (runtime/auth.ts), and its limits table with the constants that enforce them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BODY_LIMIT } from '../../runtime/app.js';
import { allowed, PERMISSIONS, ROLES, type Action } from '../../runtime/auth.js';
import { MAX_SOURCE } from '../../runtime/schemas.js';
import { FAR_FUTURE_YEARS } from '../../dsl/index.js';
import { DRAFT_CHECK_BUDGET } from '../../runtime/services/draft-check.js';
import { MAX_BATCH } from '../../runtime/services/evaluation.js';
import { SESSION_HOURS, SIGN_IN_LIMITS } from '../../runtime/services/users.js';
import {
  MAX_ACTIVE_PER_CALLER, MAX_ACTIVE_TOTAL, MAX_GENERATED_HOUSEHOLDS, MAX_INLINE_HOUSEHOLDS, MAX_JOBS, QUEUE_RETRY_AFTER_S,
} from '../../runtime/services/simulations.js';

const doc = readFileSync(join(fileURLToPath(new URL('../../docs/security.md', import.meta.url))), 'utf8');

/** The matrix rows, by their first cell, and the actions each stands for. */
const ROWS: Record<string, Action[]> = {
  'evaluate, evaluate/batch (published versions)': ['evaluate'],
  'household schema, modules': ['schema.read'],
  'list/read published policies and versions': ['policy.list', 'policy.read'],
  'read drafts, diffs, publish requests': ['draft.read', 'publish.read'],
  'check source, run scenarios': ['check', 'draft.check', 'draft.test'],
  'start a simulation job': ['simulation.run'],
  'list / read / cancel simulation jobs': ['simulation.read'],
  'create a policy, save a draft, publish or file a publish request': ['policy.create', 'draft.write', 'publish'],
  'approve / reject a publish request': ['publish.approve'],
  'retire a policy, read the audit log': ['policy.retire', 'audit.read'],
  'evaluate without recording a decision (record: false)': ['evaluate.unrecorded'],
  'read, list, replay decision records': ['decision.read'],
  'who am I (GET /api/me: name and role, for the studio)': ['me.read'],
  'manage accounts (/api/users: add, list, disable, role, password)': ['users.manage'],
  'read the household registry (history)': ['registry.read'],
  'import into / upsert the household registry': ['registry.write'],
  'start / cancel a monitoring run': ['monitor.run'],
  'read monitoring runs, lists and exports': ['monitor.read'],
};

function matrix(): Map<string, string[]> {
  const lines = doc.split('\n');
  const head = lines.findIndex((l) => l.startsWith('| action | anonymous |'));
  expect(head).toBeGreaterThan(0);
  const roles = lines[head]!.split('|').slice(2, -1).map((c) => c.trim());
  const rows = new Map<string, string[]>();
  for (const line of lines.slice(head + 2)) {
    if (!line.startsWith('|')) break;
    const cells = line.split('|').slice(1, -1).map((c) => c.trim());
    rows.set(cells[0]!.replaceAll('`', ''), roles.filter((_, i) => cells[i + 1] !== ''));
  }
  return rows;
}

describe('docs/security.md agrees with the code', () => {
  it('the role × action matrix is PERMISSIONS, for every action', () => {
    const rows = matrix();
    const covered = new Set(Object.values(ROWS).flat());
    expect([...covered].sort()).toEqual(Object.keys(PERMISSIONS).sort());
    for (const [row, actions] of Object.entries(ROWS)) {
      const documented = rows.get(row);
      expect(documented, row).toBeDefined();
      for (const action of actions) {
        expect(documented!.filter((r) => r !== 'anonymous').sort(), `${row} → ${action}`).toEqual(ROLES.filter((r) => allowed(r, action)).sort());
      }
    }
  });

  it('every limit in the table has the value the code enforces', () => {
    const n = (x: number) => x.toLocaleString('en-US');
    for (const cell of [
      `| JSON request body | ${BODY_LIMIT.replace('mb', ' MB')} |`,
      `| policy source, scenarios text (check, draft, create) | ${n(MAX_SOURCE)} characters each |`,
      `| households per batch | ${n(MAX_BATCH)} |`,
      `| simulation: inline households | ${n(MAX_INLINE_HOUSEHOLDS)} |`,
      `| simulation: generated households | ${n(MAX_GENERATED_HOUSEHOLDS)} per job`,
      `| simulation: active jobs per key | ${MAX_ACTIVE_PER_CALLER} queued or running | 429 \`simulation.queue_full\`, \`Retry-After: ${QUEUE_RETRY_AFTER_S}\` |`,
      `| simulation: active jobs in total | ${MAX_ACTIVE_TOTAL} | 429 \`simulation.queue_full\`, \`Retry-After: ${QUEUE_RETRY_AFTER_S}\` |`,
      `| simulation: jobs kept in memory | newest ${MAX_JOBS} `,
      `| simulation: compiling a draft candidate | ${DRAFT_CHECK_BUDGET.ms / 1000} s and ${DRAFT_CHECK_BUDGET.mb} MB `,
      `≤ today + ${FAR_FUTURE_YEARS} years unless confirmed`,
      `| failed sign-ins | ${SIGN_IN_LIMITS.perAccount} per account and ${SIGN_IN_LIMITS.perIp} per IP address per ${SIGN_IN_LIMITS.windowMinutes} minutes; ${n(SIGN_IN_LIMITS.maxKeys)} of each tracked |`,
      `| session | ${SESSION_HOURS} hours from sign-in |`,
    ]) expect(doc, cell).toContain(cell);
  });
});
