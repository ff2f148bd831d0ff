// The trace's JSON text with each derivation node written once. Every output's derivation is
// its own tree, but the nodes under it are shared objects (derivation.ts builds each name once
// per answer and returns a node as it is wherever nothing in it changes), so 家庭人均可计收入
// and what it rests on appear in full under most outputs: well over half of a traced answer's
// characters. JSON.stringify writes each occurrence again; here each node object's text is made
// once per call and spliced wherever the object occurs again.
//
// The text is JSON.stringify's, character for character:
//  * an object is written key by key in its own order (Object.keys: JSON.stringify's order);
//  * a node met again is the same object, unchanged (nothing runs between its two occurrences:
//    nodes are plain data, no getters, no toJSON), so its text is too;
//  * a deeply frozen value (a label, a formula, a range: derivation.ts freezes what is the same
//    for every household) is written once per process: it cannot change;
//  * a string in which no character needs an escape (no quote, backslash, control character or
//    surrogate) is written as "…" with its characters as they are, as JSON.stringify writes it;
//    any other by JSON.stringify;
//  * lists of data (an entry's definitions and inputs) are JSON.stringify's own.
// Anything that is not plain data the way buildTrace makes it (a toJSON, a node that is not an
// object, a cycle) leaves the whole entry to JSON.stringify, which gives (or throws) what it
// always did.

type Obj = Record<string, unknown>;

/** Not written here: the entry falls back to JSON.stringify. */
const GIVE_UP = undefined;
/** Nodes nested deeper than this are not written here (derivation.ts nests at most MAX_DEPTH =
 *  12): a cycle (a node met again inside itself) is left to JSON.stringify to refuse, and a tree
 *  this deep to JSON.stringify to write, before the writer's own recursion runs out of stack. */
const MAX_NODE_DEPTH = 200;

/** The keys whose objects are nodes or lists of nodes (their texts made once per trace): a
 *  node's sub-derivations, an output's per-member nodes, the deciding rule and its condition
 *  (whose formula, range and rule line are frozen, the values and result the household's). */
const NODE_KEYS = ['uses', 'members', 'rule', 'condition'];
/** An entry's derivation (its other keys are data). */
const ENTRY_KEYS = ['derivation'];
/** An entry's lists of data whose elements are shared between entries (trace.ts makes each
 *  definition and input once per answer): each element's text made once per trace. */
const ENTRY_LIST_KEYS = ['definitions', 'inputs'];

const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
/** What JSON.stringify would call instead of reading the keys. */
const hasToJson = (v: object): boolean => typeof (v as { toJSON?: unknown }).toJSON === 'function';

/**
 * The JSON text of each element of `trace` as JSON.stringify(trace) writes it (element i of the
 * answer is the text between its commas), with the derivation nodes shared between outputs
 * written once. For any array; made for buildTrace's (TraceEntry[]).
 */
export function traceJson(trace: readonly unknown[]): string[] {
  return new TraceWriter().entries(trace);
}

/** A character JSON.stringify writes other than as itself (a surrogate, when it is alone). */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** A string as JSON.stringify writes it. */
const stringText = (v: string): string => (NEEDS_ESCAPE.test(v) ? JSON.stringify(v) : `"${v}"`);

/** The text of { zh, en } with two strings (a Bilingual: a node's value, line, formula), written
 *  without the walk over its keys; undefined for any other object (keys, order or values). */
function bilingualText(o: Obj): string | undefined {
  const keys = Object.keys(o);
  if (keys.length !== 2 || keys[0] !== 'zh' || keys[1] !== 'en') return undefined;
  const zh = o['zh'], en = o['en'];
  if (typeof zh !== 'string' || typeof en !== 'string') return undefined;
  return `{"zh":${stringText(zh)},"en":${stringText(en)}}`;
}

/** Element i of an array as JSON.stringify writes it, by JSON.stringify: under its index (a
 *  toJSON is called with it), null for what has no JSON text (undefined, a function). */
function elementText(e: unknown, i: number): string {
  const key = String(i);
  const t = JSON.stringify({ [key]: e });
  return t === '{}' ? 'null' : t.slice(key.length + 4, -1);
}

/** JSON texts of deeply frozen values (constant per compiled policy: labels, formulas, ranges,
 *  citations, parameter nodes), shared by every answer: such a value cannot change, so neither
 *  can its text. */
const frozenTexts = new WeakMap<object, string>();
/** `"key":` of each key met (a node's dozen keys and an entry's). */
const keyTexts = new Map<string, string>();
const KEY_TEXTS_MAX = 256;

const keyText = (k: string): string => {
  let t = keyTexts.get(k);
  if (t === undefined) {
    t = `${JSON.stringify(k)}:`;
    if (keyTexts.size < KEY_TEXTS_MAX) keyTexts.set(k, t);
  }
  return t;
};

/** The text of a deeply frozen value (every key a data property, every value a primitive or a
 *  deeply frozen value with no toJSON), made once; undefined for any other value. */
function frozenText(v: object): string | undefined {
  const known = frozenTexts.get(v);
  if (known !== undefined) return known;
  if (!Object.isFrozen(v) || hasToJson(v)) return undefined;
  for (const k of Object.keys(v)) {
    const d = Object.getOwnPropertyDescriptor(v, k)!;
    if (!('value' in d)) return undefined;   // a getter may answer differently each time
    const x: unknown = d.value;
    if (typeof x === 'object' && x !== null && frozenText(x) === undefined) return undefined;
  }
  const t = JSON.stringify(v);
  frozenTexts.set(v, t);
  return t;
}

