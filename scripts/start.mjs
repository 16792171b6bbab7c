/**
 * `npm start`: the desktop app where the Electron runtime is installed; otherwise one clear
 * paragraph about why it is missing and how to get it, then the same UI through the web host.
 */
import { spawn } from 'node:child_process';
import { findElectronRuntime } from './electron-runtime.mjs';
import { APP_INPUTS, APP_OUTPUTS, electronViteCli, ensureBuilt, root, runWebHost } from './web.mjs';

const args = process.argv.slice(2);

const runtime = findElectronRuntime();
if (runtime) {
  ensureBuilt(APP_OUTPUTS, APP_INPUTS);
  const cli = electronViteCli();
  if (!cli) {
    console.error('tunnelscope: electron-vite is not installed; run `npm install` first.');
    process.exit(1);
  }
  // electron-vite finds the binary through ELECTRON_EXEC_PATH first: hand it the one we found
  // (which honours ELECTRON_OVERRIDE_DIST_PATH, as the electron package does).
  const env = { ...process.env, ELECTRON_EXEC_PATH: runtime };
  const child = spawn(process.execPath, [cli, 'preview', '--skipBuild', ...args], { cwd: root, stdio: 'inherit', env });
  // Ctrl-C reaches the app through the terminal; a kill of this process is passed on.
  process.on('SIGINT', () => {});
  process.on('SIGTERM', () => child.kill('SIGTERM'));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
} else {
  const paragraph = [
    'The Electron runtime is not installed, so the desktop window cannot open. Its binary is',
    "downloaded from Electron's release host when `npm install` runs, and here that download",
    'was blocked, failed or skipped (no network, or a proxy or firewall in the way). To install',
    "it, run `npx install-electron` on a network that can reach Electron's download host, then",
    '`npm start` again. Meanwhile the same UI is served to your browser by the web host: open',
    'the URL printed below.',
  ].join('\n');
  console.log(`\n${paragraph}\n`);
  ensureBuilt();
  await runWebHost(args);
}
