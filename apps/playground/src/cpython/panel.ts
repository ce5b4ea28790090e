/** What the CPython worker sends back. */
type CpythonReply =
  | { readonly kind: 'ready'; readonly version: string }
  | { readonly kind: 'done'; readonly output: string }
  | { readonly kind: 'failed'; readonly error: string };

const RUN_LIMIT_MS = 15_000;

/**
 * The optional "Real CPython" panel: loads pyodide (CPython compiled to WebAssembly, served from
 * `pyodide/` beside the page) in its own worker the first time it is opened, then runs the same
 * program there and shows what real CPython prints.
 */
export class CpythonPanel {
  private worker: Worker | null = null;
  private ready: Promise<string> | null = null;

  constructor(
    private readonly out: HTMLElement,
    private readonly version: HTMLElement,
  ) {}

  private start(): Promise<string> {
    const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
    this.worker = worker;
    this.ready = new Promise((resolve, reject) => {
      worker.onmessage = (m: MessageEvent<CpythonReply>) => {
        if (m.data.kind === 'ready') resolve(m.data.version);
        else if (m.data.kind === 'failed') reject(new Error(m.data.error));
      };
    });
    worker.postMessage({ kind: 'load', indexURL: new URL('pyodide/', document.baseURI).href });
    return this.ready;
  }

  /** Runs `source` in real CPython and shows its output. */
  async run(source: string): Promise<void> {
    this.out.textContent = 'Loading CPython (about 12 MB, once)…';
    try {
      const version = await (this.ready ?? this.start());
      this.version.textContent = version;
      this.out.textContent = 'Running…';
      this.out.textContent = await this.exec(source);
    } catch (e) {
      this.out.textContent = `Could not run real CPython: ${e instanceof Error ? e.message : String(e)}`;
      this.reset();
    }
  }

  private exec(source: string): Promise<string> {
    const worker = this.worker!;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.reset();
        reject(new Error(`the program ran longer than ${RUN_LIMIT_MS / 1000} s and was stopped`));
      }, RUN_LIMIT_MS);
      worker.onmessage = (m: MessageEvent<CpythonReply>) => {
        clearTimeout(timer);
        if (m.data.kind === 'done') resolve(m.data.output);
        else if (m.data.kind === 'failed') reject(new Error(m.data.error));
      };
      worker.postMessage({ kind: 'run', source });
    });
  }

  private reset(): void {
    this.worker?.terminate();
    this.worker = null;
    this.ready = null;
  }
}
