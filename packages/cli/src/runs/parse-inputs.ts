import { existsSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { didYouMean } from '@heaplab/core';
import { findWorkload, resolveParams, WORKLOADS } from '@heaplab/workloads';
import { messageOf, usageError } from '../errors.js';
import type { InputSpec } from './run-spec.js';

/** The kind of file input a path names, by its extension, or null for a workload name. */
export function fileKind(arg: string): 'trace' | 'snapshot' | 'python' | null {
  if (/\.py$/i.test(arg)) return 'python';
  if (/\.jsonl$/i.test(arg)) return 'trace';
  if (/\.heapsnapshot$/i.test(arg)) return 'snapshot';
  return null;
}

/**
 * Parses `--param` values: `name=value` applies to every workload that has that parameter,
 * `workload.name=value` to one.
 */
export function parseParams(
  texts: readonly string[],
): { workload: string | null; name: string; value: number }[] {
  return texts.map((text) => {
    const m = /^(?:([\w-]+)\.)?(\w+)=(.+)$/.exec(text);
    if (!m || !Number.isFinite(Number(m[3]))) {
      throw usageError(`--param takes name=number or workload.name=number, got "${text}"`);
    }
    return { workload: m[1] ?? null, name: m[2], value: Number(m[3]) };
  });
}

/** Turns command-line inputs into {@link InputSpec}s; no input means the whole default suite. */
export function parseInputs(
  args: readonly string[],
  paramTexts: readonly string[],
  cwd: string,
): InputSpec[] {
  const params = parseParams(paramTexts);
  const inputs: InputSpec[] = [];
  for (const arg of args.length > 0 ? args : WORKLOADS.map((w) => w.name)) {
    const kind = fileKind(arg);
    if (kind !== null) {
      const path = resolve(cwd, arg);
      if (!existsSync(path)) throw usageError(`${arg}: no such file`);
      inputs.push({ kind, path, label: basename(arg) });
      continue;
    }
    let workload: ReturnType<typeof findWorkload>;
    try {
      workload = findWorkload(arg);
    } catch (error) {
      throw usageError(
        `${messageOf(error)} Inputs are workload names, .py programs, .jsonl traces or .heapsnapshot files.`,
      );
    }
    const given: Record<string, number> = {};
    for (const p of params) {
      if (
        p.workload === workload.name ||
        (p.workload === null && workload.params.some((q) => q.name === p.name))
      ) {
        given[p.name] = p.value;
      }
    }
    try {
      resolveParams(workload, given);
    } catch (error) {
      throw usageError(messageOf(error));
    }
    inputs.push({ kind: 'workload', name: workload.name, params: given });
  }
  const chosen = inputs.flatMap((i) => (i.kind === 'workload' ? [findWorkload(i.name)] : []));
  for (const p of params) {
    if (p.workload !== null && !chosen.some((w) => w.name === p.workload)) {
      throw usageError(`--param ${p.workload}.${p.name}: "${p.workload}" is not among the inputs`);
    }
    const known = [...new Set(chosen.flatMap((w) => w.params.map((q) => q.name)))];
    if (p.workload === null && !known.includes(p.name)) {
      throw usageError(
        `--param ${p.name}: no input workload has a parameter "${p.name}".${didYouMean(p.name, known)}`,
      );
    }
  }
  return inputs;
}
