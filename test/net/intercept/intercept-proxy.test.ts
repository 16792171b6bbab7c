/**
 * The intercepting proxy end to end on real sockets (127.0.0.1, port 0): a Node `ws` client
 * with an HTTPS_PROXY-style agent and the intercept CA trusted → the proxy → a local wss://
 * echo server (and the same through a real Squid as the upstream); plain ws:// both ways; an
 * upstream failure answered 502 with its text; a client that refuses our CA named.
 */
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Duplex } from 'node:stream';
import { HttpsProxyAgent } from 'https-proxy-agent';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { Engine } from '../../../src-main/core/engine';
import { loadOrCreateInterceptCa, type InterceptCa } from '../../../src-main/core/intercept/intercept-ca';
import type { InterceptEvent } from '../../../src-main/core/intercept/intercept-events';
import { InterceptBreakpoints } from '../../../src-main/core/intercept/breakpoints';
import type { UpstreamChoice } from '../../../src-main/core/intercept/upstream-options';
import { KeyFileCipher } from '../../../src-main/core/secrets/keyfile-cipher';
import { testCa, trustedServer, writePems, type PemDir } from '../../support/certs';
import { startEchoServer, type EchoServer } from '../../support/echo-server';
import { squidMissing, startSquid, type RunningSquid } from '../../support/squid';
import { freePort } from '../../support/proxy-process';
import { startIntercept, waitUntil, type RunningIntercept } from '../../support/intercept-fixture';

let dataDir: string;
let ca: InterceptCa;
let pems: PemDir;
let wss: EchoServer;
let plain: EchoServer;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tunnelscope-intercept-'));
  ca = await loadOrCreateInterceptCa({ dataDir, cipher: KeyFileCipher.open(dataDir) });
  const server = trustedServer();
  pems = await writePems({ 'upstream-ca.pem': testCa().cert });
  wss = await startEchoServer({ tls: { cert: server.cert, key: server.key, hostname: 'localhost' }, subprotocols: ['chat.v1'] });
  plain = await startEchoServer();
});

afterAll(async () => {
  await Promise.all([wss.close(), plain.close(), pems.cleanup()]);
  fs.rmSync(dataDir, { recursive: true, force: true });
});

let running: RunningIntercept | undefined;

async function startProxy(choice: Partial<UpstreamChoice> = {}, withBreakpoints?: (report: (event: InterceptEvent) => void) => InterceptBreakpoints): Promise<RunningIntercept> {
  // The breakpoints report into the run's own list, made by startIntercept.
  const breakpoints = withBreakpoints?.((event) => running?.reports.push(event));
  running = await startIntercept(
    ca,
    { proxy: { mode: 'none' }, tls: { caFiles: [pems.path('upstream-ca.pem')] }, deflate: 'strip', ...choice },
    breakpoints ? { breakpoints } : {},
  );
  return running;
}

afterEach(async () => {
  const run = running;
  running = undefined;
  // Nothing left running: the port is closed and every captured session has ended (stop checks).
  await run?.stop();
});

function opened(client: WebSocket): Promise<void> {
  return new Promise((resolve, reject) => {
    client.once('open', () => resolve());
    client.once('error', reject);
    client.once('unexpected-response', (_req, res) => reject(new Error(`unexpected ${res.statusCode}`)));
  });
}

function nextMessage(client: WebSocket): Promise<{ data: Buffer; isBinary: boolean }> {
  return new Promise((resolve) => client.once('message', (data: Buffer, isBinary: boolean) => resolve({ data, isBinary })));
}

function closed(client: WebSocket): Promise<number> {
  return new Promise((resolve) => client.once('close', (code: number) => resolve(code)));
}

/** Both directions of a captured session, as the engine stored them. */
async function capturedFrames(engine: Engine, sessionId: string): Promise<{ dir: string; opcode: string; preview: string }[]> {
  const page = await engine.call('frames:page', { sessionId, fromSeq: 1, limit: 100 });
  if (!page.ok) throw new Error(page.error.message);
  return page.value.frames.map((frame) => ({ dir: frame.dir, opcode: frame.opcode, preview: frame.preview }));
}

