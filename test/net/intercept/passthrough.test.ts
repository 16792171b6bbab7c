/**
 * The passthrough list on real sockets: a CONNECT to a listed host is tunnelled untouched (the
 * client's TLS reaches the real server's certificate, nothing is captured), a host not on it is
 * intercepted as before, and a listed host that cannot be reached is answered 502 naming why.
 */
import net from 'node:net';
import tls from 'node:tls';
import { X509Certificate } from 'node:crypto';
import { HttpsProxyAgent } from 'https-proxy-agent';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { PassthroughList, parsePassthroughPattern } from '../../../src-main/core/intercept/passthrough-hosts';
import { testCa, trustedServer } from '../../support/certs';
import { startEchoServer, type EchoServer } from '../../support/echo-server';
import { squidMissing, startSquid, type RunningSquid } from '../../support/squid';
import { connectTunnel, makeInterceptCa, report, startIntercept, waitUntil, type InterceptCaDir, type RunningIntercept } from '../../support/intercept-fixture';

let caDir: InterceptCaDir;
let wss: EchoServer;
let run: RunningIntercept | undefined;

/** A port nothing listens on (taken, then given back). */
function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

function list(...patterns: string[]): PassthroughList {
  return new PassthroughList(
    patterns.map((text) => {
      const parsed = parsePassthroughPattern(text);
      if (!parsed.ok) throw new Error(parsed.problem);
      return parsed.pattern;
    }),
  );
}

async function start(patterns: string[]): Promise<RunningIntercept> {
  run = await startIntercept(caDir.ca, { proxy: { mode: 'none' }, deflate: 'strip' }, { passthroughHosts: list(...patterns) });
  return run;
}

beforeAll(async () => {
  caDir = await makeInterceptCa();
  const server = trustedServer();
  wss = await startEchoServer({ tls: { cert: server.cert, key: server.key, hostname: 'localhost' } });
});

afterAll(async () => {
  await wss.close();
  caDir.cleanup();
});

afterEach(async () => {
  const current = run;
  run = undefined;
  await current?.stop();
});

