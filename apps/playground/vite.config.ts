import { defineConfig } from 'vite';

export default defineConfig({
  base: './',
  resolve: { conditions: ['source'] },
  worker: { format: 'es' },
  build: { target: 'es2022', chunkSizeWarningLimit: 1200 },
  preview: { port: 4173, strictPort: false },
});
