// Monaco, loaded piecemeal (editor API + the contributions we use), and the 'policy' language:
// every provider is a thin adapter over the dsl language service running in the worker.
import { setMonacoLanguage, monacoLanguage } from './monacoLocale'; // first: Monaco's labels are read as its modules load
import * as monaco from 'monaco-editor/editor/editor.api';
import 'monaco-editor/editor/contrib/toggleTabFocusMode/browser/toggleTabFocusMode';
import 'monaco-editor/editor/browser/coreCommands';
import 'monaco-editor/editor/browser/widget/codeEditor/codeEditorWidget';
import 'monaco-editor/editor/browser/widget/diffEditor/diffEditor.contribution';
import 'monaco-editor/editor/contrib/bracketMatching/browser/bracketMatching';
import 'monaco-editor/editor/contrib/clipboard/browser/clipboard';
import 'monaco-editor/editor/contrib/comment/browser/comment';
import 'monaco-editor/editor/contrib/contextmenu/browser/contextmenu';
import 'monaco-editor/editor/contrib/cursorUndo/browser/cursorUndo';
import 'monaco-editor/editor/contrib/find/browser/findController';
import 'monaco-editor/editor/contrib/format/browser/formatActions';
import 'monaco-editor/editor/contrib/gotoError/browser/gotoError';
import 'monaco-editor/editor/contrib/gotoSymbol/browser/goToCommands';
import 'monaco-editor/editor/contrib/gotoSymbol/browser/link/goToDefinitionAtPosition';
import 'monaco-editor/editor/contrib/hover/browser/hoverContribution';
import 'monaco-editor/editor/contrib/linesOperations/browser/linesOperations';
import 'monaco-editor/editor/contrib/semanticTokens/browser/documentSemanticTokens';
import 'monaco-editor/editor/contrib/snippet/browser/snippetController2';
import 'monaco-editor/editor/contrib/suggest/browser/suggestController';
import 'monaco-editor/editor/contrib/wordHighlighter/browser/wordHighlighter';
import 'monaco-editor/editor/contrib/wordOperations/browser/wordOperations';
import 'monaco-editor/languages/definitions/yaml/register';
import 'monaco-editor-css/base/browser/ui/codicons/codicon/codicon.css';
import 'monaco-editor-css/base/browser/ui/codicons/codicon/codicon-modifiers.css';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';
export { setMonacoLanguage };
import type { LanguageClient } from './client';
import type { Diagnostic, Range } from './types';

export { monaco };

(self as unknown as { MonacoEnvironment: monaco.Environment }).MonacoEnvironment = {
  getWorker: () => new EditorWorker(),
};

export const LANGUAGE_ID = 'policy';

/** Semantic token types the dsl may report; anything else is shown as a variable. */
export const tokenTypes = [
  'keyword', 'unit', 'type', 'builtin', 'literal', 'operator', 'variable', 'parameter', 'function',
  'number', 'string', 'comment', 'property', 'enumMember', 'enum', 'member', 'output', 'definition',
  'rule', 'date', 'namespace', 'field', 'label', 'citation', 'text', 'schema', 'class', 'macro',
];
const tokenIndex = new Map(tokenTypes.map((t, i) => [t, i]));

let client: LanguageClient | null = null;
export function setLanguageClient(c: LanguageClient | null) { client = c; }

function toMonacoRange(r: Range): monaco.IRange {
  return { startLineNumber: r.start.line, startColumn: r.start.column, endLineNumber: r.end.line, endColumn: r.end.column };
}
export { toMonacoRange };

const completionKinds: Record<string, monaco.languages.CompletionItemKind> = {
  keyword: monaco.languages.CompletionItemKind.Keyword,
  parameter: monaco.languages.CompletionItemKind.Constant,
  constant: monaco.languages.CompletionItemKind.Constant,
  definition: monaco.languages.CompletionItemKind.Variable,
  variable: monaco.languages.CompletionItemKind.Variable,
  output: monaco.languages.CompletionItemKind.Property,
  field: monaco.languages.CompletionItemKind.Field,
  property: monaco.languages.CompletionItemKind.Field,
  function: monaco.languages.CompletionItemKind.Function,
  builtin: monaco.languages.CompletionItemKind.Function,
  unit: monaco.languages.CompletionItemKind.Unit,
  enum: monaco.languages.CompletionItemKind.EnumMember,
  enumMember: monaco.languages.CompletionItemKind.EnumMember,
  snippet: monaco.languages.CompletionItemKind.Snippet,
  module: monaco.languages.CompletionItemKind.Module,
  type: monaco.languages.CompletionItemKind.TypeParameter,
};

