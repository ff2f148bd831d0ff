// The trace's JSON text, as UTF-8 bytes, with each derivation node written once. Every output's
// derivation is its own tree, but the nodes under it are shared objects (derivation.ts builds
// each name once per answer and returns a node as it is wherever nothing in it changes), so
// 家庭人均可计收入 and what it rests on appear in full under most outputs: well over half of a
// traced answer's bytes. JSON.stringify writes each occurrence again; here each node object's
// bytes are written once per call and copied (one copyWithin) wherever the object occurs again.
// Written as bytes into a Utf8Sink, not as a string: a string made of spliced texts is a rope
// that has to be flattened, copied as UTF-16 and converted to UTF-8 before it goes out (together
// more than writing it); here the parts that are the same for every household are bytes made
// once, and only the household's own texts (≈ 8k characters of ≈ 88k) are encoded per answer.
//
// The bytes are those of JSON.stringify's text, character for character:
//  * an object is written key by key in its own order (Object.keys: JSON.stringify's order);
//  * a node met again is the same object, unchanged (nothing runs between its two occurrences:
//    nodes are plain data, no getters, no toJSON), so its bytes are too;
//  * a deeply frozen value (a label, a formula, a range: derivation.ts freezes what is the same
//    for every household) is encoded once per process: it cannot change;
//  * a string is written as JSON.stringify writes it (Utf8Sink.jsonText);
//  * lists of data (an entry's definitions and inputs) are JSON.stringify's own.
// Anything that is not plain data the way buildTrace makes it (a toJSON, a node that is not an
// object, a cycle) leaves the whole entry to JSON.stringify (written over what was written of
// it), which gives (or throws) what it always did.

import { type Utf8Sink, utf8Bytes } from './utf8-sink.js';

type Obj = Record<string, unknown>;

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

/** Whether nothing enumerable was added to Object.prototype (for … in would list inherited keys
 *  after the own ones): looked at once per entry (for … in over Object.prototype, a dictionary
 *  object, costs as much as writing a short value; it was looked at for every object), and once
 *  more after it: an entry during which that changed (a getter adding a key) is written again. */
const objectPrototypeEnumerable = (): boolean => {
  for (const _ in Object.prototype) return true;
  return false;
};
/** `"key":` as UTF-8, and what the key is, in one lookup (it was a lookup and up to three list
 *  searches per key): NAME for the keys whose strings are the policy's own names, NODE for those
 *  whose objects are nodes (or lists of them) in a node, ENTRY_NODE in an entry, ENTRY_LIST for
 *  an entry's lists of shared data. */
interface KeyInfo { text: Uint8Array; flags: number }
const NAME = 1, NODE = 2, ENTRY_NODE = 4, ENTRY_LIST = 8;
/** TraceWriter.object's kinds of object: which flags of a key make its value a node or a list. */
const IN_NODE = NODE, IN_ENTRY = ENTRY_NODE, IN_DATA = 0;
/** TraceWriter.member's outcomes. */
const WRITTEN = 0, SKIPPED = 1, FAILED = 2;

/**
 * The UTF-8 of JSON.stringify(trace) between its brackets (its elements' texts, joined by
 * commas) written into `out`, with the derivation nodes shared between outputs written once.
 * For any array; made for buildTrace's (TraceEntry[]).
 */
export function traceJsonInto(trace: readonly unknown[], out: Utf8Sink): void {
  new TraceWriter(out, false).entries(trace);
}

/**
 * traceJsonInto for a trace exactly as evaluate() gave it (buildTrace's, nothing in it changed
 * or added since: the runtime writes its answer straight away): its derivation nodes written in
 * the shape derivation.ts builds them (shapedNode), without the walk over their keys. Anything
 * not of that shape where a node's parts are read (a value that is not { zh, en }, a label or a
 * citation list not frozen…) leaves the entry to JSON.stringify, as traceJsonInto does.
 */
export function freshTraceJsonInto(trace: readonly unknown[], out: Utf8Sink): void {
  new TraceWriter(out, true).entries(trace);
}

/** The text of a node up to its value, `{"name":…,"kind":…,"label":…,"value":`, by its label
 *  (a declaration's, frozen, made once per compiled declaration: derivation.ts's declLabel),
 *  with the name and kind it was made for. */
