import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// The guides' examples live in docs/guides/examples, outside any package: resolve heaplab's
// packages to their sources for them, as the `source` export condition does inside packages.
const src = (path: string) => fileURLToPath(new URL(`../${path}`, import.meta.url));

export default defineConfig({
  resolve: {
    conditions: ['source'],
    alias: [
      { find: /^@heaplab\/core\/testing$/, replacement: src('core/src/testing/index.ts') },
      { find: /^@heaplab\/core$/, replacement: src('core/src/index.ts') },
      { find: /^@heaplab\/gc-copying$/, replacement: src('gc-copying/src/index.ts') },
    ],
  },
  ssr: { resolve: { conditions: ['source'] } },
  test: { include: ['test/**/*.test.ts'], testTimeout: 120_000, hookTimeout: 120_000 },
});
