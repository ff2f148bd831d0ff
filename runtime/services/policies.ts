// The policy lifecycle: create, edit the draft (optimistic concurrency by revision), check and
// test it, publish (directly, or through a publish request a reviewer approves), read versions,
// diff, retire. Knows nothing of HTTP: it raises DomainError and returns plain data.
import { isDate, todayInChina, addYears, FAR_FUTURE_YEARS } from '../../dsl/index.js';
import type { ErrorDetail } from './domain-error.js';
import { contentHash } from '../store/hash.js';
import type { AuditInput, Correction, DbData, PolicyRecord, PublishRequestRecord, Store, VersionRecord } from '../store/types.js';
import { DomainError } from './domain-error.js';
import { lineDiff, type LineDiff } from './diff.js';
import type { Diagnostic, Language, PolicyInfo, TestRun } from './language.js';
import { JsonText } from '../json-text.js';

export interface Caller { name: string; role: string; fingerprint: string }

export const POLICY_ID_PATTERN = '^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$';
const POLICY_ID = new RegExp(POLICY_ID_PATTERN);

export interface PolicySummary {
  id: string;
  title: string | null;
  program: string | null;
  jurisdiction: string | null;
  latest_version: number | null;
  latest_effective_from: string | null;
  draft_revision: number;
  draft_status: 'new' | 'changed' | 'unchanged';
  assumed_parameters: number;
  pending_requests: number;
  retired: boolean;
}

/** What a reader may see: drafts (and publish requests), or only what is published. */
export interface ReadView { drafts: boolean }
const FULL: ReadView = { drafts: true };

export type PublicPolicySummary = Omit<PolicySummary, 'draft_revision' | 'draft_status' | 'pending_requests'>;

export interface VersionSummary {
  version: number; effective_from: string; note: string; hash: string;
  author: string; approved_by: string | null; published_at: string;
  supersedes: { version: number; reason: string } | null;
  superseded_by: number | null;
}

/** How a version is dated: an optional correction of the latest version, and the far-future confirmation. */
export interface DatingOptions { correction?: Correction | null; confirm_far_future?: boolean }

export function newPolicyTemplate(id: string): string {
  return [
    `政策 ${id}「${id}」`,
    '  项目「待填写」',
    '  辖区「待填写」',
    '  使用「common/household」',
    '',
    '输出 eligible「是否符合」 = 假',
    '',
  ].join('\n');
}

const summarizeVersion = (v: VersionRecord, all: readonly VersionRecord[]): VersionSummary => ({
  version: v.version, effective_from: v.effective_from, note: v.note, hash: v.hash,
  author: v.author, approved_by: v.approved_by, published_at: v.published_at,
  supersedes: v.supersedes ? { version: v.supersedes.supersedes, reason: v.supersedes.reason } : null,
  superseded_by: all.find((x) => x.supersedes?.supersedes === v.version)?.version ?? null,
});

export const diagnosticDetail = (file: string, d: Diagnostic): ErrorDetail => ({
  path: `${d.file ?? file}:${d.range.start.line}:${d.range.start.column}`,
  message: `${d.code}: ${d.message.zh} / ${d.message.en}`,
});

function draftStatus(p: PolicyRecord): PolicySummary['draft_status'] {
  const latest = p.versions[p.versions.length - 1];
  if (!latest) return 'new';
  return contentHash(p.draft.source, p.draft.scenarios) === latest.hash ? 'unchanged' : 'changed';
}

export class PolicyService {
  /** `review`: whether publishing goes through review; a function when it can change (accounts). */
  constructor(readonly store: Store, readonly lang: Language, private readonly review: boolean | (() => boolean), readonly now: () => Date = () => new Date()) {}

  get reviewRequired(): boolean { return typeof this.review === 'function' ? this.review() : this.review; }

  private get data(): Readonly<DbData> { return this.store.data; }

  /** The stored policy, or 404. */
  policy(id: string): PolicyRecord {
    const p = Object.prototype.hasOwnProperty.call(this.data.policies, id) ? this.data.policies[id] : undefined;
    if (!p) throw notFoundPolicy(id);
    return p;
  }

