// One policy's workspace: loads the draft and the household module, runs the language worker,
// keeps the draft saved, and hosts the screens (editor + test cases, parameters, versions,
// try it, household form). The Monaco models are the source of truth for the text.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { errorText, api, type Draft } from '../api/client';
import { useI18n } from '../i18n/i18n';
import { LanguageClient } from '../language/client';
import { monaco, registerPolicyLanguage, setLanguageClient, setMonacoLanguage, toMarkers } from '../language/monaco';
import type { Analysis } from '../language/protocol';
import type { EvalResult, PolicyInfo, Range, TraceEntry } from '../language/types';
import { DraftSync, type SyncStatus } from './draftSync';
import { EditorPane, type EditorPaneHandle, type FileKind } from './EditorPane';
import { Problems } from './Problems';
import { ScenarioPanel, SummaryBar } from '../scenarios/ScenarioPanel';
import { readScenarios, upsertScenario, type ScenarioInput } from '../scenarios/yamlSuite';
import { acceptResults, type Accept } from '../scenarios/acceptResults';
import { ScenarioForm } from '../household/ScenarioForm';
import { householdFields, type FieldSpec } from '../household/schemaForm';
import { ParameterTable } from '../parameters/ParameterTable';
import { VersionsScreen } from '../versions/VersionsScreen';
import { headerEffectiveDate, setHeaderEffective, setHeaderNote } from '../versions/publish';
import { TryIt, type TryItHandle } from '../try-it/TryIt';
import { ImpactTab } from '../impact/ImpactTab';
import { href, navigate, type Tab } from '../shell/router';
import { ErrorState, Loading } from '../shell/states';
import { useSession } from '../shell/session';
import { mayEdit } from '../shell/roles';
import { TableGrid } from '../table/TableGrid';
import { takePolicyData } from './load';

interface Loaded { draft: Draft; modules: Record<string, string>; schema: unknown; restored: boolean; base: { source: string; scenarios: string } }

async function loadAll(id: string): Promise<Loaded> {
  const { draft, moduleText, schema } = await takePolicyData(id);
  const backup = DraftSync.readBackup(id, draft);
  const base = { source: draft.source, scenarios: draft.scenarios };
  if (backup) {
    return { draft: { ...draft, source: backup.source, scenarios: backup.scenarios, etag: backup.etag || draft.etag }, modules: { 'common/household': moduleText }, schema, restored: true, base };
  }
  return { draft, modules: { 'common/household': moduleText }, schema, restored: false, base };
}

export default function Workspace({ id, tab }: { id: string; tab: Tab }) {
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    let cancelled = false;
    setLoaded(null);
    setError(null);
    loadAll(id).then((l) => { if (!cancelled) setLoaded(l); }, (e) => { if (!cancelled) setError(e); });
    return () => { cancelled = true; };
  }, [id, attempt]);
  if (error) return <ErrorState error={error} onRetry={() => setAttempt(attempt + 1)} />;
  if (!loaded) return <Loading />;
  return <LoadedWorkspace key={id + attempt} id={id} tab={tab} loaded={loaded} />;
}

