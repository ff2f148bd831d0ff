// Browser test for issue 19's diagnostics and editor points, in Chromium on the built studio:
// a misspelt keyword gives exactly one error naming the keyword and no "never used" warnings;
// a keyword written against a name (`是城市`) is said to be that; the Problems panel resizes
// (keyboard and mouse) and lists everything; Esc then Tab (and Ctrl+M) leave the editor for the
// next control; Monaco's own find widget speaks Chinese in zh mode and English in en mode, and
// so do the language service's hovers (a keyword, a parameter) and completions.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { collectErrors, shot, useStudio } from './harness';
import { axeViolations } from './axe';

const POLICY = 'dawukou-dibao';

const studio = useStudio();

async function openEditor(page: Page): Promise<void> {
  await page.goto(`${studio.server.url}/#/p/${POLICY}/editor`);
  await page.waitForSelector('.monaco-editor .view-lines', { timeout: 30_000 });
  await page.waitForSelector('[data-testid=summary-bar][data-pending=false]', { timeout: 30_000 });
}

/** The Problems panel's rows once the analysis of the typed text is in (waits for `pred`). */
async function problems(page: Page, pred: string): Promise<{ cls: string; text: string }[]> {
  await page.waitForFunction(`(() => { const rows = [...document.querySelectorAll('[data-testid=problems] li')].map((li) => ({ cls: li.className, text: li.textContent }));
    return document.querySelector('[data-testid=summary-bar]')?.dataset.pending === 'false' && (${pred}); })()`, null, { timeout: 20_000 });
  return page.$$eval('[data-testid=problems] li', (lis) => lis.map((li) => ({ cls: li.className, text: li.textContent ?? '' })));
}

/** Replaces the editor's last line by `text` (typed, as an officer would). */
async function typeLastLine(page: Page, text: string): Promise<void> {
  await page.click('.monaco-editor .view-lines');
  await page.keyboard.press('Control+End');
  await page.keyboard.press('Shift+Home');
  await page.keyboard.type(text, { delay: 5 });
  await page.keyboard.press('Escape');
}

/** The text of the hover over `word` on the line holding `line`, once it shows `shows`. */
async function hoverText(page: Page, line: string, word: string, shows: string): Promise<string> {
  await page.locator('.monaco-editor .view-line', { hasText: line }).locator(`span:text-is("${word}")`).last().hover();
  const h = await page.waitForFunction((s) => [...document.querySelectorAll<HTMLElement>('.monaco-hover')].map((e) => e.innerText).find((t) => t.includes(s)) ?? false, shows, { timeout: 15_000 });
  return String(await h.jsonValue()).replace(/\s+/g, ' ');
}

// What an English hover may still say in Chinese: the policy's own words (its names, its
// 「labels」 and citations, the household module's labels) and the hovered word itself.
const CJK = /[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]/;
async function policyWords(): Promise<string[]> {
  const { source } = await (await fetch(`${studio.server.url}/api/policies/${POLICY}/draft`)).json() as { source: string };
  const texts = [source, readFileSync('policies/common/household.policy', 'utf8')];
  const words = texts.flatMap((t) => [...t.matchAll(/「([^」]+)」/g), ...t.matchAll(/^\s*(?:参数|定义|成员定义|输出|成员输出)\s+([^\s「=]+)/gm)].map((m) => m[1]!));
  return [...new Set(words)].sort((a, b) => b.length - a.length);
}
const withoutOwnWords = (text: string, own: string[]) => own.reduce((t, w) => t.split(w).join(''), text).replace(/「」/g, '');

const activeTestId = (page: Page) => page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.testid ?? document.activeElement?.className ?? '');
const inEditor = (page: Page) => page.evaluate(() => !!document.activeElement?.closest('.monaco-editor'));

