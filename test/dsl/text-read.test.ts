// The batch's text fast path (dsl/eval/text-read.ts, CompiledPolicy.evaluateJson): a household
// read from its JSON bytes, without JSON.parse, must answer exactly what the path it skips answers
// (JSON.parse, then evaluate without a trace), and give up (undefined: the caller then takes that
// path) on everything but the plain shape it knows. Which texts it takes is worked out by hand
// below, case by case, from the rules in text-read.ts; each answer it gives is compared with the
// other path's, text for text.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileSource, type CompiledPolicy } from '../../dsl/index.js';
import { linkOptions, modules, root, shippedCodegen } from '../policies/shipped.js';
import { generateHouseholds, AS_OF } from '../../bench/lib/households.js';

const shipped = shippedCodegen();

/** The answer of the path the reader skips: JSON.parse, evaluate without a trace; as a batch result's text. */
function reference(c: CompiledPolicy, text: string, asOf: string): string | undefined {
  let h: unknown;
  try { h = JSON.parse(text); } catch { return undefined; }
  const r = c.evaluate(h, asOf, { trace: false });
  if (!r.ok) return undefined;
  const id = h && typeof h === 'object' && typeof (h as { id?: unknown }).id === 'string' ? (h as { id: string }).id : null;
  return JSON.stringify({ id, outputs: r.outputs });
}
/** The fast path's answer as the same text, or undefined when it gives up. */
function fast(c: CompiledPolicy, text: string, asOf: string): string | undefined {
  const r = c.evaluateJson!(Buffer.from(text, 'utf8'), asOf);
  return r === undefined ? undefined : `{"id":${JSON.stringify(r.id)},"outputs":${r.outputsJson}}`;
}

const dibao = shipped.find((s) => s.name === 'dawukou-dibao/v2')!.compiled;
const asOf = '2025-03-01';
/** A plain Dawukou household (money as text, as whole yuan and with decimals, an enum, nulls). */
const base = {
  id: 'h1', area: 'urban', county: '大武口区', rigid_expenditure_monthly: 0, dibao: { enrolled: false },
  members: [
    { id: 'm1', birth_date: '1980-05-01', income_monthly: '650.00', disability_level: 0, serious_illness: false },
    { id: 'm2', birth_date: '1982-03-01', income_monthly: 300.5, disability_type: null },
    { id: 'm3', birth_date: '2015-09-01' },
  ],
};
const baseText = JSON.stringify(base);
/** `base` with its first member's `income_monthly` written as `raw` (JSON text). */
const income = (raw: string) => baseText.replace('"income_monthly":"650.00"', `"income_monthly":${raw}`);

describe('text fast path: shipped policies', () => {
  it('answers every shipped scenario household as JSON.parse + evaluate does, taking nearly all of them', () => {
    let taken = 0, total = 0;
    for (const { name, compiled, scenarios } of shipped) {
      if (compiled.uses.length) { expect(compiled.evaluateJson, name).toBeUndefined(); continue; }
      expect(compiled.evaluateJson, name).toBeDefined();
      for (const s of scenarios) {
        const text = JSON.stringify(s.household);
        const f = fast(compiled, text, s.as_of);
        const ref = reference(compiled, text, s.as_of);
        if (f !== undefined) { taken++; expect(f, `${name} ${text.slice(0, 80)}`).toBe(ref); }
        total++;
      }
    }
    expect(total).toBeGreaterThan(100);
    expect(taken / total).toBeGreaterThan(0.8);
  });

  it('takes every generated benchmark household, with the same answer, in one long sequence', () => {
    const hs = generateHouseholds(2000, 77).map((h) => JSON.stringify(h));
    for (const text of hs) expect(fast(dibao, text, AS_OF)).toBe(reference(dibao, text, AS_OF));
    expect(hs.every((text) => fast(dibao, text, AS_OF) !== undefined)).toBe(true);
  });
});