interface Head { name: string; kind: string; text: Uint8Array }
const heads = new WeakMap<object, Head>();
const K_SOURCES = utf8Bytes(',"sources":'), K_RANGE = utf8Bytes(',"range":'), K_TEXT = utf8Bytes(',"text":'), K_USES = utf8Bytes(',"uses":');
const K_RULE = utf8Bytes(',"rule":'), K_FORMULA = utf8Bytes(',"formula":'), K_VALUES = utf8Bytes(',"values":');
const K_CONDITIONS = utf8Bytes(',"conditions":'), K_MEMBER = utf8Bytes(',"member":'), K_MEMBERS = utf8Bytes(',"members":');
const R_KIND = utf8Bytes('{"kind":'), R_NAME = utf8Bytes(',"name":'), R_LINE = utf8Bytes(',"line":'), R_CONDITION = utf8Bytes(',"condition":');
const C_FORMULA = utf8Bytes('{"formula":'), C_RESULT = utf8Bytes(',"result":');
/** A repeated or truncated node's fixed keys after its text (derivation.ts: unshared's stub). */
const STUB_REPEATED = utf8Bytes(',"sources":[],"uses":[],"repeated":true'), STUB_TRUNCATED = utf8Bytes(',"sources":[],"uses":[],"truncated":true');
/** { zh, en } with two strings (derivation.ts's Bilingual: showValue's and the renderer's). */
const isPair = (v: unknown): v is { zh: string; en: string } =>
  typeof v === 'object' && v !== null && typeof (v as Obj)['zh'] === 'string' && typeof (v as Obj)['en'] === 'string';
/** Byte arrays one after the other, as one. */
function joined(...parts: Uint8Array[]): Uint8Array {
  const all = new Uint8Array(parts.reduce((k, p) => k + p.length, 0));
  let at = 0;
  for (const p of parts) { all.set(p, at); at += p.length; }
  return all;
}
const isEmptyList = (v: unknown): boolean => Array.isArray(v) && v.length === 0;

/** Element i of an array as JSON.stringify writes it, by JSON.stringify: under its index (a
 *  toJSON is called with it), null for what has no JSON text (undefined, a function). */
function elementText(e: unknown, i: number): string {
  const key = String(i);
  const t = JSON.stringify({ [key]: e });
  return t === '{}' ? 'null' : t.slice(key.length + 4, -1);
}

/** UTF-8 of the JSON texts of deeply frozen values (constant per compiled policy: labels,
 *  formulas, ranges, citations, parameter nodes), shared by every answer: such a value cannot
 *  change, so neither can its text. */
const frozenTexts = new WeakMap<object, Uint8Array>();
/** Each key met (a node's dozen keys and an entry's). */
const keyInfos = new Map<string, KeyInfo>();
const KEY_TEXTS_MAX = 256;
const OPEN = 123, CLOSE = 125, COMMA = 44, OPEN_LIST = 91, CLOSE_LIST = 93;
const TRUE = utf8Bytes('true'), FALSE = utf8Bytes('false'), NULL = utf8Bytes('null'), EMPTY_LIST = utf8Bytes('[]');

/** The keys whose strings are the policy's own names, the same in every answer (a node's name
 *  and kind, an entry's output, label and input paths): their JSON texts made once, by content. */
const NAME_KEYS = ['name', 'kind', 'output', 'label', 'path'];
const nameTexts = new Map<string, Uint8Array>();
const NAME_TEXTS_MAX = 4096;
/** A name's JSON text as UTF-8 (Utf8Sink.jsonText's bytes: JSON.stringify's text is well-formed
 *  UTF-16, a lone surrogate written as \u escape), made once; past NAME_TEXTS_MAX names, afresh. */
const nameText = (s: string): Uint8Array => {
  let t = nameTexts.get(s);
  if (t === undefined) {
    t = utf8Bytes(JSON.stringify(s));
    if (nameTexts.size < NAME_TEXTS_MAX) nameTexts.set(s, t);
  }
  return t;
};

