/**
 * `tunnelscope intercept` as a user runs it (spawned): the CA printed and written (O_EXCL,
 * --force), a usage error for a non-loopback --host, and the proxy with --json relaying a
 * Node `ws` client (https-proxy-agent, our CA trusted) to a wss:// echo server, every line
 * naming its session, stopped with Ctrl-C.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HttpsProxyAgent } from 'https-proxy-agent';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { testCa, trustedServer, writePems, type PemDir } from '../../support/certs';
import { envWithoutProxies, spawnCli, stopCliProcesses, waitForOutput, type CliProcess } from '../../support/cli-process';
import { startEchoServer, type EchoServer } from '../../support/echo-server';

let dataDir: string;
let pems: PemDir;
let echo: EchoServer;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tunnelscope-cli-intercept-'));
  pems = await writePems({ 'upstream-ca.pem': testCa().cert });
  const server = trustedServer();
  echo = await startEchoServer({ tls: { cert: server.cert, key: server.key, hostname: 'localhost' } });
});

afterEach(stopCliProcesses);

afterAll(async () => {
  await Promise.all([echo.close(), pems.cleanup()]);
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function env(): NodeJS.ProcessEnv {
  const clean = envWithoutProxies();
  // The key file, not the keyring: a test machine has no keyring session.
  return { ...clean, TUNNELSCOPE_SECRET_STORE: 'keyfile', NO_COLOR: '1' };
}

/** stdin left open: --break cases type their answers on it. */
function start(args: string[]): CliProcess {
  return spawnCli(args, { env: env(), stdin: 'open' });
}

