// The command-line option reader the benchmark scripts share.

/** The value after `name` among this process's arguments, or `fallback` when there is none. */
export function option(name, fallback) {
  const args = process.argv.slice(2);
  const k = args.indexOf(name);
  return k >= 0 && k + 1 < args.length ? args[k + 1] : fallback;
}
