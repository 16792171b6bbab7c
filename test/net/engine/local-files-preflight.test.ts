/**
 * A session whose settings name bad local files fails before any network leg, in every host
 * the engine serves (app, web host, CLI): the proxy on 127.0.0.1 records that nobody
 * connected, and the one error names every bad file. With good files the same opening goes
 * through the proxy (so the proxy would have seen a connection).
 */
import { mkdir } from 'node:fs/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../../src-main/core/engine';
import type { EngineEvent, EngineEventOf } from '../../../src-main/shared/events';
import type { ConnectionOptionsInput } from '../../../src-main/shared/model';
import type { Result } from '../../../src-main/shared/result';
import { clientCertificate, testCa, trustedServer, writePems, type PemDir } from '../../support/certs';
import { startEchoServer, type EchoServer } from '../../support/echo-server';
import { startFakeProxy, type FakeProxy } from '../../support/fake-proxy';
import { startSession } from '../../support/session-harness';

let pems: PemDir;
let engine: Engine | undefined;
let proxy: FakeProxy | undefined;
let echo: EchoServer | undefined;

beforeAll(async () => {
  pems = await writePems({
    'ca.pem': trustedServer().ca,
    'notes.txt': 'not a certificate\n',
    'client.pem': clientCertificate().cert,
    'client.key': clientCertificate().key,
    'other.pem': testCa().cert,
  });
  await mkdir(pems.path('a-folder'));
});
afterAll(async () => {
  await pems.cleanup();
});
afterEach(async () => {
  await engine?.dispose();
  engine = undefined;
  await proxy?.close();
  proxy = undefined;
  await echo?.close();
  echo = undefined;
});

function value<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`command failed: ${JSON.stringify(result.error)}`);
  return result.value;
}

/** Opens one session on a fresh engine of `host` and resolves with its events once it has closed. */
async function openUntilClosed(host: 'electron' | 'web' | 'cli', options: ConnectionOptionsInput): Promise<EngineEvent[]> {
  engine = new Engine({ host, version: '1', env: {}, batch: { intervalMs: 5 } });
  const events: EngineEvent[] = [];
  let wake: (() => void) | undefined;
  engine.onEvent((event) => {
    events.push(event);
    wake?.();
  });
  const { sessionId } = value(await engine.call('session:open', { options }));
  await new Promise<void>((resolve) => {
    wake = () => {
      if (events.some((e) => e.type === 'closed' && e.sessionId === sessionId)) resolve();
    };
    wake();
  });
  return events.filter((e) => 'sessionId' in e && e.sessionId === sessionId);
}

function errorOf(events: EngineEvent[]): EngineEventOf<'error'>['error'] {
  const error = events.find((e): e is EngineEventOf<'error'> => e.type === 'error')?.error;
  if (!error) throw new Error(`no error event: ${events.map((e) => e.type).join(', ')}`);
  return error;
}