  private info(source: string): PolicyInfo | undefined {
    return this.lang.analyze(source).info;
  }

  /** The source whose header a listing shows: the latest version's, else the draft's. */
  private listedSource(p: PolicyRecord): string {
    return p.versions[p.versions.length - 1]?.source ?? p.draft.source;
  }

  /** Every source list() reads (for the route to have them analysed in the worker first). */
  listedSources(): string[] {
    return Object.values(this.data.policies).map((p) => this.listedSource(p));
  }

  summary(p: PolicyRecord): PolicySummary {
    const latest = p.versions[p.versions.length - 1];
    const info = this.lang.digest(this.listedSource(p));
    return {
      id: p.id,
      title: info?.title ?? null,
      program: info?.program ?? null,
      jurisdiction: info?.jurisdiction ?? null,
      latest_version: latest?.version ?? null,
      latest_effective_from: latest?.effective_from ?? null,
      draft_revision: p.draft.revision,
      draft_status: draftStatus(p),
      assumed_parameters: info?.assumed_parameters ?? 0,
      pending_requests: p.publish_requests.filter((r) => r.status === 'pending').length,
      retired: p.retired !== null,
    };
  }

  /** How many policies there are (no analysis: /api/health reads this). */
  count(): number {
    return Object.keys(this.data.policies).length;
  }

  /**
   * Every policy; for a caller who may not read drafts (`drafts: false`, a client) only the
   * published ones, without anything about their drafts or publish requests.
   */
  list(view: ReadView = FULL): PolicySummary[] | PublicPolicySummary[] {
    const all = Object.values(this.data.policies).sort((a, b) => a.id.localeCompare(b.id));
    return view.drafts ? all.map((p) => this.summary(p)) : all.filter((p) => p.versions.length > 0).map((p) => this.publicSummary(p));
  }

  /** The published side of a policy: what a caller who may not read drafts sees. */
  private publicSummary(p: PolicyRecord): PublicPolicySummary {
    const { draft_revision: _r, draft_status: _s, pending_requests: _p, ...rest } = this.summary(p);
    return rest;
  }

  /** The policy as `view` may see it: a policy with no published version does not exist for a caller who may not read drafts. */
  private visiblePolicy(id: string, view: ReadView): PolicyRecord {
    const p = this.policy(id);
    if (!view.drafts && p.versions.length === 0) throw notFoundPolicy(id);
    return p;
  }

  get(id: string, view: ReadView = FULL) {
    const p = this.visiblePolicy(id, view);
    const latest = p.versions[p.versions.length - 1];
    const common = {
      created_at: p.created_at,
      created_by: p.created_by,
      retired_at: p.retired?.at ?? null,
      retired_reason: p.retired?.reason ?? null,
      info: this.info(latest ? latest.source : p.draft.source) ?? null,
      versions: p.versions.map((v) => summarizeVersion(v, p.versions)),
    };
    if (!view.drafts) return { ...this.publicSummary(p), ...common };
    return { ...this.summary(p), ...common, publish_requests: p.publish_requests.map(summarizeRequest) };
  }

  async create(caller: Caller, input: { id: string; source?: string; scenarios?: string }) {
    const { id } = input;
    if (!POLICY_ID.test(id)) {
      throw new DomainError('invalid', 'request.invalid', '政策编号只能用小写字母、数字和连字符', 'Policy id must be a slug of a-z, 0-9 and -', [{ path: 'id', message: 'a-z0-9-' }]);
    }
    const source = input.source ?? newPolicyTemplate(id);
    const scenarios = input.scenarios ?? `policy: ${id}\nscenarios: []\n`;
    const at = this.now().toISOString();
    await this.store.mutate((data, audit) => {
      if (data.policies[id]) throw new DomainError('conflict', 'policy.exists', `政策 ${id} 已存在`, `Policy ${id} already exists`, [{ path: 'id', message: id }]);
      data.policies[id] = {
        id, created_at: at, created_by: caller.name, retired: null,
        draft: { source, scenarios, revision: 1, updated_at: at, updated_by: caller.name },
        versions: [], publish_requests: [],
      };
      audit(entry(caller, 'policy.create', id, { revision: 1 }));
    });
    return this.get(id);
  }

