import { CpythonPanel } from './cpython/panel.js';
import { ProgramEditor } from './editor.js';
import { EXAMPLES } from './examples.js';
import { WorkerTimeout } from './session/client.js';
import { COLLECTOR_MENU, findCollectorInfo } from './session/collector-menu.js';
import type { RunRequest, Trace } from './session/protocol.js';
import { decodeShare, encodeShare } from './share.js';
import { Pane } from './ui/pane.js';
import { renderTimeline, stepAt } from './ui/timeline.js';

const MAX_STEPS = 20_000;
const TIME_LIMIT_MS = 3_000;
const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;
const esc = (s: string): string =>
  s.replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c]!);

/** The playground page: editor, controls, up to three collector panes, timeline and explain panel. */
export class App {
  private readonly editor: ProgramEditor;
  private panes: Pane[] = [];
  private run: RunRequest | null = null;
  private step = 1;
  private steps = 1;
  private playing: ReturnType<typeof setTimeout> | null = null;
  private busy = false;
  /** The latest step asked for while busy, shown once the current one is done. */
  private queued: { step: number; animate: boolean } | null = null;
  private readonly cpython = new CpythonPanel($('cpython-out'), $('cpython-version'));

  constructor() {
    const shared = decodeShare(
      location.hash,
      COLLECTOR_MENU.map((c) => c.name),
    );
    this.editor = new ProgramEditor(
      $('editor'),
      shared?.source ?? EXAMPLES[0].source,
      () => this.invalidate(),
      () => void this.runToEnd(),
    );
    this.buildMenus(shared?.collectors ?? ['refcount', 'marksweep'], shared?.speed ?? 4);
    this.bind();
    this.setPanes();
    this.status('Ready: press Run, or Step to go one statement at a time.');
  }

  /** The first statement (1-based) at `line` in the last run, or 0: for automation and tests. */
  stepOfLine(line: number): number {
    return (this.panes[0]?.trace?.lines.indexOf(line) ?? -1) + 1;
  }

  /** Replaces the program (as if typed): for automation and tests. */
  load(source: string): void {
    this.editor.source = source;
  }

  private buildMenus(collectors: readonly string[], speed: number): void {
    const example = $<HTMLSelectElement>('example');
    example.innerHTML = EXAMPLES.map((e) => `<option value="${e.id}">${esc(e.title)}</option>`).join('');
    example.addEventListener('change', () => {
      const e = EXAMPLES.find((x) => x.id === example.value);
      if (e) this.editor.source = e.source;
    });
    const box = $('collectors');
    for (let k = 0; k < 3; k++) {
      const label = document.createElement('label');
      label.textContent = `Pane ${k + 1} `;
      const select = document.createElement('select');
      select.id = `collector-${k}`;
      select.innerHTML =
        (k > 0 ? '<option value="">(none)</option>' : '') +
        COLLECTOR_MENU.map((c) => `<option value="${c.name}">${esc(c.title)}</option>`).join('');
      select.value = collectors[k] ?? '';
      select.addEventListener('change', () => this.setPanes());
      label.append(select);
      box.append(label);
    }
    $<HTMLInputElement>('speed').value = String(speed);
  }

  private bind(): void {
    $('run').addEventListener('click', () => void this.runToEnd());
    $('forward').addEventListener('click', () => void this.forward());
    $('back').addEventListener('click', () => void this.goTo(this.step - 1));
    $('reset').addEventListener('click', () => void this.goTo(1));
    $('play').addEventListener('click', () => this.togglePlay());
    $('share').addEventListener('click', () => this.share());
    $('cpython').addEventListener('click', () => this.toggleCpython());
    document.addEventListener('keydown', (e) => {
      if (!e.altKey) return;
      if (e.key === 'ArrowRight') void this.forward();
      else if (e.key === 'ArrowLeft') void this.goTo(this.step - 1);
      else return;
      e.preventDefault();
    });
    $('timeline').addEventListener('click', (e) => {
      const svg = (e.target as Element).closest('svg');
      if (svg && this.run) void this.goTo(stepAt(svg as SVGSVGElement, e.clientX, this.steps));
    });
  }

  private setPanes(): void {
    for (const p of this.panes) p.dispose();
    const host = $('panes');
    const names = [0, 1, 2].map((k) => $<HTMLSelectElement>(`collector-${k}`).value).filter(Boolean);
    this.panes = [...new Set(names)].map(
      (name, k) => new Pane(host, k, findCollectorInfo(name)!, (pane, key) => void this.explain(pane, key)),
    );
    host.dataset.count = String(this.panes.length);
    this.invalidate();
  }

  private invalidate(): void {
    this.stopPlay();
    this.run = null;
    this.editor.mark({ current: 0, error: 0, message: '' });
  }

  private status(text: string, error = false): void {
    const el = $('status');
    el.textContent = text;
    el.classList.toggle('error', error);
  }

  /** Traces the current program under every pane's collector (once per edit). */
  private async ensureRun(): Promise<RunRequest | null> {
    if (this.run) return this.run;
    const base = { source: this.editor.source, maxSteps: MAX_STEPS, timeLimitMs: TIME_LIMIT_MS };
    this.status('Running…');
    let traces: Trace[];
    try {
      traces = await Promise.all(this.panes.map((p) => p.retrace({ ...base, collector: p.collector.name })));
    } catch (e) {
      this.status(
        e instanceof WorkerTimeout ? `Stopped: ${e.message}.` : `Internal error: ${String(e)}`,
        true,
      );
      return null;
    }
    this.run = { ...base, collector: '' };
    this.steps = Math.max(1, ...traces.map((t) => t.statements + 1));
    this.step = 1;
    return this.run;
  }

