// @vitest-environment happy-dom
// Draft autosave with the revision check (a stale save becomes a visible conflict, never an
// overwrite), local backup of unsaved text, the API client's shapes, publish blockers, the
// policy list filter and the i18n dictionary.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiClient, ApiError, normalizeSummary } from '../../studio/src/api/client';
import { DraftSync, type SyncStatus } from '../../studio/src/editor/draftSync';
import { dict } from '../../studio/src/i18n/dict';
import { translate } from '../../studio/src/i18n/i18n';
import { publishBlockers, setHeaderEffective, headerEffectiveDate } from '../../studio/src/versions/publish';
import { filterPolicies } from '../../studio/src/policies/PolicyList';
import type { Analysis } from '../../studio/src/language/protocol';

/** A fake runtime draft endpoint with revisions and If-Match. */
function fakeServer() {
  const state = { revision: 1, source: 'A', scenarios: 'S' };
  const fetchMock = vi.fn(async (url: string, init?: RequestInit) => {
    const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
      new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
    if (url.endsWith('/draft') && (!init?.method || init.method === 'GET')) return json(200, { ...state }, { ETag: `"${state.revision}"` });
    if (url.endsWith('/draft') && init?.method === 'PUT') {
      const ifMatch = (init.headers as Record<string, string>)['If-Match'];
      if (ifMatch !== `"${state.revision}"`) return json(409, { error: { code: 'conflict', message: 'stale', current_revision: state.revision, details: [] } });
      Object.assign(state, JSON.parse(String(init.body)));
      state.revision += 1;
      return json(200, { ...state }, { ETag: `"${state.revision}"` });
    }
    return json(404, { error: { code: 'not_found', message: 'no' } });
  });
  return { state, fetchMock };
}

describe('DraftSync', () => {
  let server: ReturnType<typeof fakeServer>;
  beforeEach(() => { server = fakeServer(); vi.stubGlobal('fetch', server.fetchMock); localStorage.clear(); });
  afterEach(() => { vi.unstubAllGlobals(); vi.useRealTimers(); });

  function make(text: { source: string; scenarios: string }) {
    const statuses: SyncStatus[] = [];
    const sync = new DraftSync(new ApiClient(''), 'p', { source: 'A', scenarios: 'S', etag: '"1"', revision: 1 }, () => text, (s) => statuses.push(s), 20);
    return { sync, statuses };
  }

  it('autosaves after a pause with If-Match and takes the new revision', async () => {
    const text = { source: 'A', scenarios: 'S' };
    const { sync } = make(text);
    text.source = 'B';
    sync.changed();
    expect(sync.status.state).toBe('dirty');
    expect(JSON.parse(localStorage.getItem('studio.draft.p')!).source).toBe('B');
    await vi.waitFor(() => expect(sync.status.state).toBe('saved'));
    expect(server.state).toMatchObject({ revision: 2, source: 'B' });
    expect(sync.etag).toBe('"2"');
    expect(localStorage.getItem('studio.draft.p')).toBeNull();
  });

  it('shows a conflict when someone else saved first, keeps the text, and can overwrite or reload', async () => {
    const text = { source: 'A', scenarios: 'S' };
    const { sync } = make(text);
    Object.assign(server.state, { revision: 5, source: 'THEIRS' });
    text.source = 'MINE';
    expect(await sync.save()).toBe(false);
    expect(sync.status).toMatchObject({ state: 'conflict', conflictRevision: 5 });
    expect(server.state.source).toBe('THEIRS');
    expect(sync.unsafe).toBe(true);
    expect(await sync.overwrite()).toBe(true);
    expect(server.state).toMatchObject({ source: 'MINE', revision: 6 });

    Object.assign(server.state, { revision: 9, source: 'LATER' });
    text.source = 'MINE2';
    await sync.save();
    expect(sync.status.state).toBe('conflict');
    const theirs = await sync.reload();
    expect(theirs.source).toBe('LATER');
    expect(sync.status.state).toBe('saved');
  });

  it('saves the last text when the editor closes, even after the text source is gone', async () => {
    const text = { source: 'A', scenarios: 'S' };
    const { sync } = make(text);
    text.source = 'CLOSING';
    const closing = sync.close();
    text.source = '';                      // the disposed editor no longer has the text
    await closing;
    expect(server.state).toMatchObject({ source: 'CLOSING', revision: 2 });
  });

  it('finds a local backup that differs from the server draft', () => {
    localStorage.setItem('studio.draft.p', JSON.stringify({ source: 'X', scenarios: 'S', etag: '"1"', at: '' }));
    expect(DraftSync.readBackup('p', { source: 'A', scenarios: 'S' })?.source).toBe('X');
    expect(DraftSync.readBackup('p', { source: 'X', scenarios: 'S' })).toBeNull();
  });
});

