// What every engine implements for the throughput benchmark and the agreement test.
import type { HouseholdJson } from '../lib/households.js';

/** Where the timed loop puts each household's results (consumed, cross-checked afterwards). */
export interface Sink { eligible: Uint8Array; amount: unknown[] }
export const newSink = (n: number): Sink => ({ eligible: new Uint8Array(n), amount: new Array(n).fill(null) });

export interface Engine<P = unknown> {
  name: string;
  /** What the engine itself computes, in one line, for the results table. */
  note: string;
  /** Input in the engine's own form, built once per household outside the timed loop. */
  prepare(h: HouseholdJson, asOf: string): P;
  /** The timed loop: evaluates every prepared household, storing eligible (0/1) and the engine's own amount value. */
  runAll(prepared: P[], sink: Sink): void | Promise<void>;
  /** An amount as stored by runAll to whole fen (outside the timed loop). */
  fen(amount: unknown): bigint;
}

/** Money in yuan (a float that was rounded to 0.01) to whole fen. */
export const fenOfRoundedYuan = (yuan: unknown): bigint => BigInt(Math.round((yuan as number) * 100));