const keyInfo = (k: string): KeyInfo => {
  let t = keyInfos.get(k);
  if (t === undefined) {
    const flags = (NAME_KEYS.includes(k) ? NAME : 0) | (NODE_KEYS.includes(k) ? NODE : 0) | (ENTRY_KEYS.includes(k) ? ENTRY_NODE : 0) | (ENTRY_LIST_KEYS.includes(k) ? ENTRY_LIST : 0);
    t = { text: utf8Bytes(`${JSON.stringify(k)}:`), flags };
    if (keyInfos.size < KEY_TEXTS_MAX) keyInfos.set(k, t);
  }
  return t;
};

/** The text of a deeply frozen value (every key a data property, every value a primitive or a
 *  deeply frozen value with no toJSON) as UTF-8, made once; undefined for any other value. */
function frozenText(v: object): Uint8Array | undefined {
  // only frozen objects are kept (and one cannot be unfrozen): most nodes are not, and this
  // answers for them without the lookup
  if (!Object.isFrozen(v)) return undefined;
  const known = frozenTexts.get(v);
  if (known !== undefined) return known;
  if (hasToJson(v)) return undefined;
  for (const k of Object.keys(v)) {
    const d = Object.getOwnPropertyDescriptor(v, k)!;
    if (!('value' in d)) return undefined;   // a getter may answer differently each time
    const x: unknown = d.value;
    if (typeof x === 'object' && x !== null && frozenText(x) === undefined) return undefined;
  }
  const t = utf8Bytes(JSON.stringify(v));
  frozenTexts.set(v, t);
  return t;
}

/** Where a text already written into this answer lies in the sink (bytes start..end). */
interface Span { start: number; end: number }

class TraceWriter {
  /** Each node object's text (and each shared list element's), once written: where it lies. */
  private texts = new Map<object, Span>();
  /** The objects of `texts` written in the current entry (forgotten if the entry is given up:
   *  their bytes are then written over). */
  private entryObjects: object[] = [];
  /** Nodes being written, one inside the other. */
  private depth = 0;
  /** Nothing enumerable on Object.prototype when the entry began (objectPrototypeEnumerable). */
  private bare = false;
  /** The trace is evaluate()'s as it gave it (freshTraceJsonInto): nodes written by shapedNode. */
  constructor(private out: Utf8Sink, private readonly fresh: boolean) {}

  /** Whether `for (k in o)` lists exactly Object.keys(o), in its order: o's prototype is
   *  Object.prototype, bare of enumerable keys; the own keys of an ordinary object come in the
   *  same order both ways. */
  private ownKeysOnly(o: object): boolean { return this.bare && Object.getPrototypeOf(o) === Object.prototype; }

  entries(trace: readonly unknown[]): void {
    const out = this.out;
    for (let i = 0; i < trace.length; i++) {
      if (i !== 0) out.byte(COMMA);
      const e = trace[i], start = out.n;
      this.entryObjects.length = 0;
      this.bare = !objectPrototypeEnumerable();
      if (isObject(e) && !hasToJson(e) && this.object(e, IN_ENTRY) && this.bare === !objectPrototypeEnumerable()) continue;
      // given up: the entry as JSON.stringify writes it, over what was written of it
      for (const o of this.entryObjects) this.texts.delete(o);
      this.depth = 0;
      out.n = start;
      out.text(elementText(e, i));
    }
  }

  /**
   * o's text: its keys in order, each whose value is an object or an array that `within` (IN_NODE,
   * IN_ENTRY, IN_DATA) makes a node or a list of nodes written by node(), an entry's shared lists
   * by dataList(), other values by value(). False: given up.
   */
  private object(o: Obj, within: number): boolean {
    const out = this.out;
    out.byte(OPEN);
    let first = true;
    if (this.ownKeysOnly(o)) {
      // for … in: V8 reads each value through the map's enum cache (o[k] by Object.keys' keys
      // is a megamorphic keyed load, and Object.keys an array per object)
      for (const k in o) {
        const at = this.member(k, o[k], first, within);
        if (at === FAILED) return false;
        if (at === WRITTEN) first = false;
      }
    } else {
      for (const k of Object.keys(o)) {
        const at = this.member(k, o[k], first, within);
        if (at === FAILED) return false;
        if (at === WRITTEN) first = false;
      }
    }
    out.byte(CLOSE);
    return true;
  }

