/**
 * Spawned as a user runs it: a `{{token}}` in the server's Authorization header filled from
 * `--var token=…`. Typed on the command line, the header still goes out and stderr says once
 * that the value is visible in ps and to use `--var token=@file`; from the file, no warning. The
 * value is never printed either way.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { envWithoutProxies, runCli } from '../../support/cli-process';
import { startEchoServer, type EchoServer } from '../../support/echo-server';

const TOKEN = 'var-token-6620';
const WARNING = /visible to other users of this computer in the process list \(ps\)/g;

let dir: string;
let echo: EchoServer;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tunnelscope-cli-var-secret-'));
  fs.writeFileSync(path.join(dir, 'token'), `${TOKEN}\n`, { mode: 0o600 });
  echo = await startEchoServer();
});

afterAll(async () => {
  await echo.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const env = (): NodeJS.ProcessEnv => ({ ...envWithoutProxies(), NO_COLOR: '1', TUNNELSCOPE_SECRET_STORE: 'keyfile' });
const args = (value: string): string[] => ['connect', `${echo.url}/in`, '--no-proxy', '-H', 'Authorization: Bearer {{token}}', '--var', `token=${value}`, '--send', 'hello', '--count', '1'];

describe('connect --var with a credential name', { timeout: 90_000 }, () => {
  it('typed: the header goes out, and stderr warns once naming --var token=@file', async () => {
    const before = echo.upgrades.length;
    const run = await runCli(args(TOKEN), { env: env() });
    expect(run.code).toBe(0);
    expect(echo.upgrades.slice(before).map((headers) => headers.authorization)).toEqual([`Bearer ${TOKEN}`]);
    expect(run.stderr.match(WARNING)).toHaveLength(1);
    expect(run.stderr).toContain(
      'tunnelscope: warning: the value of --var token is visible to other users of this computer in the process list (ps) while tunnelscope runs; give it instead as --var token=@file (a file holding the value)\n',
    );
    expect(run.stdout + run.stderr).not.toContain(TOKEN);
  });

  it('from --var token=@file: the same header, no warning', async () => {
    const before = echo.upgrades.length;
    const run = await runCli(args(`@${path.join(dir, 'token')}`), { env: env() });
    expect(run.code).toBe(0);
    expect(echo.upgrades.slice(before).map((headers) => headers.authorization)).toEqual([`Bearer ${TOKEN}`]);
    expect(run.stderr).not.toMatch(WARNING);
    expect(run.stdout + run.stderr).not.toContain(TOKEN);
  });
});
