// Builds the console into dist/web, which the server serves at / (src/http/app.ts).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
    rollupOptions: {
      output: {
        // Libraries change less often than the console: keep them in their own cacheable chunk.
        manualChunks: (id) => (id.includes('node_modules') ? 'vendor' : undefined),
      },
    },
  },
  server: {
    // `npx vite --config web/vite.config.ts` during development, with keysmith on :3000.
    proxy: Object.fromEntries(['/api', '/ng', '/authz', '/resourcegroup'].map((p) => [p, 'http://127.0.0.1:3000'])),
  },
});
