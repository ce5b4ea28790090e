/** What a run reads: a built-in workload, a trace, a heap snapshot or a Python program. */
export type InputSpec =
  | { readonly kind: 'workload'; readonly name: string; readonly params: Readonly<Record<string, number>> }
  | { readonly kind: 'trace' | 'snapshot' | 'python'; readonly path: string; readonly label: string };

/** One run: an input under one collector. Plain data, so it can be sent to a worker thread. */
export interface RunSpec {
  /** The input. */
  readonly input: InputSpec;
  /** A collector's short name or an absolute module path. */
  readonly collector: string;
  /** Random seed. */
  readonly seed: number;
  /** Run the oracle throughout. */
  readonly verify: boolean;
  /** The working directory file names in messages are relative to. */
  readonly cwd: string;
}

/** The name a run's input is shown by. */
export function inputLabel(input: InputSpec): string {
  return input.kind === 'workload' ? input.name : input.label;
}