describe('diagnostics and the editor in an officer\'s words', () => {
  it('one misspelt keyword, one error; a joined keyword said so; the panel resizes; Esc Tab leaves; Monaco in Chinese', async () => {
    const page = await studio.browser.newPage({ viewport: { width: 1400, height: 900 } });
    const errors = collectErrors(page);
    let step = 'open';
    try {
      await openEditor(page);
      // the published policy has no problems to begin with
      expect(await page.$$eval('[data-testid=problems] li', (l) => l.length)).toBe(0);

      step = 'misspelt keyword';
      await page.click('.monaco-editor .view-lines');
      await page.keyboard.press('Control+End');
      await page.keyboard.press('Enter');
      await typeLastLine(page, '定义 试算 = 如果 household.area 是 城市 那吗 1 否则 2');
      let rows = await problems(page, `rows.length > 0 && rows.some((r) => r.text.includes('那吗'))`);
      expect(rows).toHaveLength(1);
      expect(rows[0]!.cls).toContain('error');
      expect(rows[0]!.text).toContain('语法错误：此处应为「那么」，不应是「那吗」；是否应为「那么」？');
      expect(rows[0]!.text).toContain('syntax.grammar');
      expect(rows.some((r) => r.cls.includes('warning'))).toBe(false);
      await shot(page, 'diag-01-misspelt-keyword');

      step = 'keyword written against a name';
      await typeLastLine(page, '定义 试算 = household.area 是城市');
      rows = await problems(page, `rows.some((r) => r.text.includes('连写'))`);
      expect(rows).toHaveLength(1);
      expect(rows[0]!.text).toContain('关键字「是」与名称「城市」连写了：请在两者之间加空格');
      expect(rows[0]!.text).toContain('syntax.joined-keyword');

      step = 'resize the Problems panel';
      const height = () => page.$eval('[data-testid=problems]', (el) => el.getBoundingClientRect().height);
      const h0 = await height();
      await page.focus('[data-testid=problems-splitter]');
      for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowUp');   // 24 px each
      expect(Math.round(await height())).toBe(Math.round(h0) + 72);
      const box = (await page.locator('[data-testid=problems-splitter]').boundingBox())!;
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2 - 100, { steps: 5 });
      await page.mouse.up();
      expect(Math.round(await height())).toBe(Math.round(h0) + 172);
      // everything is listed: as many rows as the analysis has diagnostics
      // (six outputs, each reading an unknown name: six errors, none hidden)
      await typeLastLine(page, '输出 试甲 = 甲甲');
      for (const n of ['乙', '丙', '丁', '戊', '己']) {
        await page.keyboard.press('End');
        await page.keyboard.press('Enter');
        await page.keyboard.type(`输出 试${n} = ${n}${n}`, { delay: 5 });
        await page.keyboard.press('Escape');
      }
      rows = await problems(page, `rows.length === 6`);
      expect(rows.every((r) => r.text.includes('check.unknown-name'))).toBe(true);
      expect(await page.textContent('[data-testid=problems-count]')).toBe('6 个错误，共 6 条');
      await shot(page, 'diag-02-problems-resized');

      step = 'escape the editor with the keyboard';
      await page.click('.monaco-editor .view-lines');
      await page.keyboard.press('Tab');                                   // Tab alone indents: still in the editor
      expect(await inEditor(page)).toBe(true);
      step = 'escape: Esc then Tab';
      await page.keyboard.press('Escape');
      await page.keyboard.press('Tab');
      expect(await inEditor(page)).toBe(false);
      expect(await activeTestId(page)).toBe('problems-splitter');          // the next control after the editor
      await page.click('.monaco-editor .view-lines');
      step = 'escape: Ctrl+M';
      await page.keyboard.press('Control+m');                              // tab focus mode on (as in VS Code)
      await page.keyboard.press('Tab');
      expect(await activeTestId(page)).toBe('problems-splitter');
      await page.click('.monaco-editor .view-lines');
      step = 'escape: Ctrl+M off';
      await page.keyboard.press('Control+m');                              // off again: Tab indents
      await page.keyboard.press('Tab');
      expect(await inEditor(page)).toBe(true);
      expect(await page.textContent('.shortcuts')).toContain('Esc 再按 Tab 离开编辑器');

      step = 'Monaco in Chinese';
      await page.keyboard.press('Control+f');
      await page.waitForSelector('.monaco-editor .find-widget.visible', { timeout: 10_000 });
      const findLabels = await page.$$eval('.monaco-editor .find-widget [aria-label]', (els) => els.map((e) => e.getAttribute('aria-label')));
      expect(findLabels).toContain('查找');
      expect(findLabels).not.toContain('Find');
      await page.keyboard.press('Escape');
      await page.click('.monaco-editor .view-lines', { button: 'right' });
      await page.waitForSelector('.context-view .monaco-menu .action-label', { timeout: 10_000 });
      const menu = await page.$$eval('.context-view .monaco-menu .action-label', (els) => els.map((e) => e.textContent ?? ''));
      expect(menu).toContain('剪切');
      expect(menu).toContain('复制');
      await shot(page, 'diag-03-monaco-zh');
      await page.keyboard.press('Escape');

      step = 'hovers in Chinese';
      await page.click('.monaco-editor .view-lines');
      await page.keyboard.press('Control+End');
      await page.keyboard.press('Enter');
      await typeLastLine(page, '定义 试月 = 按月(农村低保标准)');
      const keywordZh = await hoverText(page, '试月', '按月', '按年金额');
      expect(keywordZh).toContain('按年金额 ÷ 12');
      expect(keywordZh).not.toContain('a yearly amount');
      const paramZh = await hoverText(page, '试月', '农村低保标准', '当前值');
      expect(paramZh).toContain('参数 农村低保标准');
      expect(paramZh).toContain('类型: 金额/年');
      expect(paramZh).toContain('当前值: 5520 元/年');
      expect(paramZh).toContain('依据: 「001 第一章第一节」');
      expect(paramZh).not.toMatch(/parameter|type|value|source|yuan/);
      await page.mouse.move(0, 0);

      step = 'axe on the editor screen';
      expect((await axeViolations(page)).filter((v) => /problems/.test(v))).toEqual([]);

      step = 'Monaco in English';
      await page.click('[data-testid=lang-switch]');
      await page.reload();
      await page.waitForSelector('.monaco-editor .view-lines', { timeout: 30_000 });
      await page.click('.monaco-editor .view-lines');
      await page.keyboard.press('Control+f');
      await page.waitForSelector('.monaco-editor .find-widget.visible', { timeout: 10_000 });
      const enLabels = await page.$$eval('.monaco-editor .find-widget [aria-label]', (els) => els.map((e) => e.getAttribute('aria-label')));
      expect(enLabels).toContain('Find');
      expect(enLabels).not.toContain('查找');
      await page.keyboard.press('Escape');

      step = 'hovers and completions in English';
      const own = await policyWords();
      await page.click('.monaco-editor .view-lines');
      await page.keyboard.press('Control+End');
      await page.keyboard.press('Enter');
      await typeLastLine(page, '定义 试年 = 按月(农村低保标准)');
      const keywordEn = await hoverText(page, '试年', '按月', 'a yearly amount');
      expect(keywordEn).toContain('monthly, 按月 a yearly amount ÷ 12');
      expect(withoutOwnWords(keywordEn, [...own, '按月'])).not.toMatch(CJK);
      const paramEn = await hoverText(page, '试年', '农村低保标准', 'value');
      expect(paramEn).toContain('parameter 农村低保标准');
      expect(paramEn).toContain('type: money per year');
      expect(paramEn).toContain('value: 5520 yuan/year');
      expect(paramEn).toContain('source: 001 第一章第一节');
      expect(withoutOwnWords(paramEn, own)).not.toMatch(CJK);
      await page.mouse.move(0, 0);
      await page.keyboard.press('Control+End');
      await page.keyboard.press('Enter');
      await page.keyboard.type('定义 试户 = household.', { delay: 5 });
      await page.waitForSelector('.suggest-widget .monaco-list-row[aria-label^="area"]', { timeout: 15_000 });
      const suggestions = await page.$$eval('.suggest-widget .monaco-list-row', (rows) => rows.map((r) => r.textContent ?? ''));
      expect(suggestions).toContain('areaUrban or rural enum(urban, rural)');
      expect(suggestions.filter((r) => CJK.test(withoutOwnWords(r, own)))).toEqual([]);
      await page.keyboard.press('Escape');
      expect(errors).toEqual([]);
    } catch (e) {
      await shot(page, `diag-failed-${step.replace(/\W+/g, '_')}`).catch(() => {});
      throw new Error(`failed at step "${step}": ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      await page.close();
    }
  }, 180_000);
});