  getDraft(id: string) {
    const p = this.policy(id);
    const latest = p.versions[p.versions.length - 1];
    return {
      policy: id,
      revision: p.draft.revision,
      source: p.draft.source,
      scenarios: p.draft.scenarios,
      updated_at: p.draft.updated_at,
      updated_by: p.draft.updated_by,
      base_version: latest?.version ?? null,
      status: draftStatus(p),
    };
  }

  /**
   * Saves the draft if `expected` is still its revision ('*' = any). The body may be what GET
   * returned: its read-only fields are ignored when they still describe the stored draft, and
   * named (400) when they contradict it.
   */
  async putDraft(caller: Caller, id: string, expected: number | '*', input: DraftInput) {
    this.policy(id);
    let analysis: ReturnType<Language['analyze']> | undefined;
    await this.store.mutate((data, audit) => {
      const p = data.policies[id]!;
      if (p.retired) throw retiredError(id);
      if (expected !== '*' && expected !== p.draft.revision) {
        throw new DomainError('conflict', 'draft.stale', `草稿已被他人修改（当前修订号 ${p.draft.revision}）`,
          `The draft has changed (current revision ${p.draft.revision})`,
          [{ path: 'If-Match', message: `expected "${p.draft.revision}"` }],
          { current_revision: p.draft.revision, current_etag: `"${p.draft.revision}"` });
      }
      const contradictions = readOnlyContradictions(this.getDraft(id), input);
      if (contradictions.length) {
        throw new DomainError('invalid', 'draft.read_only', '只读字段与草稿当前的值不一致（只能修改 source 和 scenarios）',
          'Read-only fields contradict the stored draft (only source and scenarios can be changed)', contradictions);
      }
      // Analysed before the commit: nothing after it may fail the answer to a write that was saved.
      analysis = this.lang.analyze(input.source ?? p.draft.source, 'policy.policy');
      const revision = p.draft.revision + 1;
      p.draft = {
        source: input.source ?? p.draft.source,
        scenarios: input.scenarios ?? p.draft.scenarios,
        revision, updated_at: this.now().toISOString(), updated_by: caller.name,
      };
      audit(entry(caller, 'draft.update', id, { revision, details: { source: input.source !== undefined, scenarios: input.scenarios !== undefined } }));
    });
    const draft = this.getDraft(id);
    return { ...draft, diagnostics: analysis!.diagnostics, has_errors: analysis!.hasErrors };
  }

  checkDraft(id: string, override?: { source?: string }): JsonText {
    const p = this.policy(id);
    return this.check(override?.source ?? p.draft.source, 'policy.policy', { policy: id });
  }

  /** The check answer; the header info goes in as the JSON bytes the worker made (it can be megabytes). */
  check(source: string, file = 'policy.policy', lead: Record<string, unknown> = {}): JsonText {
    const a = this.lang.analyze(source, file);
    return JsonText.object({
      ...lead,
      has_errors: a.hasErrors,
      errors: a.diagnostics.filter((d) => d.severity === 'error').length,
      warnings: a.diagnostics.filter((d) => d.severity === 'warning').length,
      diagnostics: a.diagnostics,
    }, { info: this.lang.infoJson(source, file) });
  }

  testDraft(id: string, override?: { source?: string; scenarios?: string }): TestRun & { policy: string; revision: number } {
    const p = this.policy(id);
    const run = this.lang.test(override?.source ?? p.draft.source, override?.scenarios ?? p.draft.scenarios);
    return { policy: id, revision: p.draft.revision, ...run };
  }

