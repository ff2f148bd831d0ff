// Today's date where the policies apply (China Standard Time).
const fmt = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' });

export function todayInChina(now: Date = new Date()): string {
  return fmt.format(now); // en-CA formats as YYYY-MM-DD
}
