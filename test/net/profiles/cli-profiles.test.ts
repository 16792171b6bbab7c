/**
 * `tunnelscope profiles …` and `connect --profile` as a user runs them (spawned), against an
 * echo server on 127.0.0.1. Secrets are never printed, except in an export the user asked to
 * hold them (after a warning).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { envWithoutProxies, runCli as runCliProcess, stopCliProcesses, type CliResult } from '../../support/cli-process';
import { startEchoServer, type EchoServer } from '../../support/echo-server';
import { makeTempDir } from '../../unit/profiles/profile-fixtures';

const TOKEN = 'Bearer cli-SECRET-4d1f';

let echo: EchoServer;
let temp: ReturnType<typeof makeTempDir>;
let dataDir: string;

function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const clean = envWithoutProxies((name) => name.startsWith('TUNNELSCOPE_'));
  return { ...clean, TUNNELSCOPE_DATA_DIR: dataDir, TUNNELSCOPE_SECRET_STORE: 'keyfile', ...extra };
}

function runCli(args: string[], environment: NodeJS.ProcessEnv = env()): Promise<CliResult> {
  return runCliProcess(args, { env: environment });
}

function exportFile(url: string): string {
  return JSON.stringify({
    format: 'tunnelscope-profiles',
    version: 2,
    profiles: [
      {
        name: 'Local echo',
        url,
        headers: [
          { name: 'Authorization', secret: true, value: TOKEN },
          { name: 'X-Client', secret: false, value: 'cli-test' },
        ],
        proxy: { mode: 'none' },
        tls: {},
        savedMessages: [{ name: 'hello', kind: 'text', body: 'hello' }],
      },
    ],
  });
}

beforeAll(async () => {
  echo = await startEchoServer();
  temp = makeTempDir('tunnelscope-cli-profiles-');
  dataDir = path.join(temp.dir, 'data');
  fs.writeFileSync(path.join(temp.dir, 'import.json'), exportFile(echo.url));
  // Imported once for all the cases below.
  const run = await runCli(['profiles', 'import', path.join(temp.dir, 'import.json')]);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  expect(run.stdout).toContain('Imported 1 profile(s)');
  expect(run.stdout).toContain('Local echo');
});

afterEach(stopCliProcesses);

afterAll(async () => {
  await stopCliProcesses();
  await echo.close();
  temp.cleanup();
});

describe('tunnelscope profiles', () => {
  it('lists and shows profiles without their secrets', async () => {
    const list = await runCli(['profiles', 'list']);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/NAME\s+URL\s+PROXY\s+MESSAGES/);
    expect(list.stdout).toMatch(/Local echo\s+ws:\/\/127\.0\.0\.1:\d+\s+none\s+1/);

    const show = await runCli(['profiles', 'show', 'local ECHO']);
    expect(show.code).toBe(0);
    expect(show.stdout).toContain('Authorization: (secret, set (encrypted))');
    expect(show.stdout).toContain('X-Client: cli-test');
    expect(show.stdout).toContain('History kept');
    expect(show.stdout).toContain('the newest 1,000,000 frames, within 512 MiB of payload (the default)');
    // The profile has no Engine.IO heartbeat switch (older files have none): on.
    expect(show.stdout).toMatch(/\nEngine\.IO pings {3}answered \(Engine\.IO heartbeat on\)\n/);
    expect(show.stdout + show.stderr).not.toContain(TOKEN);
    expect(fs.readFileSync(path.join(dataDir, 'profiles.json'), 'utf8')).not.toContain('cli-SECRET');
  });

  it('exports without secrets to stdout, and with them only to a private file after a warning', async () => {
    const plain = await runCli(['profiles', 'export']);
    expect(plain.code).toBe(0);
    expect(plain.stdout).toContain('"format": "tunnelscope-profiles"');
    expect(plain.stdout).not.toContain(TOKEN);
    expect(plain.stderr).toContain('1 secret(s) were left out');

    const out = path.join(temp.dir, 'with-secrets.json');
    const withSecrets = await runCli(['profiles', 'export', 'Local echo', '--with-secrets', '--out', out]);
    expect(withSecrets.code).toBe(0);
    expect(withSecrets.stderr).toContain('warning: This export holds passwords');
    expect(withSecrets.stdout).toBe('');
    expect(fs.readFileSync(out, 'utf8')).toContain(TOKEN);
    if (process.platform !== 'win32') expect(fs.statSync(out).mode & 0o777).toBe(0o600);
  });

  it('imports nothing from a bad file and names every problem with its place', async () => {
    const bad = path.join(temp.dir, 'bad.json');
    fs.writeFileSync(
      bad,
      JSON.stringify({
        format: 'tunnelscope-profiles',
        version: 2,
        profiles: [
          { name: 'fine', url: 'ws://127.0.0.1:9/', proxy: { mode: 'none' }, tls: {} },
          { name: 'bad', url: 'https://x/', proxy: { mode: 'manual' }, tls: {} },
        ],
      }),
    );
    const run = await runCli(['profiles', 'import', bad]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('nothing was imported: 2 problem(s)');
    expect(run.stderr).toContain('profiles[1].url: the URL must start with ws:// or wss://');
    expect(run.stderr).toContain('profiles[1].proxy.url: a manual proxy needs a URL');
    const list = await runCli(['profiles', 'list', '--json']);
    expect(JSON.parse(list.stdout)).toHaveLength(1);
  });

  it('reports the store and its protection; --data-dir before the command picks another folder', async () => {
    const other = path.join(temp.dir, 'other');
    const run = await runCli(['--data-dir', other, 'profiles', 'status']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Data folder   ${other}`);
    expect(run.stdout).toContain('key file (weaker)');
    expect(run.stdout).toContain('anyone who can read your files can read the key');
  });

  it.runIf(process.platform === 'linux' && !process.env.DBUS_SESSION_BUS_ADDRESS)(
    'without a Secret Service (no D-Bus session here), falls back to the key file and says why',
    async () => {
      const run = await runCli(['profiles', 'status', '--json'], env({ TUNNELSCOPE_SECRET_STORE: '' }));
      expect(run.code).toBe(0);
      const status: unknown = JSON.parse(run.stdout);
      expect(status).toMatchObject({ protection: 'key-file', cipher: 'keyfile', warning: expect.stringContaining('The OS keyring could not be used') });
    },
  );
});

describe('tunnelscope connect --profile', () => {
  it('connects with the saved profile, sends its header, and never prints the secret', async () => {
    const before = echo.upgrades.length;
    const run = await runCli(['connect', '--profile', 'Local echo', '--send', 'hi there', '--count', '1', '--json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('"text":"hi there"');
    expect(run.stdout).not.toContain('cli-SECRET');
    expect(run.stdout).toMatch(/"Authorization","Bearer •+"/);
    expect(echo.upgrades.slice(before)).toEqual([expect.objectContaining({ authorization: TOKEN, 'x-client': 'cli-test' })]);
  });

  it('is a usage error with an unknown name, or with connection flags', async () => {
    const unknown = await runCli(['connect', '--profile', 'Nope']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('there is no profile named "Nope" (the profiles are "Local echo")');
    const mixed = await runCli(['connect', '--profile', 'Local echo', '--proxy', 'http://127.0.0.1:9']);
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toContain('--proxy cannot be combined with --profile');
  });
});