describe('the passthrough list', () => {
  it('a listed host: the client\'s TLS reaches the real server\'s certificate, its WebSocket works, nothing is captured', async () => {
    const proxy = await start(['localhost']);
    const { status, socket } = await connectTunnel(proxy.port, `localhost:${wss.port}`);
    expect(status).toBe(200);
    // The client trusts only the real server's CA: our leaf would be refused.
    const secured = tls.connect({ socket, servername: 'localhost', ca: testCa().cert, ALPNProtocols: ['http/1.1'] });
    await new Promise<void>((resolve, reject) => {
      secured.once('secureConnect', resolve);
      secured.once('error', reject);
    });
    const seen = secured.getPeerX509Certificate();
    expect(seen?.fingerprint256).toBe(new X509Certificate(trustedServer().cert).fingerprint256);
    expect(seen?.issuer).toMatch(/Tunnelscope Test CA/);
    secured.destroy();

    const client = new WebSocket(`${wss.url}/untouched`, { agent: new HttpsProxyAgent(proxy.url), ca: testCa().cert });
    await new Promise<void>((resolve, reject) => {
      client.once('open', resolve);
      client.once('error', reject);
    });
    const echoed = new Promise<string>((resolve) => client.once('message', (data: Buffer) => resolve(data.toString())));
    client.send('not decrypted');
    expect(await echoed).toBe('not decrypted');
    client.close();
    await new Promise((resolve) => client.once('close', resolve));
    // Two tunnels ended: the raw TLS probe's and the WebSocket's, which carried bytes both ways.
    await waitUntil('both tunnels reported', () => (proxy.reports.filter((r) => r.type === 'passthrough').length === 2 ? true : undefined));
    const ended = proxy.reports.filter((r) => r.type === 'passthrough')[1];
    if (ended?.type !== 'passthrough') throw new Error('no second passthrough report');
    expect(ended).toMatchObject({ host: 'localhost', port: wss.port, pattern: 'localhost', status: 200 });
    expect(ended.sent).toBeGreaterThan(0);
    expect(ended.received).toBeGreaterThan(0);
    expect(ended.clientAddress).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(proxy.events.some((e) => e.type === 'session-created')).toBe(false);
    expect(proxy.reports.some((r) => r.type === 'captured' || r.type === 'client-tls')).toBe(false);
  });

  it('a host the list does not match (*.localhost is not localhost) is intercepted: a client that trusts only the real CA refuses our leaf', async () => {
    const proxy = await start(['*.localhost', '10.9.9.9']);
    const client = new WebSocket(`${wss.url}/intercepted`, { agent: new HttpsProxyAgent(proxy.url), ca: testCa().cert });
    const failure = await new Promise<Error>((resolve) => {
      client.once('open', () => resolve(new Error('it opened')));
      client.once('error', resolve);
    });
    expect(failure.message).toMatch(/certificate|self.signed|verify/i);
    const refused = await report(proxy, 'client-tls');
    expect(refused).toMatchObject({ host: 'localhost', rejectedCertificate: true });
    expect(proxy.reports.some((r) => r.type === 'passthrough')).toBe(false);
  });

  it('the way out is the sessions\' own (RouteConnection): a PAC whose first proxy cannot be reached falls back to DIRECT', async () => {
    const deadPort = await freePort();
    run = await startIntercept(
      caDir.ca,
      { proxy: { mode: 'pac', source: { kind: 'script', script: `function FindProxyForURL(url, host) { return "PROXY 127.0.0.1:${deadPort}; DIRECT"; }` } }, deflate: 'strip' },
      { passthroughHosts: list('localhost') },
    );
    const client = new WebSocket(`${wss.url}/fallback`, { agent: new HttpsProxyAgent(run.url), ca: testCa().cert });
    await new Promise<void>((resolve, reject) => {
      client.once('open', resolve);
      client.once('error', reject);
    });
    client.close();
    await new Promise((resolve) => client.once('close', resolve));
    expect(await report(run, 'passthrough')).toMatchObject({ host: 'localhost', status: 200 });
  });

  it('a client that leaves while its tunnel\'s way out is still being opened: the attempt is given up at once (the proxy it was waiting on sees the connection close)', async () => {
    // An upstream proxy that takes the connection and never answers the CONNECT.
    const silent = net.createServer();
    const accepted = new Promise<net.Socket>((resolve) => silent.once('connection', resolve));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const silentPort = (silent.address() as net.AddressInfo).port;
    try {
      // The proxy's answer may take 10 minutes: only the client leaving can end the wait within this test.
      run = await startIntercept(
        caDir.ca,
        { proxy: { mode: 'manual', url: `http://127.0.0.1:${silentPort}` }, timeouts: { proxyAnswerMs: 600_000 }, deflate: 'strip' },
        { passthroughHosts: list('localhost') },
      );
      const client = net.connect(run.port, '127.0.0.1', () => client.write(`CONNECT localhost:${wss.port} HTTP/1.1\r\nHost: localhost:${wss.port}\r\n\r\n`));
      const upstream = await accepted;
      const upstreamClosed = new Promise<void>((resolve) => upstream.once('close', () => resolve()));
      upstream.on('error', () => undefined);
      upstream.resume();
      client.destroy();
      await upstreamClosed;
      expect(run.reports.filter((r) => r.type === 'passthrough')).toEqual([]);
    } finally {
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it('plain HTTP relayed untouched: a client that leaves before its answer gives up the way out being opened for it, and the http line says so', async () => {
    const silent = net.createServer();
    const accepted = new Promise<net.Socket>((resolve) => silent.once('connection', resolve));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const silentPort = (silent.address() as net.AddressInfo).port;
    try {
      run = await startIntercept(caDir.ca, { proxy: { mode: 'manual', url: `http://127.0.0.1:${silentPort}` }, timeouts: { proxyAnswerMs: 600_000 }, deflate: 'strip' });
      const client = net.connect(run.port, '127.0.0.1', () => client.write('GET http://plain.example/page HTTP/1.1\r\nHost: plain.example\r\n\r\n'));
      const upstream = await accepted;
      const upstreamClosed = new Promise<void>((resolve) => upstream.once('close', () => resolve()));
      upstream.on('error', () => undefined);
      upstream.resume();
      client.destroy();
      await upstreamClosed;
      expect(await report(run, 'http')).toMatchObject({ method: 'GET', host: 'plain.example:80', path: '/page', status: null, error: 'the client went away' });
    } finally {
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it('a listed host that cannot be reached: the client is answered 502 naming the failure, the report says so', async () => {
    const proxy = await start(['127.0.0.1']);
    const closedPort = await freePort();
    const { status, socket, rest } = await connectTunnel(proxy.port, `127.0.0.1:${closedPort}`);
    socket.resume();
    const body = await new Promise<string>((resolve) => {
      let text = rest.toString();
      socket.on('data', (chunk: Buffer) => (text += chunk.toString()));
      socket.once('close', () => resolve(text));
    });
    expect(status).toBe(502);
    expect(body).toMatch(/could not reach 127\.0\.0\.1:\d+ for a passthrough tunnel \(connect: [A-Z_]+\)/);
    const ended = await report(proxy, 'passthrough');
    expect(ended).toMatchObject({ status: 502, pattern: '127.0.0.1', sent: 0, received: 0 });
    expect(ended.error).toMatch(/^[A-Z_]+$/);
  });
});

const squidTitle = `the passthrough list with a Squid that wants a sign-in as the upstream${squidMissing ? ` (skipped: ${squidMissing})` : ''}`;
describe.skipIf(squidMissing !== undefined)(squidTitle, () => {
  let squid: RunningSquid | undefined;
  beforeAll(async () => {
    squid = await startSquid({ connectPorts: 'any', auth: { username: 'tester', password: 'passthrough-pass-4' } });
  });
  afterAll(async () => {
    await squid?.stop();
  });

  it('without credentials the client is answered 502 naming PROXY_AUTH_REQUIRED; with them the tunnel reaches the real server', async () => {
    if (!squid) throw new Error('squid did not start');
    run = await startIntercept(caDir.ca, { proxy: { mode: 'manual', url: squid.url }, deflate: 'strip' }, { passthroughHosts: list('localhost') });
    const refused = await connectTunnel(run.port, `localhost:${wss.port}`);
    refused.socket.resume();
    const body = await new Promise<string>((resolve) => {
      let text = refused.rest.toString();
      refused.socket.on('data', (chunk: Buffer) => (text += chunk.toString()));
      refused.socket.once('close', () => resolve(text));
    });
    expect(refused.status).toBe(502);
    expect(body).toMatch(/for a passthrough tunnel \(tunnel: PROXY_AUTH_REQUIRED\)/);
    expect(await report(run, 'passthrough')).toMatchObject({ status: 502, error: 'PROXY_AUTH_REQUIRED' });
    await run.stop();

    run = await startIntercept(
      caDir.ca,
      { proxy: { mode: 'manual', url: squid.url }, proxyAuth: { username: 'tester', password: 'passthrough-pass-4' }, deflate: 'strip' },
      { passthroughHosts: list('localhost') },
    );
    const { status, socket } = await connectTunnel(run.port, `localhost:${wss.port}`);
    expect(status).toBe(200);
    const secured = tls.connect({ socket, servername: 'localhost', ca: testCa().cert });
    await new Promise<void>((resolve, reject) => {
      secured.once('secureConnect', resolve);
      secured.once('error', reject);
    });
    expect(secured.getPeerX509Certificate()?.fingerprint256).toBe(new X509Certificate(trustedServer().cert).fingerprint256);
    secured.destroy();
    const ended = await report(run, 'passthrough');
    expect(ended).toMatchObject({ status: 200 });
    expect(JSON.stringify(run.reports)).not.toContain('passthrough-pass-4');
  });
});
