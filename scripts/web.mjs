/**
 * `npm run web -- [--port <n>] [--host <addr>] [--tls | --insecure-http] …` (every flag is the
 * web host's own, see src-main/web/args.ts): builds the UI when the build is missing or
 * older than its sources, then runs the web host in this process (so its pid is the server's).
 * The host runs from source through tsx when tsx is installed (a development checkout), from
 * out/node/web.js otherwise (an install without dev dependencies, built beforehand).
 * start.mjs reuses `ensureBuilt` and `runWebHost`.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

/** What the renderer build is made from. */
const RENDERER_INPUTS = ['src-renderer', 'src-main/shared', 'electron.vite.config.ts', 'package.json'];
/** The Electron build (main, preload, renderer) is made from all of these. */
export const APP_INPUTS = ['src-renderer', 'src-main', 'electron.vite.config.ts', 'package.json'];
export const RENDERER_OUTPUTS = ['out/renderer/index.html'];
export const APP_OUTPUTS = ['out/main/index.js', 'out/preload/index.cjs', 'out/renderer/index.html'];

/** Newest modification time under the given files and folders (0 when none exist). */
function newestMtime(entries) {
  let newest = 0;
  const visit = (full) => {
    let stat;
    try {
      stat = fs.statSync(full);
    } catch {
      return;
    }
    if (stat.isDirectory()) {
      for (const name of fs.readdirSync(full)) visit(path.join(full, name));
    } else {
      newest = Math.max(newest, stat.mtimeMs);
    }
  };
  for (const entry of entries) visit(path.join(root, entry));
  return newest;
}

/** Why a build is needed ('missing' | 'stale'), or null when the outputs are newer than every input. */
export function buildNeeded(outputs, inputs) {
  let oldest = Infinity;
  for (const output of outputs) {
    try {
      oldest = Math.min(oldest, fs.statSync(path.join(root, output)).mtimeMs);
    } catch {
      return 'missing';
    }
  }
  return newestMtime(inputs) > oldest ? 'stale' : null;
}

/** The electron-vite command line script, or null when the build tools are not installed. */
export function electronViteCli() {
  try {
    return path.join(path.dirname(require.resolve('electron-vite/package.json')), 'bin', 'electron-vite.js');
  } catch {
    return null;
  }
}

/** Runs `electron-vite build` when needed; exits the process if the build fails. */
export function ensureBuilt(outputs = RENDERER_OUTPUTS, inputs = RENDERER_INPUTS) {
  const why = buildNeeded(outputs, inputs);
  if (!why) return;
  const cli = electronViteCli();
  if (!cli) {
    console.error(
      why === 'missing'
        ? 'tunnelscope: the UI is not built and the build tools are not installed. Run `npm install` and then `npm run build`.'
        : 'tunnelscope: the UI build is older than its sources, but the build tools are not installed; using it as it is.',
    );
    if (why === 'missing') process.exit(1);
    return;
  }
  console.log(`tunnelscope: ${why === 'missing' ? 'building the UI (first run)' : 'rebuilding the UI (sources changed)'}…`);
  const result = spawnSync(process.execPath, [cli, 'build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  if (result.status !== 0) {
    console.error(`tunnelscope: the build failed (electron-vite build exited with ${result.status ?? result.signal}); see the messages above.`);
    process.exit(1);
  }
}

/** Starts the web host in this process with the given arguments (process.argv is what it reads). */
export async function runWebHost(args) {
  process.argv = [process.argv[0], path.join(root, 'src-main/web/main.ts'), ...args];
  let tsx = null;
  try {
    tsx = await import('tsx/esm/api');
  } catch {
    // no dev dependencies: use the built host
  }
  if (tsx) {
    tsx.register();
    await import(pathToFileURL(path.join(root, 'src-main/web/main.ts')).href);
    return;
  }
  const built = path.join(root, 'out/node/web.js');
  if (!fs.existsSync(built)) {
    console.error('tunnelscope: the web host is not built (out/node/web.js is missing). Run `npm run build` first.');
    process.exit(1);
  }
  await import(pathToFileURL(built).href);
}

const isEntry = process.argv[1] !== undefined && pathToFileURL(path.resolve(process.argv[1])).href === import.meta.url;
if (isEntry) {
  const args = process.argv.slice(2);
  // --help needs no build.
  if (!args.includes('--help') && !args.includes('-h')) ensureBuilt();
  await runWebHost(args);
}