function LoadedWorkspace({ id, tab, loaded }: { id: string; tab: Tab; loaded: Loaded }) {
  const { lang, t } = useI18n();
  // Monaco's own pop-ups (find, context menu) in the studio's language
  useEffect(() => setMonacoLanguage(lang), [lang]);
  const { me } = useSession();
  const readOnly = !mayEdit(me);
  const [analysis, setAnalysis] = useState<Analysis | null>(null);
  const [pending, setPending] = useState(true);
  const [status, setStatus] = useState<SyncStatus>({ state: loaded.restored ? 'dirty' : 'saved', revision: loaded.draft.revision });
  const [file, setFile] = useState<FileKind>('policy');
  const [selected, setSelected] = useState<number | null>(null);
  const [trace, setTrace] = useState<TraceEntry[] | null>(null);
  const [editing, setEditing] = useState<{ index: number | null; initial: ScenarioInput | null; key: number } | null>(null);
  const [fields, setFields] = useState<FieldSpec[]>(() => householdFields(loaded.schema));
  const [notice, setNotice] = useState<string | null>(loaded.restored ? t('draft.restored') : null);
  useEffect(() => {
    if (!notice) return;
    const timer = setTimeout(() => setNotice(null), 5000);
    return () => clearTimeout(timer);
  }, [notice]);
  const editorRef = useRef<EditorPaneHandle>(null);
  const tryRef = useRef<TryItHandle>(null);

  // language worker + Monaco models, one per workspace
  const { client, models } = useMemo(() => {
    registerPolicyLanguage();
    const c = new LanguageClient();
    c.init(loaded.modules);
    setLanguageClient(c);
    const stamp = Date.now();
    const m = {
      policy: monaco.editor.createModel(loaded.draft.source, 'policy', monaco.Uri.parse(`inmemory://policies/${id}/${stamp}/policy.policy`)),
      scenarios: monaco.editor.createModel(loaded.draft.scenarios, 'yaml', monaco.Uri.parse(`inmemory://policies/${id}/${stamp}/scenarios.yaml`)),
    };
    return { client: c, models: m };
  }, [id, loaded]);

  const content = useCallback(() => ({ source: models.policy.getValue(), scenarios: models.scenarios.getValue() }), [models]);
  const headerOf = useCallback((source: string) => client.request<PolicyInfo | null>('info', { text: source }), [client]);

  const sync = useMemo(() => {
    const s = new DraftSync(api, id, { ...loaded.base, etag: loaded.draft.etag, revision: loaded.draft.revision }, content, setStatus);
    return s;
  }, [id, loaded, content]);

  // leaving the workspace (another policy, the list): save unsaved text first, then let go
  useEffect(() => () => {
    void sync.close();
    client.dispose();
    setLanguageClient(null);
    models.policy.dispose();
    models.scenarios.dispose();
  }, [sync, client, models]);

  // analysis: debounced on every edit
  const debounce = useRef<ReturnType<typeof setTimeout> | null>(null);
  const analyseNow = useCallback(() => {
    if (debounce.current) { clearTimeout(debounce.current); debounce.current = null; }
    setPending(true);
    client.update(models.policy.getValue(), models.scenarios.getValue());
  }, [client, models]);
  useEffect(() => {
    const off = client.onAnalysis((a) => {
      setAnalysis(a);
      // still pending if the text moved on while this analysis ran
      setPending(a.source !== models.policy.getValue() || a.scenariosText !== models.scenarios.getValue());
    });
    analyseNow();
    if (loaded.restored) sync.changed();
    const subs = [models.policy, models.scenarios].map((m) => m.onDidChangeContent(() => {
      setPending(true);
      sync.changed();
      if (debounce.current) clearTimeout(debounce.current);
      debounce.current = setTimeout(analyseNow, 200);
    }));
    return () => { off(); subs.forEach((s) => s.dispose()); if (debounce.current) clearTimeout(debounce.current); };
  }, [client, models, sync, analyseNow, loaded.restored]);

  // markers
  useEffect(() => {
    if (!analysis) return;
    if (analysis.source === models.policy.getValue()) monaco.editor.setModelMarkers(models.policy, 'policy', toMarkers(analysis.diagnostics, lang));
    if (analysis.scenariosText === models.scenarios.getValue()) monaco.editor.setModelMarkers(models.scenarios, 'policy', toMarkers(analysis.scenarioDiagnostics, lang));
  }, [analysis, lang, models]);

  // household form fields: the schema of this policy (common fields plus its own), from the worker
  // (only the fields it reads: asked again whenever a checked text differs from the last one asked)
  const schemaAsked = useRef<string | null>(null);
  useEffect(() => {
    if (!analysis || (!analysis.compiled && fields.length) || schemaAsked.current === analysis.source) return;
    schemaAsked.current = analysis.source;
    client.request<unknown>('schema', { text: analysis.source }).then((s) => { const f = householdFields(s); if (f.length) setFields(f); }, () => {});
  }, [client, fields.length, analysis]);

  // explanation of the selected scenario
  useEffect(() => {
    setTrace(null);
    if (selected == null || !analysis) return;
    const s = analysis.scenarios[selected];
    if (!s) return;
    const r = analysis.report?.results[selected];
    if (r?.trace) { setTrace(r.trace); return; }
    if (!analysis.compiled) return;
    let cancelled = false;
    client.request<EvalResult>('evaluate', { household: s.household as never, asOf: s.as_of }).then((res) => {
      if (!cancelled && res.ok) setTrace(res.trace ?? []);
    }, () => {});
    return () => { cancelled = true; };
  }, [selected, analysis, client]);

  // warn on leave with unsaved work
  useEffect(() => {
    const on = (e: BeforeUnloadEvent) => { if (sync.unsafe) { e.preventDefault(); e.returnValue = t('draft.leaveWarning'); return t('draft.leaveWarning'); } return undefined; };
    window.addEventListener('beforeunload', on);
    return () => window.removeEventListener('beforeunload', on);
  }, [sync, t]);

  const save = useCallback(() => { void sync.save(); }, [sync]);
  const run = useCallback(() => { if (tab === 'tryit') tryRef.current?.run(); else analyseNow(); }, [tab, analyseNow]);
  const format = useCallback(() => { if (tab !== 'editor') navigate({ screen: 'policy', id, tab: 'editor' }); setTimeout(() => editorRef.current?.format(), 0); }, [tab, id]);

  // global shortcuts (Monaco handles them itself when it has focus)
  useEffect(() => {
    const on = (e: KeyboardEvent) => {
      if (e.defaultPrevented) return;
      const mod = e.ctrlKey || e.metaKey;
      if (mod && !e.shiftKey && !e.altKey && e.key.toLowerCase() === 's') { e.preventDefault(); save(); }
      else if (mod && e.key === 'Enter') { e.preventDefault(); run(); }
      else if (e.shiftKey && e.altKey && (e.key.toLowerCase() === 'f' || e.code === 'KeyF')) { e.preventDefault(); format(); }
    };
    window.addEventListener('keydown', on);
    return () => window.removeEventListener('keydown', on);
  }, [save, run, format]);

  const jump = useCallback((range: Range, f: FileKind = 'policy') => {
    if (tab !== 'editor') navigate({ screen: 'policy', id, tab: 'editor' });
    setFile(f);
    setTimeout(() => editorRef.current?.jumpTo(range, f), 0);
  }, [tab, id]);

  function replaceModel(m: monaco.editor.ITextModel, text: string) {
    m.pushEditOperations([], [{ range: m.getFullModelRange(), text }], () => null);
  }

  function saveScenario(s: ScenarioInput, index: number | null) {
    try {
      const next = upsertScenario(models.scenarios.getValue(), s, { policyId: id, replaceIndex: index ?? undefined });
      replaceModel(models.scenarios, next);
      const newIndex = index ?? readScenarios(next).length - 1;
      setEditing(null);
      setSelected(newIndex);
      setNotice(t('hh.saved'));
      analyseNow();
      navigate({ screen: 'policy', id, tab: 'editor' });
    } catch (e) {
      setNotice(errorText(e, lang));
    }
  }

  // after a deliberate change: the failing scenarios expect what the draft now computes
  function accept(accepts: Accept[]) {
    try {
      const date = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
      replaceModel(models.scenarios, acceptResults(models.scenarios.getValue(), accepts, { who: me?.name ?? 'local', date }));
      setNotice(t('accept.done', { n: accepts.length }));
      analyseNow();
    } catch (e) {
      setNotice(errorText(e, lang));
    }
  }

  function openForm(index: number | null) {
    const initial = index != null ? readScenarios(models.scenarios.getValue())[index] ?? null : null;
    setEditing({ index, initial, key: Date.now() });
    navigate({ screen: 'policy', id, tab: 'household' });
  }

  async function resolveConflict(how: 'overwrite' | 'reload') {
    if (how === 'overwrite') await sync.overwrite();
    else {
      const server = await sync.reload();
      replaceModel(models.policy, server.source);
      replaceModel(models.scenarios, server.scenarios);
    }
  }

  // the header's 生效 and 说明 follow what is published, so the version's own text says when and what
  async function prepareAndSave(effective: string, note: string): Promise<boolean> {
    const src = models.policy.getValue();
    const next = setHeaderNote(headerEffectiveDate(src) ? setHeaderEffective(src, effective) : src, note);
    if (next !== src) {
      replaceModel(models.policy, next);
      analyseNow();
    }
    return sync.save();
  }
  const saveNow = useCallback(() => sync.save(), [sync]);

  // the decision-table grid (studio/src/table): its edits come back formatted, as the formatter prints them
  const [grid, setGrid] = useState(0);
  const applyGrid = useCallback(async (next: string) => {
    const formatted = await client.request<string>('format', { text: next });
    if (formatted !== models.policy.getValue()) { replaceModel(models.policy, formatted); analyseNow(); }
    return formatted;
  }, [client, models, analyseNow]); // eslint-disable-line react-hooks/exhaustive-deps
  const cursorOffset = useCallback(() => {
    const p = editorRef.current?.editor()?.getPosition();
    return p && file === 'policy' ? models.policy.getOffsetAt(p) : null;
  }, [models, file]);

  const info = analysis?.info ?? null;
  const tabs: { key: Tab; label: string }[] = [
    { key: 'editor', label: t('tab.editor') },
    { key: 'parameters', label: t('tab.parameters') },
    { key: 'household', label: t('tab.household') },
    { key: 'versions', label: t('tab.versions') },
    { key: 'tryit', label: t('tab.tryit') },
    { key: 'impact', label: t('impact.tab') },
  ];

  return (
    <div className="workspace" data-testid="workspace">
      <header className="workspace-header">
        <div className="title-row">
          <a href={href({ screen: 'list' })} className="link">← {t('nav.policies')}</a>
          <h2 data-testid="policy-title">{info?.title || id}</h2>
          <span className="muted">{id}{info?.effective ? ` · ${t('ver.effective', { date: info.effective })}` : ''}</span>
          <SaveStatus status={status} onSave={save} />
        </div>
        <nav className="tabs" aria-label={t('a11y.tabs')}>
          {/* links, not ARIA tabs: each page has its own address (#/p/<id>/<tab>) */}
          {tabs.map((x) => (
            <a key={x.key} aria-current={tab === x.key ? 'page' : undefined} className={`tab${tab === x.key ? ' active' : ''}`} data-testid={`tab-${x.key}`}
              href={href({ screen: 'policy', id, tab: x.key })}>{x.label}</a>
          ))}
          <SummaryBar analysis={analysis} pending={pending} />
        </nav>
        {status.state === 'conflict' && (
          <div className="notice error" data-testid="conflict-banner" role="alert">
            {t('draft.conflict', { rev: String(status.conflictRevision ?? '?') })}
            <button type="button" data-testid="conflict-overwrite" onClick={() => void resolveConflict('overwrite')}>{t('draft.conflict.overwrite')}</button>
            <button type="button" data-testid="conflict-reload" onClick={() => void resolveConflict('reload')}>{t('draft.conflict.reload')}</button>
          </div>
        )}
        {notice && <div className="notice ok" data-testid="workspace-notice" onClick={() => setNotice(null)}>{notice} <button type="button" className="link">×</button></div>}
      </header>

      <div className="workspace-body">
        <div className={`pane editor-screen${tab === 'editor' ? '' : ' is-hidden'}`} data-testid="editor-screen">
          <div className="editor-col">
            <div className="toolbar editor-toolbar">
              <div className="file-tabs">
                <button type="button" className={file === 'policy' ? 'active' : ''} data-testid="file-policy" onClick={() => setFile('policy')}>{t('editor.file.policy')}</button>
                <button type="button" className={file === 'scenarios' ? 'active' : ''} data-testid="file-scenarios" onClick={() => setFile('scenarios')}>{t('editor.file.scenarios')}</button>
              </div>
              {readOnly ? <span className="notice read-only-banner" data-testid="read-only">{t('editor.readOnly', { role: me ? t(`role.${me.role}`) : '' })}</span> : (<>
                <button type="button" data-testid="format-button" onClick={() => editorRef.current?.format()}>{t('editor.format')}</button>
                <button type="button" data-testid="save-button" onClick={save}>{t('editor.save')}</button>
              </>)}
              <button type="button" data-testid="run-button" onClick={analyseNow}>{t('editor.run')}</button>
              <button type="button" data-testid="grid-open" title={t('grid.openHint')} aria-label={t('grid.open')} onClick={() => { setFile('policy'); setGrid(Date.now()); }}>{t('grid.open')}</button>
              <span className="muted small shortcuts">{t('editor.shortcuts')}</span>
            </div>
            <EditorPane ref={editorRef} models={models} file={file} onFileChange={setFile} onSave={save} onRun={analyseNow} visible={tab === 'editor'} readOnly={readOnly} />
            {grid > 0 && <TableGrid key={grid} client={client} source={() => models.policy.getValue()} cursorOffset={cursorOffset} analysis={analysis}
              onApply={applyGrid} onJump={(r) => jump(r)} onClose={() => setGrid(0)} readOnly={readOnly} />}
            <Problems analysis={analysis} onJump={(r) => jump(r)} />
          </div>
          <ScenarioPanel analysis={analysis} selected={selected} onSelect={setSelected} trace={trace}
            onNew={readOnly ? undefined : () => openForm(null)} onEdit={readOnly ? undefined : (i) => openForm(i)} onAccept={readOnly ? undefined : accept} onJump={(r) => jump(r)} onJumpScenario={(r) => jump(r, 'scenarios')} />
        </div>

        {tab === 'parameters' && (
          <div className="pane screen" data-testid="parameters-screen">
            <h3>{t('param.title')}</h3>
            <ParameterTable source={analysis?.source ?? models.policy.getValue()} parameters={info?.parameters ?? (analysis ? null : [])}
              onJump={(r) => jump(r)} readOnly={readOnly}
              onSourceChange={(_next, edit) => {
                if (!analysis || readOnly) return false;
                // the value range comes from the analysed text: apply it only where that text is unchanged
                const current = models.policy.getValue();
                const { start, end } = edit.range;
                if (current !== analysis.source && current.slice(start.offset, end.offset) !== analysis.source.slice(start.offset, end.offset)) return false;
                const from = models.policy.getPositionAt(start.offset), to = models.policy.getPositionAt(end.offset);
                models.policy.pushEditOperations([], [{ range: monaco.Range.fromPositions(from, to), text: edit.literal }], () => null);
                setNotice(t('param.edited'));
                analyseNow();
                return true;
              }} />
          </div>
        )}

        {tab === 'household' && (
          <div className="pane screen" data-testid="household-screen">
            <h3>{editing?.initial ? t('hh.title.edit', { name: editing.initial.name }) : t('hh.title.new')}</h3>
            <ScenarioForm key={editing?.key ?? 'new'} fields={fields} outputs={info?.outputs ?? []} initial={editing?.initial ?? null}
              defaultAsOf={analysis?.scenarios[analysis.scenarios.length - 1]?.as_of}
              onEvaluate={(household, asOf) => client.request<EvalResult>('evaluate', { household, asOf })}
              onSave={readOnly ? undefined : (s) => saveScenario(s, editing?.index ?? null)}
              onCancel={() => { setEditing(null); navigate({ screen: 'policy', id, tab: 'editor' }); }} />
          </div>
        )}

        <div className={`pane${tab === 'versions' ? '' : ' is-hidden'}`}>
          <VersionsScreen policyId={id} analysis={analysis} draft={content} save={saveNow} prepareAndSave={prepareAndSave} onPublished={() => {}} active={tab === 'versions'} headerOf={headerOf} />
        </div>

        {tab === 'impact' && <div className="pane screen" data-testid="impact-screen"><ImpactTab policyId={id} /></div>}

        <div className={`pane${tab === 'tryit' ? '' : ' is-hidden'}`}>
          <TryIt ref={tryRef} policyId={id} fields={fields} scenarios={analysis?.scenarios ?? []} active={tab === 'tryit'} />
        </div>
      </div>
    </div>
  );
}

function SaveStatus({ status, onSave }: { status: SyncStatus; onSave(): void }) {
  const { t } = useI18n();
  const text = status.state === 'saved' ? t('draft.saved') : status.state === 'saving' ? t('draft.saving') : status.state === 'dirty' ? t('draft.dirty')
    : status.state === 'conflict' ? t('draft.conflict.overwrite') : t('draft.error', { message: status.message ?? '' });
  return (
    <span className={`save-status ${status.state}`} data-testid="save-status" data-state={status.state}>
      {text} · {t('draft.revision', { rev: String(status.revision) })}
      {status.state === 'error' && <button type="button" className="link" onClick={onSave}>{t('common.retry')}</button>}
    </span>
  );
}

