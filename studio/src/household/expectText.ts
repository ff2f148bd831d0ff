// An expected output as the text of its input in the test-case form, and back. Raw `null` and
// `[]` meant nothing to an officer: no value is an empty field, a list of member ids is written
// "m1, m2" (as in the household's own list fields) and an empty list is an empty field; the
// placeholder of a checked empty field says which of the two it saves.
import type { Json, OutputInfo } from '../language/types';
import { formatInput, parseInput, type FieldSpec } from './schemaForm';

export type ExpectKind = 'bool' | 'idlist' | 'structured' | 'scalar';

// OutputInfo.type is the bilingual type text of dsl/check/types.ts ("文本列表 text list", "布尔 bool").
export function expectKind(o: OutputInfo): ExpectKind {
  if (/bool|布尔/i.test(o.type)) return 'bool';
  if (o.perMember) return 'structured';
  if (/文本列表|text list/i.test(o.type)) return 'idlist';
  if (/list|列表/i.test(o.type)) return 'structured';
  return 'scalar';
}

// the household form's own text-list conversion, so "m1，m2" and "m1 m2" are read alike
const TEXT_LIST = { kind: 'textlist' } as FieldSpec;

export function expectToText(o: OutputInfo, v: Json | undefined): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean' || typeof v === 'number') return String(v);
  if (expectKind(o) === 'idlist' && Array.isArray(v) && v.every((x) => typeof x === 'string')) return formatInput(TEXT_LIST, v);
  return JSON.stringify(v);
}

/** The value a (checked) field saves; throws on malformed JSON for structured outputs. */
export function expectFromText(o: OutputInfo, text: string): Json {
  const s = text.trim();
  const kind = expectKind(o);
  if (kind === 'bool') return s === 'true' || s === '是';
  if (kind === 'idlist' && !s.startsWith('[')) return parseInput(TEXT_LIST, s) as Json;
  if (s === '' || s === 'null') return null;
  if (kind === 'structured' || s.startsWith('[') || s.startsWith('{')) return JSON.parse(s) as Json;
  return s;
}

/** The i18n key of the placeholder a checked empty field shows: what it will save. */
export function emptyExpectKey(o: OutputInfo): 'hh.expect.emptyList' | 'hh.expect.none' {
  return expectKind(o) === 'idlist' ? 'hh.expect.emptyList' : 'hh.expect.none';
}
