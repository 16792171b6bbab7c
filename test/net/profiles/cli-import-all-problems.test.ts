/**
 * `tunnelscope profiles import` (spawned) lists every problem of a file in one run: QA's b1.json
 * said 2 and showed its bad proxy URL only once they were fixed; a name with control and bidi
 * characters (QA's b2.json) is refused, naming the character, and nothing is imported.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { envWithoutProxies, runCli, stopCliProcesses } from '../../support/cli-process';
import { makeTempDir } from '../../unit/profiles/profile-fixtures';

let temp: ReturnType<typeof makeTempDir>;

function env(): NodeJS.ProcessEnv {
  const clean = envWithoutProxies((name) => name.startsWith('TUNNELSCOPE_'));
  return { ...clean, TUNNELSCOPE_DATA_DIR: path.join(temp.dir, 'data'), TUNNELSCOPE_SECRET_STORE: 'keyfile' };
}

function profile(name: string, fields: Record<string, unknown>): Record<string, unknown> {
  return { name, url: 'ws://127.0.0.1:9/', headers: [], subprotocols: [], proxy: { mode: 'none' }, tls: { caFiles: [], insecure: false }, handshakeTimeoutMs: 10_000, savedMessages: [], ...fields };
}

beforeAll(() => {
  temp = makeTempDir('tunnelscope-cli-import-problems-');
});
afterEach(() => stopCliProcesses());
afterAll(() => temp.cleanup());

it('lists every problem of every profile, with its place, and imports nothing', async () => {
  const file = path.join(temp.dir, 'b1-and-b2.json');
  const profiles = [
    // QA's b1.json
    profile('b1', { proxy: { mode: 'manual', url: 'proxy.corp.:3128', username: 'alice', caFiles: [], password: 's3cret' }, handshakeTimeoutMs: -1, keepalive: { intervalMs: 'x' } }),
    // QA's b2.json
    profile('bad\u0000name\nnewline\u202etxt.exe', {}),
    profile('fine', {}),
  ];
  fs.writeFileSync(file, JSON.stringify({ format: 'tunnelscope-profiles', version: 2, profiles }));
  const run = await runCli(['profiles', 'import', file], { env: env() });
  expect(run.code).toBe(1);
  expect(run.stdout).toBe('');
  expect(run.stderr.split('\n').filter((line) => line !== '')).toEqual([
    `tunnelscope: nothing was imported: 4 problem(s) in ${file}:`,
    '  profiles[0].handshakeTimeoutMs: must be a whole number from 1 to 600000 (got -1)',
    '  profiles[0].keepalive.intervalMs: must be a number (got a string "x")',
    '  profiles[0].proxy.url: this proxy URL is not valid: a host name ending in a dot is not allowed (write "proxy.corp")',
    '  profiles[1].name: a name may not hold U+0000 NULL at position 4 (and 2 more such characters): control characters, line breaks and text-direction controls garble it where it is shown',
  ]);
  const list = await runCli(['profiles', 'list', '--json'], { env: env() });
  expect(JSON.parse(list.stdout)).toEqual([]);
});