  /** Why this content may not be published as the next version (empty = it may). */
  private publishProblems(p: PolicyRecord, source: string, scenarios: string, effective: string | null, note: string | null, dating: DatingOptions = {}): ErrorDetail[] {
    const problems: ErrorDetail[] = [];
    const run = this.lang.test(source, scenarios);
    const info = this.lang.analyze(source, 'policy.policy').info;
    for (const d of run.diagnostics.filter((x) => x.severity === 'error')) problems.push(diagnosticDetail('policy.policy', d));
    for (const d of run.scenario_diagnostics.filter((x) => x.severity === 'error')) problems.push(diagnosticDetail('scenarios.yaml', d));
    for (const r of run.results.filter((x) => !x.ok)) {
      const wrong = r.outputs.filter((o) => !o.ok).map((o) => `${o.name}: expected ${JSON.stringify(o.expected)}, got ${JSON.stringify(o.actual)}`);
      const wrongRule = (r.decided_by ?? []).filter((d) => !d.ok).map((d) => `${d.output} decided by ${d.actual ?? 'nothing'}, expected ${d.expected}`);
      problems.push({ path: `scenarios[${JSON.stringify(r.name)}]`, message: `情景未通过 / scenario failed: ${[r.error, ...wrong, ...wrongRule].filter(Boolean).join('; ')}` });
    }
    if (info && info.id !== p.id) problems.push({ path: 'source', message: `政策头的编号 ${info.id} 与 ${p.id} 不一致 / header id ${info.id} does not match ${p.id}` });
    if (!effective) problems.push({ path: 'effective_from', message: '缺少生效日期 / effective_from is required (or 生效 in the header)' });
    else if (!isDate(effective)) problems.push({ path: 'effective_from', message: `不是有效日期 / not a valid date: ${effective}` });
    else problems.push(...this.datingProblems(p, effective, dating));
    if (!note || !note.trim()) problems.push({ path: 'note', message: '缺少版本说明 / note is required (or 说明 in the header)' });
    const latest = p.versions[p.versions.length - 1];
    if (latest && latest.hash === contentHash(source, scenarios)) {
      problems.push({ path: 'draft', message: `草稿与 v${latest.version} 相同，没有可发布的修改 / the draft is identical to v${latest.version}` });
    }
    return problems;
  }

  /**
   * Why `effective` may not date the next version. It must be after the latest version's date:
   * an earlier or equal date would change what past decisions rested on. Equal is allowed only
   * as an explicit correction of the latest version (which stays stored and pinnable, so the
   * decisions made under it can be replayed). A date more than FAR_FUTURE_YEARS ahead needs
   * confirmation: it would block every ordinary later version until then.
   */
  private datingProblems(p: PolicyRecord, effective: string, dating: DatingOptions): ErrorDetail[] {
    const problems: ErrorDetail[] = [];
    const latest = p.versions[p.versions.length - 1];
    const { correction } = dating;
    if (latest && effective < latest.effective_from) {
      problems.push({ path: 'effective_from', message: `须晚于当前最新版本 v${latest.version} 的生效日期 ${latest.effective_from}：更早的日期会改写已作出的决定 / must be after v${latest.version}'s effective date ${latest.effective_from}: an earlier date would rewrite decisions already made` });
    } else if (latest && effective === latest.effective_from && !correction) {
      problems.push({ path: 'effective_from', message: `与 v${latest.version} 的生效日期 ${latest.effective_from} 相同，会改写该日起已作出的决定；若是更正 v${latest.version}，请注明 "correction": {"supersedes": ${latest.version}, "reason": "…"} / equals v${latest.version}'s effective date ${latest.effective_from} and would rewrite decisions made since; if this corrects v${latest.version}, say so with "correction": {"supersedes": ${latest.version}, "reason": "…"}` });
    }
    if (correction) {
      if (!latest) {
        problems.push({ path: 'correction', message: '尚无已发布版本，无可更正 / nothing is published yet: there is no version to correct' });
      } else if (correction.supersedes !== latest.version) {
        problems.push({ path: 'correction.supersedes', message: `只能更正最新版本 v${latest.version}（不是 v${correction.supersedes}） / only the latest version v${latest.version} can be corrected (not v${correction.supersedes})` });
      } else if (effective !== latest.effective_from) {
        problems.push({ path: 'correction', message: `更正沿用被更正版本的生效日期 ${latest.effective_from}；日期不同就是普通的新版本，请去掉 correction / a correction keeps the corrected version's date ${latest.effective_from}; with another date it is an ordinary new version (drop correction)` });
      }
      if (!correction.reason.trim()) problems.push({ path: 'correction.reason', message: '请说明更正原因 / give the reason for the correction' });
    }
    const today = todayInChina(this.now());
    const limit = addYears(today, FAR_FUTURE_YEARS);
    if (effective > limit && dating.confirm_far_future !== true) {
      problems.push({ path: 'effective_from', message: `${effective} 比今天（${today}）晚 ${FAR_FUTURE_YEARS} 年以上，此前的所有新版本都将无法发布；确认无误请加 "confirm_far_future": true / ${effective} is more than ${FAR_FUTURE_YEARS} years after today (${today}) and would block every later version until then; if it is right, add "confirm_far_future": true` });
    }
    return problems;
  }

