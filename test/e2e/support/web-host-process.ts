/**
 * The web host as the user runs it (`node scripts/web.mjs --port 0`), as a child process:
 * waits for the URL line, parses port and token from it, and stops the process by its pid.
 * The proxy variables are removed from its environment so "Auto" means direct unless a
 * test sets them.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

export const repoRoot = path.resolve(import.meta.dirname, '..', '..', '..');

export interface WebHostProcess {
  /** The printed URL, token included. */
  url: string;
  /** `http://127.0.0.1:PORT` */
  origin: string;
  port: number;
  token: string;
  pid: number;
  /** Everything it printed so far (for failure messages). */
  output(): string;
  stop(): Promise<void>;
}

const PROXY_VARIABLES = ['http_proxy', 'https_proxy', 'all_proxy', 'no_proxy', 'ws_proxy', 'wss_proxy'];
const URL_LINE = /^http:\/\/127\.0\.0\.1:(\d+)\/\?token=([A-Za-z0-9_-]+)$/m;

export interface StartOptions {
  /** Extra environment (e.g. NODE_EXTRA_CA_CERTS). */
  env?: Record<string, string>;
  args?: string[];
  timeoutMs?: number;
}

export async function startWebHostProcess(options: StartOptions = {}): Promise<WebHostProcess> {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!PROXY_VARIABLES.includes(name.toLowerCase())) env[name] = value;
  }
  Object.assign(env, options.env);
  const child = spawn(process.execPath, ['scripts/web.mjs', '--port', '0', ...(options.args ?? [])], {
    cwd: repoRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const found = await new Promise<RegExpMatchArray>((resolve, reject) => {
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
  const port = Number(found[1]);
  const pid = child.pid;
  if (pid === undefined) throw new Error('the web host has no pid');
  return {
    url: found[0],
    origin: `http://127.0.0.1:${port}`,
    port,
    token: found[2] ?? '',
    pid,
    output: () => output,
    stop: () => stopChild(child, exited),
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
