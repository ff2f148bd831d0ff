// Language context: Chinese by default, an English switch remembered in localStorage.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { dict, type Lang, type MessageKey } from './dict';

export type Translate = (key: MessageKey, args?: Record<string, string | number>) => string;

export function translate(lang: Lang, key: MessageKey, args?: Record<string, string | number>): string {
  const entry = dict[key] as { zh: string; en: string } | undefined;
  let text = entry ? entry[lang] : key;
  if (args) for (const [k, v] of Object.entries(args)) text = text.split(`{${k}}`).join(String(v));
  return text;
}

interface I18n { lang: Lang; setLang(l: Lang): void; t: Translate }

const storageKey = 'studio.lang';
/** The language the studio starts in (the remembered switch, else Chinese). */
export function initialLang(): Lang {
  try {
    const v = globalThis.localStorage?.getItem(storageKey);
    if (v === 'en' || v === 'zh') return v;
  } catch { /* storage unavailable */ }
  return 'zh';
}

const I18nContext = createContext<I18n>({ lang: 'zh', setLang: () => {}, t: (k, a) => translate('zh', k, a) });

export function I18nProvider({ children, lang: fixed }: { children: ReactNode; lang?: Lang }) {
  const [lang, setLangState] = useState<Lang>(fixed ?? initialLang());
  const setLang = useCallback((l: Lang) => {
    setLangState(l);
    try { globalThis.localStorage?.setItem(storageKey, l); } catch { /* ignore */ }
    if (typeof document !== 'undefined') document.documentElement.lang = l === 'zh' ? 'zh-CN' : 'en';
  }, []);
  const value = useMemo<I18n>(() => ({ lang, setLang, t: (k, a) => translate(lang, k, a) }), [lang, setLang]);
  // the page title and the document's language follow the switch (a tab named in the other language is chrome too)
  useEffect(() => {
    if (typeof document === 'undefined') return;
    document.title = translate(lang, 'app.title');
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  }, [lang]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n { return useContext(I18nContext); }
export function useT(): Translate { return useContext(I18nContext).t; }

/** Pick the message of a dsl diagnostic (or any {zh,en} pair) in the current language. */
export function pick(lang: Lang, m: { zh: string; en: string }): string { return m[lang] || m.zh; }
