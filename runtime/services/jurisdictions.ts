// Which county's programmes apply to a household (一门受理). A household says where it lives and
// where its hukou is (division codes, or the contract's county names); routing follows the
// sources: the place of hukou by default (national rule), the place of residence under the
// Hongsibu pilot for hukou elsewhere in Ningxia (000 §1) and in the XPCC with a residence permit
// (004). A household routed nowhere gets the reason, in both languages.
import { nearest } from '../../dsl/index.js';
import { DIVISIONS, type Division } from './divisions.js';
import { placeElsewhere } from './provinces.js';

export type { Division };

const byCode = new Map(DIVISIONS.map((d) => [d.code, d]));
const byName = new Map<string, Division>();
for (const d of DIVISIONS) for (const n of [d.name, ...(d.aliases ?? [])]) byName.set(n, d);

export const division = (code: string): Division | undefined => byCode.get(code);

// Per division, computed once (the table is fixed): its line up to the province and its full
// name. Routing asks these for every household; a batch must not rebuild them each time.
// 每个区划的上级链和全称只算一次：路由每户都要用。
const chains = new Map<Division, readonly Division[]>();
const fullNames = new Map<Division, string>();

function chain(d: Division): readonly Division[] {
  let c = chains.get(d);
  if (!c) {
    const out = [d];
    for (let p = d.parent; p !== null;) { const up = byCode.get(p); if (!up) break; out.push(up); p = up.parent; }
    chains.set(d, c = out);
  }
  return c;
}

/** Self, parent, …, province (or the XPCC). */
export function lineage(d: Division): Division[] {
  return chain(d).slice();
}

/** The province-level unit `d` lies in (itself for a province, the XPCC). */
export const provinceOf = (d: Division): Division => { const c = chain(d); return c[c.length - 1]!; };

/** The full name as a policy's 辖区 writes it: 宁夏回族自治区石嘴山市大武口区. */
export function fullName(d: Division): string {
  let n = fullNames.get(d);
  if (n === undefined) fullNames.set(d, n = chain(d).slice().reverse().map((x) => x.name).join(''));
  return n;
}

/** Whether `d` is `outer` or lies inside it. */
export const within = (d: Division, outer: Division): boolean => chain(d).some((x) => x.code === outer.code);

/**
 * A division from a code, a name (大武口区, 宁夏) or a full 辖区 name (宁夏回族自治区石嘴山市大武口区,
 * read as its last known level whose ancestors spell the rest).
 */
export function findDivision(text: string): Division | undefined {
  const t = text.trim();
  if (/^\d{6}$/.test(t)) return byCode.get(t);
  const direct = byName.get(t);
  if (direct) return direct;
  for (const d of DIVISIONS) if (fullName(d) === t) return d;
  return undefined;
}

/** The division a policy covers: the code of its header when the language gives one, else its 辖区 name. */
export function policyDivision(info: { jurisdiction?: string | null; jurisdiction_code?: string }): Division | undefined {
  if (info.jurisdiction_code) return byCode.get(info.jurisdiction_code);
  return info.jurisdiction ? findDivision(info.jurisdiction) : undefined;
}

/** The fields of the household contract routing reads (all optional: old households lack the codes). */
export interface WhereFields {
  residence_code?: unknown; hukou_code?: unknown;
  county?: unknown; hukou_county?: unknown; hukou_province?: unknown; residence_permit?: unknown;
}

export interface Reason { code: string; zh: string; en: string; path?: string }

/** The rule a household was routed by, with its source. */
export interface Basis { rule: 'local_hukou' | 'hongsibu_residence_pilot' | 'xpcc_residence_permit' | 'hukou_place'; zh: string; en: string; source: string }

export type Route =
  | { ok: true; division: Division; residence: Division; hukou: Division | null; basis: Basis }
  | { ok: false; residence: Division | null; hukou: Division | null; reason: Reason;
    /** A real place outside the table (not an input error): the household applies there, not here. */
    elsewhere?: true };

const HONGSIBU = '640303';
const NINGXIA = '640000';
const XPCC = '660000';

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);

