// Builds the Node entry points that run outside Electron: the command line (the
// `tunnelscope` bin of a global install) and the web host. Dependencies stay in
// node_modules (SSR build: externals), only our sources are bundled.
import { resolve } from 'node:path';
import { defineConfig } from 'vite';

export default defineConfig({
  build: {
    ssr: true,
    outDir: 'out/node',
    emptyOutDir: true,
    target: 'node20',
    sourcemap: true,
    rollupOptions: {
      input: {
        cli: resolve(import.meta.dirname, 'src-main/cli/index.ts'),
        web: resolve(import.meta.dirname, 'src-main/web/main.ts'),
        // PAC scripts run in a worker thread; pac-worker-start.ts finds it next to cli.js.
        'pac-worker': resolve(import.meta.dirname, 'src-main/core/proxy/pac-worker.ts'),
      },
      output: { format: 'esm', entryFileNames: '[name].js' },
    },
  },
});
