import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { python } from '@codemirror/lang-python';
import { HighlightStyle, syntaxHighlighting } from '@codemirror/language';
import { EditorState, RangeSetBuilder, StateEffect, StateField } from '@codemirror/state';
import { Decoration, type DecorationSet, EditorView, keymap, lineNumbers } from '@codemirror/view';
import { tags } from '@lezer/highlight';

/** Marks shown in the editor: the line about to run and an error. */
export interface LineMarks {
  /** The current line (0: none). */
  readonly current: number;
  /** The error's line (0: none). */
  readonly error: number;
  /** The error's message. */
  readonly message: string;
}

const setMarks = StateEffect.define<LineMarks>();

const marksField = StateField.define<DecorationSet>({
  create: () => Decoration.none,
  update(deco, tr) {
    deco = deco.map(tr.changes);
    for (const e of tr.effects) {
      if (!e.is(setMarks)) continue;
      const b = new RangeSetBuilder<Decoration>();
      const doc = tr.state.doc;
      const lines = [
        { n: e.value.current, cls: 'cm-step-line' },
        { n: e.value.error, cls: 'cm-error-line' },
      ]
        .filter((l) => l.n >= 1 && l.n <= doc.lines)
        .sort((a, b) => a.n - b.n);
      for (const l of lines) {
        const attrs: Record<string, string> = { class: l.cls };
        if (l.cls === 'cm-error-line') attrs.title = e.value.message;
        b.add(doc.line(l.n).from, doc.line(l.n).from, Decoration.line({ attributes: attrs }));
      }
      deco = b.finish();
    }
    return deco;
  },
  provide: (f) => EditorView.decorations.from(f),
});

const highlight = HighlightStyle.define([
  { tag: tags.keyword, color: '#8a2be2', fontWeight: '600' },
  { tag: tags.string, color: '#0a6b2d' },
  { tag: tags.number, color: '#a3410b' },
  { tag: tags.comment, color: '#5b6470', fontStyle: 'italic' },
  { tag: [tags.function(tags.variableName), tags.className], color: '#0b57a3' },
]);

/** The program editor. */
export class ProgramEditor {
  /** The CodeMirror view. */
  readonly view: EditorView;

  constructor(parent: HTMLElement, source: string, onChange: () => void, onRun: () => void) {
    this.view = new EditorView({
      parent,
      state: EditorState.create({
        doc: source,
        extensions: [
          lineNumbers(),
          history(),
          python(),
          syntaxHighlighting(highlight),
          marksField,
          keymap.of([
            {
              key: 'Mod-Enter',
              run: () => {
                onRun();
                return true;
              },
            },
            ...defaultKeymap,
            ...historyKeymap,
            indentWithTab,
          ]),
          EditorView.updateListener.of((u) => u.docChanged && onChange()),
          EditorView.contentAttributes.of({ 'aria-label': 'Python program' }),
        ],
      }),
    });
  }

  /** The program text. */
  get source(): string {
    return this.view.state.doc.toString();
  }

  /** Replaces the program text. */
  set source(text: string) {
    this.view.dispatch({ changes: { from: 0, to: this.view.state.doc.length, insert: text } });
  }

  /** Highlights the current line and the error line. */
  mark(marks: LineMarks): void {
    const effects: StateEffect<unknown>[] = [setMarks.of(marks)];
    const line = marks.error || marks.current;
    if (line >= 1 && line <= this.view.state.doc.lines) {
      effects.push(EditorView.scrollIntoView(this.view.state.doc.line(line).from, { y: 'nearest' }));
    }
    this.view.dispatch({ effects });
  }
}
