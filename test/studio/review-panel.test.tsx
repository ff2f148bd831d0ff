// @vitest-environment happy-dom
// The review screen against a fake runtime: it shows the request's snapshot (diff against its
// base, results), a reviewer approves naming the snapshot's hash or rejects with a note, and an
// editor (or the requester) sees the status with no decision buttons.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { I18nProvider } from '../../studio/src/i18n/i18n';
import { ReviewPanel } from '../../studio/src/versions/ReviewPanel';
import type { Me } from '../../studio/src/api/client';

const request = {
  id: 'pr-1', status: 'pending', hash: 'abc123def4567890', effective_from: '2027-01-01', note: '城市低保标准 650 元/月 → 700 元/月',
  requested_by: 'ed', requested_at: '2026-12-06T09:57:00Z', source: '', scenarios: '',
  base: { version: 2, effective_from: '2022-01-01', hash: 'h2' },
  diff: { from: 2, scenarios: { added: 0, removed: 0, lines: [] }, source: { added: 1, removed: 1, lines: [
    { op: 'remove', text: '参数 城市低保标准 = 650 元/月', from_line: 13, to_line: null },
    { op: 'add', text: '参数 城市低保标准 = 700 元/月', from_line: null, to_line: 13 },
  ] } },
  test: { passed: 1, failed: 1, results: [{ name: 'a', ok: true, outputs: [] }, { name: '农村单人户', ok: false, outputs: [] }] },
};

let posted: { url: string; body: unknown }[];
beforeEach(() => {
  posted = [];
  vi.stubGlobal('fetch', vi.fn(async (url: string, init?: RequestInit) => {
    const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
    if (init?.method === 'POST') posted.push({ url, body: JSON.parse(String(init.body)) });
    if (url === '/api/policies/p/publish-requests/pr-1') return json(request);
    if (url.endsWith('/approve')) return json({ version: { version: 3 } }, 201);
    if (url.endsWith('/reject')) return json({ request: { ...request, status: 'rejected' } });
    return json({ error: { code: 'route.not_found', message: url } }, 404);
  }));
});
afterEach(() => { cleanup(); vi.unstubAllGlobals(); });

function setup(me: Me | null) {
  const decided = vi.fn();
  render(<I18nProvider lang="zh"><ReviewPanel policyId="p" requestId="pr-1" me={me} onDecided={decided} onClose={() => {}} /></I18nProvider>);
  return decided;
}

describe('ReviewPanel', () => {
  it('shows the snapshot: base version, diff, results', async () => {
    setup({ name: 'rv', role: 'reviewer', open: false });
    await screen.findByTestId('review-diff');
    expect(screen.getByTestId('review-facts').textContent).toContain('第 2 版（生效 2022-01-01）');
    expect(screen.getByTestId('review-hash').textContent).toBe('abc123def456');
    expect(screen.getByTestId('review-diff').textContent).toContain('+参数 城市低保标准 = 700 元/月');
    expect(screen.getByTestId('review-tests').textContent).toBe('1/2 通过未通过：农村单人户');
  });

  it('a reviewer approves with the snapshot hash and the note', async () => {
    const decided = setup({ name: 'rv', role: 'reviewer', open: false });
    fireEvent.change(await screen.findByTestId('review-note'), { target: { value: '同意' } });
    fireEvent.click(screen.getByTestId('review-approve'));
    await waitFor(() => expect(decided).toHaveBeenCalledWith({ kind: 'approved', version: 3 }));
    expect(posted).toEqual([{ url: '/api/policies/p/publish-requests/pr-1/approve', body: { hash: 'abc123def4567890', note: '同意' } }]);
  });

  it('a reviewer rejects with a note', async () => {
    const decided = setup({ name: 'rv', role: 'reviewer', open: false });
    fireEvent.change(await screen.findByTestId('review-note'), { target: { value: '请补充测算' } });
    fireEvent.click(screen.getByTestId('review-reject'));
    await waitFor(() => expect(decided).toHaveBeenCalledWith({ kind: 'rejected', id: 'pr-1' }));
    expect(posted).toEqual([{ url: '/api/policies/p/publish-requests/pr-1/reject', body: { note: '请补充测算' } }]);
  });

  it('an editor and the requester see the status, no decision buttons', async () => {
    setup({ name: 'other', role: 'editor', open: false });
    expect((await screen.findByTestId('review-waiting')).textContent).toBe('等待审核人审核');
    expect(screen.getByTestId('review-status').textContent).toBe('待审核');
    expect(screen.queryByTestId('review-approve')).toBeNull();
    expect(screen.queryByTestId('review-reject')).toBeNull();
    cleanup();
    setup({ name: 'ed', role: 'reviewer', open: false });
    expect((await screen.findByTestId('review-waiting')).textContent).toBe('这是您本人提交的申请，须由其他审核人审核');
    expect(screen.queryByTestId('review-approve')).toBeNull();
  });
});
