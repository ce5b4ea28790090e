import { defineConfig } from 'tsup';

export default defineConfig({
  // The worker is its own entry so the pool can start it next to the main bundle.
  entry: { index: 'src/index.ts', worker: 'src/runs/worker.ts' },
  format: ['esm', 'cjs'],
  // import.meta.url (the worker's location) also in the CommonJS build.
  shims: true,
  dts: { entry: { index: 'src/index.ts' }, compilerOptions: { ignoreDeprecations: '6.0' } },
  sourcemap: true,
  clean: true,
  target: 'es2022',
  external: [
    '@heaplab/core',
    '@heaplab/workloads',
    '@heaplab/collectors',
    '@heaplab/python',
    /^@heaplab\/gc-/,
  ],
});