describe('ApiClient', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('normalizes the runtime\'s policy summary', () => {
    expect(normalizeSummary({ id: 'a', title: 't', program: 'p', jurisdiction: 'j', latest_version: 2, latest_effective_from: '2022-01-01', draft_status: 'changed', assumed_parameters: 3 }))
      .toMatchObject({ draft_changed: true, assumed_count: 3, latest_version: 2, retired: false });
    expect(normalizeSummary({ id: 'b', draft_changed: false, assumed_count: 0, latest_version: null })).toMatchObject({ draft_changed: false, draft_status: 'unchanged', latest_version: null });
  });

  it('reads publish answers (201 published, 202 review) and errors', async () => {
    const answers = [
      new Response(JSON.stringify({ status: 'published', version: { version: 3, effective_from: '2030-01-01' } }), { status: 201, headers: { 'content-type': 'application/json' } }),
      new Response(JSON.stringify({ status: 'pending', request: { id: 'r1' } }), { status: 202, headers: { 'content-type': 'application/json' } }),
      new Response(JSON.stringify({ error: { code: 'publish.blocked', message: '有失败的用例', details: [{ path: 'scenarios', message: '1 failing' }] } }), { status: 422, headers: { 'content-type': 'application/json' } }),
    ];
    vi.stubGlobal('fetch', vi.fn(async () => answers.shift()!));
    const api = new ApiClient('', () => 'k1');
    expect(await api.publish('p', { effective_from: '2030-01-01', note: 'n' })).toMatchObject({ kind: 'published', version: 3 });
    expect(await api.publish('p', { effective_from: '2030-01-01', note: 'n' })).toMatchObject({ kind: 'review', requestId: 'r1' });
    const err = await api.publish('p', { effective_from: '2030-01-01', note: 'n' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 422, code: 'publish.blocked', details: [{ path: 'scenarios', message: '1 failing' }] });
  });

  it('sends the API key and builds an equivalent curl command', async () => {
    const f = vi.fn(async () => new Response('{"policies":[]}', { status: 200, headers: { 'content-type': 'application/json' } }));
    vi.stubGlobal('fetch', f);
    const api = new ApiClient('http://x', () => 'secret');
    await api.listPolicies();
    expect((f.mock.calls[0] as unknown as [string, RequestInit])[1].headers).toMatchObject({ Authorization: 'Bearer secret' });
    const curl = api.curlEvaluate('p', { household: { id: "o'k" }, as_of: '2024-06-01', version: 2 });
    expect(curl).toContain("curl -sS -X POST 'http://x/api/policies/p/evaluate'");
    expect(curl).toContain("-H 'Authorization: Bearer secret'");
    expect(curl).toContain(`'{"household":{"id":"o'\\''k"},"as_of":"2024-06-01","version":2}'`);
  });
});

describe('publish blockers', () => {
  const base: Analysis = {
    version: 1, source: '', scenariosText: '', diagnostics: [], hasErrors: false, info: null, compiled: true,
    scenarioDiagnostics: [], scenarios: [{ name: 's', as_of: '2024-06-01', household: {}, expect: {}, range: { start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 1, offset: 0 } } }],
    report: { passed: 1, failed: 0, results: [], diagnostics: [] }, ms: 1,
  };
  it('lists errors and failing scenarios, and nothing when all is well', () => {
    expect(publishBlockers(base, { effective: '2030-01-01', note: 'n' })).toEqual([]);
    const bad = { ...base, report: { passed: 1, failed: 2, results: [], diagnostics: [] }, diagnostics: [{ ...base.scenarios[0]!, severity: 'error' as const, code: 'x', message: { zh: '', en: '' } }] };
    const reasons = publishBlockers(bad as Analysis, { effective: '', note: '' }).map((r) => translate('zh', r.key, r.args));
    expect(reasons).toEqual(['政策有 1 个错误', '2 个测试用例未通过', '请填写生效日期', '请填写说明']);
  });
  it('edits the header effective date', () => {
    const src = '政策 p「x」\n  生效 2022-01-01\n参数 a = 1\n';
    expect(headerEffectiveDate(src)).toBe('2022-01-01');
    expect(setHeaderEffective(src, '2030-01-01')).toBe('政策 p「x」\n  生效 2030-01-01\n参数 a = 1\n');
    expect(setHeaderEffective('policy p "x"\n  effective 2022-01-01\n', '2031-02-03')).toContain('effective 2031-02-03');
  });
});

describe('policy list filter and i18n', () => {
  const list = [
    normalizeSummary({ id: 'dawukou-dibao', title: '大武口区城乡最低生活保障', program: '最低生活保障', jurisdiction: '大武口区', draft_status: 'changed', assumed_parameters: 1 }),
    normalizeSummary({ id: 'qinghai-dibao', title: '青海省低保', program: '最低生活保障', jurisdiction: '青海省', draft_status: 'unchanged', assumed_parameters: 0 }),
    normalizeSummary({ id: 'dawukou-tekun', title: '特困供养', program: '特困人员救助供养', jurisdiction: '大武口区', draft_status: 'unchanged', assumed_parameters: 0 }),
  ];
  it('searches id/title/jurisdiction and filters by program and status', () => {
    expect(filterPolicies(list, '大武口', '', '').map((p) => p.id)).toEqual(['dawukou-dibao', 'dawukou-tekun']);
    expect(filterPolicies(list, '', '最低生活保障', '').map((p) => p.id)).toEqual(['dawukou-dibao', 'qinghai-dibao']);
    expect(filterPolicies(list, '', '', 'draft').map((p) => p.id)).toEqual(['dawukou-dibao']);
    expect(filterPolicies(list, 'QINGHAI', '', '').map((p) => p.id)).toEqual(['qinghai-dibao']);
  });
  it('has a Chinese and an English text for every key, with the same placeholders', () => {
    for (const [key, v] of Object.entries(dict)) {
      expect(v.zh, key).toBeTruthy();
      expect(v.en, key).toBeTruthy();
      const ph = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort().join();
      expect(ph(v.zh), key).toBe(ph(v.en));
    }
    expect(translate('zh', 'scen.summary', { passed: 14, total: 15 })).toBe('14/15 通过');
    expect(translate('en', 'scen.summary', { passed: 14, total: 15 })).toBe('14/15 passed');
  });
});
