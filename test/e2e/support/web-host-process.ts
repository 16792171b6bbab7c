/**
 * The web host as a child process: the build `npm test` makes before the end-to-end tests
 * (`node out/node/web.js --port 0`) when it is newer than its sources, else as a checkout runs it
 * (`node scripts/web.mjs --port 0`: builds the UI if needed, the host from the sources through
 * tsx, about 1.9 s of CPU a start against 0.55; `viaScript` asks for that way always):
 * waits for the URL line, parses port and token from it, and stops the process by its pid.
 * The proxy variables are removed from its environment so "Auto" means direct unless a
 * test sets them. Profiles go to `--data-dir`: the given folder, or a fresh temporary one
 * (removed on stop), never the user's own; secrets use the key file there, not the keyring.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildNeeded } from '../../../scripts/web.mjs';

export const repoRoot = path.resolve(import.meta.dirname, '..', '..', '..');

export interface WebHostProcess {
  /** The printed URL, token included. */
  url: string;
  /** `http://127.0.0.1:PORT` (`https://` with `--tls`) */
  origin: string;
  port: number;
  token: string;
  pid: number;
  /** The profiles' data folder it was started with. */
  dataDir: string;
  /** Everything it printed so far (for failure messages). */
  output(): string;
  /** Resolves once the output matches (e.g. the profile store's lines, printed after the URL). */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

const PROXY_VARIABLES = ['http_proxy', 'https_proxy', 'all_proxy', 'no_proxy', 'ws_proxy', 'wss_proxy'];
const URL_LINE = /^(https?):\/\/127\.0\.0\.1:(\d+)\/\?token=([A-Za-z0-9_-]+)$/m;

export interface StartOptions {
  /** Extra environment (e.g. TUNNELSCOPE_OS_CA_BUNDLE, the OS trust store's location). */
  env?: Record<string, string>;
  args?: string[];
  timeoutMs?: number;
  /** Start it as `npm start` does in a checkout (scripts/web.mjs), even when the build is fresh. */
  viaScript?: boolean;
  /** `--data-dir`: pass the same folder to a second host to see the first one's profiles. */
  dataDir?: string;
}

/** A temporary data folder for profiles; the caller removes it (`removeDataDir`). */
export function makeDataDir(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'tunnelscope-e2e-data-'));
}

export function removeDataDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** What the built host and UI are made from (the `npm run build` outputs checked below). */
const BUILD_INPUTS = ['src-main', 'src-renderer', 'package.json', 'vite.node.config.ts', 'electron.vite.config.ts'];
const BUILD_OUTPUTS = ['out/node/web.js', 'out/renderer/index.html'];
let builtIsFresh: boolean | undefined;

/** The script to run: the build when it is newer than every source (asked once per test worker). */
function webHostEntry(viaScript: boolean): string {
  if (viaScript) return 'scripts/web.mjs';
  builtIsFresh ??= buildNeeded(BUILD_OUTPUTS, BUILD_INPUTS) === null;
  return builtIsFresh ? 'out/node/web.js' : 'scripts/web.mjs';
}

export async function startWebHostProcess(options: StartOptions = {}): Promise<WebHostProcess> {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!PROXY_VARIABLES.includes(name.toLowerCase())) env[name] = value;
  }
  // The OS keyring of whoever runs the tests is left alone.
  env['TUNNELSCOPE_SECRET_STORE'] = 'keyfile';
  Object.assign(env, options.env);
  const ownDataDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? makeDataDir();
  const child = spawn(process.execPath, [webHostEntry(options.viaScript === true), '--port', '0', '--data-dir', dataDir, ...(options.args ?? [])], {
    cwd: repoRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const printed = new Promise<RegExpMatchArray>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the web host printed no URL within ${options.timeoutMs ?? 60_000} ms:\n${output}`)), options.timeoutMs ?? 60_000);
    const onData = (chunk: Buffer): void => {
      output = (output + chunk.toString('utf8')).slice(-50_000);
      const match = output.match(URL_LINE);
      if (match) {
        clearTimeout(timer);
        resolve(match);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => (output = (output + chunk.toString('utf8')).slice(-50_000)));
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the web host exited (code ${code}) before printing its URL:\n${output}`));
    });
  });
  let found: RegExpMatchArray;
  try {
    found = await printed;
  } catch (error) {
    await stopChild(child, exited);
    if (ownDataDir) removeDataDir(dataDir);
    throw error;
  }
  const port = Number(found[2]);
  const pid = child.pid;
  if (pid === undefined) throw new Error('the web host has no pid');
  return {
    url: found[0],
    origin: `${found[1] ?? 'http'}://127.0.0.1:${port}`,
    port,
    token: found[3] ?? '',
    pid,
    dataDir,
    output: () => output,
    waitForOutput: async (pattern, timeoutMs = 15_000) => {
      const deadline = Date.now() + timeoutMs;
      while (!pattern.test(output)) {
        if (Date.now() > deadline) throw new Error(`the web host did not print ${String(pattern)} within ${timeoutMs} ms:\n${output}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    stop: async () => {
      await stopChild(child, exited);
      if (ownDataDir) removeDataDir(dataDir);
    },
  };
}

async function stopChild(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  process.kill(child.pid, 'SIGTERM');
  const timer = setTimeout(() => {
    if (child.pid !== undefined && child.exitCode === null) process.kill(child.pid, 'SIGKILL');
  }, 5000);
  await exited;
  clearTimeout(timer);
}
