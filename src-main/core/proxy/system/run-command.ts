/**
 * Runs a settings tool (gsettings, scutil, reg) and returns its standard output. A short
 * deadline and a small output cap: these tools answer at once or not at all, and a hung
 * D-Bus must not hold a connection attempt. Every failure is a SystemSettingsError that
 * names the command.
 */
import { execFile } from 'node:child_process';
import { SystemSettingsError } from './system-settings';

export type CommandRunner = (file: string, args: readonly string[]) => Promise<string>;

const COMMAND_TIMEOUT_MS = 3_000;
const MAX_OUTPUT_BYTES = 1024 * 1024;

/** `env` is the environment the tool runs in (gsettings finds the user's session bus in it). */
export function commandRunner(env: Readonly<Record<string, string | undefined>>, timeoutMs = COMMAND_TIMEOUT_MS): CommandRunner {
  return (file, args) =>
    new Promise((resolve, reject) => {
      const shown = [file, ...args].join(' ');
      execFile(
        file,
        [...args],
        { env: ownStrings(env), timeout: timeoutMs, maxBuffer: MAX_OUTPUT_BYTES, windowsHide: true, encoding: 'utf8' },
        (error, stdout, stderr) => {
          if (error === null) {
            resolve(stdout);
            return;
          }
          reject(new SystemSettingsError(`\`${shown}\` ${problemOf(error, stderr, timeoutMs)}`));
        },
      );
    });
}

function problemOf(error: Error & { code?: unknown; killed?: boolean; signal?: unknown }, stderr: string, timeoutMs: number): string {
  if (error.code === 'ENOENT') return 'could not be run: the program is not installed';
  if (error.code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') return 'printed more than 1 MiB';
  if (error.killed === true && error.signal !== null) return `did not answer within ${timeoutMs} ms`;
  const said = stderr.trim().split('\n')[0]?.trim() ?? '';
  const exit = typeof error.code === 'number' ? `exited with status ${error.code}` : `failed (${error.message.slice(0, 200)})`;
  return said === '' ? exit : `${exit}: ${said.slice(0, 200)}`;
}

/** Only own string entries go to the child (a table may carry undefined values). */
function ownStrings(env: Readonly<Record<string, string | undefined>>): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(env)) if (typeof value === 'string') out[key] = value;
  return out;
}
