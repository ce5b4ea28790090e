#!/usr/bin/env node
// Regenerates the expected outputs of the conformance fixtures from real interpreters:
//   - `python3` (its version names the folder: expected/cpython-3.11 for 3.11.x), run as
//     `python3 -u case.py 2>&1` from the cases folder;
//   - CPython from the `pyodide` npm package when it can be imported (or PYODIDE_PATH points at
//     it): expected/cpython-<its version>, each case in a fresh interpreter.
// Output is normalized as the fixtures' README says. Usage:
//   node scripts/refresh-conformance.mjs [--set own|conformance] [--case NAME] [--no-pyodide]
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const fixtures = join(here, '..', 'test', 'fixtures');
const args = process.argv.slice(2);
const opt = (name) => {
  const k = args.indexOf(name);
  return k >= 0 ? args[k + 1] : undefined;
};
const sets = opt('--set') ? [opt('--set')] : ['conformance', 'own'];
const only = opt('--case');

export function normalize(text) {
  const seen = new Map();
  return text
    .replace(/0x[0-9a-fA-F]{6,}/g, (m) => {
      const k = m.toLowerCase();
      if (!seen.has(k)) seen.set(k, seen.size + 1);
      return `0xADDR${seen.get(k)}`;
    })
    .replace(/File "[^"]*\/([^"/]+)"/g, 'File "$1"');
}

function cases(set) {
  const dir = join(fixtures, set, 'cases');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.py') && (!only || f.startsWith(only)))
    .sort()
    .map((f) => ({ name: f.slice(0, -3), file: join(dir, f), dir }));
}

function write(set, profile, name, text) {
  const out = join(fixtures, set, 'expected', profile);
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, `${name}.out`), normalize(text));
}

function refreshPython3() {
  const v = spawnSync('python3', ['-c', 'import sys; print("%d.%d" % sys.version_info[:2])'], {
    encoding: 'utf8',
  });
  if (v.status !== 0) {
    console.log('python3 not found: skipped');
    return;
  }
  const profile = `cpython-${v.stdout.trim()}`;
  let n = 0;
  for (const set of sets) {
    for (const c of cases(set)) {
      const r = spawnSync('sh', ['-c', `python3 -u "${c.file}" 2>&1`], { cwd: c.dir, encoding: 'utf8' });
      write(set, profile, c.name, r.stdout);
      n++;
    }
  }
  console.log(`python3 (${profile}): ${n} cases recorded`);
}

const RUNNER = `
import sys, traceback, gc
def _run(path):
    g = {"__name__": "__main__", "__file__": path}
    status = 0
    try:
        code = compile(open(path).read(), path, "exec")
    except SyntaxError as e:
        traceback.print_exception(type(e), e, None)
        return 1
    try:
        exec(code, g)
    except SystemExit as e:
        status = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    except BaseException as e:
        traceback.print_exception(type(e), e, e.__traceback__.tb_next)
        status = 1
    import atexit
    atexit._run_exitfuncs()
    g.clear()
    gc.collect()
    return status
`;

async function refreshPyodide() {
  if (args.includes('--no-pyodide')) return;
  let mod;
  try {
    mod = process.env.PYODIDE_PATH
      ? await import(pathToFileURL(join(process.env.PYODIDE_PATH, 'pyodide.mjs')).href)
      : await import('pyodide');
  } catch {
    console.log('pyodide not installed: skipped (npm install pyodide, or set PYODIDE_PATH)');
    return;
  }
  let n = 0;
  // One interpreter for every case (loading one takes seconds): each case runs in a fresh
  // namespace after a full collection, so the figures are indicative, as the README says.
  let out = '';
  const load = async () => {
    const py = await mod.loadPyodide();
    py.setStdout({ batched: (t) => (out += `${t}\n`) });
    py.setStderr({ batched: (t) => (out += `${t}\n`) });
    py.FS.mkdirTree('/cases');
    py.runPython(RUNNER);
    return py;
  };
  let py = await load();
  const profile = `cpython-${py.runPython('import sys; "%d.%d" % sys.version_info[:2]')}`;
  const failed = [];
  for (const set of sets) {
    for (const c of cases(set)) {
      out = '';
      try {
        py.FS.writeFile(`/cases/${c.name}.py`, readFileSync(c.file, 'utf8'));
        py.runPython(`import gc; gc.collect(); _run("/cases/${c.name}.py")`);
      } catch (e) {
        // A wasm build has a small stack: a case can kill the interpreter. Keep the old file.
        failed.push(`${set}/${c.name} (${String(e).split('\n')[0]})`);
        py = await load();
        continue;
      }
      write(set, profile, c.name, out);
      n++;
    }
  }
  if (failed.length) console.log(`pyodide could not run: ${failed.join(', ')}`);
  console.log(`pyodide (${profile}): ${n} cases recorded`);
}

refreshPython3();
await refreshPyodide();
