// A programme's outputs as canonical JSON (runtime/services/canonical-json.ts: keys sorted, no
// spaces), the same text, written faster for a run: the generated programmes give every household
// the same output keys in the same (declaration) order, so their sorted order and quoted names are
// worked out once per programme and key list, not sorted per household and programme (canonicalJson
// sorts every object whose keys are out of order: 7 per household). Nested values are written by
// canonicalJson itself.
import { canonicalJson } from '../canonical-json.js';

interface Shape {
  /** The key list it was made for, in the object's own order. */
  keys: string[];
  /** Those keys sorted (UTF-16 code units, as canonicalJson sorts), and each one quoted with its colon. */
  sorted: string[];
  heads: string[];
}

const SHAPES_MAX = 1000;

function shapeOf(keys: string[]): Shape {
  const sorted = [...keys].sort();
  return { keys, sorted, heads: sorted.map((k) => `${JSON.stringify(k)}:`) };
}

function same(a: string[], b: string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export class OutputsJson {
  /** The last key list seen per programme (a programme whose outputs vary in keys just makes a new one). */
  private shapes = new Map<string, Shape>();

  /** canonicalJson(outputs), for the outputs of `policy`. */
  text(policy: string, outputs: Record<string, unknown>): string {
    const keys = Object.keys(outputs);
    let s = this.shapes.get(policy);
    if (!s || !same(s.keys, keys)) {
      s = shapeOf(keys);
      if (this.shapes.size < SHAPES_MAX || this.shapes.has(policy)) this.shapes.set(policy, s);
    }
    let out = '{';
    let first = true;
    for (let j = 0; j < s.sorted.length; j++) {
      const v = outputs[s.sorted[j]!];
      // skipped as canonicalJson (and JSON.stringify) skip them
      if (v === undefined || typeof v === 'function') continue;
      out += (first ? '' : ',') + s.heads[j]! + (v === null || typeof v !== 'object' ? (JSON.stringify(v) ?? 'null') : canonicalJson(v));
      first = false;
    }
    return out + '}';
  }
}
