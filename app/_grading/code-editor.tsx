'use client';

import { python } from '@codemirror/lang-python';
import { HighlightStyle, syntaxHighlighting } from '@codemirror/language';
import { setDiagnostics, type Diagnostic } from '@codemirror/lint';
import { EditorState, type Extension } from '@codemirror/state';
import { Decoration, EditorView, MatchDecorator, ViewPlugin, keymap, placeholder, type DecorationSet, type ViewUpdate } from '@codemirror/view';
import { tags } from '@lezer/highlight';
import { basicSetup } from 'codemirror';
import { useEffect, useRef } from 'react';

/** Marks the template's blank `___` so the learner sees where the answer goes. */
const blankMarker = ViewPlugin.fromClass(
  class {
    decorations: DecorationSet;
    private readonly matcher = new MatchDecorator({ regexp: /___/g, decoration: Decoration.mark({ class: 'cm-blank' }) });
    constructor(view: EditorView) {
      this.decorations = this.matcher.createDeco(view);
    }
    update(update: ViewUpdate) {
      this.decorations = this.matcher.updateDeco(update, this.decorations);
    }
  },
  { decorations: (v) => v.decorations },
);

/**
 * A wrapped template line continues under its own indentation plus four columns (a hanging indent), so on a phone a
 * long `self.grads = [...]` does not read as un-indented code.
 */
const hangingIndent = ViewPlugin.fromClass(
  class {
    decorations: DecorationSet;
    constructor(view: EditorView) {
      this.decorations = this.build(view);
    }
    update(update: ViewUpdate) {
      if (update.docChanged || update.viewportChanged) this.decorations = this.build(update.view);
    }
    build(view: EditorView): DecorationSet {
      const marks = [];
      for (const { from, to } of view.visibleRanges) {
        for (let pos = from; pos <= to; ) {
          const line = view.state.doc.lineAt(pos);
          const hang = (/^ */.exec(line.text)?.[0].length ?? 0) + 4;
          marks.push(Decoration.line({ attributes: { style: `padding-left: calc(${hang}ch + 6px); text-indent: -${hang}ch` } }).range(line.from));
          pos = line.to + 1;
        }
      }
      return Decoration.set(marks);
    }
  },
  { decorations: (v) => v.decorations },
);

// Colours come from CSS variables (app/globals.css), so the editor follows ライト/ダーク/システム with no JS of its own.
const theme = EditorView.theme({
  '&': { fontSize: '14px', border: '1px solid var(--line)', borderRadius: '6px', background: 'var(--input-bg)', color: 'var(--ink)' },
  '.cm-content': { fontFamily: "'Source Code Pro', 'Noto Sans Mono CJK JP', ui-monospace, monospace", caretColor: 'var(--ink)' },
  '.cm-cursor, .cm-dropCursor': { borderLeftColor: 'var(--ink)' },
  '&.cm-focused > .cm-scroller > .cm-selectionLayer .cm-selectionBackground, .cm-selectionBackground, .cm-content ::selection': {
    background: 'var(--cm-selection)',
  },
  '.cm-gutters': { background: 'var(--code-bg)', color: 'var(--muted)', borderRight: '1px solid var(--line)' },
  '.cm-activeLine': { background: 'var(--cm-active-line)' },
  '.cm-activeLineGutter': { background: 'var(--cm-active-line)' },
  '&.cm-focused .cm-matchingBracket': { background: 'var(--cm-bracket)' },
  '.cm-placeholder': { color: 'var(--muted)' },
  '.cm-tooltip': { background: 'var(--card)', color: 'var(--ink)', border: '1px solid var(--line)' },
  '.cm-tooltip-autocomplete ul li[aria-selected]': { background: 'var(--accent)', color: 'var(--on-accent)' },
  '.cm-panels': { background: 'var(--code-bg)', color: 'var(--ink)' },
  '.cm-blank': { background: 'var(--blank-bg)', outline: '1px solid var(--blank-line)', borderRadius: '2px' },
});

