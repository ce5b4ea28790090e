import { SessionClient } from '../session/client.js';
import type { CollectorInfo } from '../session/collector-menu.js';
import type { ObjectView, RunRequest, Snapshot, Trace } from '../session/protocol.js';
import { type Highlight, renderDiagram } from './diagram.js';
import { renderSummary } from './summary.js';

const esc = (s: string): string =>
  s.replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c]!);
const wait = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** One collector's column: its heap diagram (or summary) and what the program printed under it. */
export class Pane {
  /** The pane's element. */
  readonly el: HTMLElement;
  /** Its worker. */
  readonly client = new SessionClient();
  /** The last trace. */
  trace: Trace | null = null;
  /** The snapshot shown. */
  snap: Snapshot | null = null;
  /** The selected object's key. */
  selected = 0;
  private readonly stats: HTMLElement;
  private readonly view: HTMLElement;
  private readonly out: HTMLElement;
  private generation = 0;

  constructor(
    host: HTMLElement,
    readonly index: number,
    readonly collector: CollectorInfo,
    onPick: (pane: Pane, key: number) => void,
  ) {
    this.el = document.createElement('section');
    this.el.className = `pane p${index}`;
    this.el.setAttribute('aria-label', `${collector.title} heap`);
    this.el.innerHTML =
      `<header><h2 class="s${index}">${esc(collector.title)}</h2><p class="blurb">${esc(collector.blurb)}</p><p class="stats" aria-live="off"></p></header>` +
      '<div class="view" tabindex="-1"><p class="hint">Press Run, or Step to go one statement at a time.</p></div><h3>Output</h3><pre class="out" aria-live="polite"></pre>';
    this.stats = this.el.querySelector('.stats')!;
    this.view = this.el.querySelector('.view')!;
    this.out = this.el.querySelector('.out')!;
    this.el.dataset.collector = collector.name;
    const pick = (target: EventTarget | null): void => {
      const g = (target as Element | null)?.closest?.('g.obj') as SVGGElement | null;
      if (g?.dataset.key) onPick(this, Number(g.dataset.key));
    };
    this.view.addEventListener('click', (e) => pick(e.target));
    this.view.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        pick(e.target);
      }
    });
    host.append(this.el);
  }

  /** Runs the program to its end in the worker and keeps the trace. */
  async retrace(run: RunRequest): Promise<Trace> {
    this.trace = await this.client.trace(run);
    return this.trace;
  }

  /** Shows the heap before statement `step`; plays the phases of a collection when `phaseMs` > 0. */
  async show(run: RunRequest, step: number, phaseMs: number): Promise<Snapshot> {
    const ticket = ++this.generation;
    const snap = await this.client.snapshot(run, step);
    if (ticket !== this.generation) return snap;
    const prev = this.snap;
    const keys = new Set((snap.objects ?? []).map((o) => o.key));
    const freedKeys = new Set(snap.freed.map((f) => f.key));
    const leaving: ObjectView[] =
      prev?.objects && snap.objects && prev.step === snap.step - 1
        ? prev.objects.filter((o) => !keys.has(o.key) && freedKeys.has(o.key))
        : [];
    if (phaseMs > 0 && prev && prev.step === snap.step - 1 && snap.phases.length > 0 && prev.objects) {
      for (const p of snap.phases) {
        const kind = /unreachable|sweep|finali|delete/.test(p.phase)
          ? 'garbage'
          : /mark/.test(p.phase)
            ? 'kept'
            : 'other';
        const hl: Highlight = {
          phase: `collection #${p.collection}: ${p.phase}`,
          kind,
          objects: new Set(p.objects),
        };
        this.paint(prev, [], hl);
        await wait(phaseMs);
        if (ticket !== this.generation) return snap;
      }
    }
    this.snap = snap;
    this.paint(snap, leaving, {});
    return snap;
  }

  /** Draws `snap` (or its summary), the stats line and the output. */
  paint(snap: Snapshot, leaving: readonly ObjectView[], hl: Highlight): void {
    // Read sizes before replacing the content: reading after would force a layout of the new diagram.
    const scroll = { x: this.view.scrollLeft, y: this.view.scrollTop };
    const room = this.view.clientWidth - 2;
    this.view.innerHTML = snap.objects
      ? renderDiagram(snap, leaving, hl, this.selected).svg
      : renderSummary(snap);
    const svg = this.view.querySelector('svg');
    if (svg) {
      // Shrink a wide diagram to fit the pane, down to 70 %; past that, scroll.
      const w = Number(svg.getAttribute('width'));
      const h = Number(svg.getAttribute('height'));
      const fit = Math.max(0.7, Math.min(1, room / w));
      svg.setAttribute('width', String(Math.floor(w * fit)));
      svg.setAttribute('height', String(Math.floor(h * fit)));
    }
    if (scroll.x) this.view.scrollLeft = scroll.x;
    if (scroll.y) this.view.scrollTop = scroll.y;
    const freed = snap.freed.length ? ` · freed ${snap.freed.length}` : '';
    this.stats.textContent = `${snap.liveObjects} objects · ${snap.heapBytes} bytes${freed}`;
    this.out.textContent = snap.stdout + snap.stderr;
    // Scrolled at the next frame: reading scrollHeight now would force a layout of the new diagram.
    requestAnimationFrame(() => {
      this.out.scrollTop = this.out.scrollHeight;
    });
    this.out.classList.toggle('has-error', snap.stderr.length > 0);
  }

  /** Shows a message in place of the heap (the worker had to be restarted...). */
  message(text: string): void {
    this.view.innerHTML = `<p class="pane-msg">${esc(text)}</p>`;
  }

  /** Ends the pane's worker and removes it. */
  dispose(): void {
    this.client.dispose();
    this.el.remove();
  }
}