  /** One key and its value (after a comma unless `first`): SKIPPED for what JSON.stringify
   *  leaves out (undefined, a function, a symbol), FAILED when given up. */
  private member(k: string, v: unknown, first: boolean, within: number): number {
    const type = typeof v;
    if (type === 'undefined' || type === 'function' || type === 'symbol') return SKIPPED;
    const out = this.out;
    if (!first) out.byte(COMMA);
    const key = keyInfo(k);
    out.put(key.text);
    if (type === 'string' && (key.flags & NAME) !== 0) { out.put(nameText(v as string)); return WRITTEN; }
    if (type === 'object' && v !== null && (key.flags & within) !== 0) {
      // (an entry's derivation is a node as derivation.ts builds it; a node's rule and condition are not)
      if (!(Array.isArray(v) ? this.nodes(v) : this.node(v as object, within === IN_ENTRY))) return FAILED;
    } else if (within === IN_ENTRY && (key.flags & ENTRY_LIST) !== 0 && Array.isArray(v) && v.length !== 0) {
      if (!this.dataList(v)) return FAILED;   // a list with a toJSON (or anything but data objects): the entry left to JSON.stringify
    } else if (!this.value(v)) return FAILED;
    return WRITTEN;
  }

  /** A value that is data (not undefined, a function or a symbol): false for an object with a
   *  toJSON (not written here). */
  private value(v: unknown): boolean {
    const out = this.out;
    switch (typeof v) {
      case 'string': out.jsonText(v); return true;
      case 'number': if (Number.isFinite(v)) out.ascii(String(v)); else out.put(NULL); return true;
      case 'boolean': out.put(v ? TRUE : FALSE); return true;
      case 'object': {
        if (v === null) { out.put(NULL); return true; }
        // (a value not frozen, most of a node's own, is not looked up among the frozen ones' texts)
        const frozen = frozenText(v);
        if (frozen !== undefined) { out.put(frozen); return true; }
        if (hasToJson(v)) return false;
        if (Array.isArray(v)) {
          if (v.length !== 0) return this.values(v);
          out.put(EMPTY_LIST); return true;
        }
        // a value's 中文 and English (most of a node's own values), then any other object key by key
        return this.bilingual(v as Obj) || this.object(v as Obj, IN_DATA);
      }
      default: out.text(JSON.stringify(v) as string); return true;   // a bigint throws, as it does there
    }
  }

  /** A list of data (a node's conditions: their formulas frozen, their values the household's),
   *  element by element as value() writes each: no text made by JSON.stringify and encoded again.
   *  Nested deeper than any trace: left to JSON.stringify (a cycle refused as it refuses it). */
  private values(list: readonly unknown[]): boolean {
    if (this.depth >= MAX_NODE_DEPTH) return false;
    const out = this.out;
    this.depth++;
    out.byte(OPEN_LIST);
    for (let i = 0; i < list.length; i++) {
      if (i !== 0) out.byte(COMMA);
      const x = list[i], type = typeof x;
      // undefined, a function, a symbol (or a hole): null, as JSON.stringify
      if (type === 'undefined' || type === 'function' || type === 'symbol') out.put(NULL);
      else if (!this.value(x)) return false;
    }
    out.byte(CLOSE_LIST);
    this.depth--;
    return true;
  }

  /** { zh, en } with two strings (a Bilingual: a node's value, line, formula), written without
   *  the walk over its keys; false (nothing written) for any other object. */
  private bilingual(o: Obj): boolean {
    if (!this.ownKeysOnly(o)) return false;
    let i = 0;
    for (const k in o) {
      if (k !== (i === 0 ? 'zh' : i === 1 ? 'en' : undefined)) return false;
      i++;
    }
    if (i !== 2) return false;
    const zh = o['zh'], en = o['en'];
    if (typeof zh !== 'string' || typeof en !== 'string') return false;
    const out = this.out;
    out.put(ZH); out.jsonText(zh); out.put(EN); out.jsonText(en); out.byte(CLOSE);
    return true;
  }

