// Studio cold load in Chromium (issue 17): the built server and studio, each load in a new
// browser context (empty cache, no service worker), timed from navigation start as the page's
// own clock sees it:
//   * policy list interactive: the dawukou-dibao row with its link is on screen (React has
//     rendered the list from the API, so its handlers are live); target < 1 s;
//   * editor usable: a deep link to the editor, Monaco showing the policy's text; target < 1.5 s;
//   * live results: the same load until the scenario summary of the first analysis is shown.
// Run after `npm run build`: node dist/bench/studio-load.js [--runs N]
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, startServer } from './lib/studio-server.js';
import { median, setupLine } from './lib/system.js';

const POLICY = 'dawukou-dibao';

interface Load { ms: number; bytes: number; liveMs?: number }
export interface StudioLoadRow { name: string; medianMs: number; runsMs: number[]; kb: number; targetMs?: number; ok?: boolean }

/** Milliseconds since the page's navigation started, read inside the page. */
const pageNow = (page: Page): Promise<number> => page.evaluate('performance.now()');
/** Bytes over the wire for everything the page loaded (compressed sizes). Strings: evaluated in
 *  the page, whose `performance` is the DOM's, not node:perf_hooks'. */
const transferred = (page: Page): Promise<number> => page.evaluate(`performance.getEntriesByType('resource').reduce((s, e) => s + e.transferSize, 0)
  + (performance.getEntriesByType('navigation')[0]?.transferSize ?? 0)`);

async function coldLoad(browser: Browser, url: string, ready: (page: Page) => Promise<void>, live?: (page: Page) => Promise<void>): Promise<Load> {
  const context = await browser.newContext({ viewport: { width: 1500, height: 950 } });
  try {
    const page = await context.newPage();
    await page.goto(url, { waitUntil: 'commit' });
    await ready(page);
    const ms = await pageNow(page);
    const liveMs = live ? (await live(page), await pageNow(page)) : undefined;
    return { ms, bytes: await transferred(page), liveMs };
  } finally {
    await context.close();
  }
}

const fmt = (ms: number) => `${ms.toFixed(0)} ms`;

/** Cold loads of the list and of the editor, `runs` each after one warm-up; prints as it goes. */
export async function runStudioLoad(runs = 5): Promise<StudioLoadRow[]> {
  console.log(`\n## Studio cold load in Chromium: ${runs} loads each, new browser context per load`);
  const t0 = performance.now();
  const [server, browser] = await Promise.all([startServer(), launchBrowser()]);
  console.log(`server and browser up in ${fmt(performance.now() - t0)}`);
  try {
    const listReady = async (page: Page) => { await page.waitForSelector(`[data-testid=policy-link-${POLICY}]`, { state: 'visible', timeout: 30_000 }); };
    const editorReady = (page: Page) => page.waitForFunction(
      () => (document.querySelector('.monaco-editor .view-lines')?.textContent ?? '').trim().length > 20, null, { timeout: 30_000 }).then(() => undefined);
    const liveReady = (page: Page) => page.waitForFunction(
      () => { const d = (document.querySelector('[data-testid=summary-bar]') as HTMLElement | null)?.dataset; return !!d && d.pending === 'false' && Number(d.total) > 0; },
      null, { timeout: 30_000 }).then(() => undefined);
    // one warm-up of each (the server's first answers compile the policy), not counted
    await coldLoad(browser, `${server.url}/`, listReady);
    await coldLoad(browser, `${server.url}/#/p/${POLICY}/editor`, editorReady, liveReady);
    const list: Load[] = [], editor: Load[] = [];
    for (let i = 0; i < runs; i++) {
      list.push(await coldLoad(browser, `${server.url}/`, listReady));
      editor.push(await coldLoad(browser, `${server.url}/#/p/${POLICY}/editor`, editorReady, liveReady));
    }
    const row = (name: string, ms: number[], loads: Load[], targetMs?: number): StudioLoadRow => {
      const m = median(ms);
      return { name, medianMs: m, runsMs: ms, kb: median(loads.map((l) => l.bytes)) / 1024, targetMs, ok: targetMs === undefined ? undefined : m < targetMs };
    };
    const rows = [
      row('studio: policy list interactive, cold', list.map((l) => l.ms), list, 1000),
      row('studio: editor usable, cold deep link', editor.map((l) => l.ms), editor, 1500),
      row('studio: editor with its first live scenario results', editor.map((l) => l.liveMs!), editor),
    ];
    for (const r of rows) {
      console.log(`${r.name}: median ${fmt(r.medianMs)} (runs ${r.runsMs.map((x) => x.toFixed(0)).join(', ')}), ${r.kb.toFixed(0)} KB transferred`
        + (r.targetMs === undefined ? '' : `; target < ${r.targetMs} ms: ${r.ok ? 'met' : 'MISSED'}`));
    }
    return rows;
  } finally {
    await browser.close();
    await server.stop();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const runsArg = process.argv.indexOf('--runs');
  console.log(`# Studio cold load (issue 17)\n${setupLine()}`);
  runStudioLoad(runsArg > 0 ? Number(process.argv[runsArg + 1]) : 5).catch((e) => { console.error(e); process.exit(1); });
}
