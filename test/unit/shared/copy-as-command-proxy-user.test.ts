/**
 * Copy as command gives tunnelscope connect the proxy's user:password in TUNNELSCOPE_PROXY_USER
 * before the command, never in --proxy-user (where the password shows in `ps` and the CLI warns).
 * The copied line is run by a real POSIX shell with a stand-in `tunnelscope` on the PATH that
 * reports its argv and the variable; the argv then goes through the CLI's parser and its
 * visible-secrets check, as `tunnelscope` itself would.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCommandLine } from '../../../src-main/cli/parse-args';
import { PROXY_USER_ENV } from '../../../src-main/cli/proxy-user-source';
import { visibleSecretWarning } from '../../../src-main/cli/visible-secrets';
import { copyAsCommand } from '../../../src-main/shared/copy-as-command';
import type { ConnectionOptionsInput } from '../../../src-main/shared/model';

let bin: string;
beforeAll(() => {
  bin = fs.mkdtempSync(path.join(os.tmpdir(), 'tunnelscope-copy-proxy-user-'));
  const script = path.join(bin, 'tunnelscope');
  fs.writeFileSync(script, `#!${process.execPath}\nprocess.stdout.write(JSON.stringify({ argv: process.argv.slice(2), user: process.env.${PROXY_USER_ENV} ?? null }));\n`);
  fs.chmodSync(script, 0o755);
});
afterAll(() => fs.rmSync(bin, { recursive: true, force: true }));

interface Ran {
  argv: string[];
  user: string | null;
}

function isRan(value: unknown): value is Ran {
  if (typeof value !== 'object' || value === null || !('argv' in value) || !('user' in value)) return false;
  return Array.isArray(value.argv) && value.argv.every((word) => typeof word === 'string') && (typeof value.user === 'string' || value.user === null);
}

/** The copied line as /bin/sh runs it, with no TUNNELSCOPE_PROXY_USER of its own. */
function run(command: string): Ran {
  const out = execFileSync('/bin/sh', ['-c', command], { encoding: 'utf8', env: { PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}` } });
  const parsed: unknown = JSON.parse(out);
  if (!isRan(parsed)) throw new Error(`unexpected output: ${out}`);
  return parsed;
}

/** What the CLI would print about secrets on its command line, and the credentials it would use. */
function asTheCliReadsIt(ran: Ran): { warning: string | undefined; proxyAuth: unknown } {
  const command = parseCommandLine(ran.argv, ran.user === null ? {} : { [PROXY_USER_ENV]: ran.user });
  if (command.kind !== 'connect') throw new Error(`not a connect command: ${command.kind}`);
  return { warning: visibleSecretWarning(command.visibleSecrets ?? []), proxyAuth: command.options?.proxyAuth };
}

const url = 'ws://127.0.0.1:9/';

describe('copy as command: the proxy user in TUNNELSCOPE_PROXY_USER', () => {
  it('a manual proxy with a password: the variable before the command, no --proxy-user, no warning from the CLI', () => {
    const copied = copyAsCommand('tunnelscope', { url, proxy: { mode: 'manual', url: 'http://proxy.corp:3128' }, proxyAuth: { username: 'alice', password: 'hunter2' } });
    expect(copied.command).toBe("TUNNELSCOPE_PROXY_USER='alice:<password>' tunnelscope connect ws://127.0.0.1:9/ --proxy http://proxy.corp:3128");
    expect(copied.text).not.toContain('hunter2');
    expect(copied.notes).toContain('replace <password> with the proxy password (it is secret and never copied)');
    const ran = run(copied.command);
    expect(ran).toEqual({ argv: ['connect', url, '--proxy', 'http://proxy.corp:3128'], user: 'alice:<password>' });
    expect(asTheCliReadsIt(ran)).toEqual({ warning: undefined, proxyAuth: { username: 'alice', password: '<password>' } });
  });

  it('the password in the proxy URL, and credentials for whatever PAC or the environment choose', () => {
    const cases: ConnectionOptionsInput[] = [
      { url, proxy: { mode: 'manual', url: 'http://alice:hunter2@proxy.corp:3128' } },
      { url, proxy: { mode: 'pac', source: { kind: 'url', url: 'http://wpad/proxy.pac' } }, proxyAuth: { username: 'alice', password: 'hunter2' } },
      { url, proxy: { mode: 'env' }, proxyAuth: { username: 'alice', password: 'hunter2' } },
    ];
    for (const options of cases) {
      const ran = run(copyAsCommand('tunnelscope', options).command);
      expect(ran.user).toBe('alice:<password>');
      expect(ran.argv).not.toContain('--proxy-user');
      expect(asTheCliReadsIt(ran)).toEqual({ warning: undefined, proxyAuth: { username: 'alice', password: '<password>' } });
    }
  });

  it('a user name the shell would otherwise expand reaches the CLI as typed', () => {
    const username = "o'brien $HOME `id` ~x";
    const copied = copyAsCommand('tunnelscope', { url, proxy: { mode: 'env' }, proxyAuth: { username, password: 'pw' } });
    const ran = run(copied.command);
    expect(ran.user).toBe(`${username}:<password>`);
    expect(asTheCliReadsIt(ran).proxyAuth).toEqual({ username, password: '<password>' });
  });

  it('no proxy user: no variable', () => {
    const copied = copyAsCommand('tunnelscope', { url, proxy: { mode: 'manual', url: 'http://proxy.corp:3128' } });
    expect(copied.command).toBe('tunnelscope connect ws://127.0.0.1:9/ --proxy http://proxy.corp:3128');
    expect(run(copied.command).user).toBeNull();
  });

  it('the check that finds no warning does warn for the old form (--proxy-user user:password)', () => {
    const old = asTheCliReadsIt({ argv: ['connect', url, '--proxy', 'http://proxy.corp:3128', '--proxy-user', 'alice:<password>'], user: null });
    expect(old.warning).toMatch(/^tunnelscope: warning: the password in --proxy-user is visible to other users/);
  });
});
