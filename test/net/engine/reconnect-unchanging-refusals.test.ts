/**
 * Auto-reconnect through the real Engine on 127.0.0.1 (port 0), its waits on a ManualClock moved
 * at each announced wait: a refusal another attempt cannot change ends the connection after its
 * first attempt with one line saying why, and what can change is still retried.
 * - the server's answer to the upgrade (the ws package's verifyClient): 401 and 403 stop, naming
 *   the status and what to change; 503 and 404 are retried;
 * - the server's certificate (https servers with the test certificates): self-signed, for another
 *   host, expired stop; not yet valid is retried;
 * - a SOCKS5 proxy (test/support/socks5-server.ts): its ruleset refusal and a rejected password
 *   stop; "host unreachable" is retried.
 */
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import type { AttemptRecord } from '../../../src-main/shared/attempts';
import type { EngineEvent } from '../../../src-main/shared/events';
import type { ConnectionOptionsInput } from '../../../src-main/shared/model';
import { expiredServer, notYetValidServer, selfSignedServer, testCa, wrongHostServer, writePems, type PemDir } from '../../support/certs';
import { reconnectingEngine, type ReconnectingEngine } from '../../support/reconnecting-engine';
import { startSocks5Server, type Socks5Server } from '../../support/socks5-server';

const closers: (() => Promise<void>)[] = [];
let run: ReconnectingEngine | undefined;
let pems: PemDir | undefined;

beforeAll(async () => {
  pems = await writePems({ 'ca.pem': testCa().cert });
});
afterAll(async () => {
  await pems?.cleanup();
});
afterEach(async () => {
  await run?.engine.dispose();
  run = undefined;
  for (const close of closers.splice(0)) await close();
});

