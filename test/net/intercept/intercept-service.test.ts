/**
 * The intercepting proxy run by the engine for a host (`intercept-proxy:*` commands): started
 * and stopped by commands, its CA from the data folder, a Node `ws` client through it to a
 * local wss:// echo server (127.0.0.1, port 0), plain HTTP passed on, and the events a page
 * hears (`intercept-status`, `intercept-connection`, `intercept-http`). Bad arguments are
 * refused at the boundary naming the field.
 */
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { HttpsProxyAgent } from 'https-proxy-agent';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { Engine } from '../../../src-main/core/engine';
import type { HostEvent } from '../../../src-main/shared/events';
import { testCa, trustedServer, writePems, type PemDir } from '../../support/certs';
import { startEchoServer, type EchoServer } from '../../support/echo-server';
import { portRefuses, waitUntil } from '../../support/wait-until';


let pems: PemDir;
let wss: EchoServer;
let web: http.Server;
let webPort: number;
const dirs: string[] = [];
let engine: Engine | undefined;

beforeAll(async () => {
  const server = trustedServer();
  pems = await writePems({ 'upstream-ca.pem': testCa().cert });
  wss = await startEchoServer({ tls: { cert: server.cert, key: server.key, hostname: 'localhost' } });
  web = http.createServer((_request, response) => {
    response.writeHead(200, { 'Content-Type': 'text/plain' });
    response.end('plain body');
  });
  await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', resolve));
  const address = web.address();
  webPort = typeof address === 'object' && address !== null ? address.port : 0;
});

