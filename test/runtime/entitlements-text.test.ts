// The entitlements answers written straight to JSON text (entitlements-text.ts: no answer object,
// the fixed parts written once per programme list) must be the very text JSON.stringify gives for
// the answer object built as before: for generated households placed in every county of the
// division table (each jurisdiction's programmes, the temporary assistance of the place of
// residence, a hukou in another province, no programme at all), recorded or not, as bytes (the
// JSON batch) and as a string, and over HTTP for the batch route and the single one (POST
// /api/entitlements: the bytes of JSON.stringify of entitlements()'s answer, and the batch's item).
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type StudioApp } from '../../runtime/app.js';
import { openStore } from '../../runtime/server.js';
import { loadModules } from '../../runtime/services/language.js';
import { decide, entitlements, entitlementsBatch, entitlementsBatchBytes, entitlementsBytes, prepare, type Answered } from '../../runtime/services/entitlements.js';
import { ByteSink, outputsJsonWriter, TextSink } from '../../runtime/services/entitlements-text.js';
import { DIVISIONS } from '../../runtime/services/divisions.js';
import type { EvaluationService } from '../../runtime/services/evaluation.js';
import type { LowdbStore } from '../../runtime/store/lowdb-store.js';
import { generatePopulation } from '../../simulation/generator.js';
import { bearer, NO_REVIEW_KEYS, tempDir } from './helpers.js';

const POLICIES = join(import.meta.dirname, '../../policies');
const AS_OF = '2024-07-01';

let app: StudioApp, store: LowdbStore, evaluation: EvaluationService;
beforeAll(async () => {
  const modules = loadModules(POLICIES);
  ({ store } = await openStore(tempDir('ent-text-'), POLICIES, modules));
  app = createApp({ store, keys: NO_REVIEW_KEYS, modules, log: () => undefined, studioDir: null, today: () => AS_OF });
  evaluation = app.locals.ctx.evaluation;
  await prepare(evaluation, AS_OF);
}, 180_000);
afterAll(async () => { await store.close(); });

/** The counties (no division below them): every place a household can be routed to. */
const counties = DIVISIONS.filter((d) => !DIVISIONS.some((x) => x.parent === d.code));

/** Generated households of every preset, placed by codes in `residence` with hukou in `hukou`
 *  (the place names left out: routing reads the codes, the programmes get the names filled in). */
function householdsIn(residence: string, hukou: string, n: number, seed: number): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const preset of ['dawukou', 'zhongwei', 'xpcc']) {
    for (const h of generatePopulation({ preset, households: n, seed, asOf: AS_OF }) as Iterable<Record<string, unknown>>) {
      const { county: _c, hukou_county: _hc, hukou_province: _hp, ...rest } = h;
      out.push({ ...rest, residence_code: residence, hukou_code: hukou });
    }
  }
  return out;
}

/** Households of every county (hukou there, and hukou in the first county of another place), and generated ones as they come. */
function everywhere(): unknown[] {
  const out: unknown[] = [];
  counties.forEach((c, i) => {
    out.push(...householdsIn(c.code, c.code, 4, 100 + i));
    const other = counties[(i + 7) % counties.length]!;
    out.push(...householdsIn(c.code, other.code, 2, 200 + i));
  });
  for (const preset of ['dawukou', 'zhongwei', 'xpcc']) out.push(...generatePopulation({ preset, households: 60, seed: 17, asOf: AS_OF }));
  return out;
}

const textOf = (d: Answered): string => { const s = new TextSink(); d.write(s); return s.text; };
const bytesOf = (d: Answered): Buffer => { const s = new ByteSink(16); d.write(s); return Buffer.from(s.bytes()); };

