// The Monaco editor for the policy source and the scenarios YAML (two models, one editor).
// Ctrl+S saves, Ctrl+Enter runs the tests, Shift+Alt+F formats (Monaco's own binding).
// The editor is no keyboard trap: Esc then Tab (or Shift+Tab) moves the focus out, and Ctrl+M
// makes Tab move the focus until pressed again (Monaco's tab focus mode, as in VS Code).
import { forwardRef, useEffect, useImperativeHandle, useRef } from 'react';
import { monaco, toMonacoRange } from '../language/monaco';
import type { Range } from '../language/types';

export type FileKind = 'policy' | 'scenarios';

export interface EditorPaneHandle {
  jumpTo(range: Range, file?: FileKind): void;
  format(): void;
  focus(): void;
  editor(): monaco.editor.IStandaloneCodeEditor | null;
}

interface Props {
  models: { policy: monaco.editor.ITextModel; scenarios: monaco.editor.ITextModel };
  file: FileKind;
  onFileChange(f: FileKind): void;
  onSave(): void;
  onRun(): void;
  visible: boolean;
  /** A role that cannot change the draft reads it only. */
  readOnly?: boolean;
}

/** Esc arms tab focus mode for the next key: a Tab then leaves the editor as in any form. A key
 *  other than Tab, a click, or leaving the editor, disarms it (unless Ctrl+M had turned it on for good). */
function leaveByTab(editor: monaco.editor.IStandaloneCodeEditor): void {
  let armed = false;
  const disarm = () => { if (armed) { armed = false; editor.updateOptions({ tabFocusMode: false }); } };
  editor.onKeyDown((e) => {
    if (e.keyCode === monaco.KeyCode.Escape) {
      if (!editor.getOption(monaco.editor.EditorOption.tabFocusMode)) { armed = true; editor.updateOptions({ tabFocusMode: true }); }
    } else if (e.keyCode !== monaco.KeyCode.Tab && e.keyCode !== monaco.KeyCode.Shift) disarm();
  });
  editor.onDidBlurEditorText(disarm);
  editor.onMouseDown(disarm);
}

export const EditorPane = forwardRef<EditorPaneHandle, Props>(function EditorPane({ models, file, onFileChange, onSave, onRun, visible, readOnly = false }, ref) {
  const host = useRef<HTMLDivElement>(null);
  const ed = useRef<monaco.editor.IStandaloneCodeEditor | null>(null);
  const handlers = useRef({ onSave, onRun, onFileChange });
  handlers.current = { onSave, onRun, onFileChange };
  const viewStates = useRef(new Map<FileKind, monaco.editor.ICodeEditorViewState | null>());
  const fileRef = useRef(file);

  useEffect(() => {
    const editor = monaco.editor.create(host.current!, {
      model: models[file],
      theme: 'policy-light',
      automaticLayout: true,
      minimap: { enabled: false },
      fontSize: 14,
      lineNumbersMinChars: 3,
      scrollBeyondLastLine: false,
      wordWrap: 'on',
      'semanticHighlighting.enabled': true,
      fixedOverflowWidgets: true,
      tabSize: 2,
      renderWhitespace: 'none',
      unicodeHighlight: { ambiguousCharacters: false, invisibleCharacters: false, nonBasicASCII: false },
    });
    ed.current = editor;
    editor.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.KeyS, () => handlers.current.onSave());
    editor.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter, () => handlers.current.onRun());
    leaveByTab(editor);
    // the cursor line, for tests and screen readers (jump-to-rule lands here)
    editor.onDidChangeCursorPosition((e) => host.current?.setAttribute('data-cursor-line', String(e.position.lineNumber)));
    return () => { editor.dispose(); ed.current = null; };
  }, []); // eslint-disable-line react-hooks/exhaustive-deps

  useEffect(() => {
    const editor = ed.current;
    if (!editor || fileRef.current === file && editor.getModel() === models[file]) return;
    viewStates.current.set(fileRef.current, editor.saveViewState());
    editor.setModel(models[file]);
    const vs = viewStates.current.get(file);
    if (vs) editor.restoreViewState(vs);
    fileRef.current = file;
  }, [file, models]);

  useEffect(() => { if (visible) ed.current?.layout(); }, [visible]);
  useEffect(() => { ed.current?.updateOptions({ readOnly, domReadOnly: readOnly }); }, [readOnly]);

  useImperativeHandle(ref, () => ({
    jumpTo(range, f = 'policy') {
      const editor = ed.current;
      if (!editor) return;
      if (fileRef.current !== f) {
        handlers.current.onFileChange(f);
        viewStates.current.set(fileRef.current, editor.saveViewState());
        editor.setModel(models[f]);
        fileRef.current = f;
      }
      const r = toMonacoRange(range);
      // cursor at the start of the range (selection runs backwards), so the rule's head is in view
      editor.setSelection(monaco.Selection.fromPositions({ lineNumber: r.endLineNumber, column: r.endColumn }, { lineNumber: r.startLineNumber, column: r.startColumn }));
      editor.revealRangeInCenter(r);
      editor.focus();
    },
    format() { void ed.current?.getAction('editor.action.formatDocument')?.run(); },
    focus() { ed.current?.focus(); },
    editor() { return ed.current; },
  }), [models]);

  return <div className="monaco-host" ref={host} data-testid="monaco-host" />;
});