  private requestFor(pane: Pane): RunRequest {
    return { ...this.run!, collector: pane.collector.name };
  }

  private async runToEnd(): Promise<void> {
    this.stopPlay();
    // An open "Real CPython" panel runs the same program again.
    if (!$('cpython-panel').hidden) void this.cpython.run(this.editor.source);
    if (await this.ensureRun()) await this.goTo(this.programEnd(), false);
  }

  /**
   * The step just after the program's last statement: the end, unless the runtime runs code of
   * its own afterwards (exit hooks at interpreter shutdown), which stepping forward then shows.
   */
  private programEnd(): number {
    const lines = this.panes[0]?.trace?.lines ?? [];
    let last = lines.length - 1;
    while (last >= 0 && lines[last] === 0) last--;
    return Math.min(this.steps, last + 2);
  }

  private async forward(): Promise<boolean> {
    const fresh = !this.run;
    if (!(await this.ensureRun())) return false;
    if (fresh) {
      await this.goTo(1);
      return true;
    }
    if (this.step >= this.steps) return false;
    await this.goTo(this.step + 1);
    return true;
  }

  /** Shows every pane before statement `step` (the end when past the last). */
  async goTo(step: number, animate = true): Promise<void> {
    if (!(await this.ensureRun())) return;
    if (this.busy) {
      this.queued = { step, animate };
      return;
    }
    this.busy = true;
    this.step = Math.min(this.steps, Math.max(1, step));
    const phaseMs = animate && !matchMedia('(prefers-reduced-motion: reduce)').matches ? this.phaseMs() : 0;
    try {
      const snaps = await Promise.all(this.panes.map((p) => p.show(this.requestFor(p), this.step, phaseMs)));
      const first = snaps[0];
      const fault = this.panes.map((p) => p.trace?.fault).find(Boolean);
      const stopped = this.panes.map((p) => p.trace?.stopped).find(Boolean);
      const atEnd = this.step >= this.steps;
      const done = this.step >= this.programEnd();
      this.editor.mark({
        current: first?.line ?? 0,
        error: fault && done ? fault.line : 0,
        message: fault ? `${fault.kind}: ${fault.message}` : '',
      });
      const line = first?.line ? `line ${first.line}` : 'runtime code (exit hooks, library)';
      const where = atEnd
        ? 'end of the run'
        : this.step === this.programEnd()
          ? 'end of the program (step on to watch the interpreter shut down)'
          : `statement ${this.step} of ${this.steps - 1}, ${line}`;
      if (fault && done)
        this.status(`${fault.kind}: ${fault.message} (line ${fault.line}, column ${fault.column})`, true);
      else if (stopped && done) this.status(`The program was stopped: ${stopped}.`, true);
      else this.status(`${where} · engine: ${this.panes[0]?.trace?.engine ?? '-'}`);
      $('timeline').innerHTML = renderTimeline(
        this.panes
          .filter((p) => p.trace)
          .map((p) => ({ name: p.collector.name, index: p.index, trace: p.trace! })),
        this.step,
      );
      document.body.dataset.step = String(this.step);
    } catch (e) {
      const msg = e instanceof WorkerTimeout ? `Stopped: ${e.message}.` : `Internal error: ${String(e)}`;
      this.status(msg, true);
    } finally {
      this.busy = false;
      const next = this.queued;
      this.queued = null;
      if (next) void this.goTo(next.step, next.animate);
    }
  }

  private phaseMs(): number {
    return 1100 - 100 * Number($<HTMLInputElement>('speed').value);
  }

  private togglePlay(): void {
    if (this.playing !== null) {
      this.stopPlay();
      return;
    }
    $('play').setAttribute('aria-pressed', 'true');
    $('play').textContent = 'Pause';
    const tick = async (): Promise<void> => {
      const moved = await this.forward();
      if (!moved || this.step >= this.steps || this.playing === null) {
        this.stopPlay();
        return;
      }
      this.playing = setTimeout(() => void tick(), this.phaseMs());
    };
    this.playing = setTimeout(() => void tick(), 0);
  }

  private stopPlay(): void {
    if (this.playing !== null) clearTimeout(this.playing);
    this.playing = null;
    $('play').setAttribute('aria-pressed', 'false');
    $('play').textContent = 'Play';
  }

  private async explain(pane: Pane, key: number): Promise<void> {
    if (!this.run) return;
    pane.selected = key;
    const why = await pane.client.explain(this.requestFor(pane), this.step, key);
    const title = { reachable: 'Alive: reachable', garbage: 'Alive but unreachable', freed: 'Freed' }[
      why.status
    ];
    $('explain').innerHTML =
      `<p class="explain-head"><strong>${title}</strong> under ${esc(pane.collector.title)}</p>` +
      `<ol class="path">${why.text.map((t) => `<li>${esc(t)}</li>`).join('')}</ol>`;
  }

  private share(): void {
    const hash = encodeShare({
      source: this.editor.source,
      collectors: this.panes.map((p) => p.collector.name),
      speed: Number($<HTMLInputElement>('speed').value),
    });
    if (hash === null) {
      this.status('This program is too long to share in a link.', true);
      return;
    }
    history.replaceState(null, '', `#${hash}`);
    navigator.clipboard?.writeText(location.href).then(
      () => this.status('Link copied: it holds the program and the chosen collectors.'),
      () => this.status('The address bar now holds a link to this program and these collectors.'),
    );
  }

  private toggleCpython(): void {
    const panel = $('cpython-panel');
    const open = panel.hidden;
    panel.hidden = !open;
    $('cpython').setAttribute('aria-expanded', String(open));
    if (open) void this.cpython.run(this.editor.source);
  }
}