let registered = false;

export function registerPolicyLanguage() {
  if (registered) return;
  registered = true;
  monaco.languages.register({ id: LANGUAGE_ID, extensions: ['.policy'], aliases: ['Policy', '政策'] });
  monaco.languages.setLanguageConfiguration(LANGUAGE_ID, {
    comments: { lineComment: '#' },
    brackets: [['(', ')'], ['[', ']'], ['（', '）'], ['「', '」']],
    autoClosingPairs: [{ open: '(', close: ')' }, { open: '[', close: ']' }, { open: '「', close: '」' }, { open: '"', close: '"' }, { open: '（', close: '）' }],
    wordPattern: /(-?\d+(?:\.\d+)?)|([A-Za-z_\u3400-\u9fff][A-Za-z0-9_\u3400-\u9fff]*)/g,
  });
  // A minimal lexical colouring so the first paint is not plain; the language's own semantic
  // tokens (from the dsl service) then colour keywords, names, units, literals.
  monaco.languages.setMonarchTokensProvider(LANGUAGE_ID, {
    tokenizer: {
      root: [
        [/(#|\/\/).*$/, 'comment'],
        [/「[^」]*」/, 'string'],
        [/"([^"\\]|\\.)*"/, 'string'],
        [/\d{4}-\d{2}-\d{2}/, 'number.date'],
        [/\d+(\.\d+)?%?/, 'number'],
      ],
    },
  });
  monaco.editor.defineTheme('policy-light', {
    base: 'vs', inherit: true,
    rules: [
      { token: 'keyword', foreground: '0b57d0', fontStyle: 'bold' },
      { token: 'unit', foreground: '8a4b08' },
      { token: 'type', foreground: '1f6377' },
      { token: 'builtin', foreground: '6b5221' },
      { token: 'function', foreground: '6b5221' },
      { token: 'literal', foreground: '0451a5' },
      { token: 'operator', foreground: '555555' },
      { token: 'parameter', foreground: 'a31515', fontStyle: 'bold' },
      { token: 'variable', foreground: '001080' },
      { token: 'definition', foreground: '001080' },
      { token: 'output', foreground: '6f42c1', fontStyle: 'bold' },
      { token: 'property', foreground: '0a5c48' },
      { token: 'field', foreground: '0a5c48' },
      { token: 'enumMember', foreground: '005a9e' },
      { token: 'number', foreground: '066b45' },
      { token: 'date', foreground: '066b45' },
      { token: 'string', foreground: 'a31515' },
      { token: 'citation', foreground: '7a3e9d' },
      { token: 'comment', foreground: '57606a', fontStyle: 'italic' },
      { token: 'rule', foreground: '8f4700', fontStyle: 'bold' },
    ],
    // every token colour keeps a contrast of at least 4.5:1 on white and on these diff
    // backgrounds (WCAG AA; axe-core checks it in the browser tests)
    colors: {
      'diffEditor.removedLineBackground': '#ffebe9', 'diffEditor.removedTextBackground': '#ffcecb',
      'diffEditor.insertedLineBackground': '#e6ffec', 'diffEditor.insertedTextBackground': '#abf2bc',
    },
  });

  monaco.languages.registerCompletionItemProvider(LANGUAGE_ID, {
    triggerCharacters: ['.', '(', '（'],
    async provideCompletionItems(model, position) {
      if (!client) return { suggestions: [] };
      const items = await client.request<{ label: string; kind: string; detail?: string; insertText?: string; documentation?: string }[]>('completions', {
        text: model.getValue(), pos: { line: position.lineNumber, column: position.column }, lang: monacoLanguage(),
      });
      const word = model.getWordUntilPosition(position);
      const range = new monaco.Range(position.lineNumber, word.startColumn, position.lineNumber, word.endColumn);
      return {
        suggestions: (items ?? []).map((it) => ({
          label: it.label,
          kind: completionKinds[it.kind] ?? monaco.languages.CompletionItemKind.Text,
          detail: it.detail,
          documentation: it.documentation ? { value: it.documentation } : undefined,
          insertText: it.insertText ?? it.label,
          insertTextRules: it.insertText && /\$\{?\d/.test(it.insertText) ? monaco.languages.CompletionItemInsertTextRule.InsertAsSnippet : undefined,
          range,
        })),
      };
    },
  });

  monaco.languages.registerHoverProvider(LANGUAGE_ID, {
    async provideHover(model, position) {
      if (!client) return null;
      const h = await client.request<{ contents: string; range: Range } | null>('hover', { text: model.getValue(), pos: { line: position.lineNumber, column: position.column }, lang: monacoLanguage() });
      if (!h) return null;
      return { contents: [{ value: h.contents }], range: toMonacoRange(h.range) };
    },
  });

  monaco.languages.registerDefinitionProvider(LANGUAGE_ID, {
    async provideDefinition(model, position) {
      if (!client) return null;
      const r = await client.request<Range | null>('definition', { text: model.getValue(), pos: { line: position.lineNumber, column: position.column } });
      if (!r) return null;
      return { uri: model.uri, range: toMonacoRange(r) };
    },
  });

  monaco.languages.registerDocumentFormattingEditProvider(LANGUAGE_ID, {
    async provideDocumentFormattingEdits(model) {
      if (!client) return [];
      const text = model.getValue();
      const formatted = await client.request<string>('format', { text });
      if (typeof formatted !== 'string' || formatted === text) return [];
      return [{ range: model.getFullModelRange(), text: formatted }];
    },
  });

  monaco.languages.registerDocumentSemanticTokensProvider(LANGUAGE_ID, {
    getLegend: () => ({ tokenTypes, tokenModifiers: [] }),
    async provideDocumentSemanticTokens(model) {
      if (!client) return null;
      const tokens = await client.request<{ line: number; column: number; length: number; type: string }[]>('semanticTokens', { text: model.getValue() });
      return { data: encodeSemanticTokens(tokens ?? []) };
    },
    releaseDocumentSemanticTokens() {},
  });
}

/** LSP relative encoding: [deltaLine, deltaStart, length, type, modifiers] per token, sorted. */
export function encodeSemanticTokens(tokens: { line: number; column: number; length: number; type: string }[]): Uint32Array {
  const sorted = [...tokens].filter((t) => t.length > 0).sort((a, b) => a.line - b.line || a.column - b.column);
  const data: number[] = [];
  let prevLine = 0, prevChar = 0;
  for (const t of sorted) {
    const line = t.line - 1, char = t.column - 1;
    const dl = line - prevLine;
    const dc = dl === 0 ? char - prevChar : char;
    if (dl === 0 && dc < 0) continue;          // overlapping token: skip
    data.push(dl, dc, t.length, tokenIndex.get(t.type) ?? tokenIndex.get('variable')!, 0);
    prevLine = line; prevChar = char;
  }
  return new Uint32Array(data);
}

export function toMarkers(diags: Diagnostic[], lang: 'zh' | 'en'): monaco.editor.IMarkerData[] {
  return diags.map((d) => {
    const sameSpot = d.range.start.line === d.range.end.line && d.range.start.column === d.range.end.column;
    return {
      severity: d.severity === 'error' ? monaco.MarkerSeverity.Error : d.severity === 'warning' ? monaco.MarkerSeverity.Warning : monaco.MarkerSeverity.Info,
      message: d.message[lang] || d.message.zh,
      code: d.code,
      source: lang === 'zh' ? '政策检查' : 'policy check',
      startLineNumber: d.range.start.line, startColumn: d.range.start.column,
      endLineNumber: d.range.end.line, endColumn: sameSpot ? d.range.end.column + 1 : d.range.end.column,
    };
  });
}