  /** Things worth telling the publisher that do not block publishing. */
  private publishWarnings(source: string, effective: string | null): ErrorDetail[] {
    const info = this.lang.analyze(source, 'policy.policy').info;
    return info?.effective && effective && info.effective !== effective
      ? [{ path: 'effective_from', message: `与政策头的生效日期 ${info.effective} 不同，以 ${effective} 为准 / differs from the header's 生效 ${info.effective}; ${effective} applies` }]
      : [];
  }

  private refuse(problems: ErrorDetail[]): never {
    throw new DomainError('unprocessable', 'publish.refused', '不能发布', 'Cannot publish', problems);
  }

  /**
   * Publishes the draft as the next version, or (when review is required) files a publish
   * request. effective_from / note default to the header's 生效 / 说明.
   */
  async publish(caller: Caller, id: string, input: { effective_from?: string; note?: string } & DatingOptions):
    Promise<{ status: 'published'; version: VersionSummary; warnings: ErrorDetail[] } | { status: 'pending'; request: ReturnType<typeof summarizeRequest>; warnings: ErrorDetail[] }> {
    const p = this.policy(id);
    if (p.retired) throw retiredError(id);
    const { source, scenarios, revision } = p.draft;
    const info = this.lang.analyze(source, 'policy.policy').info;
    const effective = input.effective_from ?? info?.effective ?? null;
    const note = input.note ?? info?.note ?? null;
    const dating: DatingOptions = { correction: input.correction ?? null, confirm_far_future: input.confirm_far_future === true };
    const problems = this.publishProblems(p, source, scenarios, effective, note, dating);
    if (problems.length) this.refuse(problems);
    const at = this.now().toISOString();
    const hash = contentHash(source, scenarios);
    const warnings = this.publishWarnings(source, effective);

    if (this.reviewRequired) {
      const request = await this.store.mutate((data, audit) => {
        const cur = data.policies[id]!;
        if (cur.draft.revision !== revision) throw new DomainError('conflict', 'draft.stale', '草稿在检查期间被修改', 'The draft changed while it was being checked', [], { current_revision: cur.draft.revision });
        const pending = cur.publish_requests.find((r) => r.status === 'pending');
        if (pending) {
          throw new DomainError('conflict', 'publish_request.pending', `已有待审核的发布申请 ${pending.id}`, `Publish request ${pending.id} is already pending`,
            [{ path: 'publish_requests', message: pending.id }], { request: pending.id });
        }
        const rid = `pr-${++data.counters.request}`;
        const r: PublishRequestRecord = {
          id: rid, status: 'pending', source, scenarios, hash, draft_revision: revision,
          base_version: cur.versions.length, effective_from: effective!, note: note!,
          requested_by: caller.name, requested_by_key: caller.fingerprint, requested_at: at,
          decided_by: null, decided_at: null, decision_note: null, version: null,
          correction: dating.correction ?? null, confirm_far_future: dating.confirm_far_future ?? false,
        };
        cur.publish_requests.push(r);
        audit(entry(caller, 'publish.request', id, { revision, details: { request: rid, effective_from: effective, note } }));
        return r;
      });
      return { status: 'pending', request: summarizeRequest(request), warnings };
    }

    const version = await this.store.mutate((data, audit) => {
      const cur = data.policies[id]!;
      if (cur.draft.revision !== revision) throw new DomainError('conflict', 'draft.stale', '草稿在检查期间被修改', 'The draft changed while it was being checked', [], { current_revision: cur.draft.revision });
      if (cur.versions.length !== p.versions.length) throw new DomainError('conflict', 'publish.concurrent', '检查期间已发布了新版本，请重试', 'Another version was published meanwhile; try again');
      const v: VersionRecord = {
        version: cur.versions.length + 1, effective_from: effective!, note: note!, source, scenarios, hash,
        author: caller.name, approved_by: null, published_at: at, draft_revision: revision, supersedes: dating.correction ?? null,
      };
      cur.versions.push(v);
      audit(entry(caller, 'publish', id, { revision, version: v.version, details: { effective_from: v.effective_from, hash, supersedes: dating.correction ?? null } }));
      return v;
    });
    return { status: 'published', version: summarizeVersion(version, this.policy(id).versions), warnings };
  }

