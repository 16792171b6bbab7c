/**
 * The `tunnelscope` command line: `npm run cli -- <command>` (tsx) or, built, `bin/tunnelscope.mjs`.
 * Parses the arguments, starts one engine, runs the command, and exits with its status after
 * stdout and stderr have been written out (a pipe must not lose the last lines).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSystemProxy, dataDirFlagProblem, Engine, resolveDataDir } from '../core';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, type CliIo } from './cli-io';
import { runConnect } from './connect-command';
import { parseCommandLine, UsageError } from './parse-args';
import { runResolve } from './resolve-command';
import { runProfiles } from './profiles-command';
import { runIntercept, runInterceptCaCert } from './intercept-command';
import { runInterceptPassthrough } from './intercept-passthrough';
import { runProfilePassthrough } from './profile-passthrough';
import { visibleSecretWarning } from './visible-secrets';

/** The engine must not keep an exiting CLI waiting. */
const DISPOSE_TIMEOUT_MS = 2000;

/** The package version, from the nearest package.json named tunnelscope (source or build tree). */
export function packageVersion(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    try {
      const parsed: unknown = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
      if (typeof parsed === 'object' && parsed !== null && 'name' in parsed && parsed.name === 'tunnelscope') {
        return 'version' in parsed && typeof parsed.version === 'string' ? parsed.version : '0.0.0';
      }
    } catch {
      // not here: look one folder up
    }
    dir = path.dirname(dir);
  }
  return '0.0.0';
}

export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  let command;
  try {
    command = parseCommandLine(argv, io.env);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    const help = error.command ? `tunnelscope ${error.command} --help` : 'tunnelscope --help';
    // A file problem (--decode protobuf: a directory, a type not in the schema) says what and where instead.
    io.stderr.write(`tunnelscope: ${error.message}\n${error.pointsAtHelp ? `Run "${help}" to see the options.\n` : ''}`);
    return EXIT_USAGE;
  }
  if (command.kind === 'help') {
    io.stdout.write(command.text);
    return EXIT_OK;
  }
  if (command.kind === 'version') {
    io.stdout.write(`tunnelscope ${packageVersion()}\n`);
    return EXIT_OK;
  }
  // A password typed on the command line is in every user's `ps`: said once, with the way that is not.
  const visible = 'visibleSecrets' in command ? visibleSecretWarning(command.visibleSecrets ?? []) : undefined;
  if (visible !== undefined) io.stderr.write(`${visible}\n`);

  // The data folder is only touched by a command that uses profiles (nothing is created otherwise).
  const dataDir = resolveDataDir({ flag: command.kind === 'resolve' ? undefined : command.dataDir, env: io.env });
  // A file given as --data-dir is the user's mistake: said as one, not answered with "no profiles".
  const dataDirProblem = command.kind !== 'resolve' && command.dataDir !== undefined ? dataDirFlagProblem(dataDir) : undefined;
  if (dataDirProblem !== undefined) {
    io.stderr.write(`tunnelscope: ${dataDirProblem}\nRun "tunnelscope ${command.kind} --help" to see the options.\n`);
    return EXIT_USAGE;
  }
  // Prints the CA's certificate: no engine needed.
  if (command.kind === 'intercept' && command.action === 'ca-cert') return runInterceptCaCert(command, dataDir, io);
  // The global list needs no engine; a profile's goes through the profiles (--profile, below).
  if (command.kind === 'intercept' && command.action === 'passthrough' && command.profile === undefined) return runInterceptPassthrough(command, dataDir, io);
  // Auto and --system-proxy read the OS proxy settings (GNOME, KDE, macOS, Windows) in this environment.
  const systemProxy = createSystemProxy({ env: io.env });
  const engine = new Engine({ host: 'cli', version: packageVersion(), env: io.env, systemProxy, profiles: { dataDir }, allowFileExport: true });
  try {
    if (command.kind === 'connect') return await runConnect(command, engine, io);
    if (command.kind === 'profiles') return await runProfiles(command, engine, io);
    if (command.kind === 'intercept' && command.action === 'passthrough') return await runProfilePassthrough(command, command.profile ?? '', engine, io);
    if (command.kind === 'intercept') return await runIntercept(command, engine, dataDir, io);
    return await runResolve(command, engine, io);
  } finally {
    await Promise.race([engine.dispose().catch(() => undefined), new Promise((resolve) => setTimeout(resolve, DISPOSE_TIMEOUT_MS).unref())]);
  }
}

function processIo(): CliIo {
  let interrupts = 0;
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    onInterrupt(handler) {
      const onSignal = (): void => {
        interrupts += 1;
        // The second Ctrl-C does not wait for anything.
        if (interrupts > 1) process.exit(130);
        handler();
      };
      process.on('SIGINT', onSignal);
      return () => process.off('SIGINT', onSignal);
    },
  };
}

/** Set once stdout failed (its reader went away): what is queued for it will never drain. */
let stdoutGone = false;
/** The exit waiting for stdout to drain, if any. */
let pendingExit: (() => void) | undefined;

/**
 * Waits until everything written so far has been handed to the OS, then exits. No deadline:
 * stdout to a pipe is written asynchronously, so a slow reader (`| jq`, a busy machine) may
 * have megabytes still queued here, and exiting early would cut them off. A reader that went
 * away (`| head`) ends the wait instead.
 */
function exitAfterFlush(code: number): void {
  pendingExit = () => process.exit(code);
  if (stdoutGone) return pendingExit();
  let pending = 2;
  const done = (): void => {
    pending -= 1;
    if (pending === 0) process.exit(code);
  };
  process.stdout.write('', done);
  process.stderr.write('', done);
}

// A reader that went away (`tunnelscope … | head -1`) is not an error worth a stack trace.
process.stdout.on('error', () => {
  stdoutGone = true;
  pendingExit?.();
});

main(process.argv.slice(2), processIo()).then(exitAfterFlush, (error: unknown) => {
  process.stderr.write(`tunnelscope: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  exitAfterFlush(EXIT_FAILED);
});
