/**
 * The web host on a real port: the token (HTTP and WebSocket), the Host and Origin checks,
 * static files (traversal refused, MIME types, security headers), the wire protocol (bad
 * messages answered, a command round trip through a real engine, events pushed to the pages
 * subscribed to them) and the backlog limit for a page that stops reading.
 */
import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { Engine } from '../../../src-main/core/engine';
import { z } from 'zod';
import { engineEventSchema, type EngineEvent } from '../../../src-main/shared/events';
import { webServerMessageSchema, type WebServerMessage } from '../../../src-main/shared/bridge';
import { ok, type Result } from '../../../src-main/shared/result';
import { startWebHost, type WebHost, type WebHostEngine } from '../../../src-main/web/server';
import { loadOrCreateCertificate, type HostCertificate } from '../../../src-main/web/tls-certificate';
import { startEchoServer, type EchoServer } from '../../support/echo-server';

const TOKEN = 'test-token-0123456789abcdefghijklmnop';

let site: string;
let outside: string;

beforeAll(() => {
  outside = mkdtempSync(path.join(tmpdir(), 'tunnelscope-web-test-'));
  site = path.join(outside, 'renderer');
  mkdirSync(path.join(site, 'assets'), { recursive: true });
  writeFileSync(path.join(site, 'index.html'), '<!doctype html><title>Tunnelscope</title>');
  writeFileSync(path.join(site, 'assets', 'index-AbCd1234.js'), 'console.log(1)');
  writeFileSync(path.join(site, 'assets', 'index-AbCd1234.css'), 'body{}');
  writeFileSync(path.join(outside, 'secret.txt'), 'SECRET');
  symlinkSync(path.join(outside, 'secret.txt'), path.join(site, 'link-out.txt'));
});

afterAll(() => rmSync(outside, { recursive: true, force: true }));