  publishRequests(id: string) {
    return this.policy(id).publish_requests.map(summarizeRequest);
  }

  /**
   * What a reviewer approves: the request's own immutable snapshot (never the current draft),
   * its hash, its diff against the version it will follow, and its scenario results.
   */
  publishRequest(id: string, rid: string) {
    const p = this.policy(id);
    const r = findRequest(p, rid);
    const base = r.base_version > 0 ? p.versions[r.base_version - 1]! : null;
    const run = this.lang.test(r.source, r.scenarios);
    return {
      policy: id,
      ...summarizeRequest(r),
      source: r.source,
      scenarios: r.scenarios,
      base: base ? { version: base.version, effective_from: base.effective_from, hash: base.hash } : null,
      diff: { from: base?.version ?? null, source: lineDiff(base?.source ?? '', r.source), scenarios: lineDiff(base?.scenarios ?? '', r.scenarios) },
      test: { ok: run.ok, compiled: run.compiled, passed: run.passed, failed: run.failed, results: run.results, diagnostics: run.diagnostics, scenario_diagnostics: run.scenario_diagnostics },
      // Its impact on a population: an impact-analysis job with this snapshot as the candidate.
      impact: { method: 'POST', path: `/api/policies/${id}/simulations`, body: { candidate: rid, baseline: base?.version ?? null } },
    };
  }

  /** A request's stored snapshot (any status), e.g. to simulate its impact. */
  requestSnapshot(id: string, rid: string): Readonly<PublishRequestRecord> {
    return findRequest(this.policy(id), rid);
  }

  private request(p: PolicyRecord, rid: string): PublishRequestRecord {
    const r = findRequest(p, rid);
    if (r.status !== 'pending') throw new DomainError('conflict', 'publish_request.decided', `发布申请 ${rid} 已处理（${r.status}）`, `Publish request ${rid} is already ${r.status}`);
    return r;
  }

