// route() answers from its caches (the last household's fields, then a bounded map by the six
// routing fields): households of different kinds interleaved, asked again after others and after
// the map was emptied, get the same routes as when first asked. Expectations worked by hand from
// the sources (as in entitlements.test.ts): 同心县 hukou living in 大武口区 → the place of hukou;
// 红寺堡区 with hukou 区外 → not handled here; 同心 (misspelt) → an input error; the XPCC permit
// (004) only when residence_permit is the boolean true.
import { describe, expect, it } from 'vitest';
import { route } from '../../runtime/services/jurisdictions.js';

const kinds: [Record<string, unknown>, Record<string, unknown>][] = [
  [{ county: '大武口区', hukou_county: '同心县' }, { ok: true, division: { code: '640324' }, basis: { rule: 'hukou_place' } }],
  [{ county: '红寺堡区', hukou_county: '区外' }, { ok: false, elsewhere: true }],
  [{ county: '大武口区', hukou_county: '同心' }, { ok: false, reason: { code: 'jurisdiction.unknown_division' } }],
  [{ residence_code: '640202', county: '红寺堡区' }, { ok: true, division: { code: '640202' }, basis: { rule: 'local_hukou' } }],
  // null is no text: hukou_county falls back to county (not a plain value: never cached)
  [{ county: '大武口区', hukou_county: null }, { ok: true, division: { code: '640202' }, basis: { rule: 'local_hukou' } }],
  [{ residence_code: '660000', hukou_code: '630102', residence_permit: true }, { ok: true, division: { code: '660000' }, basis: { rule: 'xpcc_residence_permit' } }],
  // the text 'true' is no permit: at the place of hukou
  [{ residence_code: '660000', hukou_code: '630102', residence_permit: 'true' }, { ok: true, division: { code: '630102' }, basis: { rule: 'hukou_place' } }],
];

describe('route() from its caches', () => {
  it('interleaved kinds, each asked many times, keep their routes', () => {
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < kinds.length; i++) {
        const [h, want] = kinds[(i * 3 + round) % kinds.length]!;
        expect(route(h), JSON.stringify(h)).toMatchObject(want);
        expect(route({ ...h }), JSON.stringify(h)).toMatchObject(want);
      }
    }
  });

  it('after more distinct households than the map keeps, the first kinds still route the same', () => {
    for (let i = 0; i < 600; i++) {
      const r = route({ residence_code: '640202', hukou_code: `9${String(i).padStart(5, '0')}` });
      expect(r.ok).toBe(false);
    }
    for (const [h, want] of kinds) expect(route(h), JSON.stringify(h)).toMatchObject(want);
  });
});