/** An engine double: answers `app:info`, records calls, and lets the test emit events (to every page's subscription). */
function fakeEngine(): WebHostEngine & { calls: { name: string; arg: unknown }[]; emit(event: EngineEvent): void } {
  const listeners = new Set<(event: EngineEvent) => void>();
  const calls: { name: string; arg: unknown }[] = [];
  let subscriptions = 0;
  return {
    calls,
    async invoke(name: string, arg: unknown): Promise<Result<unknown>> {
      calls.push({ name, arg });
      return ok({ echoed: name });
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    subscribe({ deliver }) {
      const listener = (event: EngineEvent): void => deliver(event);
      listeners.add(listener);
      subscriptions += 1;
      return { id: `subscription-${subscriptions}`, close: () => listeners.delete(listener) };
    },
    emit(event) {
      for (const listener of listeners) listener(event);
    },
  };
}

const hosts: WebHost[] = [];
async function start(engine: WebHostEngine = fakeEngine(), extra: Partial<Parameters<typeof startWebHost>[0]> = {}): Promise<WebHost> {
  const host = await startWebHost({ engine, rendererDir: site, token: TOKEN, log: () => {}, ...extra });
  hosts.push(host);
  return host;
}
afterEach(async () => {
  await Promise.all(hosts.splice(0).map((host) => host.close()));
});

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A raw request: the path is sent as written (no normalisation), headers exactly as given. */
function request(host: WebHost, target: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: host.port, path: target, method, headers: { Host: `127.0.0.1:${host.port}`, ...headers } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

const cookie = (host: WebHost, token = TOKEN): Record<string, string> => ({ Cookie: `tunnelscope_token_${host.port}=${token}` });

/** Tries the WebSocket upgrade; resolves with 101 and the open socket, or the refusal. */
function openSocket(host: WebHost, headers: Record<string, string>, target = '/api'): Promise<{ status: number; body: string; ws?: WebSocket }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}${target}`, { headers });
    ws.once('open', () => resolve({ status: 101, body: '', ws }));
    ws.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    ws.once('error', (error) => reject(error));
  });
}

const origin = (host: WebHost): Record<string, string> => ({ Origin: `http://127.0.0.1:${host.port}` });

async function connected(host: WebHost): Promise<WebSocket> {
  const { ws, status, body } = await openSocket(host, { ...origin(host), ...cookie(host) });
  if (!ws) throw new Error(`upgrade refused: ${status} ${body}`);
  return ws;
}

/** Collects the server's messages, checked against the wire schema. */
function inbox(ws: WebSocket): { next(predicate?: (m: WebServerMessage) => boolean): Promise<WebServerMessage> } {
  const queue: WebServerMessage[] = [];
  const waiters: { predicate: (m: WebServerMessage) => boolean; resolve: (m: WebServerMessage) => void }[] = [];
  ws.on('message', (data: Buffer) => {
    const message = webServerMessageSchema.parse(JSON.parse(data.toString('utf8')));
    const index = waiters.findIndex((w) => w.predicate(message));
    if (index >= 0) waiters.splice(index, 1)[0]?.resolve(message);
    else queue.push(message);
  });
  return {
    next(predicate = () => true) {
      const index = queue.findIndex(predicate);
      const queued = index >= 0 ? queue.splice(index, 1)[0] : undefined;
      if (queued) return Promise.resolve(queued);
      return new Promise((resolve) => waiters.push({ predicate, resolve }));
    },
  };
}

interface RecordingPage {
  ws: WebSocket;
  /** Every event the page was sent, checked against the contract. */
  events: EngineEvent[];
  call(name: string, arg: unknown): Promise<{ ok: boolean; value?: unknown; error?: unknown }>;
}

/** A page that keeps every event it is sent and calls commands by id. */
function recordingPage(ws: WebSocket): RecordingPage {
  const events: EngineEvent[] = [];
  const waiting = new Map<number, (result: { ok: boolean }) => void>();
  let nextId = 1;
  ws.on('message', (data: Buffer) => {
    const message = webServerMessageSchema.parse(JSON.parse(data.toString('utf8')));
    if (message.type === 'event') events.push(engineEventSchema.parse(message.event));
    if (message.type === 'result') waiting.get(message.id)?.(z.object({ ok: z.boolean() }).loose().parse(message.result));
  });
  return {
    ws,
    events,
    call: (name, arg) =>
      new Promise((resolve) => {
        const id = nextId++;
        waiting.set(id, resolve);
        ws.send(JSON.stringify({ type: 'call', id, name, arg }));
      }),
  };
}

describe('the access token over HTTP', () => {
  it('refuses a page without the token (401, plain text, no-store)', async () => {
    const host = await start();
    const answer = await request(host, '/');
    expect(answer.status).toBe(401);
    expect(answer.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(answer.headers['x-content-type-options']).toBe('nosniff');
    expect(answer.body).toContain('no access token');
    expect((await request(host, '/assets/index-AbCd1234.js')).status).toBe(401);
  });

  it('refuses a wrong token in the query or the cookie (403)', async () => {
    const host = await start();
    expect((await request(host, '/?token=nope')).status).toBe(403);
    const stale = await request(host, '/', cookie(host, 'old-token'));
    expect(stale.status).toBe(403);
    expect(stale.body).toContain('restarted');
  });

  it('accepts the token in the query: serves the page itself (no redirect) with an HttpOnly SameSite=Strict cookie', async () => {
    const host = await start();
    const answer = await request(host, `/?token=${TOKEN}&tab=2`);
    // Not a redirect: a Strict cookie set on a redirect started from another site is not sent
    // on the redirected request. The page's first script strips the token from the address.
    expect(answer.status).toBe(200);
    expect(answer.headers.location).toBeUndefined();
    expect(answer.body).toContain('<title>Tunnelscope</title>');
    expect(answer.headers['set-cookie']).toEqual([`tunnelscope_token_${host.port}=${TOKEN}; Path=/; HttpOnly; SameSite=Strict`]);
    expect(answer.headers['cache-control']).toBe('no-store');
    expect(answer.headers['referrer-policy']).toBe('no-referrer');
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/?token=${TOKEN}`);
  });

  it('a token in the query never leads anywhere else (no Location, `//evil.example` is just a path here)', async () => {
    const host = await start();
    const answer = await request(host, `//evil.example/x?token=${TOKEN}`);
    expect(answer.headers.location).toBeUndefined();
    expect(answer.status).toBe(404);
  });

  it('cookie tossing: a cookie of our name planted first (by another 127.0.0.1 port) does not lock the page or the socket out', async () => {
    const host = await start();
    const tossed = { Cookie: `tunnelscope_token_${host.port}=planted-by-another-port; tunnelscope_token_${host.port}=${TOKEN}` };
    expect((await request(host, '/', tossed)).status).toBe(200);
    const socket = await openSocket(host, { ...origin(host), ...tossed });
    expect(socket.status).toBe(101);
    socket.ws?.close();
  });

  it('cookie tossing: only wrong cookies of our name are still refused (403)', async () => {
    const host = await start();
    const wrongOnly = { Cookie: `tunnelscope_token_${host.port}=planted-by-another-port; tunnelscope_token_${host.port}=another-guess` };
    expect((await request(host, '/', wrongOnly)).status).toBe(403);
    expect((await openSocket(host, { ...origin(host), ...wrongOnly })).status).toBe(403);
  });

  it('serves the page with the cookie: CSP, nosniff, no-store on HTML, long cache on hashed assets', async () => {
    const host = await start();
    const page = await request(host, '/', cookie(host));
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>Tunnelscope</title>');
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.headers['content-security-policy']).toContain("default-src 'self'");
    expect(page.headers['content-security-policy']).toContain(`connect-src 'self' ws://127.0.0.1:${host.port}`);
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    const script = await request(host, '/assets/index-AbCd1234.js', cookie(host));
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(script.headers['cache-control']).toContain('immutable');
    expect((await request(host, '/assets/index-AbCd1234.css', cookie(host))).headers['content-type']).toBe('text/css; charset=utf-8');
  });

  it('generates a fresh random token when none is given', async () => {
    const a = await startWebHost({ engine: fakeEngine(), rendererDir: site, log: () => {} });
    const b = await startWebHost({ engine: fakeEngine(), rendererDir: site, log: () => {} });
    hosts.push(a, b);
    expect(a.token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(a.token).not.toBe(b.token);
  });

  it('answers only GET and HEAD', async () => {
    const host = await start();
    expect((await request(host, '/', cookie(host), 'POST')).status).toBe(405);
    const head = await request(host, '/', cookie(host), 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
  });
});

describe('the Host header (DNS rebinding)', () => {
  it('refuses any Host but the bound address or localhost, even with the token (421)', async () => {
    const host = await start();
    const rebound = await request(host, '/', { ...cookie(host), Host: `evil.example:${host.port}` });
    expect(rebound.status).toBe(421);
    expect(rebound.body).toContain('DNS rebinding');
    // An unauthenticated client learns nothing about the machine's addresses.
    expect(rebound.body).not.toContain('127.0.0.1');
    expect(rebound.body).not.toContain('localhost');
    expect((await request(host, '/', { ...cookie(host), Host: '127.0.0.1:1' })).status).toBe(421);
    expect((await request(host, '/', { ...cookie(host), Host: `localhost:${host.port}` })).status).toBe(200);
  });

  it('refuses the WebSocket with a foreign Host', async () => {
    const host = await start();
    const refused = await openSocket(host, { ...cookie(host), Host: `evil.example:${host.port}`, Origin: `http://evil.example:${host.port}` });
    expect(refused.status).toBe(421);
  });
});

describe('static files', () => {
  it.each([
    ['/../secret.txt', 403],
    ['/..%2fsecret.txt', 403],
    ['/%2e%2e/secret.txt', 403],
    ['/assets/..%2f..%2fsecret.txt', 403],
    ['/link-out.txt', 403],
    ['/%00index.html', 400],
    ['/%E0%A4%A', 400],
    ['/nothing-here.js', 404],
    ['/assets', 404],
  ])('%s → %i', async (target, status) => {
    const host = await start();
    const answer = await request(host, target, cookie(host));
    expect(answer.status).toBe(status);
    expect(answer.body).not.toContain('SECRET');
  });

  it('answers /api without an upgrade with 426', async () => {
    const host = await start();
    expect((await request(host, '/api', cookie(host))).status).toBe(426);
  });
});

describe('the WebSocket at /api', () => {
  it('refuses a socket without the token (401) or with a wrong one (403)', async () => {
    const host = await start();
    const missing = await openSocket(host, origin(host));
    expect(missing.status).toBe(401);
    expect(missing.body).toContain('no access token');
    expect((await openSocket(host, { ...origin(host), ...cookie(host, 'wrong') })).status).toBe(403);
  });

  it('refuses a socket from another origin, or with no Origin, even with the token', async () => {
    const host = await start();
    const foreign = await openSocket(host, { ...cookie(host), Origin: 'http://evil.example' });
    expect(foreign.status).toBe(403);
    expect(foreign.body).toContain('another origin');
    expect((await openSocket(host, { ...cookie(host), Origin: `http://localhost:${host.port}` })).status).toBe(403);
    expect((await openSocket(host, cookie(host))).status).toBe(403);
  });

  it('refuses other paths (404)', async () => {
    const host = await start();
    expect((await openSocket(host, { ...origin(host), ...cookie(host) }, '/other')).status).toBe(404);
  });

  it('accepts the token from the cookie or the query', async () => {
    const host = await start();
    const viaCookie = await openSocket(host, { ...origin(host), ...cookie(host) });
    expect(viaCookie.status).toBe(101);
    viaCookie.ws?.close();
    const viaQuery = await openSocket(host, origin(host), `/api?token=${TOKEN}`);
    expect(viaQuery.status).toBe(101);
    viaQuery.ws?.close();
  });

  it('answers bad messages with an error result and stays up', async () => {
    const engine = fakeEngine();
    const host = await start(engine);
    const ws = await connected(host);
    const messages = inbox(ws);

    ws.send('{not json');
    expect(await messages.next()).toMatchObject({ type: 'result', id: -1, result: { ok: false, error: { code: 'INVALID_ARGUMENT', message: expect.stringContaining('not JSON') } } });

    ws.send(JSON.stringify({ type: 'call', id: 7, name: 'session:explode', arg: {} }));
    expect(await messages.next()).toMatchObject({ type: 'result', id: 7, result: { ok: false, error: { code: 'UNKNOWN_COMMAND', message: 'unknown command "session:explode"' } } });

    ws.send(JSON.stringify({ type: 'call', id: 8, arg: {} }));
    expect(await messages.next()).toMatchObject({ type: 'result', id: 8, result: { ok: false, error: { code: 'INVALID_ARGUMENT', path: 'name' } } });

    ws.send(JSON.stringify({ type: 'cast', id: 9, name: 'app:info', arg: {} }));
    expect(await messages.next()).toMatchObject({ type: 'result', id: 9, result: { ok: false, error: { code: 'INVALID_ARGUMENT', message: expect.stringContaining('bad message: type') } } });

    ws.send(Buffer.from([1, 2, 3]), { binary: true });
    expect(await messages.next()).toMatchObject({ id: -1, result: { ok: false, error: { message: expect.stringContaining('not binary') } } });

    expect(engine.calls).toEqual([]);
    ws.send(JSON.stringify({ type: 'call', id: 10, name: 'app:info', arg: {} }));
    expect(await messages.next()).toEqual({ type: 'result', id: 10, result: { ok: true, value: { echoed: 'app:info' } } });
    ws.close();
  });

  it('runs a command through a real engine: validated argument errors and a round trip', async () => {
    const engine = new Engine({ host: 'web', version: '9.9.9', env: {} });
    const host = await start(engine);
    const ws = await connected(host);
    const messages = inbox(ws);
    ws.send(JSON.stringify({ type: 'call', id: 1, name: 'app:info', arg: {} }));
    expect(await messages.next()).toMatchObject({ type: 'result', id: 1, result: { ok: true, value: { name: 'Tunnelscope', version: '9.9.9', host: 'web', systemProxy: false } } });
    ws.send(JSON.stringify({ type: 'call', id: 2, name: 'session:open', arg: { options: { url: 'http://not-a-ws-url' } } }));
    expect(await messages.next()).toMatchObject({ id: 2, result: { ok: false, error: { code: 'INVALID_ARGUMENT', path: 'options.url' } } });
    ws.close();
    await engine.dispose();
  });

  it("sends a session's events to the page that opened it and to pages that subscribe to it; a page on the list hears only the list events; others nothing", async () => {
    const echo: EchoServer = await startEchoServer();
    const engine = new Engine({ host: 'web', version: '0.0.0', env: {} });
    try {
      const host = await start(engine);
      const [opener, lister, watcher, bystander] = await Promise.all([1, 2, 3, 4].map(async () => recordingPage(await connected(host))));
      if (!opener || !lister || !watcher || !bystander) throw new Error('four pages');
      expect(await lister.call('session:subscribe', { list: true })).toEqual({ ok: true, value: { unknown: [] } });
      const opened = await opener.call('session:open', { options: { url: echo.url, proxy: { mode: 'none' } } });
      const sessionId = opened.ok === true && typeof opened.value === 'object' && opened.value !== null && 'sessionId' in opened.value ? String(opened.value.sessionId) : '';
      expect(sessionId).not.toBe('');
      await expect.poll(() => opener.events.some((e) => e.type === 'state' && e.state === 'open'), { timeout: 10_000 }).toBe(true);

      expect(await watcher.call('session:subscribe', { sessionIds: [sessionId, 'no-such-session'] })).toEqual({ ok: true, value: { unknown: ['no-such-session'] } });
      // First where the session stands, then its live events.
      expect(watcher.events[0]).toMatchObject({ type: 'subscribed', sessionId, info: { sessionId, state: 'open' } });
      await opener.call('session:send', { sessionId, kind: 'text', data: 'hello' });
      const echoed = (page: RecordingPage): boolean => page.events.some((e) => e.type === 'frames' && e.frames.some((f) => f.dir === 'in' && f.preview === 'hello'));
      await expect.poll(() => echoed(opener) && echoed(watcher), { timeout: 10_000 }).toBe(true);
      // Each acknowledges on its own: an ack names this page's subscription, not the session's only mark.
      expect(await watcher.call('frames:ack', { sessionId, seq: 2 })).toEqual({ ok: true, value: {} });
      await opener.call('session:close', { sessionId });
      await expect.poll(() => [opener, lister, watcher].every((page) => page.events.some((e) => e.type === 'closed')), { timeout: 10_000 }).toBe(true);

      expect(opener.events.map((e) => e.type)).toEqual(expect.arrayContaining(['session-created', 'state', 'handshake', 'frames', 'closed']));
      expect(new Set(lister.events.map((e) => e.type))).toEqual(new Set(['session-created', 'state', 'closed']));
      expect(watcher.events.some((e) => e.type === 'handshake' || e.type === 'session-created')).toBe(false);
      expect(bystander.events).toEqual([]);
      for (const page of [opener, lister, watcher, bystander]) page.ws.close();
    } finally {
      await engine.dispose();
      await echo.close();
    }
  });

  it('stops sending events to a page that stops reading, tells it it fell behind, and how many it missed once drained', async () => {
    const engine = fakeEngine();
    const lines: string[] = [];
    const host = await start(engine, { maxBufferedBytes: 64 * 1024, log: (line) => lines.push(line) });
    const ws = await connected(host);
    const messages = inbox(ws);
    // Stop reading: the server's send buffer grows as events keep coming, until the limit.
    ws.pause();
    const big = 'x'.repeat(16 * 1024);
    for (let i = 0; i < 2000 && !lines.some((line) => line.includes('fell behind')); i++) {
      engine.emit({ type: 'session-created', sessionId: 's1', url: big, at: i });
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(lines.join('\n')).toContain('a page fell behind');
    // While it is behind, events are not sent (not queued either): the one that tripped the limit and these five.
    for (let i = 0; i < 5; i++) engine.emit({ type: 'session-created', sessionId: 's1', url: 'skipped', at: i });
    expect(host.connections()).toBe(1);
    ws.resume();
    const behind = await messages.next((m) => m.type === 'behind');
    expect(behind).toMatchObject({ type: 'behind', bufferedBytes: expect.any(Number) });
    expect(behind.type === 'behind' && behind.bufferedBytes).toBeGreaterThan(64 * 1024);
    expect(await messages.next((m) => m.type === 'caught-up')).toEqual({ type: 'caught-up', skippedEvents: 6 });
    // Caught up: events flow again; the skipped ones never arrive.
    engine.emit({ type: 'session-created', sessionId: 's2', url: 'after', at: 1 });
    expect(await messages.next((m) => m.type === 'event')).toMatchObject({ event: { sessionId: 's1', url: big } });
    const isS2 = (m: WebServerMessage): boolean => m.type === 'event' && JSON.stringify(m.event).includes('"s2"');
    expect(await messages.next(isS2)).toMatchObject({ event: { sessionId: 's2', url: 'after' } });
    ws.close();
  });

  it('cuts off a page that keeps calling but never reads its answers, past four times the limit', async () => {
    const big = 'y'.repeat(32 * 1024);
    const engine: WebHostEngine = { ...fakeEngine(), invoke: async () => ok({ big }) };
    const lines: string[] = [];
    const host = await start(engine, { maxBufferedBytes: 16 * 1024, log: (line) => lines.push(line) });
    const ws = await connected(host);
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    ws.pause();
    for (let id = 1; id <= 2000 && host.connections() > 0; id++) {
      ws.send(JSON.stringify({ type: 'call', id, name: 'app:info', arg: {} }));
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(host.connections()).toBe(0);
    expect(lines.join('\n')).toContain('does not read the answers to its own calls');
    ws.resume();
    expect(await closed).toBe(1006);
  });

  it('closes a page that sends a message over the limit with 1009 and a reason naming the limit, logs it, and stays up', async () => {
    const engine = fakeEngine();
    const lines: string[] = [];
    const host = await start(engine, { maxPayloadBytes: 1024, log: (line) => lines.push(line) });
    const ws = await connected(host);
    const messages = inbox(ws);
    // Exactly at the limit is fine.
    const call = (id: number, data: string): string => JSON.stringify({ type: 'call', id, name: 'session:send', arg: { sessionId: 's1', kind: 'text', data } });
    const atLimit = call(1, '');
    ws.send(call(1, 'x'.repeat(1024 - atLimit.length)));
    expect(await messages.next()).toMatchObject({ type: 'result', id: 1, result: { ok: true } });

    const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString('utf8') })));
    ws.send(call(2, 'x'.repeat(2048)));
    expect(await closed).toEqual({ code: 1009, reason: 'message too big: the web host accepts at most 1024 bytes (--max-message-mb)' });
    expect(lines.join('\n')).toContain('sent a message over 1024 bytes (--max-message-mb)');
    expect(engine.calls.map((c) => c.name)).toEqual(['session:send']);

    // The host is still up for other pages.
    const again = await connected(host);
    const inboxAgain = inbox(again);
    again.send(JSON.stringify({ type: 'call', id: 3, name: 'app:info', arg: {} }));
    expect(await inboxAgain.next()).toMatchObject({ type: 'result', id: 3, result: { ok: true } });
    again.close();
  });

  it('names the limit in MiB when it is a whole number of MiB', async () => {
    const host = await start(fakeEngine(), { maxPayloadBytes: 2 * 1024 * 1024 });
    const ws = await connected(host);
    const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString('utf8') })));
    ws.send('x'.repeat(2 * 1024 * 1024 + 1));
    expect(await closed).toEqual({ code: 1009, reason: 'message too big: the web host accepts at most 2 MiB (--max-message-mb)' });
  });

  it('closes every page with 1001 when the host shuts down', async () => {
    const host = await start();
    const ws = await connected(host);
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    await host.close();
    expect(await closed).toBe(1001);
  });
});