async function echoThrough(run: RunningIntercept, targetUrl: string, options: WebSocket.ClientOptions = {}): Promise<string> {
  const client = new WebSocket(targetUrl, ['chat.v1'], { agent: new HttpsProxyAgent(run.url), ca: ca.certPem, ...options });
  await opened(client);
  expect(client.protocol).toBe('chat.v1');
  client.send('hello from the client');
  expect((await nextMessage(client)).data.toString()).toBe('hello from the client');
  const bytes = randomBytes(300);
  client.send(bytes);
  const back = await nextMessage(client);
  expect(back.isBinary).toBe(true);
  expect(Buffer.compare(back.data, bytes)).toBe(0);
  const captured = run.reports.find((r) => r.type === 'captured');
  if (captured?.type !== 'captured') throw new Error('no session was captured');
  const sessionId = captured.sessionId;
  await waitUntil('the echo captured both ways', () => {
    const batches = run.events.filter((e) => e.type === 'frames' && e.sessionId === sessionId);
    return batches.reduce((n, e) => n + (e.type === 'frames' ? e.frames.length : 0), 0) >= 4 ? true : undefined;
  });
  const stored = await capturedFrames(run.engine, sessionId);
  expect(stored.slice(0, 4)).toEqual([
    { dir: 'out', opcode: 'text', preview: 'hello from the client' },
    { dir: 'in', opcode: 'text', preview: 'hello from the client' },
    expect.objectContaining({ dir: 'out', opcode: 'binary' }),
    expect.objectContaining({ dir: 'in', opcode: 'binary' }),
  ]);
  const ending = closed(client);
  client.close(1000, 'done');
  expect(await ending).toBe(1000);
  await waitUntil('the captured session closed', () => run.events.find((e) => e.type === 'closed' && e.sessionId === sessionId));
  return sessionId;
}

