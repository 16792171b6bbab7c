/**
 * What the intercepting proxy learns of and says about its clients, on real sockets:
 *  - the client's process from the real /proc (a child `node` process as the client);
 *  - permessage-deflate with a server that takes it: `keep` negotiates it on each side,
 *    `strip` takes it out of the offer; the log holds the messages uncompressed either way;
 *  - both handshakes on the `relaying` report (what the client asked, what went to the server,
 *    the two 101s), secrets redacted;
 *  - clients that refuse our certificate (Node: a close right after the handshake; Python's
 *    ssl: an `unknown ca` alert; a client that hangs up after our ServerHello) named with the
 *    way round it, and TLS failures that are not a refusal named as such.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import tls from 'node:tls';
import { fileURLToPath } from 'node:url';
import { HttpsProxyAgent } from 'https-proxy-agent';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { clientTlsLine } from '../../../src-main/core/intercept/client-tls-failure';
import { testCa } from '../../support/certs';
import { startEchoServer, type EchoServer } from '../../support/echo-server';
import { connectTunnel, makeInterceptCa, report, startIntercept, waitUntil, type InterceptCaDir, type RunningIntercept } from '../../support/intercept-fixture';
import type { UpstreamChoice } from '../../../src-main/core/intercept/upstream-options';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const PYTHON = '/usr/bin/python3';
const pythonMissing = fs.existsSync(PYTHON) && spawnSync(PYTHON, ['-c', 'import ssl'], { encoding: 'utf8' }).status === 0 ? undefined : `${PYTHON} with ssl not installed`;

let caDir: InterceptCaDir;
let plain: EchoServer;
let run: RunningIntercept | undefined;

async function start(choice: Partial<UpstreamChoice> = {}): Promise<RunningIntercept> {
  run = await startIntercept(caDir.ca, { proxy: { mode: 'none' }, deflate: 'strip', ...choice });
  return run;
}

beforeAll(async () => {
  caDir = await makeInterceptCa();
  plain = await startEchoServer();
});

afterAll(async () => {
  await plain.close();
  caDir.cleanup();
});

afterEach(async () => {
  const current = run;
  run = undefined;
  await current?.stop();
});

function opened(client: WebSocket): Promise<void> {
  return new Promise((resolve, reject) => {
    client.once('open', () => resolve());
    client.once('error', reject);
  });
}

function echo(client: WebSocket, text: string): Promise<string> {
  const back = new Promise<string>((resolve) => client.once('message', (data: Buffer) => resolve(data.toString())));
  client.send(text);
  return back;
}

async function closeClient(client: WebSocket): Promise<void> {
  const done = new Promise((resolve) => client.once('close', resolve));
  client.close(1000);
  await done;
}

/** A ws server that takes permessage-deflate, keeping each upgrade's headers; it echoes. */
async function deflateServer(): Promise<{ url: string; upgrades: http.IncomingHttpHeaders[]; close(): Promise<void> }> {
  const server = http.createServer();
  const wss = new WebSocketServer({ server, perMessageDeflate: { threshold: 0 } });
  const upgrades: http.IncomingHttpHeaders[] = [];
  wss.on('connection', (socket, request) => {
    upgrades.push(request.headers);
    socket.on('message', (data, isBinary) => socket.send(data, { binary: isBinary }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as net.AddressInfo;
  return {
    url: `ws://127.0.0.1:${address.port}`,
    upgrades,
    close: async () => {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => server.close(() => resolve())));
    },
  };
}

describe('the client\'s process', () => {
  it.skipIf(process.platform !== 'linux')('a child node process as the client: its pid and name are on session-created and the captured report', async () => {
    const proxy = await start();
    const script = `
      const WebSocket = require('ws');
      const { HttpsProxyAgent } = require('https-proxy-agent');
      const client = new WebSocket(process.argv[1], { agent: new HttpsProxyAgent(process.argv[2]) });
      client.on('open', () => client.send('from a child'));
      client.on('message', (data) => { console.log(String(data)); client.close(1000); });
      client.on('close', () => process.exit(0));
      client.on('error', (error) => { console.error(error.message); process.exit(3); });
    `;
    const child = spawn(process.execPath, ['-e', script, `${plain.url}/child`, proxy.url], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
    expect({ code, out: out.trim() }).toEqual({ code: 0, out: 'from a child' });
    const created = await waitUntil('session-created', () => proxy.events.find((e) => e.type === 'session-created'));
    const name = fs.readFileSync(`/proc/${process.pid}/comm`, 'utf8').trim() === 'node' ? 'node' : expect.any(String);
    expect(created.type === 'session-created' ? created.captured : undefined).toEqual({
      clientAddress: expect.stringMatching(/^127\.0\.0\.1:\d+$/),
      clientProcess: { pid: child.pid, name },
    });
    expect(await report(proxy, 'captured')).toMatchObject({ clientProcess: { pid: child.pid } });
  });

  it('a client in this process is found too; one whose port the OS does not list (a lookup that finds nothing) is left out, not guessed', async () => {
    const proxy = await start();
    const client = new WebSocket(`${plain.url}/self`, { agent: new HttpsProxyAgent(proxy.url) });
    await opened(client);
    await closeClient(client);
    const created = await waitUntil('session-created', () => proxy.events.find((e) => e.type === 'session-created'));
    const captured = created.type === 'session-created' ? created.captured : undefined;
    if (process.platform === 'linux') expect(captured?.clientProcess?.pid).toBe(process.pid);
    else expect(captured?.clientProcess).toBeUndefined();

    const blind = await startIntercept(caDir.ca, { proxy: { mode: 'none' }, deflate: 'strip' }, { clientProcesses: () => Promise.resolve(undefined) });
    try {
      const other = new WebSocket(`${plain.url}/blind`, { agent: new HttpsProxyAgent(blind.url) });
      await opened(other);
      await closeClient(other);
      const seen = await waitUntil('session-created', () => blind.events.find((e) => e.type === 'session-created'));
      expect(seen.type === 'session-created' ? seen.captured : undefined).toEqual({ clientAddress: expect.stringMatching(/^127\.0\.0\.1:/) });
    } finally {
      await blind.stop();
    }
  });
});

describe('permessage-deflate and both handshakes', () => {
  let server: Awaited<ReturnType<typeof deflateServer>>;
  beforeAll(async () => {
    server = await deflateServer();
  });
  afterAll(async () => {
    await server.close();
  });

  it('keep: the client and the server each agree to it with us; the log holds the messages uncompressed', async () => {
    const proxy = await start({ deflate: 'keep' });
    const client = new WebSocket(`${server.url}/keep`, { agent: new HttpsProxyAgent(proxy.url), perMessageDeflate: true, headers: { Authorization: 'Bearer secret-token-1' } });
    await opened(client);
    expect(client.extensions).toMatch(/permessage-deflate/);
    const text = 'compress me, please '.repeat(50);
    expect(await echo(client, text)).toBe(text);
    expect(server.upgrades.at(-1)?.['sec-websocket-extensions']).toMatch(/permessage-deflate/);
    const relaying = await report(proxy, 'relaying');
    expect(relaying.deflate.client).toMatch(/^permessage-deflate/);
    expect(relaying.deflate.server).toMatch(/^permessage-deflate/);
    await waitUntil('both messages logged', () => (proxy.events.filter((e) => e.type === 'frames').flatMap((e) => (e.type === 'frames' ? e.frames : [])).length >= 2 ? true : undefined));
    const page = await proxy.engine.call('frames:page', { sessionId: relaying.sessionId, fromSeq: 1, limit: 10 });
    if (!page.ok) throw new Error(page.error.message);
    expect(page.value.frames.slice(0, 2).map((f) => [f.dir, f.size, f.preview.slice(0, 20)])).toEqual([
      ['out', text.length, text.slice(0, 20)],
      ['in', text.length, text.slice(0, 20)],
    ]);

    // Both handshakes: what the client asked (its token redacted), the 101 it got from us; what went to the server and its 101.
    const { client: ours, server: theirs } = relaying.handshakes;
    expect(ours.request.startLine).toBe('GET /keep HTTP/1.1');
    expect(ours.request.headers).toContainEqual(['Authorization', 'Bearer ••••••']);
    expect(ours.request.headers.find(([n]) => n.toLowerCase() === 'sec-websocket-extensions')?.[1]).toMatch(/permessage-deflate/);
    expect(ours.response.startLine).toBe('HTTP/1.1 101 Switching Protocols');
    expect(ours.response.headers.find(([n]) => n === 'Sec-WebSocket-Extensions')?.[1]).toMatch(/permessage-deflate/);
    expect(theirs.request.startLine).toBe('GET /keep HTTP/1.1');
    expect(theirs.request.headers).toContainEqual(['Authorization', 'Bearer ••••••']);
    expect(theirs.response.startLine).toMatch(/^HTTP\/1\.1 101/);
    expect(JSON.stringify(relaying)).not.toContain('secret-token-1');
    await closeClient(client);
  });

  it('strip: the client\'s offer is taken out, the server is offered none; the messages cross the same', async () => {
    const proxy = await start({ deflate: 'strip' });
    const client = new WebSocket(`${server.url}/strip`, { agent: new HttpsProxyAgent(proxy.url), perMessageDeflate: true });
    await opened(client);
    expect(client.extensions).toBe('');
    expect(await echo(client, 'plain as it is')).toBe('plain as it is');
    expect(server.upgrades.at(-1)?.['sec-websocket-extensions']).toBeUndefined();
    const relaying = await report(proxy, 'relaying');
    expect(relaying.deflate).toEqual({ client: 'removed from the offer', server: 'not offered (removed)' });
    expect(relaying.handshakes.client.request.headers.find(([n]) => n.toLowerCase() === 'sec-websocket-extensions')?.[1]).toMatch(/permessage-deflate/);
    expect(relaying.handshakes.client.response.headers.some(([n]) => n.toLowerCase() === 'sec-websocket-extensions')).toBe(false);
    expect(relaying.handshakes.server.request.headers.some(([n]) => n.toLowerCase() === 'sec-websocket-extensions')).toBe(false);
    await closeClient(client);
  });
});

/** The bytes a Node TLS client sends first (its ClientHello for `servername`), caught by a server that answers nothing. */
async function clientHello(servername: string): Promise<Buffer> {
  const catcher = net.createServer();
  await new Promise<void>((resolve) => catcher.listen(0, '127.0.0.1', resolve));
  const port = (catcher.address() as net.AddressInfo).port;
  const first = new Promise<Buffer>((resolve) => catcher.once('connection', (socket) => socket.once('data', (chunk: Buffer) => {
    resolve(chunk);
    socket.destroy();
  })));
  const client = tls.connect({ port, host: '127.0.0.1', servername });
  client.on('error', () => undefined);
  const hello = await first;
  client.destroy();
  await new Promise<void>((resolve) => catcher.close(() => resolve()));
  return hello;
}

describe('clients that refuse our certificate, and TLS failures that are not a refusal', () => {
  it('a Node TLS client that trusts only another CA: named as a refusal, with its process and the passthrough command', async () => {
    const proxy = await start();
    const { status, socket } = await connectTunnel(proxy.port, 'localhost:443');
    expect(status).toBe(200);
    const secured = tls.connect({ socket, servername: 'localhost', ca: testCa().cert });
    const failure = await new Promise<Error>((resolve) => {
      secured.once('secureConnect', () => resolve(new Error('it connected')));
      secured.once('error', resolve);
    });
    expect(failure.message).toMatch(/self.signed|unable to (get|verify)|certificate/i);
    const refused = await report(proxy, 'client-tls');
    expect(refused).toMatchObject({ host: 'localhost', rejectedCertificate: true });
    expect(refused.evidence).toMatch(/^(a close right after the handshake|a close in the middle of the handshake|TLS alert)/);
    if (process.platform === 'linux') expect(refused.clientProcess?.pid).toBe(process.pid);
    const line = clientTlsLine(refused);
    expect(line).toMatch(/^the client at 127\.0\.0\.1:\d+ \(.+\) rejected Tunnelscope's certificate for localhost \(.+\) — it does not trust the CA or pins its server's certificate; /);
    expect(line).toContain('tunnelscope intercept passthrough add localhost (or --passthrough localhost for this run)');
    expect(proxy.events.some((e) => e.type === 'session-created')).toBe(false);
  });

  it.skipIf(pythonMissing !== undefined)('Python\'s ssl (OpenSSL) without our CA sends an "unknown ca" alert: named as a refusal by the alert', async () => {
    const proxy = await start();
    const script = `
import socket, ssl, sys
sock = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
sock.sendall(b"CONNECT pinned.example:443 HTTP/1.1\\r\\nHost: pinned.example:443\\r\\n\\r\\n")
answer = b""
while b"\\r\\n\\r\\n" not in answer:
    answer += sock.recv(1024)
context = ssl.create_default_context(cafile=sys.argv[2])
try:
    context.wrap_socket(sock, server_hostname="pinned.example")
    print("connected")
except ssl.SSLCertVerificationError as error:
    print("refused", error.verify_message)
`;
    // The system's temporary folder: a fresh clone has no node_modules/.cache.
    const caFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tunnelscope-py-ca-')), 'other-ca.pem');
    fs.writeFileSync(caFile, testCa().cert);
    try {
      // Not spawnSync: the proxy runs in this process and must answer meanwhile.
      const child = spawn(PYTHON, ['-c', script, String(proxy.port), caFile], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
      await new Promise((resolve) => child.once('close', resolve));
      expect(out.trim()).toMatch(/^refused /);
    } finally {
      fs.rmSync(path.dirname(caFile), { recursive: true, force: true });
    }
    const refused = await report(proxy, 'client-tls');
    expect(refused).toMatchObject({ host: 'pinned.example', rejectedCertificate: true, evidence: 'TLS alert "unknown ca"' });
  });

  it('a client that hangs up right after our ServerHello: named as a refusal in the middle of the handshake', async () => {
    const proxy = await start();
    const hello = await clientHello('hangup.example');
    const { socket } = await connectTunnel(proxy.port, 'hangup.example:443');
    socket.resume();
    const answered = new Promise<void>((resolve) => socket.once('data', () => resolve()));
    socket.write(hello);
    await answered;
    socket.destroy();
    const refused = await report(proxy, 'client-tls');
    expect(refused).toMatchObject({ host: 'hangup.example', rejectedCertificate: true, evidence: 'a close in the middle of the handshake, after our certificate' });
  });

  it('a connection that trusts us, stays unused and then closes (a browser\'s spare) is not named a refusal', async () => {
    // Each reading of this clock is 2.5 s after the last: the close comes "2.5 s" after the handshake.
    let clock = 0;
    const spare = await startIntercept(caDir.ca, { proxy: { mode: 'none' }, deflate: 'strip' }, { now: () => (clock += 2500) });
    try {
      const { socket } = await connectTunnel(spare.port, 'spare.example:443');
      const secured = tls.connect({ socket, servername: 'spare.example', ca: caDir.ca.certPem });
      await new Promise<void>((resolve, reject) => {
        secured.once('secureConnect', resolve);
        secured.once('error', reject);
      });
      // No request, then a close: the proxy reads the handshake's last message before this end (same stream).
      await new Promise<void>((resolve) => {
        secured.once('close', () => resolve());
        secured.end();
      });
      const second = await connectTunnel(spare.port, '127.0.0.1:1');
      second.socket.write(Buffer.from([0x16, 0x09, 0x09, 0x00, 0x05, 1, 2, 3, 4, 5]));
      // The next report is the garbage one: nothing came for the spare.
      const next = await report(spare, 'client-tls');
      expect(next.host).toBe('127.0.0.1');
      second.socket.destroy();
    } finally {
      await spare.stop();
    }
  });

  it('a handshake that is not TLS after its first byte, and a client that only speaks TLS 1.1: TLS failures, not a refusal of the certificate', async () => {
    const proxy = await start();
    const { socket } = await connectTunnel(proxy.port, 'garbage.example:443');
    socket.resume();
    socket.write(Buffer.from([0x16, 0x09, 0x09, 0x00, 0x05, 1, 2, 3, 4, 5]));
    const garbage = await report(proxy, 'client-tls');
    expect(garbage).toMatchObject({ host: 'garbage.example', rejectedCertificate: false });
    expect(garbage.reason).toMatch(/^the TLS handshake with the client for garbage\.example failed: /);
    expect(clientTlsLine(garbage)).not.toMatch(/passthrough/);
    socket.destroy();

    const old = await connectTunnel(proxy.port, 'old.example:443');
    const secured = tls.connect({ socket: old.socket, servername: 'old.example', maxVersion: 'TLSv1.1', minVersion: 'TLSv1', ciphers: 'DEFAULT:@SECLEVEL=0' });
    await new Promise<void>((resolve) => {
      secured.once('error', () => resolve());
      secured.once('secureConnect', () => resolve());
    });
    secured.destroy();
    const versioned = await waitUntil('the second client-tls report', () => proxy.reports.filter((r) => r.type === 'client-tls')[1]);
    expect(versioned).toMatchObject({ host: 'old.example', rejectedCertificate: false });
    expect(versioned.type === 'client-tls' ? versioned.reason : '').toMatch(/version|protocol/i);
  });
});