/** A place field: a division, nothing given, or text that names no known division (with the path). */
function place(codePath: string, code: unknown, namePath: string, name: unknown): { d?: Division; unknown?: { path: string; text: string } } {
  const c = str(code);
  if (c !== undefined) { const d = byCode.get(c); return d ? { d } : { unknown: { path: codePath, text: c } }; }
  const n = str(name);
  if (n !== undefined) { const d = findDivision(n); return d ? { d } : { unknown: { path: namePath, text: n } }; }
  return {};
}

const unknownPlace = (u: { path: string; text: string }, what: { zh: string; en: string }): Reason => {
  const near = nearest(u.text, DIVISIONS.flatMap((d) => [d.name, d.code]));
  return {
    code: 'jurisdiction.unknown_division', path: `household.${u.path}`,
    zh: `${what.zh}“${u.text.slice(0, 40)}”不在区划表中（本系统只有宁夏、青海和兵团的区划）${near ? `；是不是“${near}”？` : ''}`,
    en: `${what.en} "${u.text.slice(0, 40)}" is not in the division table (it holds Ningxia, Qinghai and the XPCC only)${near ? `; did you mean "${near}"?` : ''}`,
  };
};

const LOCAL_HUKOU: Basis = { rule: 'local_hukou', zh: '户籍在居住地：由居住地受理', en: 'Hukou where they live: handled there', source: '国家规定：户籍所在地申请' };
const HONGSIBU_PILOT: Basis = { rule: 'hongsibu_residence_pilot', zh: '红寺堡区异地申办试点：户籍在自治区内其他县区，由居住地受理和保障',
  en: 'Hongsibu pilot: hukou elsewhere in Ningxia, handled and paid where they live', source: '000 第1条' };
/** The place-of-hukou rule names both places: one per (residence, hukou) pair, made once. */
const hukouPlaceBases = new Map<string, Basis>();
function hukouPlace(residence: Division, hukou: Division): Basis {
  const key = `${residence.code}|${hukou.code}`;
  let b = hukouPlaceBases.get(key);
  if (!b) {
    hukouPlaceBases.set(key, b = { rule: 'hukou_place', zh: `户籍不在居住地（${residence.name}），居住地不受理异地申请：向户籍地（${hukou.name}）申请`,
      en: `Hukou is not where they live (${residence.nameEn}) and that place takes no applications from elsewhere: apply at the place of hukou (${hukou.nameEn})`,
      source: '国家规定：户籍所在地申请；000 第1条（异地申办限红寺堡区、自治区内）；004（兵团持居住证）' });
  }
  return b;
}

const XPCC_PERMIT: Basis = { rule: 'xpcc_residence_permit', zh: '兵团：持居住证在居住地申办', en: 'XPCC: a residence-permit holder applies where they live', source: '004' };

const hukouElsewhere = (residence: Division, far: { zh: string; en: string }, path: string): Reason => ({
  code: 'jurisdiction.hukou_elsewhere', path,
  zh: `户籍在${far.zh}，不在本系统的区划内：居住地（${residence.name}）不受理异地申请（异地申办限红寺堡区试点、自治区内户籍，兵团限持居住证；临时救助不受户籍限制，除外），应向户籍地申请`,
  en: `The hukou is in ${far.en}, outside this system's divisions: ${residence.nameEn} takes no applications from elsewhere (residence-based applications are limited to the Hongsibu pilot for hukou within Ningxia, and to residence-permit holders in the XPCC; temporary assistance, which has no hukou restriction, excepted); apply at the place of hukou`,
});

/** The last household's routing fields and route: a batch's households mostly live in one place
 *  (a route is only read, never written to, so the same one can be answered again). */
let last: { rc: unknown; hc: unknown; c: unknown; hk: unknown; hp: unknown; rp: unknown; r: Route } | undefined;
/** A value whose route is the same whenever it is equal (not an object, read afresh each time). */
const plain = (v: unknown) => v === undefined || typeof v === 'string' || typeof v === 'boolean';

/** Routes by their six routing fields (plain values only, as JSON text): a population mixes a
 *  few kinds of household (hukou here, 区外, 外省, …), and a route whose hukou text names no
 *  division searches every division's full name and the other provinces before it is known.
 *  Bounded: when full it is emptied. */