describe('outputsJsonWriter: JSON.stringify of an outputs object', () => {
  /** An outputs object as the outputs writer makes them: no Object.prototype, keys in order. */
  const outputs = (o: Record<string, unknown>) => Object.assign(Object.create(null) as Record<string, never>, o);

  it('every kind of value an output has, and texts JSON.stringify escapes', () => {
    const write = outputsJsonWriter(['eligible', 'amount', 'level', 'members', 'by_member', 'none', 'count', 'note']);
    const cases = [
      { eligible: true, amount: '12.05', level: '无', members: [], by_member: outputs({ m1: '0.00', m2: '110.00' }), none: null, count: 3, note: 'a "quoted" \\ text' },
      { eligible: false, amount: '0.00', level: 'x'.repeat(40), members: ['m1', 'm2'], by_member: outputs({}), none: null, count: -0.5, note: 'line\nbreak \u2028 \ud800' },
      { eligible: null, amount: null, level: '', members: ['成员'], by_member: outputs({ 1: 'a', b: 'c' }), none: null, count: 0, note: '' },
    ];
    for (const c of cases) expect(write(outputs(c))).toBe(JSON.stringify(outputs(c)));
  });

  it('an undefined value (left out by JSON.stringify), a name like an array index or __proto__: the whole object by JSON.stringify', () => {
    const o = outputs({ a: 'x', b: undefined, c: true });
    expect(outputsJsonWriter(['a', 'b', 'c'])(o)).toBe('{"a":"x","c":true}');
    const indexed = outputs({ b: 'x', 1: 'y' });
    expect(outputsJsonWriter(['b', '1'])(indexed)).toBe(JSON.stringify(indexed));
    expect(outputsJsonWriter([])(outputs({}))).toBe('{}');
  });
});

