// The analyst web app is built into dist/web, which `bantay serve` serves as static files.
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: here,
  base: '/',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 1200,
    rollupOptions: {
      output: {
        // Heavy libraries each get their own chunk so the queue loads without them.
        manualChunks(id: string): string | undefined {
          if (id.includes('node_modules/echarts') || id.includes('node_modules/zrender')) return 'charts';
          if (id.includes('node_modules/cytoscape')) return 'graph';
          if (id.includes('node_modules/d3-') || id.includes('node_modules/topojson')) return 'map';
          return undefined;
        },
      },
    },
  },
  server: {
    // In development the API runs under `bantay serve` on its default port.
    proxy: { '/api': 'http://127.0.0.1:8080' },
  },
});
