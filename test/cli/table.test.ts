// `policy check` shows a decision table's gap with its counterexample, like any diagnostic.
import { beforeAll, describe, expect, it } from 'vitest';
import { cli, requireBuild } from './helpers.js';

beforeAll(requireBuild);

const gap = 'test/cli/table-fixtures/gap.policy';

describe('policy check on a decision table', () => {
  it('prints the gap at the table with the age no row matches (zh / en), exit 1', async () => {
    const r = await cli(['check', gap]);
    expect(r.code).toBe(1);
    const first = r.stdout.split('\n')[0]!;
    expect(first).toContain(`${gap}:10:3 error check.table-gap`);
    expect(first).toContain('年龄 = 79：没有一行匹配');
    expect(first).toContain('年龄 = 79: no row matches');
  });

  it('gives it in JSON too', async () => {
    const r = await cli(['check', gap, '--format', 'json']);
    const j = JSON.parse(r.stdout);
    expect(j.files[0].diagnostics[0]).toMatchObject({ line: 10, column: 3, severity: 'error', code: 'check.table-gap' });
    expect(j.files[0].diagnostics[0].message.en).toContain('年龄 = 79: no row matches');
  });
});
