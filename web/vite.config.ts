// The dashboard's build: `npm run build` writes web/dist, which `ardent serve` serves at /.
// `npx vite web` serves it with hot reload and sends /api to a server on port 3000.
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // One entry for the shell and the overview; each other page is its own chunk, loaded on the way.
    chunkSizeWarningLimit: 400,
  },
  server: { proxy: { '/api': 'http://127.0.0.1:3000' } },
});
