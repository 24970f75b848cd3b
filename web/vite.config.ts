import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Anchored to this file so `vite build --config web/vite.config.ts` works from the repo root.
const webRoot = fileURLToPath(new URL('.', import.meta.url));

// In development the Fastify server (npm run dev) answers the API; the Vite dev server only
// serves the SPA and forwards API calls so cookies stay same-origin.
const apiTarget = process.env.TRUSTDESK_API_URL ?? 'http://127.0.0.1:3000';

export default defineConfig({
  root: webRoot,
  plugins: [react()],
  css: { postcss: webRoot },
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    // Mantine is one large chunk by design; the warning at 500 kB says nothing useful here.
    chunkSizeWarningLimit: 1500,
  },
  server: {
    proxy: {
      '/api': { target: apiTarget, changeOrigin: false },
      '/portal/api': { target: apiTarget, changeOrigin: false },
    },
  },
});