afterAll(async () => {
  await Promise.all([wss.close(), pems.cleanup(), new Promise<void>((resolve) => web.close(() => resolve()))]);
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

afterEach(async () => {
  await engine?.dispose();
  engine = undefined;
});

/** An engine as the web host makes it (a data folder, the key-file cipher), trusting the test CA as its OS store. */
function newEngine(withDataDir = true): { engine: Engine; events: HostEvent[] } {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tunnelscope-intercept-service-'));
  dirs.push(dataDir);
  const made = new Engine({
    host: 'web',
    version: 'test',
    env: { TUNNELSCOPE_SECRET_STORE: 'keyfile', TUNNELSCOPE_OS_CA_BUNDLE: pems.path('upstream-ca.pem') },
    ...(withDataDir ? { profiles: { dataDir } } : {}),
  });
  engine = made;
  const events: HostEvent[] = [];
  made.subscribe({ deliver: (event) => events.push(event), list: true });
  return { engine: made, events };
}

describe('the intercepting proxy run by the engine', () => {
  it('starts on a command, captures a wss:// echo as a session with both handshakes, passes plain HTTP on, and stops', async () => {
    const { engine, events } = newEngine();
    const started = await engine.call('intercept-proxy:start', { port: 0, upstream: { mode: 'none' } });
    if (!started.ok) throw new Error(started.error.message);
    const status = started.value;
    expect(status).toMatchObject({ running: true, remote: false, upstream: 'none (direct)', upstreamMode: 'none', deflate: 'strip' });
    expect(status.address?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(status.ca?.fingerprint256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    const proxyUrl = status.address?.url ?? '';
    expect(events.find((e) => e.type === 'intercept-status')).toMatchObject({ status: { running: true } });

    const cert = await engine.call('intercept-proxy:ca-cert', {});
    if (!cert.ok) throw new Error(cert.error.message);
    expect(cert.value.pem).toMatch(/^-----BEGIN CERTIFICATE-----/);
    expect(cert.value).toMatchObject({ fileName: 'tunnelscope-ca.pem', fingerprint256: status.ca?.fingerprint256 });

    const client = new WebSocket(`${wss.url}/chat`, { agent: new HttpsProxyAgent(proxyUrl), ca: cert.value.pem });
    await new Promise<void>((resolve, reject) => {
      client.once('open', () => resolve());
      client.once('error', reject);
    });
    const echoed = new Promise<string>((resolve) => client.once('message', (data: Buffer) => resolve(data.toString())));
    client.send('through the app');
    expect(await echoed).toBe('through the app');

    const relayed = await waitUntil('the captured connection with its client handshake', () =>
      events.find((e) => e.type === 'intercept-connection' && e.connection.clientHandshake !== undefined && e.connection.decision !== undefined),
    );
    if (relayed.type !== 'intercept-connection') throw new Error('not a connection event');
    const connection = relayed.connection;
    expect(connection).toMatchObject({ kind: 'captured', target: `wss://localhost:${wss.port}/chat`, clientAddress: expect.stringMatching(/^127\.0\.0\.1:\d+$/) });
    expect(connection.decision?.candidates[0]?.url).toBe('direct');
    expect(connection.clientHandshake?.request.startLine).toBe('GET /chat HTTP/1.1');
    expect(connection.clientHandshake?.response.startLine).toMatch(/^HTTP\/1\.1 101/);
    const sessionId = connection.sessionId ?? '';
    expect(events.find((e) => e.type === 'session-created' && e.sessionId === sessionId)).toMatchObject({ captured: { clientAddress: connection.clientAddress } });

    // Plain HTTP through the proxy (absolute form): passed on and listed.
    const body = await new Promise<string>((resolve, reject) => {
      const request = http.request({ host: '127.0.0.1', port: Number(new URL(proxyUrl).port), method: 'GET', path: `http://127.0.0.1:${webPort}/page?q=1` }, (response) => {
        let text = '';
        response.on('data', (chunk: Buffer) => (text += chunk.toString()));
        response.on('end', () => resolve(text));
      });
      request.once('error', reject);
      request.end();
    });
    expect(body).toBe('plain body');
    const exchange = await waitUntil('the HTTP exchange listed', () => events.find((e) => e.type === 'intercept-http'));
    expect(exchange).toMatchObject({ exchange: { method: 'GET', host: `127.0.0.1:${webPort}`, path: '/page?q=1', status: 200, size: 10 } });

    const snapshot = await engine.call('intercept-proxy:status', {});
    if (!snapshot.ok) throw new Error(snapshot.error.message);
    expect(snapshot.value.status.counts).toMatchObject({ captured: 1, open: 1, http: 1, refused: 0 });
    expect(snapshot.value.connections.map((c) => c.sessionId)).toEqual([sessionId]);
    expect(snapshot.value.exchanges).toHaveLength(1);

    const again = await engine.call('intercept-proxy:start', { port: 0 });
    expect(again).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: expect.stringContaining(proxyUrl) } });

    const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
    const stopped = await engine.call('intercept-proxy:stop', {});
    expect(stopped).toMatchObject({ ok: true, value: { running: false, counts: { captured: 1, open: 0 } } });
    await closed;
    expect(await portRefuses(Number(new URL(proxyUrl).port))).toBe(true);
    // The captured session stays to read.
    const page = await engine.call('frames:page', { sessionId, fromSeq: 1, limit: 10 });
    expect(page.ok && page.value.frames.slice(0, 2).map((f) => [f.dir, f.preview])).toEqual([
      ['out', 'through the app'],
      ['in', 'through the app'],
    ]);
    expect(await engine.call('intercept-proxy:stop', {})).toMatchObject({ ok: true, value: { running: false } });
    // Once its session is removed, its row stays with nothing to open.
    expect(await engine.call('session:dispose', { sessionId })).toMatchObject({ ok: true });
    const after = await engine.call('intercept-proxy:status', {});
    expect(after.ok && after.value.connections).toEqual([expect.objectContaining({ id: sessionId, kind: 'captured', detail: 'its session was closed and removed' })]);
    expect(after.ok && after.value.connections[0]?.sessionId).toBeUndefined();
  });

  it('a host added to the passthrough list is tunnelled untouched from the next CONNECT, by the running proxy; a bad pattern names the field', async () => {
    const { engine, events } = newEngine();
    const started = await engine.call('intercept-proxy:start', { port: 0, upstream: { mode: 'none' } });
    if (!started.ok) throw new Error(started.error.message);
    expect(started.value.passthrough).toEqual([]);
    const added = await engine.call('intercept-proxy:passthrough-add', { host: 'localhost' });
    expect(added).toEqual({ ok: true, value: { added: true, pattern: 'localhost', hosts: ['localhost'], list: 'global' } });
    expect(await engine.call('intercept-proxy:passthrough-add', { host: 'LOCALHOST' })).toMatchObject({ ok: true, value: { added: false, hosts: ['localhost'] } });
    expect(await engine.call('intercept-proxy:passthrough-add', { host: 'a b' })).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT', path: 'host' } });
    const status = await engine.call('intercept-proxy:status', {});
    expect(status.ok && status.value.status.passthrough).toEqual(['localhost']);

    // Untouched: the client sees the server's own certificate (it trusts the server's CA here), nothing is captured.
    const client = new WebSocket(`${wss.url}/through`, { agent: new HttpsProxyAgent(started.value.address?.url ?? ''), ca: testCa().cert });
    await new Promise<void>((resolve, reject) => {
      client.once('open', () => resolve());
      client.once('error', reject);
    });
    client.close();
    const passed = await waitUntil('the tunnel listed as passed through', () => events.find((e) => e.type === 'intercept-connection' && e.connection.kind === 'passthrough'));
    expect(passed).toMatchObject({ connection: { target: `localhost:${wss.port}`, passthroughList: { list: 'global' }, detail: expect.stringContaining('on the global passthrough list (localhost)') } });
    expect(events.some((e) => e.type === 'session-created')).toBe(false);
  });

  it('the servers are checked against the trust chosen: CA files only trusts the file given; none given refuses the client 502; a file that cannot be read is refused at start', async () => {
    const { engine, events } = newEngine();
    const missing = await engine.call('intercept-proxy:start', { port: 0, upstream: { mode: 'none' }, serverTrust: { trust: 'ca-files', caFiles: ['/nonexistent/ca.pem'] } });
    expect(missing).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT', path: 'serverTrust.caFiles.0', message: expect.stringContaining('/nonexistent/ca.pem cannot be read') } });

    const started = await engine.call('intercept-proxy:start', { port: 0, upstream: { mode: 'none' }, serverTrust: { trust: 'ca-files', caFiles: [pems.path('upstream-ca.pem')] } });
    if (!started.ok) throw new Error(started.error.message);
    expect(started.value.serverTrust).toEqual({ trust: 'ca-files', caFiles: [pems.path('upstream-ca.pem')] });
    const cert = await engine.call('intercept-proxy:ca-cert', {});
    if (!cert.ok) throw new Error(cert.error.message);
    const agent = new HttpsProxyAgent(started.value.address?.url ?? '');
    const trusted = new WebSocket(`${wss.url}/trusted`, { agent, ca: cert.value.pem });
    await new Promise<void>((resolve, reject) => {
      trusted.once('open', () => resolve());
      trusted.once('error', reject);
    });
    trusted.close();
    await engine.call('intercept-proxy:stop', {});

    const bare = await engine.call('intercept-proxy:start', { port: 0, upstream: { mode: 'none' }, serverTrust: { trust: 'ca-files' } });
    if (!bare.ok) throw new Error(bare.error.message);
    const refused = new WebSocket(`${wss.url}/untrusted`, { agent: new HttpsProxyAgent(bare.value.address?.url ?? ''), ca: cert.value.pem });
    const status = await new Promise<number>((resolve) => refused.once('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0)));
    expect(status).toBe(502);
    const row = await waitUntil('the refusal listed', () => events.find((e) => e.type === 'intercept-connection' && e.connection.kind === 'refused'));
    expect(row).toMatchObject({ connection: { status: 502, target: `wss://localhost:${wss.port}/untrusted`, detail: expect.stringContaining('tls') } });
  });

  it('a port in use is a CONFLICT naming the port', async () => {
    const { engine } = newEngine();
    const holder = net.createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const address = holder.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    try {
      const result = await engine.call('intercept-proxy:start', { port });
      expect(result).toMatchObject({ ok: false, error: { code: 'CONFLICT', path: 'port', message: expect.stringContaining('is in use') } });
      expect(await engine.call('intercept-proxy:status', {})).toMatchObject({ ok: true, value: { status: { running: false } } });
    } finally {
      await new Promise<void>((resolve) => holder.close(() => resolve()));
    }
  });

  it('refuses bad arguments at the boundary, naming the field', async () => {
    const { engine } = newEngine();
    expect(await engine.invoke('intercept-proxy:start', { host: '0.0.0.0' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_ARGUMENT', path: 'host', message: expect.stringContaining('is not a loopback address') },
    });
    expect(await engine.invoke('intercept-proxy:start', { port: 70000 })).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT', path: 'port' } });
    expect(await engine.invoke('intercept-proxy:start', { host: 'a b' })).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT', path: 'host' } });
    expect(await engine.invoke('intercept-proxy:start', { upstream: { mode: 'manual', url: 'ftp://proxy:21' } })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_ARGUMENT', path: 'upstream.url' },
    });
    expect(await engine.invoke('intercept-proxy:start', { upstream: { mode: 'pac' } })).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT', path: 'upstream.mode' } });
    expect(await engine.invoke('intercept-proxy:start', { port: 0, sneaky: true })).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
    expect(await engine.invoke('intercept-proxy:stop', { now: true })).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
    // Nothing was started by any of them.
    expect(await engine.call('intercept-proxy:status', {})).toMatchObject({ ok: true, value: { status: { running: false } } });
  });

  it('listens beyond loopback only when told to, and then says so', async () => {
    const { engine } = newEngine();
    const started = await engine.call('intercept-proxy:start', { host: '0.0.0.0', port: 0, allowRemote: true });
    expect(started).toMatchObject({ ok: true, value: { running: true, remote: true, warning: expect.stringContaining('not loopback') } });
  });

  it('a host without a data folder has no CA: FORBIDDEN; only the desktop app saves the certificate itself', async () => {
    const { engine } = newEngine(false);
    expect(await engine.call('intercept-proxy:start', { port: 0 })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', message: expect.stringContaining('no data folder') } });
    expect(await engine.call('intercept-proxy:ca-cert', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await engine.call('intercept-proxy:ca-save', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', message: expect.stringContaining('download it') } });
  });
});
