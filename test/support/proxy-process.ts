/**
 * Running a real proxy (Squid, tinyproxy) as a child process for tests: find the binary, pick
 * a free port, wait until it listens, and stop it by its pid for sure (SIGTERM, then SIGKILL).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

/** The first executable among `candidates` and the PATH entries for `name`, or undefined. */
export function findBinary(name: string, candidates: readonly string[] = []): string | undefined {
  const pathDirs = (process.env.PATH ?? '').split(path.delimiter).filter((dir) => dir !== '');
  for (const file of [...candidates, ...pathDirs.map((dir) => path.join(dir, name))]) {
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** A port that was free a moment ago on 127.0.0.1 (listen on 0, read it, close). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port from listen(0)');
  return address.port;
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

export interface ProxyProcess {
  child: ChildProcess;
  /** What it wrote to stdout and stderr so far (for failure messages). */
  output(): string;
  exited: Promise<number | null>;
}

/** `env`: the child's whole environment (default this process's). */
export function spawnProxy(binary: string, args: string[], cwd: string, env?: NodeJS.ProcessEnv): ProxyProcess {
  const child = spawn(binary, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], ...(env ? { env } : {}) });
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.once('error', (error) => {
      keep(Buffer.from(`spawn failed: ${error.message}\n`));
      resolve(null);
    });
  });
  return { child, output: () => output, exited };
}

/** Resolves once the port accepts connections; rejects if the process exits first or time runs out. */
export async function waitForPort(proc: ProxyProcess, port: number, timeoutMs: number, describe: () => string): Promise<void> {
  let exited = false;
  void proc.exited.then(() => (exited = true));
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (exited) throw new Error(`the proxy exited before listening on ${port}:\n${describe()}`);
    if (await canConnect(port)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the proxy did not listen on ${port} within ${timeoutMs} ms:\n${describe()}`);
}

/** Stops the process by its pid: SIGTERM, then SIGKILL if it has not exited after `graceMs`. */
export async function stopProcess(proc: ProxyProcess, graceMs = 3000): Promise<void> {
  const { child } = proc;
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await proc.exited;
  clearTimeout(timer);
}