  /** A derivation node's text, written once per trace (met again: its bytes copied); a deeply
   *  frozen one (a household figure, a parameter: derivation.ts shares them between answers)
   *  made once per process. */
  private node(n: object, shaped = false): boolean {
    const out = this.out;
    const known = this.texts.get(n);
    if (known !== undefined) { out.again(known.start, known.end); return true; }
    if (Array.isArray(n) || hasToJson(n)) return false;
    const frozen = frozenText(n);
    if (frozen !== undefined) { out.put(frozen); return true; }
    // deeper than any derivation (a cycle, or something else): left to JSON.stringify
    if (this.depth >= MAX_NODE_DEPTH) return false;
    const start = out.n;
    this.depth++;
    const ok = shaped && this.fresh ? this.shapedNode(n as Obj) : this.object(n as Obj, IN_NODE);
    this.depth--;
    if (!ok) return false;
    this.remember(n, start);
    return true;
  }

  /**
   * A node of a fresh trace in the order derivation.ts sets its keys (DerivationNode):
   *   name, kind, label, value, then for a repeated or truncated line (unshared's stub)
   *   text, sources [], uses [], repeated | truncated, member?; for any other
   *   sources, range, text, uses, rule?, formula? and values?, conditions?, member?, members?
   * (unshared's and output()'s copies keep the order, adding members last). Its text up to the
   * value is made once per declaration (its frozen label's); the parts that are the same for
   * every household (sources, range, formula) are frozen, their texts made once per process.
   * False: given up (the entry is then JSON.stringify's).
   */
  private shapedNode(n: Obj): boolean {
    const label = n['label'], name = n['name'], kind = n['kind'], value = n['value'];
    if (typeof label !== 'object' || label === null || typeof name !== 'string' || typeof kind !== 'string' || !isPair(value)) return false;
    let head = heads.get(label);
    if (head === undefined || head.name !== name || head.kind !== kind) {
      const labelText = frozenText(label);
      if (labelText === undefined) return false;
      head = { name, kind, text: joined(utf8Bytes(`{"name":${JSON.stringify(name)},"kind":${JSON.stringify(kind)},"label":`), labelText, utf8Bytes(',"value":')) };
      heads.set(label, head);
    }
    const out = this.out;
    out.put(head.text);
    this.pair(value);
    const text = n['text'];
    if (!isPair(text)) return false;
    const repeated = n['repeated'] === true;
    if (repeated || n['truncated'] === true) {
      if (!isEmptyList(n['sources']) || !isEmptyList(n['uses'])) return false;
      out.put(K_TEXT); this.pair(text);
      out.put(repeated ? STUB_REPEATED : STUB_TRUNCATED);
    } else {
      const sources = n['sources'], range = n['range'], uses = n['uses'];
      const sourcesText = typeof sources === 'object' && sources !== null ? frozenText(sources) : undefined;
      const rangeText = typeof range === 'object' && range !== null ? frozenText(range) : undefined;
      if (sourcesText === undefined || rangeText === undefined || !Array.isArray(uses)) return false;
      out.put(K_SOURCES); out.put(sourcesText);
      out.put(K_RANGE); out.put(rangeText);
      out.put(K_TEXT); this.pair(text);
      out.put(K_USES);
      if (!this.nodes(uses)) return false;
      const rule = n['rule'], formula = n['formula'], conditions = n['conditions'];
      if (rule !== undefined) {
        out.put(K_RULE);
        if (!isObject(rule) || !this.rule(rule)) return false;
      }
      if (formula !== undefined) {
        const formulaText = typeof formula === 'object' && formula !== null ? frozenText(formula) : undefined;
        const values = n['values'];
        if (formulaText === undefined || !isPair(values)) return false;
        out.put(K_FORMULA); out.put(formulaText);
        out.put(K_VALUES); this.pair(values);
      }
      if (conditions !== undefined) {
        out.put(K_CONDITIONS);
        if (!Array.isArray(conditions) || !this.conditions(conditions)) return false;
      }
    }
    const member = n['member'], members = n['members'];
    if (member !== undefined) {
      if (typeof member !== 'string') return false;
      out.put(K_MEMBER); out.jsonText(member);
    }
    if (members !== undefined) {
      out.put(K_MEMBERS);
      if (!Array.isArray(members) || !this.nodes(members)) return false;
    }
    out.byte(CLOSE);
    return true;
  }