describe('the intercepting proxy', () => {
  it('wss:// through CONNECT: our leaf is trusted, messages cross both ways, both directions are captured, listed and exported', async () => {
    const run = await startProxy();
    const sessionId = await echoThrough(run, `${wss.url}/chat?room=1`);
    const created = run.events.find((e) => e.type === 'session-created' && e.sessionId === sessionId);
    expect(created).toMatchObject({ url: `wss://localhost:${wss.port}/chat?room=1`, captured: { clientAddress: expect.stringMatching(/^127\.0\.0\.1:\d+$/) } });
    // The server saw the client's own headers and subprotocol offer, not ours.
    const upgrade = wss.upgrades.at(-1);
    expect(upgrade?.['sec-websocket-protocol']).toBe('chat.v1');
    expect(upgrade?.['sec-websocket-extensions']).toBeUndefined();
    const relaying = run.reports.find((r) => r.type === 'relaying');
    expect(relaying).toMatchObject({ sessionId, protocol: 'chat.v1', deflate: { client: 'removed from the offer', server: 'not offered (removed)' } });
    const list = await run.engine.call('session:list', {});
    if (!list.ok) throw new Error(list.error.message);
    const info = list.value.find((s) => s.sessionId === sessionId);
    expect(info?.captured?.clientAddress).toMatch(/^127\.0\.0\.1:/);
    expect(info?.steps?.map((s) => s.leg)).toEqual(expect.arrayContaining(['tcp', 'tls', 'upgrade']));
    const exported = await run.engine.call('frames:export', { sessionId, format: 'ndjson' });
    if (!exported.ok) throw new Error(exported.error.message);
    expect(exported.value.text).toContain('hello from the client');
    const search = await run.engine.call('frames:search', { sessionId, filter: { text: 'hello', direction: 'in' } });
    if (!search.ok) throw new Error(search.error.message);
    expect(search.value.matches.map((m) => [m.dir, m.preview])).toEqual([['in', 'hello from the client']]);
  });

  it("the client's side of the handshake is on the session: session:list, the NDJSON header, HAR's _clientHandshake, and both imports read it back", async () => {
    const run = await startProxy();
    const sessionId = await echoThrough(run, `${wss.url}/chat?room=2`, { headers: { Authorization: 'Bearer client-secret' } });
    const list = await run.engine.call('session:list', {});
    if (!list.ok) throw new Error(list.error.message);
    const client = list.value.find((s) => s.sessionId === sessionId)?.clientHandshake;
    expect(client?.request.startLine).toBe('GET /chat?room=2 HTTP/1.1');
    expect(client?.request.headers).toEqual(expect.arrayContaining([['Sec-WebSocket-Protocol', 'chat.v1']]));
    expect(client?.response.startLine).toBe('HTTP/1.1 101 Switching Protocols');
    expect(client?.response.headers).toEqual(expect.arrayContaining([['Sec-WebSocket-Protocol', 'chat.v1']]));
    // The client's credential never reaches a log file.
    const authorization = client?.request.headers.find(([name]) => name.toLowerCase() === 'authorization');
    expect(authorization?.[1]).not.toContain('client-secret');
    // The same as the intercept report said.
    const relaying = run.reports.find((r) => r.type === 'relaying' && r.sessionId === sessionId);
    expect(relaying?.type === 'relaying' ? relaying.handshakes.client : undefined).toEqual(client);
    for (const format of ['ndjson', 'har'] as const) {
      const exported = await run.engine.call('frames:export', { sessionId, format });
      if (!exported.ok) throw new Error(exported.error.message);
      expect(exported.value.text).not.toContain('client-secret');
      if (format === 'ndjson') expect((JSON.parse(exported.value.text.split('\n')[0] ?? '') as { clientHandshake?: unknown }).clientHandshake).toEqual(client);
      else expect((JSON.parse(exported.value.text) as { log: { entries: { _clientHandshake?: unknown }[] } }).log.entries[0]?._clientHandshake).toEqual(client);
      const imported = await run.engine.call('frames:import', { text: exported.value.text, name: `captured.${format}` });
      if (!imported.ok) throw new Error(imported.error.message);
      expect(imported.value.notes).toEqual([]);
      const after = await run.engine.call('session:list', {});
      if (!after.ok) throw new Error(after.error.message);
      expect(after.value.find((s) => s.sessionId === imported.value.sessionId)?.clientHandshake).toEqual(client);
    }
  });

  it('permessage-deflate kept, per side: each side negotiates its own, and the log says so', async () => {
    const run = await startProxy({ deflate: 'keep' });
    const client = new WebSocket(`${wss.url}/z`, ['chat.v1'], { agent: new HttpsProxyAgent(run.url), ca: ca.certPem, perMessageDeflate: true });
    await opened(client);
    expect(client.extensions).toContain('permessage-deflate');
    client.send('squeeze me '.repeat(20));
    expect((await nextMessage(client)).data.toString()).toBe('squeeze me '.repeat(20));
    const relaying = await waitUntil('relaying', () => run.reports.find((r) => r.type === 'relaying'));
    // The echo server does not take permessage-deflate: offered upstream, not agreed; the client side has its own.
    expect(relaying).toMatchObject({ deflate: { client: expect.stringContaining('permessage-deflate'), server: 'offered, not agreed' } });
    expect(wss.upgrades.at(-1)?.['sec-websocket-extensions']).toContain('permessage-deflate');
    client.close();
    await closed(client);
  });

  it('plain ws:// through a CONNECT to a non-TLS port', async () => {
    const run = await startProxy();
    const client = new WebSocket(`${plain.url}/plain`, { agent: new HttpsProxyAgent(run.url) });
    await opened(client);
    client.send('plain hello');
    expect((await nextMessage(client)).data.toString()).toBe('plain hello');
    const captured = await waitUntil('captured', () => run.reports.find((r) => r.type === 'captured'));
    expect(captured).toMatchObject({ url: `ws://127.0.0.1:${plain.port}/plain` });
    client.close();
    await closed(client);
  });

  it('200 intercepted connections at once: each echoes its own message, each is its own captured session, all end', { timeout: 120_000 }, async () => {
    // Each upstream leg gets a minute: 200 openings at once on a busy 2-core machine can pass the
    // 10 s defaults (a 504, which this test is not about; deadlines have tests of their own).
    const run = await startProxy({ timeouts: { tlsMs: 60_000, upgradeMs: 60_000 } });
    const agent = new HttpsProxyAgent(run.url);
    const count = 200;
    const results = await Promise.all(
      Array.from({ length: count }, async (_, i) => {
        const client = new WebSocket(`${plain.url}/many/${i}`, { agent });
        await opened(client);
        const back = nextMessage(client);
        client.send(`message ${i}`);
        const echoed = (await back).data.toString();
        const ending = closed(client);
        client.close(1000);
        await ending;
        return echoed;
      }),
    );
    expect(results).toEqual(Array.from({ length: count }, (_, i) => `message ${i}`));
    const sessions = run.reports.filter((r) => r.type === 'captured');
    expect(sessions).toHaveLength(count);
    await waitUntil('every captured session closed', () =>
      run.events.filter((e) => e.type === 'closed').length === count ? true : undefined,
    );
    // Each session holds its own client's message, both ways.
    const sample = sessions[137];
    const sampleId = sample?.type === 'captured' ? sample.sessionId : '';
    const index = sample?.type === 'captured' ? sample.url.split('/').at(-1) : '';
    const frames = await capturedFrames(run.engine, sampleId);
    expect(frames.filter((f) => f.opcode === 'text')).toEqual([
      { dir: 'out', opcode: 'text', preview: `message ${index ?? ''}` },
      { dir: 'in', opcode: 'text', preview: `message ${index ?? ''}` },
    ]);
  });

  it('plain ws:// asked of the proxy in absolute form (GET ws://… with Upgrade)', async () => {
    const run = await startProxy();
    const { socket, status } = await absoluteUpgrade(run.url, `${plain.url}/absolute`);
    expect(status).toBe(101);
    socket.write(maskedTextFrame('absolute hello'));
    const echoed = await readFrame(socket);
    expect(echoed).toBe('absolute hello');
    const captured = await waitUntil('captured', () => run.reports.find((r) => r.type === 'captured'));
    expect(captured).toMatchObject({ url: `ws://127.0.0.1:${plain.port}/absolute` });
    socket.destroy();
    const sessionId = captured.type === 'captured' ? captured.sessionId : '';
    // The client vanished without a close frame: the upstream leg is closed for it (1001).
    await waitUntil('the session closed', () => run.events.find((e) => e.type === 'closed' && e.sessionId === sessionId));
    const frames = await capturedFrames(run.engine, sessionId);
    expect(frames).toContainEqual(expect.objectContaining({ dir: 'out', opcode: 'close' }));
  });

  it('a client that vanishes in the middle of a message: the upstream leg is closed for it (1001), the server hears so', async () => {
    const run = await startProxy();
    const { socket, status } = await absoluteUpgrade(run.url, `${plain.url}/vanish`);
    expect(status).toBe(101);
    const captured = await waitUntil('captured', () => run.reports.find((r) => r.type === 'captured'));
    const sessionId = captured.type === 'captured' ? captured.sessionId : '';
    // Half a frame: the header says 14 bytes, 3 come.
    socket.write(maskedTextFrame('half a message').subarray(0, 9));
    socket.destroy();
    const ending = await waitUntil('the session closed', () => run.events.find((e) => e.type === 'closed' && e.sessionId === sessionId));
    expect(ending).toMatchObject({ code: 1001, reason: 'the intercepted client went away', initiatedBy: 'client' });
    const frames = await capturedFrames(run.engine, sessionId);
    expect(frames.filter((f) => f.opcode === 'text')).toEqual([]);
  });

  it('plain HTTP passes through untouched, absolute-form and inside an intercepted TLS tunnel, each listed in one line', async () => {
    const https = await import('node:https');
    const server = trustedServer();
    const handler = (req: http.IncomingMessage, res: http.ServerResponse): void => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        res.writeHead(201, { 'Content-Type': 'text/plain', 'X-Seen': `${req.method ?? ''} ${req.url ?? ''} ${req.headers['x-client'] ?? ''}` });
        res.end(`got ${body}`);
      });
    };
    const plainHttp = http.createServer(handler);
    const tlsHttp = https.createServer({ cert: server.cert, key: server.key }, handler);
    await Promise.all([plainHttp, tlsHttp].map((s) => new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve))));
    const portOf = (s: http.Server): number => {
      const address = s.address();
      return typeof address === 'object' && address ? address.port : 0;
    };
    try {
      const run = await startProxy();
      const proxy = new URL(run.url);
      const plainAnswer = await new Promise<{ status: number; seen: string; body: string }>((resolve, reject) => {
        const request = http.request(
          { host: proxy.hostname, port: Number(proxy.port), method: 'POST', path: `http://127.0.0.1:${portOf(plainHttp)}/form?a=1`, headers: { 'X-Client': 'plain' } },
          (res) => {
            let body = '';
            res.on('data', (chunk: Buffer) => (body += chunk.toString()));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, seen: String(res.headers['x-seen']), body }));
          },
        );
        request.once('error', reject);
        request.end('hello');
      });
      expect(plainAnswer).toEqual({ status: 201, seen: 'POST /form?a=1 plain', body: 'got hello' });
      const tlsAnswer = await new Promise<{ status: number; seen: string; body: string }>((resolve, reject) => {
        const request = https.request(
          { host: 'localhost', port: portOf(tlsHttp), method: 'PUT', path: '/over-tls', agent: new HttpsProxyAgent(run.url), ca: ca.certPem, headers: { 'X-Client': 'tls' } },
          (res) => {
            let body = '';
            res.on('data', (chunk: Buffer) => (body += chunk.toString()));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, seen: String(res.headers['x-seen']), body }));
          },
        );
        request.once('error', reject);
        request.end('secure');
      });
      expect(tlsAnswer).toEqual({ status: 201, seen: 'PUT /over-tls tls', body: 'got secure' });
      const lines = run.reports.filter((r) => r.type === 'http');
      expect(lines).toEqual([
        expect.objectContaining({ method: 'POST', host: `127.0.0.1:${portOf(plainHttp)}`, path: '/form?a=1', status: 201, size: 9 }),
        expect.objectContaining({ method: 'PUT', host: `localhost:${portOf(tlsHttp)}`, path: '/over-tls', status: 201, size: 10 }),
      ]);
      expect(run.reports.some((r) => r.type === 'captured')).toBe(false);
    } finally {
      await Promise.all([plainHttp, tlsHttp].map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
    }
  });

  it('an upgrade request without a valid key is answered 400 before any server is reached', async () => {
    const run = await startProxy();
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const proxy = new URL(run.url);
      const request = http.request({
        host: proxy.hostname,
        port: Number(proxy.port),
        path: `${plain.url}/no-key`,
        headers: { Host: `127.0.0.1:${plain.port}`, Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': 'short' },
      });
      request.once('response', (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      request.once('upgrade', () => reject(new Error('upgraded')));
      request.once('error', reject);
      request.end();
    });
    expect(answer).toEqual({ status: 400, body: 'Tunnelscope cannot relay this WebSocket request: its Sec-WebSocket-Key is missing or not 16 bytes in base64.\n' });
    expect(run.reports.some((r) => r.type === 'captured')).toBe(false);
  });

  it('an upstream that cannot be reached: the client gets 502 with a text naming the failure', async () => {
    const run = await startProxy();
    const closedPort = await freePort();
    const client = new WebSocket(`ws://127.0.0.1:${closedPort}/nowhere`, { agent: new HttpsProxyAgent(run.url) });
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      client.once('open', () => reject(new Error('it opened')));
      client.once('unexpected-response', (_req, res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
    });
    expect(answer.status).toBe(502);
    expect(answer.body).toMatch(new RegExp(`could not open ws://127\\.0\\.0\\.1:${closedPort}/nowhere upstream \\(connect: CONNECTION_REFUSED\\): The server refused`));
    expect(run.reports).toContainEqual(expect.objectContaining({ type: 'refused', status: 502 }));
  });

  it('an upstream that does not answer the upgrade in time: the client gets 504 naming the deadline', async () => {
    // Takes the connection and never answers.
    const held = new Set<net.Socket>();
    const silent = net.createServer((socket) => {
      held.add(socket);
      socket.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const address = silent.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    try {
      const run = await startProxy({ timeouts: { upgradeMs: 300 } });
      const client = new WebSocket(`ws://127.0.0.1:${port}/silent`, { agent: new HttpsProxyAgent(run.url) });
      const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        client.once('open', () => reject(new Error('it opened')));
        client.once('unexpected-response', (_req, res) => {
          let body = '';
          res.on('data', (chunk: Buffer) => (body += chunk.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        });
      });
      expect(answer.status).toBe(504);
      expect(answer.body).toMatch(/upstream \(upgrade: [A-Z_]*TIMEOUT\)/);
    } finally {
      for (const socket of held) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it('a client that does not trust our CA: the refusal is detected and named, nothing is captured', async () => {
    const run = await startProxy();
    const client = new WebSocket(`${wss.url}/pinned`, { agent: new HttpsProxyAgent(run.url), ca: testCa().cert });
    const failure = await new Promise<Error>((resolve) => {
      client.once('open', () => resolve(new Error('it opened')));
      client.once('error', resolve);
    });
    expect(failure.message).toMatch(/self.signed|unable to verify|certificate/i);
    const report = await waitUntil('the client-tls report', () => run.reports.find((r) => r.type === 'client-tls'));
    expect(report).toMatchObject({ host: 'localhost', rejectedCertificate: true });
    expect(report.type === 'client-tls' ? report.reason : '').toMatch(/does not trust the Tunnelscope CA/);
    expect(run.reports.some((r) => r.type === 'captured')).toBe(false);
  });
});

const squidTitle = `the intercepting proxy with a real Squid as the upstream${squidMissing ? ` (skipped: ${squidMissing})` : ''}`;
describe.skipIf(squidMissing !== undefined)(squidTitle, () => {
  let squid: RunningSquid | undefined;
  let authSquid: RunningSquid | undefined;
  beforeAll(async () => {
    const started = await Promise.allSettled([startSquid({ connectPorts: 'any' }), startSquid({ connectPorts: 'any', auth: { username: 'tester', password: 'intercept-pass-9' } })]);
    squid = started[0].status === 'fulfilled' ? started[0].value : undefined;
    authSquid = started[1].status === 'fulfilled' ? started[1].value : undefined;
  });
  afterAll(async () => {
    await Promise.allSettled([squid?.stop(), authSquid?.stop()]);
  });

  it('an upstream Squid that wants a sign-in: without credentials the client gets 502 naming PROXY_AUTH_REQUIRED; with them (Basic) the echo goes through', async () => {
    if (!authSquid) throw new Error('squid with auth did not start');
    const refused = await startProxy({ proxy: { mode: 'manual', url: authSquid.url } });
    const client = new WebSocket(`${wss.url}/auth`, { agent: new HttpsProxyAgent(refused.url), ca: ca.certPem });
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      client.once('open', () => reject(new Error('it opened')));
      client.once('unexpected-response', (_req, res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
    });
    expect(answer.status).toBe(502);
    expect(answer.body).toMatch(/upstream \(tunnel: PROXY_AUTH_REQUIRED\)/);
    running = undefined;
    await refused.stop();
    const run = await startProxy({ proxy: { mode: 'manual', url: authSquid.url }, proxyAuth: { username: 'tester', password: 'intercept-pass-9' } });
    const sessionId = await echoThrough(run, `${wss.url}/auth-ok`);
    const exported = await run.engine.call('frames:export', { sessionId, format: 'ndjson' });
    expect(exported.ok && exported.value.text.includes('intercept-pass-9')).toBe(false);
  });

  it('wss:// echo: client → proxy → Squid → server, both directions captured, the decision names Squid', async () => {
    if (!squid) throw new Error('squid did not start');
    const run = await startProxy({ proxy: { mode: 'manual', url: squid.url } });
    const sessionId = await echoThrough(run, `${wss.url}/via-squid`);
    const decision = run.events.find((e) => e.type === 'proxy-decision' && e.sessionId === sessionId);
    expect(decision?.type === 'proxy-decision' ? decision.decision.candidates[0]?.url : undefined).toBe(squid.url);
    const proxyStep = run.events.find((e) => e.type === 'handshake' && e.sessionId === sessionId && e.step.leg === 'proxy');
    expect(proxyStep?.type === 'handshake' ? proxyStep.step.response?.startLine : undefined).toMatch(/^HTTP\/1\.[01] 200\b/);
  });
});

/** A raw absolute-form upgrade request to the proxy; resolves with the socket after the answer's head. */
function absoluteUpgrade(proxyUrl: string, target: string): Promise<{ socket: Duplex; status: number }> {
  return new Promise((resolve, reject) => {
    const proxy = new URL(proxyUrl);
    const request = http.request({
      host: proxy.hostname,
      port: Number(proxy.port),
      path: target,
      headers: {
        Host: new URL(target).host,
        Connection: 'Upgrade',
        Upgrade: 'websocket',
        'Sec-WebSocket-Version': '13',
        'Sec-WebSocket-Key': randomBytes(16).toString('base64'),
      },
    });
    request.once('upgrade', (res, socket) => resolve({ socket, status: res.statusCode ?? 0 }));
    request.once('response', (res) => reject(new Error(`answered ${res.statusCode}`)));
    request.once('error', reject);
    request.end();
  });
}

function maskedTextFrame(text: string): Buffer {
  const payload = Buffer.from(text);
  const mask = randomBytes(4);
  const masked = Buffer.from(payload.map((byte, i) => byte ^ (mask[i % 4] ?? 0)));
  return Buffer.concat([Buffer.from([0x81, 0x80 | payload.length]), mask, masked]);
}

/** The first unmasked short text frame from the server. */
function readFrame(socket: Duplex): Promise<string> {
  return new Promise((resolve) => {
    let buffer = Buffer.alloc(0);
    const onData = (chunk: Buffer): void => {
      buffer = Buffer.concat([buffer, chunk]);
      const length = (buffer[1] ?? 0) & 0x7f;
      if (buffer.length >= 2 + length) {
        socket.off('data', onData);
        resolve(buffer.subarray(2, 2 + length).toString());
      }
    };
    socket.on('data', onData);
  });
}

describe('breakpoints on intercepted messages', () => {
  /** A wss server that records what it received and answers only what it is told to. */
  async function recordingServer(): Promise<{ url: string; received: string[]; send(text: string): void; close(): Promise<void> }> {
    const { WebSocketServer } = await import('ws');
    const https = await import('node:https');
    const server = trustedServer();
    const httpsServer = https.createServer({ cert: server.cert, key: server.key });
    const wssServer = new WebSocketServer({ server: httpsServer });
    const received: string[] = [];
    let peer: WebSocket | undefined;
    wssServer.on('connection', (socket) => {
      peer = socket;
      socket.on('message', (data: Buffer) => received.push(data.toString()));
    });
    await new Promise<void>((resolve) => httpsServer.listen(0, '127.0.0.1', resolve));
    const address = httpsServer.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    return {
      url: `wss://localhost:${port}`,
      received,
      send: (text) => peer?.send(text),
      close: async () => {
        for (const client of wssServer.clients) client.terminate();
        await new Promise<void>((resolve) => wssServer.close(() => resolve()));
        await new Promise<void>((resolve) => httpsServer.close(() => resolve()));
      },
    };
  }

  it('client → server: a matching message is held with what follows it; edited, it reaches the server rewritten, then the rest in order', async () => {
    let breakpoints: InterceptBreakpoints | undefined;
    const run = await startProxy({}, (report) => {
      breakpoints = new InterceptBreakpoints(report);
      expect(breakpoints.setRules([{ direction: 'out', text: 'secret' }])).toEqual({ ok: true });
      return breakpoints;
    });
    const server = await recordingServer();
    try {
      const client = new WebSocket(`${server.url}/edit`, { agent: new HttpsProxyAgent(run.url), ca: ca.certPem });
      await opened(client);
      client.send('first');
      client.send('the secret is 42');
      client.send('after');
      await waitUntil('first at the server', () => (server.received.length === 1 ? true : undefined));
      const paused = await waitUntil('the paused report', () => run.reports.find((r) => r.type === 'paused'));
      expect(paused).toMatchObject({ direction: 'out', kind: 'text', preview: 'the secret is 42' });
      // Held: neither it nor what came after it has reached the server.
      expect(server.received).toEqual(['first']);
      expect(breakpoints?.list().map((m) => m.payload.toString())).toEqual(['the secret is 42']);
      const id = paused.type === 'paused' ? paused.id : -1;
      expect(breakpoints?.forward(id, Buffer.from('the secret is [edited]'))).toBe(true);
      await waitUntil('all three at the server', () => (server.received.length === 3 ? true : undefined));
      expect(server.received).toEqual(['first', 'the secret is [edited]', 'after']);
      // The log has what was sent to the server (the original's own record comes with a later slice).
      const sessionId = paused.type === 'paused' ? paused.sessionId : '';
      const stored = await capturedFrames(run.engine, sessionId);
      expect(stored.filter((f) => f.dir === 'out').map((f) => f.preview)).toEqual(['first', 'the secret is [edited]', 'after']);
      client.close();
      await closed(client);
    } finally {
      await server.close();
    }
  });

  it('server → client: a dropped message never reaches the client, the one behind it does; forward all releases the rest', async () => {
    let breakpoints: InterceptBreakpoints | undefined;
    const run = await startProxy({}, (report) => {
      breakpoints = new InterceptBreakpoints(report);
      breakpoints.setRules([{ direction: 'in', regex: '^drop' }]);
      return breakpoints;
    });
    const server = await recordingServer();
    try {
      const client = new WebSocket(`${server.url}/drop`, { agent: new HttpsProxyAgent(run.url), ca: ca.certPem });
      const got: string[] = [];
      client.on('message', (data: Buffer) => got.push(data.toString()));
      await opened(client);
      server.send('drop me');
      server.send('keep me');
      server.send('drop me too');
      server.send('last');
      const pausedIds = await waitUntil('two paused', () => {
        const ids = run.reports.flatMap((r) => (r.type === 'paused' ? [r.id] : []));
        // Each matching message is held as it arrives, even behind another held one.
        return ids.length === 2 ? ids : undefined;
      });
      expect(got).toEqual([]);
      expect(breakpoints?.drop(pausedIds[0] ?? -1)).toBe(true);
      // 'keep me' goes; 'drop me too' is held again, 'last' waits behind it.
      await waitUntil('keep me', () => (got.length === 1 ? true : undefined));
      expect(got).toEqual(['keep me']);
      expect(breakpoints?.list().map((m) => m.payload.toString())).toEqual(['drop me too']);
      expect(breakpoints?.forwardAll()).toBe(1);
      await waitUntil('the rest', () => (got.length === 3 ? true : undefined));
      expect(got).toEqual(['keep me', 'drop me too', 'last']);
      client.close();
      await closed(client);
    } finally {
      await server.close();
    }
  });

  it('a connection that ends while messages are held: each held one, and each behind it, is logged as dropped because the connection ended, in both exports', async () => {
    let breakpoints: InterceptBreakpoints | undefined;
    const run = await startProxy({}, (report) => {
      breakpoints = new InterceptBreakpoints(report);
      breakpoints.setRules([{ text: 'hold' }]);
      return breakpoints;
    });
    const server = await recordingServer();
    try {
      const client = new WebSocket(`${server.url}/ending`, { agent: new HttpsProxyAgent(run.url), ca: ca.certPem });
      const got: string[] = [];
      client.on('message', (data: Buffer) => got.push(data.toString()));
      await opened(client);
      client.send('hold this order');
      client.send('behind it');
      server.send('hold this answer');
      const paused = await waitUntil('both directions held', () => {
        const reports = run.reports.filter((r) => r.type === 'paused');
        return reports.length === 2 ? reports : undefined;
      });
      const sessionId = paused[0]?.type === 'paused' ? paused[0].sessionId : '';
      const ending = closed(client);
      client.close(1000, 'bye');
      await ending;
      await waitUntil('the captured session closed', () => run.events.find((e) => e.type === 'closed' && e.sessionId === sessionId));
      // None reached its side; nothing is left held for a connection that is gone.
      expect(server.received).toEqual([]);
      expect(got).toEqual([]);
      expect(breakpoints?.list(sessionId)).toEqual([]);
      const page = await run.engine.call('frames:page', { sessionId, fromSeq: 1, limit: 100 });
      if (!page.ok) throw new Error(page.error.message);
      const marked = page.value.frames.filter((f) => f.intercept !== undefined).map((f) => [f.dir, f.preview, f.intercept]);
      const why = { action: 'dropped', reason: 'connection-ended' };
      expect(marked).toEqual([
        ['out', 'hold this order', why],
        ['out', 'behind it', why],
        ['in', 'hold this answer', why],
      ]);
      const ndjson = await run.engine.call('frames:export', { sessionId, format: 'ndjson' });
      if (!ndjson.ok) throw new Error(ndjson.error.message);
      const lines = ndjson.value.text.split('\n').filter((l) => l.includes('"intercept"')).map((l) => JSON.parse(l) as { text?: string; intercept?: unknown });
      expect(lines.map((l) => [l.text, l.intercept])).toEqual([
        ['hold this order', why],
        ['behind it', why],
        ['hold this answer', why],
      ]);
      const har = await run.engine.call('frames:export', { sessionId, format: 'har' });
      if (!har.ok) throw new Error(har.error.message);
      expect(har.value.text.match(/"reason":"connection-ended"/g)?.length).toBe(3);
    } finally {
      await server.close();
    }
  });

  it('a regular expression that cannot run safely is refused, naming the rule', () => {
    const breakpoints = new InterceptBreakpoints();
    const result = breakpoints.setRules([{ text: 'ok' }, { regex: '(a)\\1' }]);
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.problem).toMatch(/^breakpoint 2: /);
  });
});
