// The steady generator's schedule (bench/lib/steady-pace.ts) on a simulated clock: timers that
// fire up to 1 ms late (as Node's do) must not make the sends late, a stall's backlog goes out
// at once with its own due times, and the schedule sleeps instead of polling when the next send is far off.
import { describe, expect, it } from 'vitest';
import { pace, SPIN_MS, type PaceClock } from '../../bench/lib/steady-pace.js';

/** A simulated clock: a timer fires `lag(k)` ms after it was due (k counts the timers), a poll
 *  takes pollMs, and send i takes cost(i) ms. Runs the schedule to the end. */
async function simulate(o: { total: number; interval: number; lag: (k: number) => number; pollMs: number; cost?: (i: number) => number }) {
  let t = 0, pending: { at: number; fn: () => void } | undefined, timers = 0, polls = 0;
  const clock: PaceClock = {
    now: () => t,
    sleep: (ms, wake) => { expect(Number.isInteger(ms) && ms >= 0).toBe(true); pending = { at: t + ms + o.lag(timers++), fn: wake }; },
    poll: (wake) => { polls++; pending = { at: t + o.pollMs, fn: wake }; },
  };
  const sends: { i: number; due: number; at: number }[] = [];
  const done = pace(o.total, o.interval, 5, (i, due) => { sends.push({ i, due, at: t }); t += o.cost?.(i) ?? 0; }, clock);
  while (pending) { const p = pending; pending = undefined; t = Math.max(t, p.at); p.fn(); }
  await done;
  return { sends, timers, polls };
}

describe('pace', () => {
  it('sends each request at its due time within a poll, though the timers fire up to 1 ms late', async () => {
    for (const interval of [1, 5, 20]) {
      const { sends, timers } = await simulate({ total: 200, interval, lag: (k) => (k * 0.37) % 1, pollMs: 0.05 });
      expect(sends.map((s) => s.i)).toEqual(Array.from({ length: 200 }, (_, i) => i));
      sends.forEach((s) => expect(s.due).toBe(5 + s.i * interval));
      const late = sends.map((s) => s.at - s.due);
      expect(Math.min(...late)).toBeGreaterThanOrEqual(0); // never early
      expect(Math.max(...late)).toBeLessThanOrEqual(0.05 + 1e-9);
      // with room between sends, the wait is slept on a timer, not polled all the way
      if (interval > SPIN_MS + 1) expect(timers).toBeGreaterThanOrEqual(199);
    }
  });

  it('after a stall sends the backlog at once, each with its own due time', async () => {
    // send 10 takes 30 ms (the client stalled): the 30 requests due meanwhile go out right after it
    const { sends } = await simulate({ total: 100, interval: 1, lag: () => 1, pollMs: 0.05, cost: (i) => (i === 10 ? 30 : 0) });
    expect(sends).toHaveLength(100);
    const backlog = sends.filter((s) => s.i > 10 && s.i <= 40);
    for (const s of backlog) { expect(s.at).toBeCloseTo(sends[10]!.at + 30, 9); expect(s.due).toBe(5 + s.i); }
    expect(sends[41]!.at - sends[41]!.due).toBeLessThanOrEqual(0.05 + 1e-9); // back on schedule
  });
});
