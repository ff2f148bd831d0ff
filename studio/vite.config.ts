// Vite build for the studio: root studio/, output studio/dist (served by the runtime at `/`).
// Monaco is imported piecemeal (editor API + the features we use) to keep the bundle small.
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { deepLinkPreload } from './deepLinkPreload.ts';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: '/',
  plugins: [react(), deepLinkPreload('/src/editor/Workspace.tsx')],
  resolve: {
    // monaco-editor's exports map only exposes .js files; its stylesheets (codicons) are
    // reached through this alias instead
    alias: [{ find: /^monaco-editor-css\/(.*)$/, replacement: fileURLToPath(new URL('../node_modules/monaco-editor/esm/vs/', import.meta.url)) + '$1' }],
  },
  worker: { format: 'es' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 4000,
    sourcemap: false,
    // the worker bundle (dsl + chevrotain) is slow to transform on 2 cores; that is expected
    rolldownOptions: { checks: { bundlerTimings: false } },
  },
  server: {
    fs: { allow: [fileURLToPath(new URL('..', import.meta.url))] },
    proxy: { '/api': process.env.STUDIO_API ?? 'http://localhost:3000' },
  },
});
