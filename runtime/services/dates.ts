// Dates where the policies apply (China Standard Time), and the date arithmetic publishing needs.
const fmt = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' });

export function todayInChina(now: Date = new Date()): string {
  return fmt.format(now); // en-CA formats as YYYY-MM-DD
}

/** A new version dated more than this many years after today needs explicit confirmation. */
export const FAR_FUTURE_YEARS = 10;

/** 'YYYY-MM-DD' plus n years (29 February → 28 February in a common year). */
export function addYears(date: string, n: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const year = y + n;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const day = m === 2 && d === 29 && !leap ? 28 : d;
  return `${String(year).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}