describe('TLS (--tls), asked for explicitly on 127.0.0.1', () => {
  let certificate: HostCertificate;
  beforeAll(async () => {
    // Real dates: a real TLS client checks the validity against its own clock.
    certificate = await loadOrCreateCertificate({ dataDir: path.join(outside, 'tls-data'), host: '127.0.0.1', now: new Date() });
  });

  function tlsRequest(host: WebHost, target: string, headers: Record<string, string> = {}): Promise<Answer> {
    return new Promise((resolve, reject) => {
      const req = https.request(
        { host: '127.0.0.1', port: host.port, path: target, ca: certificate.certPem, headers: { Host: `127.0.0.1:${host.port}`, ...headers } },
        (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (body += chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
        },
      );
      req.on('error', reject);
      req.end();
    });
  }

  function openTlsSocket(host: WebHost, headers: Record<string, string>): Promise<{ status: number; ws?: WebSocket }> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(`wss://127.0.0.1:${host.port}/api`, { headers, ca: certificate.certPem });
      ws.once('open', () => resolve({ status: 101, ws }));
      ws.once('unexpected-response', (_req, res) => {
        res.resume();
        resolve({ status: res.statusCode ?? 0 });
      });
      ws.once('error', reject);
    });
  }

  it('prints an https URL, and the certificate (checked against its SAN by the client) serves the page with a Secure cookie', async () => {
    const host = await start(fakeEngine(), { tls: { keyPem: certificate.keyPem, certPem: certificate.certPem } });
    expect(host.url).toBe(`https://127.0.0.1:${host.port}/?token=${TOKEN}`);
    const page = await tlsRequest(host, `/?token=${TOKEN}`);
    expect(page.status).toBe(200);
    expect(page.headers['set-cookie']).toEqual([`tunnelscope_token_${host.port}=${TOKEN}; Path=/; HttpOnly; SameSite=Strict; Secure`]);
    expect(page.headers['content-security-policy']).toContain(`connect-src 'self' wss://127.0.0.1:${host.port}`);
    expect((await tlsRequest(host, '/')).status).toBe(401);
  });

  it('accepts the WebSocket over wss from its https origin only, and answers calls', async () => {
    const host = await start(fakeEngine(), { tls: { keyPem: certificate.keyPem, certPem: certificate.certPem } });
    const token = cookie(host);
    expect((await openTlsSocket(host, { ...token, Origin: `http://127.0.0.1:${host.port}` })).status).toBe(403);
    const { ws, status } = await openTlsSocket(host, { ...token, Origin: `https://127.0.0.1:${host.port}` });
    expect(status).toBe(101);
    if (!ws) throw new Error('no socket');
    const messages = inbox(ws);
    ws.send(JSON.stringify({ type: 'call', id: 1, name: 'app:info', arg: {} }));
    expect(await messages.next()).toEqual({ type: 'result', id: 1, result: { ok: true, value: { echoed: 'app:info' } } });
    ws.close();
  });

  it('a client that does not trust the certificate is refused by its own TLS check (it is self-signed)', async () => {
    const host = await start(fakeEngine(), { tls: { keyPem: certificate.keyPem, certPem: certificate.certPem } });
    const failure = await new Promise<Error>((resolve) => {
      https.get({ host: '127.0.0.1', port: host.port, path: '/' }, (res) => res.resume()).on('error', resolve);
    });
    expect(failure.message).toMatch(/self[- ]signed/i);
  });
});
