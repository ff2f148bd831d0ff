// Monaco's own words (the find widget, the context menu, hovers' chrome) in the studio's
// language. Monaco looks each message up in a global table at the moment it is shown, or, for
// menu labels, when its modules load: so this module is imported before Monaco's (monaco.ts
// imports it first), with the language the studio starts in; widgets shown later follow a switch.
import 'monaco-editor/nls/lang/zh-cn';
import type { Lang } from '../i18n/dict';
import { initialLang } from '../i18n/i18n';

type NlsGlobal = { _VSCODE_NLS_MESSAGES?: string[]; _VSCODE_NLS_LANGUAGE?: string };
const g = globalThis as NlsGlobal;
const zhMessages = g._VSCODE_NLS_MESSAGES;

/** Monaco's messages for a studio language: zh-hans, or Monaco's built-in English. */
let current: Lang = 'zh';
/** The studio language Monaco speaks now: the language service's hovers and completions follow it. */
export function monacoLanguage(): Lang { return current; }

export function setMonacoLanguage(lang: Lang): void {
  current = lang;
  g._VSCODE_NLS_MESSAGES = lang === 'zh' ? zhMessages : undefined;
  g._VSCODE_NLS_LANGUAGE = lang === 'zh' ? 'zh-cn' : 'en';
}

setMonacoLanguage(initialLang());