  /**
   * Publishes a request's snapshot. The approver names the snapshot's hash (from GET of the
   * request): an approval that does not name it, or names another content (e.g. the current
   * draft's), is refused, so nobody approves something they were not shown.
   */
  async approve(caller: Caller, id: string, rid: string, decision: { hash?: string; note?: string }) {
    const p = this.policy(id);
    if (p.retired) throw retiredError(id);
    const r = this.request(p, rid);
    if (r.requested_by_key === caller.fingerprint) {
      throw new DomainError('conflict', 'publish_request.self_approval', '不能审核自己提交的发布申请', 'A publish request must be approved by a different key');
    }
    if (!decision.hash) {
      throw new DomainError('unprocessable', 'publish_request.hash_required',
        `批准须写明所审核快照的哈希（GET /api/policies/${id}/publish-requests/${rid} 中的 hash）`,
        `Approval must name the hash of the snapshot you reviewed (hash in GET /api/policies/${id}/publish-requests/${rid})`,
        [{ path: 'hash', message: 'required' }]);
    }
    if (decision.hash !== r.hash) {
      throw new DomainError('conflict', 'publish_request.hash_mismatch',
        `哈希与申请 ${rid} 的快照不一致：您审核的内容不是将要发布的内容，请重新查看申请`,
        `The hash does not match request ${rid}'s snapshot: what you reviewed is not what would be published; review the request again`,
        [{ path: 'hash', message: `expected the snapshot's hash ${r.hash.slice(0, 12)}…, got ${decision.hash.slice(0, 12)}…` }], { request: rid });
    }
    const note = decision.note;
    if (r.base_version !== p.versions.length) {
      throw new DomainError('conflict', 'publish_request.stale', `申请提交后已有新版本 v${p.versions.length}，请重新提交`, `Version v${p.versions.length} was published after this request; file a new one`);
    }
    const problems = this.publishProblems(p, r.source, r.scenarios, r.effective_from, r.note, { correction: r.correction ?? null, confirm_far_future: r.confirm_far_future === true });
    if (problems.length) this.refuse(problems);
    const at = this.now().toISOString();
    const version = await this.store.mutate((data, audit) => {
      const cur = data.policies[id]!;
      const req = cur.publish_requests.find((x) => x.id === rid)!;
      if (req.status !== 'pending' || cur.versions.length !== r.base_version) {
        throw new DomainError('conflict', 'publish_request.stale', '发布申请已过期', 'The publish request is no longer current');
      }
      const v: VersionRecord = {
        version: cur.versions.length + 1, effective_from: req.effective_from, note: req.note, source: req.source,
        scenarios: req.scenarios, hash: req.hash, author: req.requested_by, approved_by: caller.name, published_at: at,
        draft_revision: req.draft_revision, supersedes: req.correction ?? null,
      };
      cur.versions.push(v);
      Object.assign(req, { status: 'approved', decided_by: caller.name, decided_by_key: caller.fingerprint, decided_at: at, decision_note: note ?? null, version: v.version });
      audit(entry(caller, 'publish.approve', id, { revision: req.draft_revision, version: v.version, details: { request: rid, requested_by: req.requested_by, hash: v.hash, supersedes: req.correction ?? null } }));
      return v;
    });
    return { status: 'published' as const, version: summarizeVersion(version, this.policy(id).versions), request: summarizeRequest(this.policy(id).publish_requests.find((x) => x.id === rid)!) };
  }

  async reject(caller: Caller, id: string, rid: string, note?: string) {
    const p = this.policy(id);
    this.request(p, rid);
    const at = this.now().toISOString();
    await this.store.mutate((data, audit) => {
      const req = data.policies[id]!.publish_requests.find((x) => x.id === rid)!;
      if (req.status !== 'pending') throw new DomainError('conflict', 'publish_request.decided', `发布申请 ${rid} 已处理`, `Publish request ${rid} is already decided`);
      Object.assign(req, { status: 'rejected', decided_by: caller.name, decided_by_key: caller.fingerprint, decided_at: at, decision_note: note ?? null });
      audit(entry(caller, 'publish.reject', id, { revision: req.draft_revision, details: { request: rid, note: note ?? null } }));
    });
    return summarizeRequest(this.policy(id).publish_requests.find((x) => x.id === rid)!);
  }

  versions(id: string, view: ReadView = FULL): VersionSummary[] {
    const p = this.visiblePolicy(id, view);
    return p.versions.map((v) => summarizeVersion(v, p.versions));
  }

  version(id: string, n: number, view: ReadView = FULL) {
    const p = this.visiblePolicy(id, view);
    const v = p.versions[n - 1];
    if (!Number.isInteger(n) || n < 1 || !v) {
      throw new DomainError('not_found', 'version.not_found', `政策 ${id} 没有版本 ${n}`, `Policy ${id} has no version ${n}`, [{ path: 'version', message: String(n) }]);
    }
    return { policy: id, ...summarizeVersion(v, p.versions), source: v.source, scenarios: v.scenarios, draft_revision: v.draft_revision };
  }

