// Builds the three Electron targets. Entries are explicit because the sources live in
// src-main/ and src-renderer/ rather than electron-vite's default src/ layout.
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import vue from '@vitejs/plugin-vue';

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      // Dependencies stay in node_modules; the optional kerberos module (a native binding, loaded
      // on the first Negotiate offer) too, though it is not in "dependencies".
      externalizeDeps: { include: ['kerberos'] },
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'src-main/index.ts'),
          // PAC scripts run in a worker thread; pac-worker-start.ts finds it next to index.js.
          'pac-worker': resolve(__dirname, 'src-main/core/proxy/pac-worker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      // A sandboxed preload can require only 'electron': bundle anything else it imports
      // instead of leaving a require() that fails at run time (it imports no package today).
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve(__dirname, 'src-main/preload/index.ts') },
        // A sandboxed preload must be CommonJS.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src-renderer'),
    plugins: [vue()],
    build: {
      outDir: resolve(__dirname, 'out/renderer'),
      rollupOptions: { input: { index: resolve(__dirname, 'src-renderer/index.html') } },
    },
  },
});