class TraceWriter {
  /** Each node object's text, once made. */
  private texts = new Map<object, string>();
  /** Nodes being written, one inside the other. */
  private depth = 0;

  entries(trace: readonly unknown[]): string[] {
    const out: string[] = new Array<string>(trace.length);
    for (let i = 0; i < trace.length; i++) {
      const e = trace[i];
      const text = isObject(e) && !hasToJson(e) ? this.object(e, ENTRY_KEYS, ENTRY_LIST_KEYS) : GIVE_UP;
      out[i] = text ?? elementText(e, i);
    }
    return out;
  }

  /**
   * o's text: its keys in order, each of `nodeKeys` whose value is an object or an array (a
   * node, a list of nodes) written by node(), other values by value().
   */
  private object(o: Obj, nodeKeys: readonly string[], listKeys: readonly string[] = NO_KEYS): string | undefined {
    let out = '{';
    for (const k of Object.keys(o)) {
      const v = o[k];
      let t: string | undefined;
      if (typeof v === 'object' && v !== null && nodeKeys.includes(k)) {
        t = Array.isArray(v) ? this.nodes(v) : this.node(v);
        if (t === GIVE_UP) return GIVE_UP;
      } else if (Array.isArray(v) && v.length !== 0 && listKeys.includes(k)) {
        t = this.dataList(v) ?? this.value(v);
        if (t === GIVE_UP) return GIVE_UP;   // a list with a toJSON: the entry left to JSON.stringify
      } else {
        t = this.value(v);
        if (t === GIVE_UP) {
          if (typeof v === 'object' && v !== null) return GIVE_UP;
          continue;   // undefined, a function, a symbol: no key, as JSON.stringify
        }
      }
      out += out.length === 1 ? keyText(k) + t : `,${keyText(k)}${t}`;
    }
    return `${out}}`;
  }

  /** A value that is data: its text, or undefined (a key JSON.stringify leaves out; for an
   *  object, one with a toJSON: not written here). */
  private value(v: unknown): string | undefined {
    switch (typeof v) {
      case 'string': return stringText(v);
      case 'number': return Number.isFinite(v) ? String(v) : 'null';
      case 'boolean': return v ? 'true' : 'false';
      case 'object': {
        if (v === null) return 'null';
        const known = frozenTexts.get(v);
        if (known !== undefined) return known;
        if (hasToJson(v)) return GIVE_UP;
        if (Array.isArray(v)) {
          // a list of data (an entry's definitions and inputs): JSON.stringify's own
          return v.length === 0 ? '[]' : Object.isFrozen(v) ? frozenText(v) ?? JSON.stringify(v) : JSON.stringify(v);
        }
        // a value's 中文 and English (most of a node's own values), then any other object key by key
        return (Object.isFrozen(v) ? frozenText(v) : undefined) ?? bilingualText(v as Obj) ?? this.object(v as Obj, NO_KEYS);
      }
      default: return JSON.stringify(v) as string | undefined;   // undefined, a function, a symbol (a bigint throws, as it does there)
    }
  }

  /** A derivation node's text, made once per trace; a deeply frozen one (a household figure, a
   *  parameter: derivation.ts shares them between answers) once per process. */
  private node(n: object): string | undefined {
    const known = this.texts.get(n);
    if (known !== undefined) {
      // met again: made flat now (once), so that each later copy of it is one piece, not a
      // rope of hundreds to walk again when the answer is written
      known.charCodeAt(0);
      return known;
    }
    if (Array.isArray(n) || hasToJson(n)) return GIVE_UP;
    const frozen = frozenText(n);
    if (frozen !== undefined) return frozen;
    // deeper than any derivation (a cycle, or something else): left to JSON.stringify
    if (this.depth >= MAX_NODE_DEPTH) return GIVE_UP;
    this.depth++;
    const text = this.object(n as Obj, NODE_KEYS);
    this.depth--;
    if (text === GIVE_UP) return GIVE_UP;
    this.texts.set(n, text);
    return text;
  }

  /** A list of data objects shared between lists: `[` their texts `]`, each object's text made
   *  once (JSON.stringify's own, or a deeply frozen one's once per process); undefined for a
   *  list with anything else in it (written whole by value()). */
  private dataList(list: readonly unknown[]): string | undefined {
    if (hasToJson(list)) return GIVE_UP;
    let out = '[';
    for (let i = 0; i < list.length; i++) {
      const x = list[i];
      if (!isObject(x) || hasToJson(x)) return GIVE_UP;
      let t = this.texts.get(x);
      if (t === undefined) {
        t = frozenText(x) ?? JSON.stringify(x);
        this.texts.set(x, t);
      }
      out += i === 0 ? t : `,${t}`;
    }
    return `${out}]`;
  }

  /** A list of nodes: `[` their texts `]`. */
  private nodes(list: readonly unknown[]): string | undefined {
    if (hasToJson(list)) return GIVE_UP;
    let out = '[';
    for (let i = 0; i < list.length; i++) {
      const x = list[i];
      const t = isObject(x) ? this.node(x) : GIVE_UP;
      if (t === GIVE_UP) return GIVE_UP;
      out += i === 0 ? t : `,${t}`;
    }
    return `${out}]`;
  }
}

const NO_KEYS: readonly string[] = [];