/** A ws server (plain or TLS) whose upgrade answer the test decides per upgrade (n counts from 1); true accepts. */
async function upgradeServer(answer: (n: number) => true | { status: number; message: string }, tls?: { cert: string; key: string }): Promise<{ url: string; upgrades: () => number }> {
  const server = tls ? https.createServer(tls) : http.createServer();
  let upgrades = 0;
  const wss = new WebSocketServer({
    server,
    verifyClient: (_info, done) => {
      upgrades += 1;
      const verdict = answer(upgrades);
      if (verdict === true) done(true);
      else done(false, verdict.status, verdict.message);
    },
  });
  // A TLS handshake the client refuses is no trouble of the server's.
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(async () => {
    for (const client of wss.clients) client.terminate();
    wss.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  const { port } = server.address() as AddressInfo;
  return { url: `${tls ? 'wss' : 'ws'}://127.0.0.1:${port}/feed`, upgrades: () => upgrades };
}

/** Opens a reconnecting connection; resolves with its first attempt's record once it stopped, or once attempt 2 began. */
async function firstAttempt(options: ConnectionOptionsInput): Promise<{ record: AttemptRecord; events: EngineEvent[] }> {
  run = reconnectingEngine();
  const { engine, events, until } = run;
  const opened = await engine.call('session:open', { options: { proxy: { mode: 'none' }, openTimeoutMs: 8000, ...options, reconnect: { maxAttempts: 0 } } });
  if (!opened.ok) throw new Error(`session:open refused: ${JSON.stringify(opened.error)}`);
  await until(() => events.some((e) => e.type === 'closed' || (e.type === 'attempt-started' && e.attempt === 2)));
  const first = events.find((e): e is Extract<EngineEvent, { type: 'attempt' }> => e.type === 'attempt' && e.record.attempt === 1);
  if (!first) throw new Error(`no attempt event; events: ${events.map((e) => e.type).join(', ')}`);
  return { record: first.record, events };
}

const stopped = (events: EngineEvent[]): boolean => events.some((e) => e.type === 'closed');

describe("the server's answer to the upgrade", () => {
  it('401: not retried, the line names the status and what to change, one upgrade asked', async () => {
    const server = await upgradeServer(() => ({ status: 401, message: 'Unauthorized' }));
    const { record, events } = await firstAttempt({ url: server.url, headers: [{ name: 'Authorization', value: 'Bearer expired-token' }] });
    expect(record.outcome.error?.code).toBe('UPGRADE_REJECTED');
    expect(record.next).toBeNull();
    expect(record.stopReason).toBe(
      'not retried: the server refused the WebSocket upgrade (401 Unauthorized) and would answer the same request so again: change the credentials, the Authorization header or the token',
    );
    expect(stopped(events)).toBe(true);
    expect(server.upgrades()).toBe(1);
  });

  it('403: not retried', async () => {
    const server = await upgradeServer(() => ({ status: 403, message: 'Forbidden' }));
    const { record, events } = await firstAttempt({ url: server.url });
    expect(record.stopReason).toMatch(/^not retried: the server refused the WebSocket upgrade \(403 Forbidden\) .*: change the credentials, token, cookies or Origin it refuses$/);
    expect(stopped(events)).toBe(true);
    expect(server.upgrades()).toBe(1);
  });

  it('503 and 404 are retried: attempt 2 asks again', async () => {
    for (const status of [503, 404]) {
      const server = await upgradeServer(() => ({ status, message: 'not now' }));
      const { record, events } = await firstAttempt({ url: server.url });
      expect(record.outcome.error?.code, String(status)).toBe('UPGRADE_REJECTED');
      expect(record.next, String(status)).toMatchObject({ attempt: 2, retry: 1 });
      expect(stopped(events)).toBe(false);
      await run?.engine.dispose();
      run = undefined;
    }
  });
});

describe("the server's certificate", () => {
  const tlsOf = (pair: { cert: string; key: string }): { cert: string; key: string } => ({ cert: pair.cert, key: pair.key });
  const trusting = (): ConnectionOptionsInput['tls'] => ({ caFiles: [pems?.path('ca.pem') ?? ''] });

  it('self-signed (no CA given for it): not retried, saying the certificate will not change by retrying', async () => {
    const server = await upgradeServer(() => true, tlsOf(selfSignedServer()));
    const { record, events } = await firstAttempt({ url: server.url });
    expect(record.outcome.error?.code).toBe('TLS_UNTRUSTED_CERT');
    expect(record.stopReason).toBe(
      "not retried: the server's certificate is not trusted (self-signed or an unknown CA) and retrying will not change it: add its CA as a CA file, or connect without verification",
    );
    expect(stopped(events)).toBe(true);
  });

  it('for another host name, and expired: not retried', async () => {
    const wrongHost = await upgradeServer(() => true, tlsOf(wrongHostServer()));
    const first = await firstAttempt({ url: wrongHost.url, tls: trusting() });
    expect(first.record.outcome.error?.code).toBe('TLS_HOSTNAME_MISMATCH');
    expect(first.record.stopReason).toMatch(/^not retried: the server's certificate is for another host name and retrying will not change it/);
    expect(stopped(first.events)).toBe(true);
    await run?.engine.dispose();

    const expired = await upgradeServer(() => true, tlsOf(expiredServer()));
    const second = await firstAttempt({ url: expired.url, tls: trusting() });
    expect(second.record.outcome.error?.code).toBe('TLS_CERT_EXPIRED');
    expect(second.record.stopReason).toMatch(/^not retried: the server's certificate has expired and retrying will not change it/);
    expect(stopped(second.events)).toBe(true);
  });

  it('not valid yet: retried (time makes it valid)', async () => {
    const server = await upgradeServer(() => true, tlsOf(notYetValidServer()));
    const { record, events } = await firstAttempt({ url: server.url, tls: trusting() });
    expect(record.outcome.error?.code).toBe('TLS_CERT_NOT_YET_VALID');
    expect(record.next).toMatchObject({ attempt: 2 });
    expect(stopped(events)).toBe(false);
  });
});

describe('a SOCKS5 proxy', () => {
  async function socks(options: Parameters<typeof startSocks5Server>[0]): Promise<Socks5Server> {
    const proxy = await startSocks5Server(options);
    closers.push(() => proxy.close());
    return proxy;
  }

  it('its ruleset refusal (reply 2): not retried, one request', async () => {
    const proxy = await socks({ reply: 0x02 });
    const { record, events } = await firstAttempt({ url: 'ws://127.0.0.1:9/feed', proxy: { mode: 'manual', url: `socks5://127.0.0.1:${proxy.port}` } });
    expect(record.outcome.error?.code).toBe('SOCKS_REFUSED');
    expect(record.stopReason).toBe(
      'not retried: the SOCKS proxy refuses this connection by its rules (reply 2: connection not allowed by ruleset), and another attempt would get the same answer',
    );
    expect(stopped(events)).toBe(true);
    expect(proxy.requests).toHaveLength(1);
  });

  it('a rejected password: not retried', async () => {
    const proxy = await socks({ auth: { username: 'alice', password: 'right-one' } });
    const { record, events } = await firstAttempt({ url: 'ws://127.0.0.1:9/feed', proxy: { mode: 'manual', url: `socks5://alice:wrong-one@127.0.0.1:${proxy.port}` } });
    expect(record.outcome.error?.code).toBe('SOCKS_AUTH_FAILED');
    expect(record.stopReason).toMatch(/^not retried: the SOCKS proxy refused the sign-in/);
    expect(stopped(events)).toBe(true);
    expect(proxy.requests).toHaveLength(1);
  });

  it('host unreachable (reply 4): retried', async () => {
    const proxy = await socks({ reply: 0x04 });
    const { record, events } = await firstAttempt({ url: 'ws://127.0.0.1:9/feed', proxy: { mode: 'manual', url: `socks5://127.0.0.1:${proxy.port}` } });
    expect(record.outcome.error?.code).toBe('SOCKS_REFUSED');
    expect(record.next).toMatchObject({ attempt: 2, retry: 1 });
    expect(stopped(events)).toBe(false);
  });
});
