// The steady generator's schedule (bench/lib/steady-load.ts): calls send(i, due) for request i at
// its due time, start + i·interval, to within a poll's length. Node's timers step by whole
// milliseconds and fire up to ≈ 1 ms after they were asked for, so a timer alone sends ≈ 1 ms
// late on average (and that lateness is in every latency, counted from the due time). Here a
// timer only sleeps until ≈ spinMs before the next due time; the rest is polled (setImmediate:
// answers arriving meanwhile are still read between polls). The client runs on its own core, so
// the polling costs nothing the server would feel.

/** What the schedule reads the time from and waits with (injected by the tests). */
export interface PaceClock {
  now(): number;
  /** Calls wake after at least ms (a timer: whole ms, possibly late). */
  sleep(ms: number, wake: () => void): void;
  /** Calls wake as soon as the event loop has gone round once (I/O handled in between). */
  poll(wake: () => void): void;
}

export const nodeClock: PaceClock = {
  now: () => performance.now(),
  sleep: (ms, wake) => { setTimeout(wake, ms); },
  poll: (wake) => { setImmediate(wake); },
};

/** How far ahead of a due time the timer wakes: more than a timer's lateness (≈ 1 ms). */
export const SPIN_MS = 2;

/**
 * Sends requests 0 … total-1, request i at start + i·interval (a send already late when its turn
 * comes, after a stall, goes out at once: its lateness is in its latency); resolves after the last.
 */
export function pace(total: number, interval: number, start: number, send: (i: number, due: number) => void,
  clock: PaceClock = nodeClock, spinMs = SPIN_MS): Promise<void> {
  return new Promise<void>((allSent) => {
    let next = 0;
    const tick = () => {
      // the clock read again after each send: a send that took long makes the next ones due now
      while (next < total && start + next * interval <= clock.now()) { send(next, start + next * interval); next++; }
      if (next >= total) { allSent(); return; }
      const wait = start + next * interval - clock.now();
      if (wait > spinMs) clock.sleep(Math.floor(wait - spinMs), tick);
      else clock.poll(tick);
    };
    tick();
  });
}