const ROUTES_MAX = 512;
const routes = new Map<string, Route>();

/** Where the household applies, and by which rule. */
export function route(h: WhereFields): Route {
  const rc = h.residence_code, hc = h.hukou_code, c = h.county, hk = h.hukou_county, hp = h.hukou_province, rp = h.residence_permit;
  const l = last;
  if (l !== undefined && l.rc === rc && l.hc === hc && l.c === c && l.hk === hk && l.hp === hp && l.rp === rp) return l.r;
  if (!(plain(rc) && plain(hc) && plain(c) && plain(hk) && plain(hp) && plain(rp))) { last = undefined; return routeOf(h); }
  // undefined is written null in the key: null itself is not plain, so never in a key
  const key = JSON.stringify([rc, hc, c, hk, hp, rp]);
  let r = routes.get(key);
  if (r === undefined) {
    r = routeOf(h);
    if (routes.size >= ROUTES_MAX) routes.clear();
    routes.set(key, r);
  }
  last = { rc, hc, c, hk, hp, rp, r };
  return r;
}

/** The corps lies within Xinjiang and registers its own people (兵团户籍), whose hukou books name
 *  新疆: a household living in the corps that gives only 新疆 as its hukou province is read as
 *  registered where it lives (the contract's hukou_county defaults to county), not as a hukou in
 *  another province. A hukou county or code in Xinjiang's local government areas (65xxxx) is still
 *  elsewhere. 兵团居民户籍省份写“新疆”：视为户籍在居住地（兵团），不是外省户籍。 */
const corpsHukou = (residence: Division, provinceText: string): boolean =>
  within(residence, division(XPCC)!) && placeElsewhere(provinceText)?.prefix === '65';

function routeOf(h: WhereFields): Route {
  const res = place('residence_code', h.residence_code, 'county', h.county);
  if (res.unknown) return { ok: false, residence: null, hukou: null, reason: unknownPlace(res.unknown, { zh: '居住地', en: 'The place of residence' }) };
  if (!res.d) {
    return { ok: false, residence: null, hukou: null, reason: { code: 'jurisdiction.no_residence', path: 'household.residence_code',
      zh: '未给出居住地（residence_code 或 county），无法确定由哪个县区受理', en: 'No place of residence (residence_code or county): no county can be chosen to handle the application' } };
  }
  const residence = res.d;
  // hukou_county defaults to county (the contract); a hukou province alone places the hukou in that province
  let hk = place('hukou_code', h.hukou_code, 'hukou_county', h.hukou_county);
  if (!hk.d && !hk.unknown) {
    const prov = place('hukou_province', undefined, 'hukou_province', h.hukou_province);
    const resProvince = provinceOf(residence);
    hk = prov.d && prov.d.code !== resProvince.code ? prov : prov.unknown && !corpsHukou(residence, prov.unknown.text) ? prov : { d: residence };
  }
  if (hk.unknown) {
    const far = placeElsewhere(hk.unknown.text);
    if (!far) return { ok: false, residence, hukou: null, reason: unknownPlace(hk.unknown, { zh: '户籍地', en: 'The place of hukou' }) };
    // a hukou in another province: only the XPCC's residence-permit rule brings it here (004)
    if (within(residence, division(XPCC)!) && h.residence_permit === true) return { ok: true, division: residence, residence, hukou: null, basis: XPCC_PERMIT };
    return { ok: false, elsewhere: true, residence, hukou: null, reason: hukouElsewhere(residence, far, `household.${hk.unknown.path}`) };
  }
  const hukou = hk.d!;
  const ok = (division: Division, basis: Basis): Route => ({ ok: true, division, residence, hukou, basis });
  if (hukou.code === residence.code) return ok(residence, LOCAL_HUKOU);
  if (within(residence, division(HONGSIBU)!) && within(hukou, division(NINGXIA)!)) return ok(residence, HONGSIBU_PILOT);
  if (within(residence, division(XPCC)!) && h.residence_permit === true) return ok(residence, XPCC_PERMIT);
  return ok(hukou, hukouPlace(residence, hukou));
}
