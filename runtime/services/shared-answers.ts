// What the answers of one programme list share when every programme's outputs are the same shared
// (frozen) objects: of 10,000 Dawukou households ≈ 57 % get all seven outputs shared, in ≈ 50
// combinations, the 16 most common covering ≈ 54 %. Such answers differ only in their household
// id: their programmes' results, totals and text are made once (entitlements.ts) and found here
// by the outputs' identities. 各项目输出都相同的答复共享其结果、合计与文本。

/** Combinations kept per programme list (a lookup compares with each, a pointer at a time, the
 *  most used first): room for all of a population's (with 24, ≈ 900 of 110,000 Dawukou answers
 *  made a combination again that had given way to another). */
const KEPT = 64;
/** Lookups between two halvings of the counts (combinations common earlier give way). */
const AGE = 1024;

interface Entry<V> { outputs: readonly object[]; value: V; hits: number }

export class SharedAnswers<V> {
  readonly #kept: Entry<V>[] = [];
  #lookups = 0;

  /** The value kept for exactly these outputs (each the same object, in order), or undefined. */
  get(outputs: readonly object[]): V | undefined {
    if (++this.#lookups === AGE) { this.#lookups = 0; for (const e of this.#kept) e.hits >>= 1; }
    const kept = this.#kept, n = outputs.length;
    next: for (let i = 0; i < kept.length; i++) {
      const e = kept[i]!, at = e.outputs;
      for (let k = 0; k < n; k++) if (at[k] !== outputs[k]) continue next;
      e.hits++;
      // the more used first: found sooner next time
      if (i !== 0 && e.hits > kept[i - 1]!.hits) { kept[i] = kept[i - 1]!; kept[i - 1] = e; }
      return e.value;
    }
    return undefined;
  }

  /** Whether a new combination would be kept now: room, or one kept that is little used. */
  get room(): boolean {
    return this.#kept.length < KEPT || this.#kept.some((e) => e.hits <= 1);
  }

  /** Keeps `value` for these outputs (a copy of the list: the caller's may be reused), in the place of
   *  the least used when full (and that one is little used: else nothing is kept). */
  add(outputs: readonly object[], value: V): void {
    const kept = this.#kept, e: Entry<V> = { outputs: outputs.slice(), value, hits: 1 };
    if (kept.length < KEPT) { kept.push(e); return; }
    let place = 0;
    for (let i = 1; i < kept.length; i++) if (kept[i]!.hits < kept[place]!.hits) place = i;
    if (kept[place]!.hits <= 1) kept[place] = e;
  }
}