  /** A node's rule in a fresh trace (derivation.ts: decided(), its keys in that order): kind,
   *  name, line, range, text, condition; written once per trace (a node's copies share it), a
   *  frozen one (否则's) made once per process. */
  private rule(r: Obj): boolean {
    const out = this.out;
    const known = this.texts.get(r);
    if (known !== undefined) { out.again(known.start, known.end); return true; }
    const frozen = frozenText(r);
    if (frozen !== undefined) { out.put(frozen); return true; }
    const kind = r['kind'], name = r['name'], line = r['line'], range = r['range'], text = r['text'], condition = r['condition'];
    const rangeText = typeof range === 'object' && range !== null ? frozenText(range) : undefined;
    const textText = typeof text === 'object' && text !== null ? frozenText(text) : undefined;
    if (typeof kind !== 'string' || typeof name !== 'string' || typeof line !== 'number' || !Number.isSafeInteger(line) || line < 0 ||
      rangeText === undefined || textText === undefined || !isObject(condition)) return false;
    const start = out.n;
    out.put(R_KIND); out.put(nameText(kind));
    out.put(R_NAME); out.put(nameText(name));
    out.put(R_LINE); out.whole(line);
    out.put(K_RANGE); out.put(rangeText);
    out.put(K_TEXT); out.put(textText);
    out.put(R_CONDITION);
    if (!this.condition(condition)) return false;
    out.byte(CLOSE);
    this.remember(r, start);
    return true;
  }

  /** A list of conditions (a node's: 如果 … 那么 on the path taken). */
  private conditions(list: readonly unknown[]): boolean {
    const out = this.out;
    out.byte(OPEN_LIST);
    for (let i = 0; i < list.length; i++) {
      if (i !== 0) out.byte(COMMA);
      const c = list[i];
      if (!isObject(c) || !this.condition(c)) return false;
    }
    out.byte(CLOSE_LIST);
    return true;
  }

  /** A condition (derivation.ts: condition(), its keys in that order): formula (frozen), values, result (frozen). */
  private condition(c: Obj): boolean {
    const formula = c['formula'], values = c['values'], result = c['result'];
    const formulaText = typeof formula === 'object' && formula !== null ? frozenText(formula) : undefined;
    const resultText = typeof result === 'object' && result !== null ? frozenText(result) : undefined;
    if (formulaText === undefined || resultText === undefined || !isPair(values)) return false;
    const out = this.out;
    out.put(C_FORMULA); out.put(formulaText);
    out.put(K_VALUES); this.pair(values);
    out.put(C_RESULT); out.put(resultText);
    out.byte(CLOSE);
    return true;
  }

  /** { zh, en } of two strings. */
  private pair(v: { zh: string; en: string }): void {
    const out = this.out;
    out.put(ZH); out.jsonText(v.zh); out.put(EN); out.jsonText(v.en); out.byte(CLOSE);
  }

  private remember(o: object, start: number): void {
    this.texts.set(o, { start, end: this.out.n });
    this.entryObjects.push(o);
  }

  /** A list of data objects shared between lists: `[` their texts `]`, each object's text
   *  written once per trace (a deeply frozen one's made once per process); false for a list
   *  with anything else in it (the entry is then JSON.stringify's). */
  private dataList(list: readonly unknown[]): boolean {
    if (hasToJson(list)) return false;
    const out = this.out;
    out.byte(OPEN_LIST);
    for (let i = 0; i < list.length; i++) {
      if (i !== 0) out.byte(COMMA);
      const x = list[i];
      if (!isObject(x) || hasToJson(x)) return false;
      const known = this.texts.get(x);
      if (known !== undefined) { out.again(known.start, known.end); continue; }
      const frozen = frozenText(x);
      if (frozen !== undefined) { out.put(frozen); continue; }
      const start = out.n;
      if (!this.object(x, IN_DATA)) return false;
      this.remember(x, start);
    }
    out.byte(CLOSE_LIST);
    return true;
  }

  /** A list of nodes: `[` their texts `]`. */
  private nodes(list: readonly unknown[]): boolean {
    if (hasToJson(list)) return false;
    const out = this.out;
    out.byte(OPEN_LIST);
    for (let i = 0; i < list.length; i++) {
      if (i !== 0) out.byte(COMMA);
      const x = list[i];
      if (!isObject(x) || !this.node(x, true)) return false;
    }
    out.byte(CLOSE_LIST);
    return true;
  }
}

const ZH = utf8Bytes('{"zh":'), EN = utf8Bytes(',"en":');
