import { defineConfig } from 'vite';

export default defineConfig({
  base: './',
  resolve: { conditions: ['source'] },
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 1200,
    // The plugin timing report is noise on a busy machine.
    rolldownOptions: { checks: { pluginTimings: false } },
  },
  preview: { port: 4173, strictPort: false },
});
