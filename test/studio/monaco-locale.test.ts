// @vitest-environment happy-dom
// Monaco's own messages follow the studio's language (issue 19): the zh-hans table in Chinese
// mode (so the find widget says 查找), none in English mode (Monaco's built-in English).
import { describe, expect, it } from 'vitest';

type G = { _VSCODE_NLS_MESSAGES?: string[]; _VSCODE_NLS_LANGUAGE?: string };

describe('Monaco locale', () => {
  it('starts in Chinese and switches with the studio', async () => {
    localStorage.removeItem('studio.lang');
    const { setMonacoLanguage } = await import('../../studio/src/language/monacoLocale');
    const g = globalThis as G;
    expect(g._VSCODE_NLS_LANGUAGE).toBe('zh-cn');
    expect(g._VSCODE_NLS_MESSAGES).toContain('查找');
    expect(g._VSCODE_NLS_MESSAGES).toContain('剪切');
    setMonacoLanguage('en');
    expect(g._VSCODE_NLS_MESSAGES).toBeUndefined();
    expect(g._VSCODE_NLS_LANGUAGE).toBe('en');
    setMonacoLanguage('zh');
    expect(g._VSCODE_NLS_MESSAGES).toContain('查找');
  });
});