const refuse = (): Promise<FakeProxy> => startFakeProxy(({ socket }) => socket.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n'));

describe('local files are checked before any network leg', () => {
  it.each(['electron', 'web', 'cli'] as const)('%s: bad CA, certificate and key files: the proxy is not contacted, every file is named', async (host) => {
    proxy = await refuse();
    const events = await openUntilClosed(host, {
      url: 'wss://127.0.0.1:1/x',
      proxy: { mode: 'manual', url: `http://127.0.0.1:${proxy.port}` },
      tls: {
        caFiles: [pems.path('gone.pem'), pems.path('ca.pem'), pems.path('notes.txt')],
        certFile: pems.path('a-folder'),
        keyFile: pems.path('missing.key'),
      },
    });
    const error = errorOf(events);
    expect([error.stage, error.code, error.details.file]).toEqual(['tls', 'LOCAL_FILE_UNREADABLE', pems.path('gone.pem')]);
    for (const bad of ['gone.pem', 'notes.txt', 'a-folder', 'missing.key']) expect(error.message).toContain(`"${pems.path(bad)}"`);
    expect(error.message).toMatch(/^4 local files could not be used: /);
    expect(proxy.accepted).toBe(0);
    // No leg ran: not even the proxy decision (a PAC download would be network too).
    expect(events.filter((e) => e.type === 'handshake' || e.type === 'proxy-decision')).toEqual([]);
    expect(events.filter((e) => e.type === 'state').map((e) => (e.type === 'state' ? e.state : ''))).toEqual(['resolving-proxy', 'failed']);
  });

  it('a bad CA file for an https:// proxy: the proxy is not contacted (stage proxy-tls)', async () => {
    proxy = await refuse();
    const events = await openUntilClosed('web', {
      url: 'ws://127.0.0.1:1/x',
      proxy: { mode: 'manual', url: `https://127.0.0.1:${proxy.port}` },
      proxyCaFiles: [pems.path('a-folder')],
    });
    expect(errorOf(events)).toMatchObject({ stage: 'proxy-tls', code: 'LOCAL_FILE_UNREADABLE', details: { file: pems.path('a-folder') } });
    expect(proxy.accepted).toBe(0);
  });

  it('a client key that belongs to another certificate fails before the proxy too', async () => {
    proxy = await refuse();
    const events = await openUntilClosed('cli', {
      url: 'wss://127.0.0.1:1/x',
      proxy: { mode: 'manual', url: `http://127.0.0.1:${proxy.port}` },
      tls: { caFiles: [pems.path('ca.pem')], certFile: pems.path('other.pem'), keyFile: pems.path('client.key') },
    });
    expect(errorOf(events)).toMatchObject({ stage: 'tls', code: 'TLS_CLIENT_CERT_INVALID' });
    expect(proxy.accepted).toBe(0);
  });

  it('closed while its files are read: it ends closed by the user, no error, no leg', async () => {
    proxy = await refuse();
    const harness = startSession({ url: 'wss://127.0.0.1:1/x', proxy: { mode: 'manual', url: `http://127.0.0.1:${proxy.port}` }, tls: { caFiles: [pems.path('gone.pem')] } });
    expect(harness.session.state).toBe('resolving-proxy');
    await harness.session.close();
    expect(harness.of('closed')[0]).toMatchObject({ initiatedBy: 'client' });
    await new Promise((resolve) => setTimeout(resolve, 50)); // the file check settles meanwhile
    expect([harness.states(), harness.of('error'), harness.of('handshake'), proxy.accepted]).toEqual([['resolving-proxy', 'closed'], [], [], 0]);
  });

  it('good files: the same opening goes through the proxy and TLS uses the CA file read', async () => {
    const server = trustedServer();
    echo = await startEchoServer({ tls: { cert: server.cert, key: server.key, hostname: '127.0.0.1' } });
    const echoPort = echo.port;
    proxy = await startFakeProxy(({ tunnelTo }) => tunnelTo(echoPort, 'HTTP/1.1 200 Connection established\r\n\r\n'));
    engine = new Engine({ host: 'web', version: '1', env: {}, batch: { intervalMs: 5 } });
    const states: string[] = [];
    let wake: (() => void) | undefined;
    engine.onEvent((event) => {
      if (event.type === 'state') states.push(event.state);
      wake?.();
    });
    const { sessionId } = value(
      await engine.call('session:open', {
        options: {
          url: `${echo.url}/x`,
          proxy: { mode: 'manual', url: `http://127.0.0.1:${proxy.port}` },
          tls: { caFiles: [pems.path('ca.pem')], certFile: pems.path('client.pem'), keyFile: pems.path('client.key') },
        },
      }),
    );
    await new Promise<void>((resolve) => {
      wake = () => {
        if (states.includes('open') || states.includes('failed')) resolve();
      };
      wake();
    });
    expect(states).toEqual(['resolving-proxy', 'connecting', 'tunneling', 'tls', 'upgrading', 'open']);
    expect(proxy.accepted).toBe(1);
    value(await engine.call('session:close', { sessionId, code: 1000 }));
  });
});