const highlight = syntaxHighlighting(
  HighlightStyle.define([
    { tag: [tags.keyword, tags.controlKeyword, tags.definitionKeyword, tags.moduleKeyword, tags.operatorKeyword], color: 'var(--cm-keyword)' },
    { tag: [tags.string, tags.special(tags.string)], color: 'var(--cm-string)' },
    { tag: [tags.number, tags.bool, tags.null], color: 'var(--cm-number)' },
    { tag: tags.comment, color: 'var(--cm-comment)', fontStyle: 'italic' },
    { tag: [tags.function(tags.variableName), tags.function(tags.propertyName)], color: 'var(--cm-function)' },
    { tag: [tags.definition(tags.variableName), tags.definition(tags.function(tags.variableName)), tags.className], color: 'var(--cm-definition)' },
    { tag: [tags.operator, tags.punctuation], color: 'var(--cm-operator)' },
    { tag: [tags.self, tags.constant(tags.variableName)], color: 'var(--cm-constant)' },
    { tag: tags.invalid, color: 'var(--bad)' },
  ]),
);

/** The template, read-only with Python highlighting and the blank marked. */
export function TemplateView({ source, label }: { source: string; label: string }) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const view = new EditorView({
      parent: host.current!,
      state: EditorState.create({
        doc: source.trimEnd(),
        extensions: [python(), highlight, EditorState.readOnly.of(true), EditorView.editable.of(false), blankMarker, theme, EditorView.lineWrapping, hangingIndent],
      }),
    });
    return () => view.destroy();
  }, [source]);
  return <div ref={host} className="template-view" aria-label={label} data-testid="template" />;
}

export interface EditorHandle {
  /** underlines [line, col]–[endLine, endCol] (1-based) with the message; none clears */
  showError(error: { line: number; col: number; endLine?: number; endCol?: number; message: string } | null): void;
  focus(): void;
}

/** The learner's editor (CodeMirror 6, Python). Mod-Enter submits, Shift-Enter runs. */
export function CodeEditor({
  initial,
  onChange,
  onSubmit,
  onRun,
  handle,
  placeholderText,
}: {
  initial: string;
  onChange: (code: string) => void;
  onSubmit: () => void;
  onRun: () => void;
  handle: React.MutableRefObject<EditorHandle | null>;
  placeholderText: string;
}) {
  const host = useRef<HTMLDivElement>(null);
  const callbacks = useRef({ onChange, onSubmit, onRun });
  callbacks.current = { onChange, onSubmit, onRun };

  useEffect(() => {
    const keys: Extension = keymap.of([
      { key: 'Mod-Enter', run: () => (callbacks.current.onSubmit(), true) },
      { key: 'Shift-Enter', run: () => (callbacks.current.onRun(), true) },
    ]);
    const view = new EditorView({
      parent: host.current!,
      state: EditorState.create({
        doc: initial,
        extensions: [
          keys,
          basicSetup,
          python(),
          highlight,
          theme,
          placeholder(placeholderText),
          EditorView.updateListener.of((u) => {
            if (u.docChanged) {
              callbacks.current.onChange(u.state.doc.toString());
              u.view.dispatch(setDiagnostics(u.state, []));
            }
          }),
        ],
      }),
    });
    handle.current = {
      focus: () => view.focus(),
      showError(error) {
        if (!error) {
          view.dispatch(setDiagnostics(view.state, []));
          return;
        }
        const doc = view.state.doc;
        const at = (line: number, col: number) => {
          const l = doc.line(Math.min(Math.max(line, 1), doc.lines));
          return Math.min(l.from + Math.max(col - 1, 0), l.to);
        };
        const from = at(error.line, error.col);
        let to = error.endLine !== undefined && error.endCol !== undefined ? at(error.endLine, error.endCol) : from;
        if (to <= from) to = Math.min(from + 1, doc.length);
        const diagnostic: Diagnostic = { from: Math.min(from, to), to: Math.max(from, to), severity: 'error', message: error.message };
        view.dispatch(setDiagnostics(view.state, [diagnostic]));
      },
    };
    return () => {
      handle.current = null;
      view.destroy();
    };
    // The editor is created once per question; later `initial` changes are ignored on purpose.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  return <div ref={host} className="code-editor" data-testid="code-editor" />;
}