describe('text fast path: what it takes and where it gives up', () => {
  // [what, text, taken?]: taken worked out from the reader's rules; every answer it gives must be the other path's
  const cases: [string, string, boolean][] = [
    ['compact', baseText, true],
    ['pretty-printed (spaces, newlines)', JSON.stringify(base, null, 2), true],
    ['tabs and CR between tokens, CR at the end', baseText.replace(/,/g, '\t,\r').replace(/:/g, ' : ') + '\r', true],
    ['money "650.00" as 650', income('650'), true],
    ['money as "650"', income('"650"'), true],
    ['money 650.5', income('650.5'), true],
    ['money "007.10" (text: leading zeros are read by the money text rule)', income('"007.10"'), true],
    ['money 650.001 (a third decimal)', income('650.001'), false],
    ['money 650.100 (a third decimal, zero)', income('650.100'), false],
    ['money 6.5e2 (exponent)', income('6.5e2'), false],
    ['money 1e2', income('1e2'), false],
    ['money -0', income('-0'), false],
    ['money -5 (negative)', income('-5'), false],
    ['money as a boolean', income('true'), false],
    ['integer 1e0', baseText.replace('"disability_level":0', '"disability_level":1e0'), false],
    ['integer 2.0', baseText.replace('"disability_level":0', '"disability_level":2.0'), false],
    ['integer -0', baseText.replace('"disability_level":0', '"disability_level":-0'), false],
    ['integer 2', baseText.replace('"disability_level":0', '"disability_level":2'), true],
    ['integer above its bound (5 > 4)', baseText.replace('"disability_level":0', '"disability_level":5'), false],
    ['an escape in a key', baseText.replace('"area"', '"\\u0061rea"'), false],
    ['an escape in a value', baseText.replace('"m1"', '"m\\u0031"'), false],
    ['an escaped quote in an id', baseText.replace('"h1"', '"h\\"1"'), false],
    ['a non-ASCII id (a kept text)', baseText.replace('"h1"', '"户1"'), false],
    ['a non-ASCII key (unknown)', baseText.replace('{"id"', '{"编号":1,"id"'), false],
    ['duplicate key (JSON.parse keeps the last)', baseText.replace('{"id":"h1"', '{"id":"h0","id":"h1"'), false],
    ['an unknown top-level key', baseText.replace('{"id"', '{"note":"x","id"'), false],
    ['a nested unknown field', baseText.replace('"dibao":{"enrolled":false}', '"dibao":{"enrolled":false,"extra":{"y":[1]}}'), false],
    ['a __proto__ key', baseText.replace('{"id"', '{"__proto__":{},"id"'), false],
    ['an enum value not in the enum', baseText.replace('"urban"', '"town"'), false],
    ['an enum value as a number', baseText.replace('"urban"', '1'), false],
    ['null for a nullable field', baseText.replace('"disability_type":null', '"disability_type":null'), true],
    ['an enum value for the nullable one', baseText.replace('"disability_type":null', '"disability_type":"visual"'), true],
    ['members missing (required)', JSON.stringify({ ...base, members: undefined }), false],
    ['no members (below the bound of 1)', JSON.stringify({ ...base, members: [] }), false],
    ['a birth date after as_of', baseText.replace('2015-09-01', '2026-01-01'), false],
    ['a birth date 2024-02-29 (a leap day)', baseText.replace('2015-09-01', '2024-02-29'), true],
    ['a birth date 2023-02-29 (no such day)', baseText.replace('2015-09-01', '2023-02-29'), false],
    ['a birth date with a time', baseText.replace('2015-09-01', '2015-09-01T00:00'), false],
    // a date's closing quote is looked for 11 bytes after its opening one: a shorter date whose
    // next key's opening quote falls there ("2015-9-1","…), a quote, an escape or a tab within
    ['a birth date of 8 bytes, the next key\'s quote 11 bytes after its own', baseText.replace('1980-05-01', '1980-5-1'), false],
    ['a birth date of 9 bytes', baseText.replace('1980-05-01', '1980-05-1'), false],
    ['a birth date of 11 bytes', baseText.replace('1980-05-01', '1980-05-011'), false],
    ['a birth date with an escape in its 10 bytes', baseText.replace('1980-05-01', '198\\/05-01'), false],
    ['a birth date with an escaped quote in its 10 bytes', baseText.replace('"1980-05-01"', '"1980-0\\"01"'), false],
    ['a birth date with a tab in its 10 bytes', baseText.replace('1980-05-01', '1980-05\t01'), false],
    ['a birth date not a text', baseText.replace('"1980-05-01"', '19800501'), false],
    ['the last birth date cut at its end', baseText.slice(0, baseText.indexOf('2015-09-01') + 10), false],
    ['two members with one id', baseText.replace('"id":"m2"', '"id":"m1"'), false],
    ['text after the value', baseText + 'x', false],
    ['two values', baseText + baseText, false],
    ['cut short', baseText.slice(0, -1), false],
    ['an array', `[${baseText}]`, false],
    ['a leading BOM', '\ufeff' + baseText, false],
    ['a no-break space between tokens (not JSON whitespace)', baseText.replace(',"area"', ',\u00a0"area"'), false],
    ['an empty object', '{}', false],
    ['blank', '   ', false],
    ['50 members (the bound)', JSON.stringify({ ...base, members: Array.from({ length: 50 }, (_, i) => ({ id: `m${i}`, birth_date: '1990-01-01', income_monthly: i })) }), true],
    ['51 members (above the bound)', JSON.stringify({ ...base, members: Array.from({ length: 51 }, (_, i) => ({ id: `m${i}`, birth_date: '1990-01-01' })) }), false],
    ['a long id (more than 12 characters)', baseText.replace('"h1"', '"household-000000000001"'), true],
    // a kept text is made from its bytes by its length: each length up to 13 (and an empty one) once
    ...['', 'a', 'ab', 'abc', 'abcd', 'abcde', 'abcdef', 'abcdefg', 'abcdefgh', 'abcdefghi', 'abcdefghijkl', 'abcdefghijklm', '~ !#$%&\'()*+,-./']
      .map((id): [string, string, boolean] => [`an id of ${id.length} characters ("${id}")`, baseText.replace('"h1"', JSON.stringify(id)), true]),
    // long keys are compared four bytes at a time: a byte off in the first word, a middle one, the tail
    ['a key off in its first four bytes ("disAbility_level")', baseText.replace('"disability_level"', '"disAbility_level"'), false],
    ['a key off in a middle word ("rigid_expenditurE_monthly")', baseText.replace('"rigid_expenditure_monthly"', '"rigid_expenditurE_monthly"'), false],
    ['a key off in its last byte ("rigid_expenditure_monthlY")', baseText.replace('"rigid_expenditure_monthly"', '"rigid_expenditure_monthlY"'), false],
    ['a key one byte short ("rigid_expenditure_monthl")', baseText.replace('"rigid_expenditure_monthly"', '"rigid_expenditure_monthl"'), false],
    ['a key one byte long ("rigid_expenditure_monthlyy")', baseText.replace('"rigid_expenditure_monthly"', '"rigid_expenditure_monthlyy"'), false],
    ['a long key last (its closing quote then the end of the object)', JSON.stringify({ ...base, rigid_expenditure_monthly: undefined }).slice(0, -1) + ',"rigid_expenditure_monthly":0}', true],
  ];

  it.each(cases)('%s', (_what, text, taken) => {
    const f = fast(dibao, text, asOf);
    expect(f !== undefined).toBe(taken);
    if (taken) expect(f).toBe(reference(dibao, text, asOf));
  });

  it('gives the same answers in one sequence (records reused from a bigger or a refused household)', () => {
    for (let round = 0; round < 3; round++) {
      for (const [what, text, taken] of cases) {
        const f = fast(dibao, text, asOf);
        expect(f !== undefined, what).toBe(taken);
        if (taken) expect(f, what).toBe(reference(dibao, text, asOf));
        expect(fast(dibao, baseText, asOf)).toBe(reference(dibao, baseText, asOf));
      }
    }
  });

  it('reads money as written: 650, "650", "650.00" and 650.00 are one household; 650.5 and "650.50" another', () => {
    const answers = [income('650'), income('"650"'), income('"650.00"'), income('650.00')].map((t) => fast(dibao, t, asOf));
    expect(new Set(answers).size).toBe(1);
    expect(answers[0]).toBeDefined();
    expect(fast(dibao, income('650.5'), asOf)).toBe(fast(dibao, income('"650.50"'), asOf));
    expect(fast(dibao, income('650.5'), asOf)).not.toBe(answers[0]);
  });

  it('writes per-member outputs as JSON.stringify does, member ids that are array indexes included', () => {
    // Dawukou dibao with a per-member output added (the shipped ones with such outputs read other policies' results)
    const dir = join(root, 'dawukou-dibao', 'v2');
    const source = readFileSync(join(dir, 'policy.policy'), 'utf8') + '\n成员输出 level_by_member「各成员残疾等级」 = disability_level\n';
    const { compiled } = compileSource(source, { modules, ...linkOptions(join(dir, 'policy.policy')), mode: 'codegen' });
    const perMember = compiled!.info.outputs.filter((o) => o.perMember).map((o) => o.name);
    expect(perMember).toEqual(['level_by_member']);
    for (const ids of [['a', 'b'], ['2', '1'], ['b', '0'], ['10', '9']]) {
      const text = JSON.stringify({ ...base, members: base.members.slice(0, 2).map((m, i) => ({ ...m, id: ids[i], disability_level: i + 1 })) });
      const f = fast(compiled!, text, asOf);
      expect(f, ids.join()).toBeDefined();
      expect(f, ids.join()).toBe(reference(compiled!, text, asOf));
      expect(JSON.parse(f!).outputs.level_by_member).toEqual({ [ids[0]!]: 1, [ids[1]!]: 2 });
      // an object's array-index keys come first, in numeric order; other keys as added (members' order)
      const order = Object.keys((JSON.parse(f!) as { outputs: Record<string, Record<string, unknown>> }).outputs[perMember[0]!]!);
      expect(order).toEqual({ 'a,b': ['a', 'b'], '2,1': ['1', '2'], 'b,0': ['0', 'b'], '10,9': ['9', '10'] }[ids.join()]);
      expect(f!.indexOf(`"${order[0]}":`)).toBeLessThan(f!.indexOf(`"${order[1]}":`));
    }
  });

  it('reads a text inside a bigger buffer (a stream line in its chunk) as the same text alone, never past its end', () => {
    const answer = fast(dibao, baseText, asOf);
    expect(answer).toBeDefined();
    const line = Buffer.from(baseText, 'utf8');
    // junk before and after: the text is a view at an odd offset, and the answer is the same
    for (const before of [1, 2, 3, 5]) {
      const big = Buffer.concat([Buffer.alloc(before, 0x20), line, Buffer.from('\n' + baseText)]);
      const r = dibao.evaluateJson!(big.subarray(before, before + line.length), asOf);
      expect(r && `{"id":${JSON.stringify(r.id)},"outputs":${r.outputsJson}}`).toBe(answer);
    }
    // cut inside a long key whose rest follows in the buffer: the text ends there, so it is not taken
    const key = '"rigid_expenditure_monthly"';
    const at = baseText.indexOf(key);
    for (const cut of [at + 1, at + 6, at + key.length - 1, at + key.length]) {
      const big = Buffer.from(baseText, 'utf8');
      expect(dibao.evaluateJson!(big.subarray(0, cut), asOf), `cut at ${cut}`).toBeUndefined();
      // and the same text in a buffer of its own: nothing is read past the buffer's end (no RangeError)
      expect(dibao.evaluateJson!(new Uint8Array(Buffer.from(baseText.slice(0, cut), 'utf8')), asOf), `cut at ${cut}, alone`).toBeUndefined();
      expect(JSON.parse.bind(null, baseText.slice(0, cut))).toThrow();
    }
    // two buffers in turn (the reader keeps a view of the last one): each answer its own text's
    const other = Buffer.from(income('"100.00"'), 'utf8');
    for (let i = 0; i < 3; i++) {
      expect(fast(dibao, baseText, asOf)).toBe(answer);
      const r = dibao.evaluateJson!(new Uint8Array(other), asOf);
      expect(r && `{"id":${JSON.stringify(r.id)},"outputs":${r.outputsJson}}`).toBe(reference(dibao, income('"100.00"'), asOf));
    }
  });

  it('reads a text in place (start..end of a bigger buffer, a JSON batch household in its body) as the same text alone', () => {
    const answer = fast(dibao, baseText, asOf);
    expect(answer).toBeDefined();
    const text = (r: ReturnType<NonNullable<typeof dibao.evaluateJson>>) => r && `{"id":${JSON.stringify(r.id)},"outputs":${r.outputsJson}}`;
    // a batch body around it: the household at 15, the next one right after its comma
    const head = '{"households":[', body = Buffer.from(`${head}${baseText},${baseText}]}`, 'utf8');
    const len = Buffer.byteLength(baseText, 'utf8');
    expect(text(dibao.evaluateJson!(body, asOf, 15, 15 + len))).toBe(answer);
    expect(text(dibao.evaluateJson!(body, asOf, 16 + len, 16 + 2 * len))).toBe(answer);
    // an end that is not the value's: one byte short (inside it), one past (the comma), the next household's too
    expect(dibao.evaluateJson!(body, asOf, 15, 14 + len)).toBeUndefined();
    expect(dibao.evaluateJson!(body, asOf, 15, 16 + len)).toBeUndefined();
    expect(dibao.evaluateJson!(body, asOf, 15, 16 + 2 * len)).toBeUndefined();
    // a start that is not the value's: the comma before the second household
    expect(dibao.evaluateJson!(body, asOf, 15 + len, 16 + 2 * len)).toBeUndefined();
    // cut inside a long key whose rest follows in the buffer: the key is read past the end, so not taken
    const key = '"rigid_expenditure_monthly"';
    const at = baseText.indexOf(key);
    for (const cut of [at + 1, at + 6, at + key.length - 1, at + key.length]) {
      expect(dibao.evaluateJson!(body, asOf, 15, 15 + cut), `cut at ${cut}`).toBeUndefined();
    }
    // whitespace around it in the body (outside start..end): the same answer; inside, at its end: the same
    // (the first at 16, a space, a newline, a comma at 18 + len, a space, the second at 20 + len)
    const spaced = Buffer.from(`${head} ${baseText} \n, ${baseText}\t]}`, 'utf8');
    expect(text(dibao.evaluateJson!(spaced, asOf, 16, 16 + len))).toBe(answer);
    expect(text(dibao.evaluateJson!(spaced, asOf, 16, 18 + len))).toBe(answer);
    expect(text(dibao.evaluateJson!(spaced, asOf, 20 + len, 20 + 2 * len))).toBe(answer);
    // and the whole buffer again (no start, no end): the text alone
    expect(text(dibao.evaluateJson!(Buffer.from(baseText, 'utf8'), asOf))).toBe(answer);
  });

  it('reads short member ids the same whatever was read before (a text of 1 to 3 bytes is shared from a small cache)', () => {
    // more distinct short ids than the cache has slots (256), so slots are taken over, then read again
    const ids = Array.from({ length: 40 * 26 }, (_, i) => `${String.fromCharCode(97 + (i % 26))}${Math.floor(i / 26)}`);
    for (let pass = 0; pass < 2; pass++) {
      for (let i = 0; i + 2 < ids.length; i += 3) {
        const members = base.members.map((m, k) => ({ ...m, id: ids[i + k]! }));
        const text = JSON.stringify({ ...base, members });
        const f = fast(dibao, text, asOf);
        expect(f, ids[i]).toBeDefined();
        expect(f, ids[i]).toBe(reference(dibao, text, asOf));
      }
    }
    // ids of 1, 2 and 3 bytes that are the same bytes in another order, and a 4-byte one
    for (const trio of [['a', 'ab', 'abc'], ['ba', 'b', 'cba'], ['abcd', 'bcd', 'cd']]) {
      const text = JSON.stringify({ ...base, id: trio[0], members: base.members.map((m, k) => ({ ...m, id: trio[k]! })) });
      expect(fast(dibao, text, asOf)).toBe(reference(dibao, text, asOf));
    }
  });

  it('reads texts in turn from views of one buffer at other offsets, and from another buffer (the view of the last text read is kept)', () => {
    // small Buffers share Node's pool: the same ArrayBuffer at different offsets
    const texts = [baseText, income('300'), baseText.replace('"h1"', '"h2"').replace('"rigid_expenditure_monthly":0', '"rigid_expenditure_monthly":120')];
    const pooled = texts.map((t) => Buffer.from(t, 'utf8'));
    expect(pooled[0]!.buffer).toBe(pooled[1]!.buffer);
    expect(pooled[0]!.byteOffset).not.toBe(pooled[1]!.byteOffset);
    const own = texts.map((t) => new Uint8Array(Buffer.from(t, 'utf8')));
    const answers = texts.map((t) => reference(dibao, t, asOf));
    expect(new Set(answers).size).toBe(3);
    for (const k of [0, 1, 0, 2, 2, 1, 0]) {
      for (const bytes of [pooled[k]!, own[k]!, pooled[k]!]) {
        const r = dibao.evaluateJson!(bytes, asOf);
        expect(r && `{"id":${JSON.stringify(r.id)},"outputs":${r.outputsJson}}`, `text ${k}`).toBe(answers[k]);
      }
    }
  });

  it('names the household by its id, as a batch result does', () => {
    expect(JSON.parse(fast(dibao, baseText, asOf)!).id).toBe('h1');
    expect(JSON.parse(fast(dibao, baseText.replace('"h1"', '"household-000000000001"'), asOf)!).id).toBe('household-000000000001');
  });
});
