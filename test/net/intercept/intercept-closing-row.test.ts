/**
 * The Intercept list's row of a captured WebSocket says who began its close (the relay's
 * 'closing' report, which the CLI prints and the app's page now shows): the application when
 * the client closes, you with the side after `intercept:close-side`, and nothing when the server
 * closes (the session's closed event names the server). A Node `ws` client through the engine's
 * intercepting proxy to a local wss:// echo server (127.0.0.1, port 0).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HttpsProxyAgent } from 'https-proxy-agent';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { Engine } from '../../../src-main/core/engine';
import type { HostEvent } from '../../../src-main/shared/events';
import type { InterceptConnection } from '../../../src-main/shared/intercept-proxy';
import { testCa, trustedServer, writePems, type PemDir } from '../../support/certs';
import { startEchoServer, type EchoServer } from '../../support/echo-server';
import { waitUntil } from '../../support/wait-until';

let pems: PemDir;
let wss: EchoServer;
let dataDir: string;
let engine: Engine | undefined;
const events: HostEvent[] = [];
let proxyUrl = '';
let caPem = '';

beforeAll(async () => {
  const server = trustedServer();
  pems = await writePems({ 'upstream-ca.pem': testCa().cert });
  wss = await startEchoServer({ tls: { cert: server.cert, key: server.key, hostname: 'localhost' } });
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tunnelscope-intercept-closing-'));
  engine = new Engine({
    host: 'web',
    version: 'test',
    env: { TUNNELSCOPE_SECRET_STORE: 'keyfile', TUNNELSCOPE_OS_CA_BUNDLE: pems.path('upstream-ca.pem') },
    profiles: { dataDir },
  });
  engine.subscribe({ deliver: (event) => events.push(event), list: true });
  const started = await engine.call('intercept-proxy:start', { port: 0, upstream: { mode: 'none' } });
  if (!started.ok) throw new Error(started.error.message);
  proxyUrl = started.value.address?.url ?? '';
  const cert = await engine.call('intercept-proxy:ca-cert', {});
  if (!cert.ok) throw new Error(cert.error.message);
  caPem = cert.value.pem;
});

afterEach(() => {
  events.length = 0;
});

afterAll(async () => {
  await engine?.dispose();
  await Promise.all([wss.close(), pems.cleanup()]);
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** A client through the proxy, open and relaying; its captured session's id. */
async function capture(name: string): Promise<{ client: WebSocket; sessionId: string }> {
  const client = new WebSocket(`${wss.url}/${name}`, { agent: new HttpsProxyAgent(proxyUrl), ca: caPem });
  await new Promise<void>((resolve, reject) => {
    client.once('open', () => resolve());
    client.once('error', reject);
  });
  const row = await waitUntil(`${name}'s row, relaying`, () => rowOf((c) => c.target.endsWith(`/${name}`) && c.clientHandshake !== undefined));
  return { client, sessionId: row.sessionId ?? '' };
}

/** The newest row event matching. */
function rowOf(match: (connection: InterceptConnection) => boolean): InterceptConnection | undefined {
  for (let i = events.length - 1; i >= 0; i--) {
    const event = events[i];
    if (event?.type === 'intercept-connection' && match(event.connection)) return event.connection;
  }
  return undefined;
}

function closedEvent(sessionId: string): Extract<HostEvent, { type: 'closed' }> | undefined {
  return events.find((e): e is Extract<HostEvent, { type: 'closed' }> => e.type === 'closed' && e.sessionId === sessionId);
}

async function listedRow(sessionId: string): Promise<InterceptConnection | undefined> {
  const status = await engine?.call('intercept-proxy:status', {});
  return status?.ok ? status.value.connections.find((c) => c.sessionId === sessionId) : undefined;
}

describe('a captured connection’s row says who began its close', () => {
  it('the application: the client closed', async () => {
    const { client, sessionId } = await capture('by-application');
    client.close(1000, 'done');
    await waitUntil('the session closed', () => closedEvent(sessionId));
    expect(rowOf((c) => c.sessionId === sessionId)?.closing).toEqual({ by: 'application' });
    // And the list a page reloads from says so too.
    expect((await listedRow(sessionId))?.closing).toEqual({ by: 'application' });
  });

  it('you, with the side: a close-side command to the server', async () => {
    const { client, sessionId } = await capture('by-you');
    const clientClosed = new Promise<void>((resolve) => client.once('close', () => resolve()));
    const sent = await engine?.call('intercept:close-side', { sessionId, side: 'server', code: 4000, reason: 'bye' });
    expect(sent).toMatchObject({ ok: true });
    await waitUntil('the session closed', () => closedEvent(sessionId));
    await clientClosed;
    expect(rowOf((c) => c.sessionId === sessionId)?.closing).toEqual({ by: 'you', side: 'server' });
  });

  it('nobody on our side when the server closes: the row has no closing, the session says server', async () => {
    const serverSide = wss.nextConnection();
    const { sessionId } = await capture('by-server');
    (await serverSide).close(1001, 'going away');
    const closed = await waitUntil('the session closed', () => closedEvent(sessionId));
    expect(closed.initiatedBy).toBe('server');
    expect(rowOf((c) => c.sessionId === sessionId)?.closing).toBeUndefined();
  });
});