describe('entitlements answers written as text: the same text as JSON.stringify of the answer object', () => {
  it('households of every county (not recorded): as a string and as bytes', () => {
    const programmes = new Set<number>();
    let written = 0;
    for (const h of everywhere()) {
      const old = decide(evaluation, h, AS_OF, false), asText = decide(evaluation, h, AS_OF, false), asBytes = decide(evaluation, h, AS_OF, false);
      if (!old.ok) { expect(asText.ok).toBe(false); continue; }
      const expected = JSON.stringify(old.answer);
      expect(textOf(asText as Answered), (h as { id: string }).id).toBe(expected);
      expect(bytesOf(asBytes as Answered).equals(Buffer.from(expected, 'utf8'))).toBe(true);
      programmes.add(old.answer.programmes.length);
      written++;
    }
    // (not vacuous: places with programme lists of several lengths, none among them)
    expect(written).toBeGreaterThan(500);
    expect(programmes.size).toBeGreaterThan(2);
    expect(programmes.has(0)).toBe(true);
  });

  it('recorded answers: the ids in decision_ids and in each programme, whenever the object is built', () => {
    let checked = 0;
    for (const h of everywhere().slice(0, 400)) {
      const built = decide(evaluation, h, AS_OF, false), lazy = decide(evaluation, h, AS_OF, false), text = decide(evaluation, h, AS_OF, false);
      if (!built.ok || !lazy.ok || !text.ok) continue;
      const ids = built.decided.map((d, i) => `id-${i}-${d.policy}`);
      const answer = built.answer;   // the object first, then recorded (as before)
      built.recordedAs(ids);
      lazy.recordedAs(ids);          // recorded first, the object when read
      text.recordedAs(ids);
      const expected = JSON.stringify(answer);
      expect(answer.recorded).toBe(true);
      if (ids.length) expect(answer.decision_ids[built.decided[0]!.policy]).toBe(ids[0]);
      expect(textOf(text), (h as { id: string }).id).toBe(expected);
      expect(JSON.stringify(lazy.answer)).toBe(expected);
      checked++;
    }
    expect(checked).toBeGreaterThan(300);
  });

  it('answers whose every programme\'s outputs are shared share their results, and one recorded gets its own', () => {
    const hs = generatePopulation({ preset: 'dawukou', households: 300, seed: 23, asOf: AS_OF }) as Iterable<unknown>;
    const byList = new Map<unknown, string>();
    let shared = 0, recorded = 0;
    for (const h of hs) {
      const a = decide(evaluation, h, AS_OF, false), b = decide(evaluation, h, AS_OF, false), c = decide(evaluation, h, AS_OF, false);
      if (!a.ok || !b.ok || !c.ok) continue;
      const expected = textOf(c);
      // the list of results met before for another household (the same array) has the same text
      const seen = byList.get(a.answer.programmes);
      if (seen !== undefined) { shared++; expect(seen).toBe(JSON.stringify(a.answer.programmes)); }
      byList.set(a.answer.programmes, JSON.stringify(a.answer.programmes));
      expect(JSON.stringify(a.answer)).toBe(expected);
      // recorded after its object was built: its own ids, none in the answers that share with it
      b.answer;
      b.recordedAs(b.decided.map((d, i) => `id-${i}-${d.policy}`));
      expect(b.answer.programmes.every((p) => p.decision_id !== undefined)).toBe(true);
      expect(a.answer.programmes.some((p) => p.decision_id !== undefined)).toBe(false);
      expect(textOf(decide(evaluation, h, AS_OF, false) as Answered)).toBe(expected);
      recorded++;
    }
    // (not vacuous: most of these households share a list of results with one before)
    expect(shared).toBeGreaterThan(100);
    expect(recorded).toBeGreaterThan(250);
  });

  it('a batch with errors among the answers: entitlementsBatchBytes is JSON.stringify of entitlementsBatch', async () => {
    const hs: unknown[] = everywhere().slice(0, 300);
    const [dawukou] = generatePopulation({ preset: 'dawukou', households: 1, seed: 3, asOf: AS_OF });
    // not an object; a key no programme reads (refused where programmes are); a place not in the table
    hs.splice(3, 0, 'not a household', { ...(dawukou as object), aera: 'urban' }, { residence_code: '999999' });
    const opts = { evaluation, trace: false, bounded: false };
    const objects = await entitlementsBatch(hs, AS_OF, opts);
    const bytes = await entitlementsBatchBytes(hs, AS_OF, opts);
    expect(objects.error_count).toBeGreaterThanOrEqual(3);
    expect(bytes.error_count).toBe(objects.error_count);
    expect(bytes.results.toString('utf8')).toBe(JSON.stringify(objects.results));
  });

  it('batch buffers: written again only once released (release twice: harmless), never while lent', async () => {
    const opts = { evaluation, trace: false, bounded: false };
    const all = everywhere();
    // (c: a's households in another order: the same room, other bytes)
    const a = all.slice(0, 150), b = all.slice(150, 300), c = a.slice().reverse();
    const expected = async (hs: unknown[]) => JSON.stringify((await entitlementsBatch(hs, AS_OF, opts)).results);
    const first = await entitlementsBatchBytes(a, AS_OF, opts);
    const firstText = first.results.toString('utf8');
    expect(firstText).toBe(await expected(a));
    // not released: a later batch writes elsewhere, the first's bytes stay as they were
    const second = await entitlementsBatchBytes(b, AS_OF, opts);
    expect(first.results.toString('utf8')).toBe(firstText);
    expect(second.results.toString('utf8')).toBe(await expected(b));
    // released (twice): the next batch may write into the first's buffer, and its bytes are its own
    first.release(); first.release();
    const third = await entitlementsBatchBytes(c, AS_OF, opts);
    expect(third.results.buffer === first.results.buffer).toBe(true);
    expect(third.results.toString('utf8')).toBe(await expected(c));
    expect(second.results.toString('utf8')).toBe(await expected(b));
    second.release(); third.release();
  });

  it('POST /api/entitlements/batch twice in a row: each answer its own households\' (the buffer reused once sent)', async () => {
    const all = everywhere();
    for (const hs of [all.slice(0, 100), all.slice(100, 160), all.slice(0, 100)]) {
      const res = await request(app).post('/api/entitlements/batch').set(bearer('tester-key')).send({ households: hs, as_of: AS_OF, record: false });
      expect(res.status).toBe(200);
      const objects = await entitlementsBatch(hs, AS_OF, { evaluation, trace: false, bounded: false });
      expect(res.text).toBe(JSON.stringify({ as_of: AS_OF, recorded: false, results: objects.results, error_count: objects.error_count }));
    }
  });

  it('POST /api/entitlements/batch answers those bytes (dry run and recorded)', async () => {
    const hs = everywhere().slice(0, 200);
    const dry = await request(app).post('/api/entitlements/batch').set(bearer('tester-key')).send({ households: hs, as_of: AS_OF, record: false });
    expect(dry.status).toBe(200);
    const objects = await entitlementsBatch(hs, AS_OF, { evaluation, trace: false, bounded: false });
    expect(dry.text).toBe(JSON.stringify({ as_of: AS_OF, recorded: false, results: objects.results, error_count: objects.error_count }));
    expect(dry.headers['content-length']).toBe(String(Buffer.byteLength(dry.text)));
    const rec = await request(app).post('/api/entitlements/batch').set(bearer('tester-key')).send({ households: hs.slice(0, 20), as_of: AS_OF });
    expect(rec.status).toBe(200);
    const body = rec.body as { recorded: boolean; results: { decision_ids: Record<string, string>; programmes: { policy: string; decision_id?: string }[] }[] };
    expect(body.recorded).toBe(true);
    // every programme decided has its id, the same in decision_ids; the text is what JSON.stringify gives of the parsed answer
    for (const r of body.results) for (const p of r.programmes) expect(p.decision_id).toBe(r.decision_ids[p.policy]);
    expect(rec.text).toBe(JSON.stringify(rec.body));
  });

  it('POST /api/entitlements/batch as JSON Lines: each line the text of { line, ...answer }', async () => {
    const hs = everywhere().slice(0, 120);
    const res = await request(app).post(`/api/entitlements/batch?as_of=${AS_OF}&record=false`).set(bearer('tester-key'))
      .set('Content-Type', 'application/x-ndjson').send(hs.map((h) => JSON.stringify(h)).join('\n') + '\n')
      .buffer(true).parse((r, cb) => { let d = ''; r.setEncoding('utf8'); r.on('data', (c: string) => { d += c; }); r.on('end', () => cb(null, d)); });
    expect(res.status).toBe(200);
    const lines = (res.body as string).split('\n').slice(1, -2);
    const objects = await entitlementsBatch(hs, AS_OF, { evaluation, trace: false, bounded: false });
    expect(lines).toHaveLength(hs.length);
    objects.results.forEach((r, i) => { if (!('error' in r)) expect(lines[i]).toBe(JSON.stringify({ line: i + 1, ...r })); });
    expect(objects.results.filter((r) => !('error' in r)).length).toBeGreaterThan(100);
  });
});

