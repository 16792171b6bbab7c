/**
 * Spawned as a user runs it, against a local proxy that tunnels only for Basic alice:<password>:
 * the proxy credentials given out of the process list (TUNNELSCOPE_PROXY_USER, --proxy-user
 * @file; -H @file for the server's Authorization) sign in with no warning, for connect and for
 * intercept's way out; typed on the command line they sign in too, and stderr says once that
 * they are visible in ps (with --json as well, stdout staying JSON). A bad file is exit 2
 * naming the flag and the file, before any connection.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HttpsProxyAgent } from 'https-proxy-agent';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { testCa, trustedServer, writePems, type PemDir } from '../../support/certs';
import { envWithoutProxies, runCli, spawnCli, stopCliProcesses, waitForOutput, type CliProcess } from '../../support/cli-process';
import { startEchoServer, type EchoServer } from '../../support/echo-server';
import { startBasicAuthProxy, type FakeProxy } from '../../support/fake-proxy';

const PASSWORD = 'pr0xy-pass-7731';
const TOKEN = 'Bearer srv-token-5512';
const WARNING = /visible to other users of this computer in the process list \(ps\)/g;

let dir: string;
let echo: EchoServer;
let proxy: FakeProxy;
let wssEcho: EchoServer;
let wssProxy: FakeProxy;
let pems: PemDir;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tunnelscope-cli-secret-sources-'));
  fs.writeFileSync(path.join(dir, 'proxy-user'), `alice:${PASSWORD}\n`, { mode: 0o600 });
  fs.writeFileSync(path.join(dir, 'headers'), `Authorization: ${TOKEN}\nX-Trace: 1\n`, { mode: 0o600 });
  fs.writeFileSync(path.join(dir, 'empty'), '');
  echo = await startEchoServer();
  proxy = await startBasicAuthProxy('alice', PASSWORD, echo.port);
  pems = await writePems({ 'upstream-ca.pem': testCa().cert });
  const server = trustedServer();
  wssEcho = await startEchoServer({ tls: { cert: server.cert, key: server.key, hostname: 'localhost' } });
  wssProxy = await startBasicAuthProxy('alice', PASSWORD, wssEcho.port);
});

afterEach(stopCliProcesses);

afterAll(async () => {
  await Promise.all([echo.close(), proxy.close(), wssEcho.close(), wssProxy.close(), pems.cleanup()]);
  fs.rmSync(dir, { recursive: true, force: true });
});

function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...envWithoutProxies(), NO_COLOR: '1', TUNNELSCOPE_SECRET_STORE: 'keyfile', ...extra };
}

function jsonLines(text: string): Record<string, unknown>[] {
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

const connectArgs = (): string[] => ['connect', `${echo.url}/in`, '--proxy', `http://127.0.0.1:${proxy.port}`, '--send', 'hello', '--count', '1'];

describe('connect: the proxy password out of the process list', { timeout: 90_000 }, () => {
  it('TUNNELSCOPE_PROXY_USER signs in; no warning', async () => {
    const run = await runCli(connectArgs(), { env: env({ TUNNELSCOPE_PROXY_USER: `alice:${PASSWORD}` }) });
    expect(run.stderr).not.toMatch(WARNING);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('hello');
    expect(run.stdout + run.stderr).not.toContain(PASSWORD);
  });

  it('--proxy-user @file and -H @file sign in to the proxy and the server; no warning, --json only JSON', async () => {
    const before = echo.upgrades.length;
    const run = await runCli([...connectArgs(), '--proxy-user', `@${path.join(dir, 'proxy-user')}`, '-H', `@${path.join(dir, 'headers')}`, '--json'], { env: env() });
    expect(run.stderr).not.toMatch(WARNING);
    expect(run.code).toBe(0);
    expect(echo.upgrades.slice(before).map((headers) => headers.authorization)).toEqual([TOKEN]);
    expect(jsonLines(run.stdout).some((line) => line.type === 'frame' && line.dir === 'in' && line.text === 'hello')).toBe(true);
    expect(run.stdout + run.stderr).not.toContain(PASSWORD);
    expect(run.stdout + run.stderr).not.toContain('srv-token-5512');
  });

  it('typed on the command line: signs in, and stderr says once it is visible and how to give it instead (with --json too)', async () => {
    const run = await runCli([...connectArgs(), '--proxy-user', `alice:${PASSWORD}`, '-H', `Authorization: ${TOKEN}`, '--json'], { env: env() });
    expect(run.code).toBe(0);
    expect(run.stderr.match(WARNING)).toHaveLength(1);
    expect(run.stderr).toContain(
      "tunnelscope: warning: the password in --proxy-user, the Authorization header of -H are visible to other users of this computer in the process list (ps) while tunnelscope runs; give them instead as TUNNELSCOPE_PROXY_USER=user:password or --proxy-user @file (a file holding user:password); -H @file (a file of 'Name: value' lines)\n",
    );
    // stdout stays the JSON stream.
    expect(jsonLines(run.stdout).some((line) => line.type === 'closed')).toBe(true);
  });

  it('a missing or empty file: exit 2 naming the flag and the file, and the proxy hears nothing', async () => {
    const accepted = proxy.accepted;
    const missing = path.join(dir, 'no-such-file');
    const run = await runCli([...connectArgs(), '--proxy-user', `@${missing}`], { env: env() });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`tunnelscope: --proxy-user @${missing}: cannot read the file: no such file\n`);
    const empty = await runCli([...connectArgs(), '-H', `@${path.join(dir, 'empty')}`], { env: env() });
    expect(empty.code).toBe(2);
    expect(empty.stderr).toBe(`tunnelscope: -H @${path.join(dir, 'empty')}: the file is empty\n`);
    const badEnv = await runCli(connectArgs(), { env: env({ TUNNELSCOPE_PROXY_USER: 'no-colon-here' }) });
    expect(badEnv.code).toBe(2);
    expect(badEnv.stderr).toContain('tunnelscope: TUNNELSCOPE_PROXY_USER must be user:password (a user name, a colon, the password)');
    expect(badEnv.stderr).not.toContain('no-colon-here');
    expect(proxy.accepted).toBe(accepted);
  });
});

describe('intercept: the way out signs in with the password out of the process list', { timeout: 90_000 }, () => {
  function start(args: string[], extra: Record<string, string> = {}): CliProcess {
    return spawnCli(['intercept', '--json', '--port', '0', '--ca', pems.path('upstream-ca.pem'), '--data-dir', dir, ...args], { env: env(extra), stdin: 'open' });
  }

  async function echoThrough(run: CliProcess): Promise<string> {
    const listening = await waitForOutput(run, 'the listening line', () => jsonLines(run.stdout()).find((l) => l.type === 'listening'));
    const caPem = (JSON.parse(fs.readFileSync((listening.ca as { file: string }).file, 'utf8')) as { certPem: string }).certPem;
    const client = new WebSocket(`${wssEcho.url}/out`, { agent: new HttpsProxyAgent(String(listening.url)), ca: caPem });
    await new Promise<void>((resolve, reject) => {
      client.once('open', () => resolve());
      client.once('error', reject);
    });
    client.send('via upstream');
    const back = await new Promise<string>((resolve) => client.once('message', (data: Buffer) => resolve(data.toString())));
    client.close(1000);
    return back;
  }

  it('TUNNELSCOPE_PROXY_USER for --upstream <url>: the client gets its echo; no warning', async () => {
    const run = start(['--upstream', `http://127.0.0.1:${wssProxy.port}`], { TUNNELSCOPE_PROXY_USER: `alice:${PASSWORD}` });
    expect(await echoThrough(run)).toBe('via upstream');
    run.child.kill('SIGINT');
    expect((await run.done).code).toBe(0);
    expect(run.stderr()).not.toMatch(WARNING);
    expect(run.stdout() + run.stderr()).not.toContain(PASSWORD);
  });

  it('--upstream with user:password@ typed: signs in, and the one warning names --upstream', async () => {
    const run = start(['--upstream', `http://alice:${PASSWORD}@127.0.0.1:${wssProxy.port}`]);
    expect(await echoThrough(run)).toBe('via upstream');
    run.child.kill('SIGINT');
    expect((await run.done).code).toBe(0);
    expect(run.stderr().match(WARNING)).toHaveLength(1);
    expect(run.stderr()).toContain("tunnelscope: warning: the password in --upstream's URL is visible to other users of this computer in the process list (ps) while tunnelscope runs; give it instead as --upstream without user:password@, and TUNNELSCOPE_PROXY_USER=user:password or --proxy-user @file (a file holding user:password)\n");
    expect(run.stdout() + run.stderr()).not.toContain(PASSWORD);
  });

  it('no credentials for a proxy that asks: the failure says to give them the unseen way', async () => {
    const run = spawnCli(['intercept', '--port', '0', '--upstream', `http://127.0.0.1:${wssProxy.port}`, '--ca', pems.path('upstream-ca.pem'), '--data-dir', dir], { env: env(), stdin: 'open' });
    const proxyUrl = await waitForOutput(run, 'the listening line', () => /Intercepting on (http:\/\/127\.0\.0\.1:\d+)/.exec(run.stderr())?.[1]);
    const caPem = (JSON.parse(fs.readFileSync(path.join(dir, 'intercept-ca.json'), 'utf8')) as { certPem: string }).certPem;
    const client = new WebSocket(`${wssEcho.url}/no-user`, { agent: new HttpsProxyAgent(proxyUrl), ca: caPem });
    await new Promise<void>((resolve) => {
      client.once('unexpected-response', () => resolve());
      client.once('error', () => resolve());
    });
    const lines = await waitForOutput(run, 'the failure and its flags', () => {
      const out = run.stdout().split('\n');
      return out.some((line) => line.includes('On the command line:')) ? out : undefined;
    });
    run.child.kill('SIGINT');
    expect((await run.done).code).toBe(0);
    expect(lines.find((line) => line.includes('On the command line:'))?.trim()).toBe(
      'On the command line: --proxy-user @<file> (a file holding user:password) or TUNNELSCOPE_PROXY_USER=user:password',
    );
  });

  it('--proxy-user @file: a missing file is exit 2 naming the flag and the file', async () => {
    const missing = path.join(dir, 'gone');
    const run = await runCli(['intercept', '--port', '0', '--proxy-user', `@${missing}`, '--data-dir', dir], { env: env() });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`tunnelscope: --proxy-user @${missing}: cannot read the file: no such file\n`);
  });
});
