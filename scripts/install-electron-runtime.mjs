/**
 * postinstall: fetch the Electron runtime binary the way the `electron` package does, but
 * never fail the install when the download is impossible (no network, a blocked host): the
 * web host serves the same UI without it. Set TUNNELSCOPE_SKIP_ELECTRON_DOWNLOAD=1 to skip.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { electronPackageDir, findElectronRuntime } from './electron-runtime.mjs';

const installer = path.join(electronPackageDir, 'install.js');

function warn(lines) {
  const bar = '-'.repeat(78);
  console.warn(['', bar, ...lines.map((l) => `  ${l}`), bar, ''].join('\n'));
}

if (!fs.existsSync(installer)) {
  // Production install without dev dependencies: nothing to do.
  process.exit(0);
}
if (findElectronRuntime()) {
  process.exit(0);
}
if (process.env.TUNNELSCOPE_SKIP_ELECTRON_DOWNLOAD) {
  warn(['Tunnelscope: skipped the Electron runtime download (TUNNELSCOPE_SKIP_ELECTRON_DOWNLOAD is set).',
    '`npm start` will serve the UI in your browser through the web host instead.']);
  process.exit(0);
}

const result = spawnSync(process.execPath, [installer], { encoding: 'utf8', timeout: 300_000 });
if (result.status === 0 && findElectronRuntime()) {
  console.log('Tunnelscope: Electron runtime installed.');
  process.exit(0);
}
const reason = (result.error?.message ?? result.stderr ?? '').split('\n').find((l) => l.trim() !== '') ?? 'unknown error';
warn([
  'WARNING: the Electron runtime could not be downloaded, so the desktop window is not available.',
  `Reason: ${reason.trim()}`,
  'Everything else is installed. `npm start` will serve the same UI in your browser through the',
  'web host, and `npm run cli` works as usual. To install the runtime later, on a network that',
  'can reach Electron\'s download host, run:  npx install-electron',
]);
process.exit(0);
