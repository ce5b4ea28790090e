import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  // Million-object tests take seconds alone and much longer on a loaded machine: time is not what they test.
  test: { include: ['test/**/*.test.ts'], testTimeout: 300_000 },
});
