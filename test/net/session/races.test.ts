import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { NetFailure } from '../../../src-main/core/errors/net-failure';
import { tcpConnect, type TcpConnectRequest } from '../../../src-main/core/net/tcp-connect';
import { parseProxyUrl } from '../../../src-main/core/proxy/parse-proxy-url';
import { routeToCandidate, type Route } from '../../../src-main/core/proxy/proxy-endpoint';
import type { ResolvedRoutes } from '../../../src-main/core/proxy/resolve';
import { openTunnel, type TunnelRequest } from '../../../src-main/core/proxy/tunnel';
import type { SessionDeps } from '../../../src-main/core/session/ws-session';
import { closedPort, startFakeProxy, type FakeProxy } from '../../support/fake-proxy';
import {
  closeFrame,
  readClientFrames,
  startRawServer,
  switchingProtocols,
  type ClientFrame,
  type RawServer,
} from '../../support/raw-ws-server';
import { startSession, type Harness } from '../../support/session-harness';

let server: RawServer | undefined;
let proxy: FakeProxy | undefined;
let harness: Harness | undefined;
const extraSockets: net.Socket[] = [];
const servers: net.Server[] = [];
let silentSockets: Set<net.Socket> = new Set();

afterEach(async () => {
  await harness?.session.dispose();
  harness = undefined;
  for (const socket of extraSockets.splice(0)) socket.destroy();
  await server?.close();
  server = undefined;
  await proxy?.close();
  proxy = undefined;
  for (const socket of silentSockets) socket.destroy();
  for (const s of servers.splice(0)) await new Promise<void>((resolve) => s.close(() => resolve()));
});

function decided(routes: Route[]): ResolvedRoutes {
  return { decision: { source: 'pac', candidates: routes.map(routeToCandidate), reason: 'PAC returned a list' }, routes };
}

/** Resolves when nothing is connected to `server` any more. */
async function allClientsGone(raw: RawServer): Promise<void> {
  await expect.poll(() => raw.sockets.size, { timeout: 1000 }).toBe(0);
}

function expectClosedByClient(h: Harness): void {
  expect(h.of('error')).toEqual([]);
  expect(h.of('closed')).toHaveLength(1);
  expect(h.of('closed')[0]).toMatchObject({ code: null, wasClean: false, initiatedBy: 'client' });
  expect(h.session.state).toBe('closed');
}

/** An event count that must not change any more (late events are ignored). */
async function settle(ms = 100): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms));
}