  /** Line diff between two versions, or a version and the draft. */
  diff(id: string, from: number | 'draft' | undefined, to: number | 'draft' | undefined): { policy: string; from: number | 'draft'; to: number | 'draft'; source: LineDiff; scenarios: LineDiff } {
    const p = this.policy(id);
    const latest = p.versions.length;
    const a = from ?? (latest > 0 ? latest : 'draft');
    const b = to ?? 'draft';
    const text = (x: number | 'draft') => (x === 'draft' ? p.draft : this.version(id, x));
    const ta = text(a), tb = text(b);
    return { policy: id, from: a, to: b, source: lineDiff(ta.source, tb.source), scenarios: lineDiff(ta.scenarios, tb.scenarios) };
  }

  async retire(caller: Caller, id: string, reason?: string) {
    this.policy(id);
    const at = this.now().toISOString();
    await this.store.mutate((data, audit) => {
      const p = data.policies[id]!;
      if (p.retired) throw retiredError(id);
      p.retired = { at, by: caller.name, reason: reason ?? null };
      for (const r of p.publish_requests) {
        if (r.status === 'pending') Object.assign(r, { status: 'rejected', decided_by: caller.name, decided_at: at, decision_note: 'policy retired' });
      }
      audit(entry(caller, 'policy.retire', id, { revision: p.draft.revision, details: { reason: reason ?? null } }));
    });
    return this.get(id);
  }

  audit(filter: { policy?: string; action?: string; limit?: number; after?: number }) {
    let entries = this.data.audit as DbData['audit'];
    if (filter.policy || filter.action || filter.after !== undefined) {
      entries = entries.filter((e) => (!filter.policy || e.policy === filter.policy) && (!filter.action || e.action === filter.action)
        && (filter.after === undefined || e.seq > filter.after));
    }
    const limit = filter.limit ?? 1000;
    return { total: entries.length, entries: entries.slice(-limit) };
  }
}

/** The fields GET …/draft returns besides source and scenarios: a PUT may echo them, not change them. */
export const DRAFT_READ_ONLY = ['policy', 'revision', 'updated_at', 'updated_by', 'base_version', 'status'] as const;
type DraftReadOnly = (typeof DRAFT_READ_ONLY)[number];
export type DraftInput = { source?: string; scenarios?: string } & Partial<Record<DraftReadOnly, unknown>>;

function readOnlyContradictions(stored: Record<DraftReadOnly, unknown>, input: DraftInput): ErrorDetail[] {
  return DRAFT_READ_ONLY.filter((k) => input[k] !== undefined && input[k] !== stored[k]).map((k) => ({
    path: k, message: `只读，当前为 ${JSON.stringify(stored[k])} / read-only; the stored draft has ${JSON.stringify(stored[k])}, the body ${JSON.stringify(input[k])}`,
  }));
}

function notFoundPolicy(id: string): DomainError {
  return new DomainError('not_found', 'policy.not_found', `没有这个政策：${id}`, `No such policy: ${id}`, [{ path: 'policyId', message: id }]);
}

function retiredError(id: string): DomainError {
  return new DomainError('conflict', 'policy.retired', `政策 ${id} 已停用`, `Policy ${id} is retired`);
}

function findRequest(p: PolicyRecord, rid: string): PublishRequestRecord {
  const r = p.publish_requests.find((x) => x.id === rid);
  if (!r) throw new DomainError('not_found', 'publish_request.not_found', `没有这个发布申请：${rid}`, `No such publish request: ${rid}`, [{ path: 'requestId', message: rid }]);
  return r;
}

function summarizeRequest(r: PublishRequestRecord) {
  const { source: _s, scenarios: _c, requested_by_key: _k, decided_by_key: _d, ...rest } = r;
  return rest;
}

function entry(caller: Caller, action: string, policy: string | null,
  more: { revision?: number | null; version?: number | null; details?: Record<string, unknown> } = {}): AuditInput {
  return { who: caller.name, role: caller.role, action, policy, revision: more.revision ?? null, version: more.version ?? null, details: more.details ?? {} };
}