function jsonLines(text: string): Record<string, unknown>[] {
  return text
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

// Each spawn of node + tsx takes seconds on a busy machine; a case spawns up to four.
describe('tunnelscope intercept', { timeout: 90_000 }, () => {
  it('ca-cert prints the CA (made on first use), --out writes a new file and refuses an existing one without --force', async () => {
    const printed = start(['intercept', 'ca-cert', '--data-dir', dataDir]);
    expect((await printed.done).code).toBe(0);
    expect(printed.stdout()).toMatch(/^-----BEGIN CERTIFICATE-----\n[\s\S]+-----END CERTIFICATE-----\n$/);
    expect(printed.stderr()).toMatch(/Made a new intercept CA in .*intercept-ca\.json/);
    expect(fs.statSync(path.join(dataDir, 'intercept-ca.json')).mode & 0o777).toBe(0o600);
    const out = path.join(dataDir, 'ca.pem');
    const written = start(['intercept', 'ca-cert', '--out', out, '--data-dir', dataDir]);
    expect((await written.done).code).toBe(0);
    expect(fs.readFileSync(out, 'utf8')).toBe(printed.stdout());
    const again = start(['intercept', 'ca-cert', '--out', out, '--data-dir', dataDir]);
    expect((await again.done).code).toBe(2);
    expect(again.stderr()).toMatch(/already exists .*\(add --force to replace it\)/);
    const forced = start(['intercept', 'ca-cert', '--out', out, '--force', '--data-dir', dataDir]);
    expect((await forced.done).code).toBe(0);
  });

  it('a non-loopback --host without --allow-remote-clients is a usage error', async () => {
    const run = start(['intercept', '--host', '0.0.0.0', '--data-dir', dataDir]);
    expect((await run.done).code).toBe(2);
    expect(run.stderr()).toMatch(/--host 0\.0\.0\.0 is not a loopback address.*--allow-remote-clients/);
  });

  it('--json: a ws client through the proxy to a wss:// server; session, frames both ways and closed, each with its session id; Ctrl-C stops it', async () => {
    const run = start(['intercept', '--json', '--port', '0', '--upstream', 'none', '--ca', pems.path('upstream-ca.pem'), '--data-dir', dataDir]);
    const listening = await waitForOutput(run, 'the listening line', () => jsonLines(run.stdout()).find((l) => l.type === 'listening'));
    const proxyUrl = String(listening.url);
    expect(proxyUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const caFile = (listening.ca as { file: string }).file;
    const caPem = (JSON.parse(fs.readFileSync(caFile, 'utf8')) as { certPem: string }).certPem;
    const client = new WebSocket(`${echo.url}/cli`, { agent: new HttpsProxyAgent(proxyUrl), ca: caPem });
    await new Promise<void>((resolve, reject) => {
      client.once('open', () => resolve());
      client.once('error', reject);
    });
    client.send('through the cli');
    const back = await new Promise<string>((resolve) => client.once('message', (data: Buffer) => resolve(data.toString())));
    expect(back).toBe('through the cli');
    client.close(1000);
    const closed = await waitForOutput(run, 'the closed line', () => jsonLines(run.stdout()).find((l) => l.type === 'closed'));
    run.child.kill('SIGINT');
    expect((await run.done).code).toBe(0);
    const lines = jsonLines(run.stdout());
    const session = lines.find((l) => l.type === 'session');
    expect(session).toMatchObject({ url: `wss://localhost:${echo.port}/cli`, upstream: 'none (direct)', client: expect.stringMatching(/^127\.0\.0\.1:\d+$/) });
    const id = session?.session;
    expect(typeof id).toBe('string');
    const frames = lines.filter((l) => l.type === 'frame' && l.opcode === 'text');
    expect(frames.map((l) => [l.session, l.dir, l.text])).toEqual([
      [id, 'out', 'through the cli'],
      [id, 'in', 'through the cli'],
    ]);
    expect(closed).toMatchObject({ session: id, code: 1000 });
    expect(lines.find((l) => l.type === 'resolve')).toMatchObject({ session: id, proxy: null });
  });

  it('--break: a held message is printed with its number; "forward <n> <text>" on stdin sends the edit, and what waited behind it follows in order', async () => {
    const run = start(['intercept', '--json', '--port', '0', '--upstream', 'none', '--ca', pems.path('upstream-ca.pem'), '--break', 'out:secret', '--data-dir', dataDir]);
    const listening = await waitForOutput(run, 'the listening line', () => jsonLines(run.stdout()).find((l) => l.type === 'listening'));
    const caPem = (JSON.parse(fs.readFileSync((listening.ca as { file: string }).file, 'utf8')) as { certPem: string }).certPem;
    const client = new WebSocket(`${echo.url}/held`, { agent: new HttpsProxyAgent(String(listening.url)), ca: caPem });
    const got: string[] = [];
    client.on('message', (data: Buffer) => got.push(data.toString()));
    await new Promise<void>((resolve, reject) => {
      client.once('open', () => resolve());
      client.once('error', reject);
    });
    client.send('first');
    client.send('the secret');
    client.send('after');
    const paused = await waitForOutput(run, 'the paused line', () => jsonLines(run.stdout()).find((l) => l.type === 'paused'));
    expect(paused).toMatchObject({ direction: 'out', kind: 'text', preview: 'the secret', session: expect.any(String) });
    await waitForOutput(run, 'the first echo', () => got.length === 1);
    expect(got).toEqual(['first']);
    run.child.stdin?.write(`forward ${String(paused.id)} the [edited] secret\n`);
    await waitForOutput(run, 'all three echoes', () => got.length === 3);
    expect(got).toEqual(['first', 'the [edited] secret', 'after']);
    expect(jsonLines(run.stdout()).find((l) => l.type === 'released')).toMatchObject({ id: paused.id, action: 'edited' });
    client.close(1000);
    await waitForOutput(run, 'the closed line', () => jsonLines(run.stdout()).find((l) => l.type === 'closed'));
    run.child.kill('SIGINT');
    expect((await run.done).code).toBe(0);
    // The frame lines say which message was edited, with what the client sent before the edit.
    const sent = jsonLines(run.stdout()).filter((l) => l.type === 'frame' && l.dir === 'out' && l.opcode === 'text');
    expect(sent.map((l) => [l.text, l.intercept])).toEqual([
      ['first', undefined],
      ['the [edited] secret', { action: 'edited', original: { text: 'the secret' } }],
      ['after', undefined],
    ]);
  });

  it('--break-json holds by JSONPath; stdin injects to the client and closes the server side with a chosen code, as the client sees it', async () => {
    const run = start(['intercept', '--json', '--port', '0', '--upstream', 'none', '--ca', pems.path('upstream-ca.pem'), '--break-json', 'out:$.password', '--data-dir', dataDir]);
    const listening = await waitForOutput(run, 'the listening line', () => jsonLines(run.stdout()).find((l) => l.type === 'listening'));
    const caPem = (JSON.parse(fs.readFileSync((listening.ca as { file: string }).file, 'utf8')) as { certPem: string }).certPem;
    const client = new WebSocket(`${echo.url}/inject`, { agent: new HttpsProxyAgent(String(listening.url)), ca: caPem });
    const got: string[] = [];
    client.on('message', (data: Buffer) => got.push(data.toString()));
    const closedWith = new Promise<number>((resolve) => client.once('close', (code: number) => resolve(code)));
    await new Promise<void>((resolve, reject) => {
      client.once('open', () => resolve());
      client.once('error', reject);
    });
    client.send('{"user":"ann","password":"hunter2"}');
    const paused = await waitForOutput(run, 'the paused line', () => jsonLines(run.stdout()).find((l) => l.type === 'paused'));
    run.child.stdin?.write(`drop ${String(paused.id)}\n`);
    run.child.stdin?.write(`inject ${String(paused.session).slice(0, 8)} in {"note":"from tunnelscope"}\n`);
    await waitForOutput(run, 'the injected message', () => got.length === 1);
    // The echo server never got the dropped login: only the injection reached the client.
    expect(got).toEqual(['{"note":"from tunnelscope"}']);
    run.child.stdin?.write(`close ${String(paused.session).slice(0, 8)} server 4003 rotated\n`);
    expect(await closedWith).toBe(4003);
    expect(jsonLines(run.stdout()).filter((l) => l.type === 'injected' || l.type === 'closed-side')).toMatchObject([
      { type: 'injected', session: paused.session, direction: 'in' },
      { type: 'closed-side', session: paused.session, side: 'server', code: 4003 },
    ]);
    const marked = jsonLines(run.stdout()).filter((l) => l.type === 'frame' && l.intercept !== undefined);
    expect(marked.map((l) => [l.dir, l.text, l.intercept])).toEqual([
      ['out', '{"user":"ann","password":"hunter2"}', { action: 'dropped' }],
      ['in', '{"note":"from tunnelscope"}', { action: 'injected' }],
    ]);
    run.child.kill('SIGINT');
    expect((await run.done).code).toBe(0);
  });
});