describe('session races', () => {
  it('close while resolving the proxy ends in closed, with no error', async () => {
    let resolverSettled = false;
    harness = startSession(
      { url: 'ws://127.0.0.1:9/' },
      {
        deps: {
          resolveProxy: () =>
            new Promise<ResolvedRoutes>((resolve) =>
              setTimeout(() => {
                resolverSettled = true;
                resolve(decided([{ kind: 'direct' }]));
              }, 100),
            ),
        },
      },
    );
    expect(harness.session.state).toBe('resolving-proxy');
    await harness.session.close();
    expectClosedByClient(harness);
    await expect.poll(() => resolverSettled).toBe(true);
    await settle();
    expect(harness.states()).toEqual(['resolving-proxy', 'closed']);
    expect(harness.of('proxy-decision')).toEqual([]);
  });

  it('close while connecting aborts the connect, and a socket that connects late is destroyed', async () => {
    server = await startRawServer(() => undefined);
    const port = server.port;
    let lateSocket: net.Socket | undefined;
    const tcp: SessionDeps['tcpConnect'] = (request: TcpConnectRequest) =>
      new Promise<net.Socket>((resolve) => {
        // A connect that completes just after the user closed: its step and socket come late.
        request.signal?.addEventListener('abort', () => {
          const socket = net.connect({ host: '127.0.0.1', port });
          lateSocket = socket;
          extraSockets.push(socket);
          socket.once('connect', () => {
            request.onStep?.({ leg: 'tcp', startedAt: Date.now(), ms: 1, ok: true });
            resolve(socket);
          });
        });
      });
    harness = startSession({ url: server.url }, { deps: { tcpConnect: tcp } });
    await expect.poll(() => harness?.session.state).toBe('connecting');
    const closing = harness.session.close();
    expect(harness.session.state).toBe('closed');
    await closing;
    expectClosedByClient(harness);
    await expect.poll(() => lateSocket?.destroyed).toBe(true);
    await settle();
    expect(harness.of('handshake').filter((e) => e.step.leg === 'tcp')).toEqual([]);
    expect(harness.states()).toEqual(['resolving-proxy', 'connecting', 'closed']);
    await allClientsGone(server);
  });

  it('close while tunneling through a proxy closes the proxy connection', async () => {
    proxy = await startFakeProxy(() => undefined); // never answers the CONNECT
    harness = startSession({ url: 'ws://127.0.0.1:9/', proxy: { mode: 'manual', url: `http://127.0.0.1:${proxy.port}` } });
    await expect.poll(() => harness?.session.state).toBe('tunneling');
    await harness.session.close();
    expectClosedByClient(harness);
    expect(await proxy.allClosed(1000)).toBe(true);
  });

  it('close during TLS closes the socket', async () => {
    // Accepts and reads (so it sees the client's end) but never speaks TLS.
    const accepted = new Set<net.Socket>();
    const silent = net.createServer((socket) => {
      accepted.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => accepted.delete(socket));
      socket.resume();
    });
    servers.push(silent);
    silentSockets = accepted;
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const address = silent.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    harness = startSession({ url: `wss://127.0.0.1:${port}/` });
    await expect.poll(() => harness?.session.state).toBe('tls');
    await harness.session.close();
    expectClosedByClient(harness);
    await expect.poll(() => accepted.size).toBe(0);
  });

  it('close while upgrading closes the socket, with no upgrade error', async () => {
    server = await startRawServer(() => undefined); // never answers the upgrade
    harness = startSession({ url: server.url });
    await expect.poll(() => harness?.session.state).toBe('upgrading');
    await expect.poll(() => server?.sockets.size).toBe(1);
    await harness.session.close();
    expectClosedByClient(harness);
    await allClientsGone(server);
    await settle();
    expect(harness.of('handshake').filter((e) => e.step.leg === 'upgrade')).toEqual([]);
  });

  it('two closes at once send one close frame and give one closed event', async () => {
    const received: ClientFrame[] = [];
    server = await startRawServer(({ socket, key }) => {
      socket.write(switchingProtocols(key));
      readClientFrames(socket, (frame) => {
        received.push(frame);
        if (frame.opcode === 0x8) setTimeout(() => socket.write(closeFrame(1000), () => socket.end()), 30);
      });
    });
    harness = startSession({ url: server.url });
    await harness.opened();
    await Promise.all([harness.session.close(1000, 'one'), harness.session.close(4000, 'two')]);
    await settle();
    expect(received.filter((f) => f.opcode === 0x8)).toHaveLength(1);
    expect(harness.of('closed')).toHaveLength(1);
    expect(harness.of('closed')[0]).toMatchObject({ code: 1000, initiatedBy: 'client', wasClean: true });
    expect(harness.frames().filter((f) => f.dir === 'out' && f.opcode === 'close')).toHaveLength(1);
    expect(harness.states().filter((s) => s === 'closing')).toHaveLength(1);
  });

  it('two closes at once during connect give one closed event', async () => {
    server = await startRawServer(() => undefined);
    harness = startSession({ url: server.url });
    await expect.poll(() => harness?.session.state).toBe('upgrading');
    await Promise.all([harness.session.close(), harness.session.close(), harness.session.dispose()]);
    expectClosedByClient(harness);
  });

  it('falls back to the next route when a proxy cannot be reached, ignoring late events from the replaced route', async () => {
    server = await startRawServer(({ socket, key }) => socket.write(switchingProtocols(key)));
    const deadPort = await closedPort();
    const dead = parseProxyUrl(`http://127.0.0.1:${deadPort}`);
    let lateCallbacks: TunnelRequest | undefined;
    harness = startSession(
      { url: server.url },
      {
        deps: {
          resolveProxy: async () => decided([{ kind: 'proxy', proxy: dead }, { kind: 'direct' }]),
          openTunnel: async (request) => {
            lateCallbacks = request;
            return openTunnel(request); // the real one: ECONNREFUSED, stage proxy-connect
          },
        },
      },
    );
    await harness.opened();
    // The replaced route's callbacks fire late: none of it may reach the session.
    const before = harness.events.length;
    lateCallbacks?.onLegStart?.('proxy');
    lateCallbacks?.onStep?.({ leg: 'proxy', startedAt: Date.now(), ms: 1, ok: true });
    expect(harness.events.length).toBe(before);
    expect(harness.session.state).toBe('open');
    expect(harness.states()).toEqual(['resolving-proxy', 'connecting', 'connecting', 'upgrading', 'open']);
    const decisions = harness.of('proxy-decision');
    expect(decisions).toHaveLength(2);
    expect(decisions[1]?.decision.reason).toContain(`http://127.0.0.1:${deadPort} failed (PROXY_CONNECTION_REFUSED), trying DIRECT`);
    const tcpSteps = harness.of('handshake').filter((e) => e.step.leg === 'tcp');
    expect(tcpSteps.map((e) => e.step.ok)).toEqual([false, true]);
  });

  it('does not fall back after a failure past the proxy connection (a refused CONNECT)', async () => {
    proxy = await startFakeProxy(({ socket }) => socket.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n'));
    const refusing = parseProxyUrl(`http://127.0.0.1:${proxy.port}`);
    harness = startSession(
      { url: 'ws://127.0.0.1:9/' },
      { deps: { resolveProxy: async () => decided([{ kind: 'proxy', proxy: refusing }, { kind: 'direct' }]) } },
    );
    await harness.closed(2000);
    expect(harness.of('error')[0]?.error).toMatchObject({ stage: 'tunnel', code: 'PROXY_REFUSED' });
    expect(harness.states()).not.toContain('upgrading');
  });

  it('fails with OPEN_TIMEOUT at the stage that was running (upgrade)', async () => {
    server = await startRawServer(() => undefined);
    harness = startSession({ url: server.url, openTimeoutMs: 300, handshakeTimeoutMs: 60_000 });
    await harness.closed(10_000);
    // The open deadline ended it (OPEN_TIMEOUT, 300 ms), not the far handshake deadline (HANDSHAKE_TIMEOUT).
    expect(harness.of('error')[0]?.error).toMatchObject({ stage: 'upgrade', code: 'OPEN_TIMEOUT' });
    expect(harness.of('error')[0]?.error.details.timeoutMs).toBe(300);
    await allClientsGone(server);
  });

  it('fails with OPEN_TIMEOUT at the resolve stage', async () => {
    harness = startSession(
      { url: 'ws://127.0.0.1:9/', openTimeoutMs: 200 },
      { deps: { resolveProxy: () => new Promise<ResolvedRoutes>(() => undefined) } },
    );
    await harness.closed(1000);
    expect(harness.of('error')[0]?.error).toMatchObject({ stage: 'resolve', code: 'OPEN_TIMEOUT' });
    expect(harness.states()).toEqual(['resolving-proxy', 'failed']);
  });

  it('reports a resolve failure at the resolve stage', async () => {
    harness = startSession(
      { url: 'ws://127.0.0.1:9/' },
      { deps: { resolveProxy: async () => Promise.reject(NetFailure.of('resolve', 'PAC_INVALID')) } },
    );
    await harness.closed(1000);
    expect(harness.of('error')[0]?.error).toMatchObject({ stage: 'resolve', code: 'PAC_INVALID' });
    expect(harness.of('handshake')[0]?.step).toMatchObject({ leg: 'resolve', ok: false });
  });

  it('a close before start ends the session without connecting', async () => {
    let resolved = false;
    harness = startSession(
      { url: 'ws://127.0.0.1:9/' },
      {
        start: false,
        deps: {
          resolveProxy: async () => {
            resolved = true;
            return decided([{ kind: 'direct' }]);
          },
        },
      },
    );
    await harness.session.close();
    harness.session.start();
    await settle(50);
    expect(resolved).toBe(false);
    expect(harness.states()).toEqual(['closed']);
  });

  it('uses the real tcpConnect for a direct route to a closed port (CONNECTION_REFUSED at connect)', async () => {
    const port = await closedPort();
    harness = startSession({ url: `ws://127.0.0.1:${port}/` }, { deps: { tcpConnect } });
    await harness.closed(1500);
    expect(harness.of('error')[0]?.error).toMatchObject({ stage: 'connect', code: 'CONNECTION_REFUSED' });
  });
});
