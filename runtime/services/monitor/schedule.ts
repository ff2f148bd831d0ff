// MONITOR_CRON: when scheduled runs start, in China time (UTC+8). Two forms:
//   "1 06:30"        day of month (1–28, or * for every day), hour:minute
//   "30 6 1 * *"     a cron subset: minute hour day-of-month, month and weekday must be *
// Anything else is refused at start-up with the form expected (no silent misfire).

export interface Schedule { day: number | '*'; hour: number; minute: number }

export function parseMonitorCron(text: string): Schedule {
  const t = text.trim();
  const bad = () => new Error(`MONITOR_CRON "${t.slice(0, 40)}": expected "<day 1-28 or *> <HH:MM>" (e.g. "1 06:30") or "<minute> <hour> <day> * *"`);
  let day: string, hour: string, minute: string;
  let m = /^(\*|\d{1,2})\s+(\d{1,2}):(\d{2})$/.exec(t);
  if (m) [, day, hour, minute] = m as unknown as [string, string, string, string];
  else {
    m = /^(\d{1,2})\s+(\d{1,2})\s+(\*|\d{1,2})\s+\*\s+\*$/.exec(t);
    if (!m) throw bad();
    [, minute, hour, day] = m as unknown as [string, string, string, string];
  }
  const d = day === '*' ? '*' : Number(day);
  const s = { day: d, hour: Number(hour), minute: Number(minute) } as Schedule;
  // days past 28 would skip February: refused rather than silently not run
  if ((d !== '*' && (d < 1 || d > 28)) || s.hour > 23 || s.minute > 59) throw bad();
  return s;
}

/** The China-time date (YYYY-MM-DD) if `now` falls in the scheduled minute, else null. */
export function firesAt(s: Schedule, now: Date): string | null {
  const china = new Date(now.getTime() + 8 * 3_600_000);
  if (china.getUTCHours() !== s.hour || china.getUTCMinutes() !== s.minute) return null;
  if (s.day !== '*' && china.getUTCDate() !== s.day) return null;
  return china.toISOString().slice(0, 10);
}
