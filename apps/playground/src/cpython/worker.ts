interface Pyodide {
  runPython(code: string): unknown;
  globals: { set(name: string, value: unknown): void };
  setStdout(options: { batched: (text: string) => void }): void;
  setStderr(options: { batched: (text: string) => void }): void;
}

let py: Pyodide | null = null;
let output = '';

/** Loads pyodide from the given folder, then runs programs, replying with what they printed. */
self.onmessage = async (
  m: MessageEvent<{ kind: 'load'; indexURL: string } | { kind: 'run'; source: string }>,
) => {
  try {
    if (m.data.kind === 'load') {
      const mod = (await import(/* @vite-ignore */ `${m.data.indexURL}pyodide.mjs`)) as {
        loadPyodide(o: { indexURL: string }): Promise<Pyodide>;
      };
      py = await mod.loadPyodide({ indexURL: m.data.indexURL });
      py.setStdout({ batched: (t) => (output += `${t}\n`) });
      py.setStderr({ batched: (t) => (output += `${t}\n`) });
      const version = String(py.runPython('import sys; sys.version.split()[0]'));
      self.postMessage({ kind: 'ready', version: `CPython ${version} (pyodide)` });
      return;
    }
    if (!py) throw new Error('CPython is not loaded');
    output = '';
    try {
      // A fresh module namespace per run, like `python file.py`.
      py.globals.set('_playground_source', m.data.source);
      py.runPython("exec(compile(_playground_source, '<playground>', 'exec'), {'__name__': '__main__'})");
    } catch (e) {
      output += e instanceof Error ? e.message : String(e);
    }
    self.postMessage({ kind: 'done', output });
  } catch (e) {
    self.postMessage({ kind: 'failed', error: e instanceof Error ? e.message : String(e) });
  }
};
