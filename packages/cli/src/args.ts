import { type ParseArgsConfig, parseArgs } from 'node:util';
import { didYouMean } from '@heaplab/core';
import { usageError } from './errors.js';

/** Option definitions of a command, as `node:util` `parseArgs` takes them. */
export type OptionSpecs = NonNullable<ParseArgsConfig['options']>;

/** Parsed options and positional arguments. */
export interface ParsedArgs {
  /** Option values by long name. */
  readonly values: Record<string, string | boolean | string[] | boolean[] | undefined>;
  /** Positional arguments. */
  readonly positionals: string[];
}

/** Parses `argv` for `command`; unknown options get a usage error naming the closest ones. */
export function parseCommandArgs(command: string, argv: readonly string[], options: OptionSpecs): ParsedArgs {
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
    return { values: values as ParsedArgs['values'], positionals };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const unknown = /Unknown option '(-{1,2}[^']+)'/.exec(message);
    if (unknown) {
      const names = Object.keys(options).map((n) => `--${n}`);
      throw usageError(
        `unknown option ${unknown[1]} for "heaplab ${command}".${didYouMean(unknown[1], names)} See "heaplab ${command} --help".`,
      );
    }
    throw usageError(`${message.replace(/\. To specify.*$/s, '')}. See "heaplab ${command} --help".`);
  }
}

/** A string option's value, if given. */
export function stringOption(args: ParsedArgs, name: string): string | undefined {
  const v = args.values[name];
  return typeof v === 'string' ? v : undefined;
}

/** An integer option's value, checked. */
export function intOption(args: ParsedArgs, name: string, fallback: number, min = 0): number {
  const text = stringOption(args, name);
  if (text === undefined) return fallback;
  if (!/^-?\d+$/.test(text.trim()) || Number(text) < min || !Number.isSafeInteger(Number(text))) {
    throw usageError(`--${name} takes a whole number of at least ${min}, got "${text}"`);
  }
  return Number(text);
}

/** A choice option's value, checked against `choices`. */
export function choiceOption<T extends string>(
  args: ParsedArgs,
  name: string,
  choices: readonly T[],
  fallback: T,
): T {
  const text = stringOption(args, name);
  if (text === undefined) return fallback;
  if (!(choices as readonly string[]).includes(text)) {
    throw usageError(
      `--${name} must be one of ${choices.join(', ')}, got "${text}".${didYouMean(text, choices)}`,
    );
  }
  return text as T;
}
