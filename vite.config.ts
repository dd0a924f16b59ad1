import path from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = path.dirname(fileURLToPath(import.meta.url));

// The renderer: root renderer/, built into dist/renderer with relative URLs (served by `runlens serve` and by the
// Electron app protocol alike). No inline scripts: the served CSP forbids them.
export default defineConfig({
  root: path.join(root, 'renderer'),
  base: './',
  plugins: [react()],
  build: {
    outDir: path.join(root, 'dist/renderer'),
    emptyOutDir: true,
    sourcemap: true,
    modulePreload: { polyfill: false },
    // First screen first (renderer/src/state/first-screen.ts): the entry holds the header and the build log; the
    // other panes are chunks loaded after the log's first rows (layout/later.tsx). Their styles stay in the one
    // stylesheet the page loads first, so a pane never appears unstyled.
    cssCodeSplit: false,
    chunkSizeWarningLimit: 2000,
  },
});
