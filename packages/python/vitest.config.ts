import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  // Whole Python programs run per test on a shared, noisy machine.
  test: { include: ['test/**/*.test.ts'], testTimeout: 60_000 },
});
