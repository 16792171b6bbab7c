/**
 * The CLI spawned as a user runs it (the run's build, out/node/cli.js, or from the sources
 * `node --import tsx src-main/cli/index.ts …`: node-entry.ts), for tests:
 * stdout and stderr collected, killed if it hangs past a generous budget, and every process
 * still running when a test ends stopped by its pid (`afterEach(stopCliProcesses)`), a wait for
 * a line it prints that shows its output if the line never comes. Another
 * entry point run the same way (the web host, a test's own child script) takes `entry`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { nodeEntryArgs } from './node-entry';
import { waitUntil } from './wait-until';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const CLI_ENTRY = path.join(ROOT, 'src-main/cli/index.ts');
/** Only reached when the process hangs: a spawn of node + tsx takes ~1 s, seconds on a busy 2-core machine. */
export const SPAWN_BUDGET_MS = 45_000;

/** This process's environment without the developer's proxy variables (`*_proxy`) and the names `drop` picks. */
export function envWithoutProxies(drop: (name: string) => boolean = () => false): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!/_proxy$/i.test(name) && !drop(name)) env[name] = value;
  }
  return env;
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliProcess {
  child: ChildProcess;
  /** What it has written so far. */
  stdout(): string;
  stderr(): string;
  /** Once it has exited and its output is all read. */
  done: Promise<CliResult>;
}

export interface CliOptions {
  /** The child's whole environment; default `envWithoutProxies()`. */
  env?: NodeJS.ProcessEnv;
  /**
   * 'end' (default): `input` is written, then stdin closes. 'open': the test writes to
   * `child.stdin` and closes it. 'ignore': no pipe at all (the child reads /dev/null).
   */
  stdin?: 'end' | 'open' | 'ignore';
  input?: string;
  /** A script run instead of the CLI (absolute, or from the repository's root). */
  entry?: string;
  /** Default the repository's root (where tsx resolves). */
  cwd?: string;
  /** Killed with SIGKILL when still running after this; default SPAWN_BUDGET_MS. */
  budgetMs?: number;
  /** The CLI or web host from the sources through tsx even when the run built them (node-entry.ts). */
  fromSources?: boolean;
}

/** Processes spawned here that have not closed yet: what stopCliProcesses stops. */
const running = new Map<ChildProcess, Promise<CliResult>>();

export function spawnCli(args: readonly string[], options: CliOptions = {}): CliProcess {
  const entry = path.resolve(ROOT, options.entry ?? CLI_ENTRY);
  const stdinMode = options.stdin ?? 'end';
  const child = spawn(process.execPath, [...nodeEntryArgs(entry, { fromSources: options.fromSources }), ...args], {
    cwd: options.cwd ?? ROOT,
    env: options.env ?? envWithoutProxies(),
    stdio: [stdinMode === 'ignore' ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  if (stdinMode === 'end') child.stdin?.end(options.input ?? '');
  const done = new Promise<CliResult>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), options.budgetMs ?? SPAWN_BUDGET_MS);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      running.delete(child);
      resolve({ code, signal, stdout, stderr });
    });
  });
  running.set(child, done);
  return { child, stdout: () => stdout, stderr: () => stderr, done };
}

/** Spawns and waits for the exit. */
export function runCli(args: readonly string[], options: CliOptions = {}): Promise<CliResult> {
  return spawnCli(args, options).done;
}

/** waitUntil for a line the process prints: a failure shows what it wrote so far. */
export async function waitForOutput<T>(run: CliProcess, what: string, pick: () => T | undefined | false): Promise<T> {
  try {
    return await waitUntil(what, pick);
  } catch (error) {
    throw new Error(`${error instanceof Error ? error.message : String(error)}; stdout: ${run.stdout()} stderr: ${run.stderr()}`);
  }
}

/** For afterEach: a test that failed half-way must leave no process running (SIGKILL by pid, then its close awaited). */
export async function stopCliProcesses(): Promise<void> {
  await Promise.all(
    [...running].map(([child, done]) => {
      const { pid, exitCode, signalCode } = child;
      if (pid !== undefined && exitCode === null && signalCode === null) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // it exited between the check and the kill
        }
      }
      return done;
    }),
  );
}