describe('POST /api/entitlements (one household) answers the same text writer\'s bytes', () => {
  /** A household of 50 members (the most a household has: members 范围 [1, 50]) in 大武口区. */
  function fiftyMembers(): Record<string, unknown> {
    const [h] = householdsIn('640202', '640202', 1, 5);
    const members = Array.from({ length: 50 }, (_, i) => ({ id: `m${i + 1}`, birth_date: `${1940 + i}-0${1 + (i % 9)}-1${i % 10}`,
      labor_capacity: i % 3 === 0 ? 'none' : 'full', income_monthly: 120 + 7 * i }));
    return { ...h!, id: 'fifty', members };
  }
  /** Households of several places (hukou there, hukou in Beijing: not routed, no programme), a
   *  50-member one, and three the single route refuses (not an object, a key no programme reads,
   *  a place not in the division table). */
  function sample(): unknown[] {
    const hs: unknown[] = everywhere().filter((_, i) => i % 25 === 0);
    const [dawukou] = generatePopulation({ preset: 'dawukou', households: 1, seed: 3, asOf: AS_OF });
    hs.splice(2, 0, fiftyMembers(), householdsIn('640202', '110101', 1, 9)[0]!, 'not a household', { ...(dawukou as object), aera: 'urban' }, { residence_code: '999999' });
    return hs;
  }
  const post = (body: object) => request(app).post('/api/entitlements').set(bearer('tester-key')).send(body)
    .buffer(true).parse((r, cb) => { const d: Buffer[] = []; r.on('data', (c: Buffer) => d.push(c)); r.on('end', () => cb(null, Buffer.concat(d))); });

  it('a dry run: the bytes of JSON.stringify of entitlements()\' answer, and of the batch\'s item for that household', async () => {
    const hs = sample();
    const opts = { evaluation, bounded: false };
    const items: string[] = [];
    let answered = 0, refused = 0, fifty = 0, routedElsewhere = 0, none = 0;
    for (const h of hs) {
      const res = await post({ household: h, as_of: AS_OF, record: false });
      const bytes = res.body as Buffer;
      const objects = await entitlementsBatch([h], AS_OF, { ...opts, trace: false });
      const item = objects.results[0]!;
      if ('error' in item) {
        // refused: the error answer names the same error as the batch's item for it
        expect([400, 422]).toContain(res.status);
        expect(bytes.toString('utf8')).toBe(JSON.stringify({ error: item.error }));
        items.push(JSON.stringify(item));
        refused++;
        continue;
      }
      expect(res.status).toBe(200);
      const answer = await entitlements(h, AS_OF, { ...opts, trace: false });
      expect(bytes.equals(Buffer.from(JSON.stringify(answer), 'utf8')), (h as { id?: string }).id).toBe(true);
      expect(res.headers['content-length']).toBe(String(bytes.length));
      expect(bytes.toString('utf8')).toBe(JSON.stringify(item));
      items.push(bytes.toString('utf8'));
      answered++;
      if ((h as { id?: string }).id === 'fifty') { fifty++; expect(answer.programmes.length).toBeGreaterThan(3); }
      if (!answer.routed) routedElsewhere++;
      if (answer.programmes.length === 0) none++;
    }
    // the batch of the same households: its results are the single route's answers (and the items of the refused ones), in order
    const batch = await request(app).post('/api/entitlements/batch').set(bearer('tester-key')).send({ households: hs, as_of: AS_OF, record: false });
    expect(batch.status).toBe(200);
    expect(batch.text).toBe(`{"as_of":"${AS_OF}","recorded":false,"results":[${items.join(',')}],"error_count":${refused}}`);
    // (not vacuous)
    expect(answered).toBeGreaterThan(20);
    expect(refused).toBeGreaterThanOrEqual(3);
    expect(fifty).toBe(1);
    expect(routedElsewhere).toBeGreaterThan(0);
    expect(none).toBeGreaterThan(0);
  });

  it('traced: the bytes of JSON.stringify of the traced answer', async () => {
    for (const h of [fiftyMembers(), ...householdsIn('640202', '640202', 1, 11)]) {
      const res = await post({ household: h, as_of: AS_OF, record: false, trace: true });
      expect(res.status).toBe(200);
      const answer = await entitlements(h, AS_OF, { evaluation, bounded: false, trace: true });
      expect(answer.programmes.some((p) => p.trace !== undefined)).toBe(true);
      expect((res.body as Buffer).equals(Buffer.from(JSON.stringify(answer), 'utf8'))).toBe(true);
    }
  });

  it('recorded: entitlementsBytes is JSON.stringify of entitlements()\' answer under the same decision ids', async () => {
    // the decisions stand-in answers ids by their place in the call: both calls get the same
    const decisions = { recording: () => true, recordEach: async (_ctx: unknown, _asOf: string, decided: { policy: string }[]) => decided.map((d, i) => `id-${i}-${d.policy}`) };
    const call = { caller: { name: 't', role: 'tester', fingerprint: 'f' }, requestId: null };
    const opts = { evaluation, bounded: false, decisions, call } as unknown as Parameters<typeof entitlements>[2];
    let checked = 0;
    for (const h of [fiftyMembers(), ...everywhere().filter((_, i) => i % 20 === 0)]) {
      if (!decide(evaluation, h, AS_OF, false).ok) continue;
      const answer = await entitlements(h, AS_OF, opts);
      const bytes = await entitlementsBytes(h, AS_OF, opts);
      expect(answer.recorded).toBe(true);
      expect(bytes.equals(Buffer.from(JSON.stringify(answer), 'utf8'))).toBe(true);
      if (answer.programmes.length) { expect(bytes.toString('utf8')).toContain(`"decision_ids":{"${answer.programmes[0]!.policy}":"id-0-`); checked++; }
    }
    expect(checked).toBeGreaterThan(10);
    // over HTTP: recorded, every programme's id the same in decision_ids
    const res = await request(app).post('/api/entitlements').set(bearer('tester-key')).send({ household: fiftyMembers(), as_of: AS_OF });
    expect(res.status).toBe(200);
    expect(res.body.recorded).toBe(true);
    for (const p of res.body.programmes as { policy: string; decision_id: string }[]) expect(p.decision_id).toBe(res.body.decision_ids[p.policy]);
    expect(res.text).toBe(JSON.stringify(res.body));
  });
});
