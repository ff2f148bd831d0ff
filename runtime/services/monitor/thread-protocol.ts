// What the main thread and the monitoring evaluation thread (eval-thread.ts) say to each other: plain data.
import type { PackedEntries } from '../../store/registry.js';
import type { PreviousResult } from '../../store/registry-runs.js';
import type { ChunkOutput, ChunkRun } from './chunk.js';

export type ThreadRequest =
  | { id: number; kind: 'policies'; asOf: string; today: string; modules: unknown; policies: unknown }
  | { id: number; kind: 'chunk'; run: ChunkRun; entries: PackedEntries; previous: PreviousResult[] };

export type ThreadReply = { id: number; ok: true; output?: ChunkOutput } | { id: number; ok: false; error: string };
