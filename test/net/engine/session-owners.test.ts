// Every session has an owner and a limit, through the engine with real sessions on 127.0.0.1:
// a client gone for the grace has its sessions closed (the server sees the close) and
// disposed; a reload within the grace keeps them; another client lists and adopts them; the
// limits refuse the next session with an error that names them; a closed session gives back
// its write slab. The grace and retention run on fake time (ManualClock); sockets on real time.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WebSocketServer } from 'ws';
import { Engine, type Caller } from '../../../src-main/core/engine';
import { exportToText } from '../../../src-main/core/export/export-session';
import { fixtureSession } from '../../unit/export/log-fixture';
import type { EngineEvent } from '../../../src-main/shared/events';
import type { Result } from '../../../src-main/shared/result';
import type { SessionInfo } from '../../../src-main/shared/session-info';
import { ManualClock } from '../../support/manual-clock';

interface RecordingServer {
  url: string;
  /** Close codes the server received, one per connection that closed with a frame. */
  closeCodes: number[];
  /** Connections still open. */
  open(): number;
  close(): Promise<void>;
}

/** A WebSocket echo server on 127.0.0.1 that records how each connection was closed. */
async function startRecordingServer(): Promise<RecordingServer> {
  const server = http.createServer();
  const wss = new WebSocketServer({ server });
  const closeCodes: number[] = [];
  wss.on('connection', (socket) => {
    socket.on('error', () => socket.terminate());
    socket.on('message', (data, isBinary) => socket.send(data, { binary: isBinary }));
    socket.on('close', (code) => closeCodes.push(code));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}/`,
    closeCodes,
    open: () => [...wss.clients].filter((client) => client.readyState === client.OPEN).length,
    close: async () => {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A port on 127.0.0.1 where nothing listens (connections are refused at once). */
async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

let engine: Engine | undefined;
let server: RecordingServer | undefined;

afterEach(async () => {
  await engine?.dispose();
  engine = undefined;
  await server?.close();
  server = undefined;
});

function value<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`command failed: ${JSON.stringify(result.error)}`);
  return result.value;
}

const pageA = { clientId: 'page-a-0123456789' } satisfies Caller;
const pageB = { clientId: 'page-b-0123456789' } satisfies Caller;

function setup(limits: ConstructorParameters<typeof Engine>[0]['sessionLimits'] = {}): { clock: ManualClock; engine: Engine; events: EngineEvent[] } {
  const clock = new ManualClock();
  const created = new Engine({
    host: 'web',
    version: 'test',
    env: {},
    clock,
    sessionLimits: { clientGraceMs: 60_000, closedRetentionMs: 600_000, ...limits },
    limitHints: { maxSessions: 'the web host’s --max-sessions flag', maxSessionsPerClient: 'the web host’s --max-sessions-per-client flag' },
  });
  const events: EngineEvent[] = [];
  created.onEvent((event) => events.push(event));
  engine = created;
  return { clock, engine: created, events };
}

async function openSession(target: Engine, url: string, caller: Caller | undefined): Promise<string> {
  return value(await target.call('session:open', { options: { url, proxy: { mode: 'none' } } }, caller)).sessionId;
}

async function list(target: Engine, caller: Caller | undefined): Promise<SessionInfo[]> {
  return value(await target.call('session:list', {}, caller));
}

async function waitOpen(target: Engine, sessionId: string): Promise<void> {
  await vi.waitFor(async () => expect((await list(target, undefined)).find((s) => s.sessionId === sessionId)?.state).toBe('open'), { timeout: 10_000 });
}

describe('engine: a client that goes away', () => {
  it('has its sessions closed and disposed once the grace has passed, not before', async () => {
    server = await startRecordingServer();
    const { clock, engine: e, events } = setup();
    e.clientConnected(pageA.clientId);
    const sessionId = await openSession(e, server.url, pageA);
    await waitOpen(e, sessionId);
    e.clientDisconnected(pageA.clientId);
    clock.advance(59_999);
    expect(await list(e, undefined)).toHaveLength(1);
    expect(server.closeCodes).toEqual([]);
    clock.advance(1);
    await vi.waitFor(() => expect(events.some((ev) => ev.type === 'session-removed' && ev.sessionId === sessionId)).toBe(true), { timeout: 10_000 });
    expect(await list(e, undefined)).toEqual([]);
    await vi.waitFor(() => expect(server?.closeCodes).toEqual([1001]), { timeout: 10_000 });
  });

  it('keeps them when the client comes back within the grace (a page reload)', async () => {
    server = await startRecordingServer();
    const { clock, engine: e } = setup();
    e.clientConnected(pageA.clientId);
    const sessionId = await openSession(e, server.url, pageA);
    await waitOpen(e, sessionId);
    e.clientDisconnected(pageA.clientId);
    clock.advance(30_000);
    e.clientConnected(pageA.clientId);
    clock.advance(3600_000);
    const [info] = await list(e, pageA);
    expect(info).toMatchObject({ sessionId, state: 'open', owner: 'you' });
    expect(info?.disposeAt).toBeUndefined();
    expect(server.open()).toBe(1);
    expect(server.closeCodes).toEqual([]);
  });

  it('lists them to another client as gone (with when they go), and that client can adopt them', async () => {
    server = await startRecordingServer();
    const { clock, engine: e } = setup();
    e.clientConnected(pageA.clientId);
    const kept = await openSession(e, server.url, pageA);
    const left = await openSession(e, server.url, pageA);
    await waitOpen(e, kept);
    await waitOpen(e, left);
    e.clientDisconnected(pageA.clientId);
    e.clientConnected(pageB.clientId);
    const seen = await list(e, pageB);
    expect(seen.map((s) => [s.sessionId, s.owner, s.disposeAt]).sort()).toEqual(
      [
        [kept, 'gone', clock.now() + 60_000],
        [left, 'gone', clock.now() + 60_000],
      ].sort(),
    );
    expect(value(await e.call('session:adopt', { sessionId: kept }, pageB))).toEqual({});
    expect((await list(e, pageB)).find((s) => s.sessionId === kept)).toMatchObject({ owner: 'you', pinned: true, state: 'open' });
    clock.advance(60_000);
    await vi.waitFor(async () => expect((await list(e, pageB)).map((s) => s.sessionId)).toEqual([kept]), { timeout: 10_000 });
    // The adopted session still works: it echoes.
    value(await e.call('session:send', { sessionId: kept, kind: 'text', data: 'still here' }, pageB));
    await vi.waitFor(async () => expect(value(await e.call('frames:get', { sessionId: kept, seq: 2 })).text).toBe('still here'), { timeout: 10_000 });
  });

  it('answers adopt and pin of an unknown session with UNKNOWN_SESSION', async () => {
    const { engine: e } = setup();
    expect(await e.call('session:adopt', { sessionId: 'nope' }, pageA)).toEqual({ ok: false, error: { code: 'UNKNOWN_SESSION', message: 'no session nope', path: 'sessionId' } });
    expect(await e.call('session:pin', { sessionId: 'nope', pinned: true }, pageA)).toMatchObject({ ok: false, error: { code: 'UNKNOWN_SESSION' } });
    expect(await e.invoke('session:pin', { sessionId: 'nope', pinned: 'yes' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_ARGUMENT', path: 'pinned' },
    });
  });
});

describe('engine: closed sessions', () => {
  it('gives back the 1 MiB write slab at close and keeps the frames readable', async () => {
    server = await startRecordingServer();
    const { engine: e } = setup();
    const sessionId = await openSession(e, server.url, undefined);
    await waitOpen(e, sessionId);
    value(await e.call('session:send', { sessionId, kind: 'text', data: 'hello' }));
    await vi.waitFor(async () => expect((await list(e, undefined))[0]?.lastSeq).toBe(2), { timeout: 10_000 });
    expect((await list(e, undefined))[0]?.heldBytes).toBeGreaterThanOrEqual(1024 * 1024);
    value(await e.call('session:close', { sessionId }));
    await vi.waitFor(async () => expect((await list(e, undefined))[0]?.state).toBe('closed'), { timeout: 10_000 });
    expect((await list(e, undefined))[0]?.heldBytes).toBeLessThan(64 * 1024);
    expect(value(await e.call('frames:get', { sessionId, seq: 2 })).text).toBe('hello');
  });

  it('disposes a closed session after the retention unless a tab pinned it', async () => {
    server = await startRecordingServer();
    const { clock, engine: e } = setup();
    e.clientConnected(pageA.clientId);
    const pinned = value(await e.call('session:open', { options: { url: server.url, proxy: { mode: 'none' } }, pin: true }, pageA)).sessionId;
    const loose = await openSession(e, server.url, pageA);
    await waitOpen(e, pinned);
    await waitOpen(e, loose);
    value(await e.call('session:close', { sessionId: pinned }, pageA));
    value(await e.call('session:close', { sessionId: loose }, pageA));
    await vi.waitFor(async () => expect((await list(e, pageA)).map((s) => s.state)).toEqual(['closed', 'closed']), { timeout: 10_000 });
    expect((await list(e, pageA)).find((s) => s.sessionId === loose)?.disposeAt).toBe(clock.now() + 600_000);
    clock.advance(600_000);
    await vi.waitFor(async () => expect((await list(e, pageA)).map((s) => s.sessionId)).toEqual([pinned]), { timeout: 10_000 });
    value(await e.call('session:pin', { sessionId: pinned, pinned: false }, pageA));
    clock.advance(600_000);
    await vi.waitFor(async () => expect(await list(e, pageA)).toEqual([]), { timeout: 10_000 });
  });
});

describe('engine: imported logs', () => {
  it('belong to the importing client, hold no write buffer, and are retired after the retention unless pinned', async () => {
    const { clock, engine: e } = setup();
    e.clientConnected(pageA.clientId);
    const text = (await exportToText(fixtureSession(), { format: 'ndjson', version: '1' })).text;
    const imported = value(await e.call('frames:import', { text, name: 'capture.ndjson' }, pageA));
    const [info] = await list(e, pageA);
    expect(info).toMatchObject({ sessionId: imported.sessionId, owner: 'you', pinned: false, disposeAt: clock.now() + 600_000 });
    expect(info?.heldBytes).toBeLessThan(64 * 1024);
    clock.advance(600_000);
    await vi.waitFor(async () => expect(await list(e, pageA)).toEqual([]), { timeout: 10_000 });
  });
});

describe('engine: limits', () => {
  it('lets only one of two imports that race for the last place in', async () => {
    const { engine: e, events } = setup({ maxSessions: 1 });
    const text = (await exportToText(fixtureSession(), { format: 'ndjson', version: '1' })).text;
    const results = await Promise.all([
      e.call('frames:import', { text, name: 'one.ndjson' }, pageA),
      e.call('frames:import', { text, name: 'two.ndjson' }, pageA),
    ]);
    expect(results.filter((result) => result.ok)).toHaveLength(1);
    expect(results.filter((result) => !result.ok)).toMatchObject([{ error: { code: 'LIMIT_REACHED' } }]);
    expect(await list(e, pageA)).toHaveLength(1);
    // The refused one was taken back: the page heard it go.
    expect(events.filter((event) => event.type === 'session-removed')).toHaveLength(1);
  });

  it('refuses the 1,001st session with an error naming the limit and how to change it', async () => {
    const port = await closedPort();
    const { engine: e } = setup({ maxSessions: 1000, maxSessionsPerClient: 1000 });
    const url = `ws://127.0.0.1:${port}/`;
    for (let i = 0; i < 1000; i++) await openSession(e, url, undefined);
    const refused = await e.call('session:open', { options: { url, proxy: { mode: 'none' } } });
    expect(refused).toEqual({
      ok: false,
      error: {
        code: 'LIMIT_REACHED',
        message:
          'session:open: the engine already holds 1000 sessions, its limit (maxSessions 1000; the web host’s --max-sessions flag): remove sessions you no longer need (close their tabs)',
      },
    });
    const imported = await e.call('frames:import', { text: '', name: 'log.ndjson' });
    expect(imported).toMatchObject({ ok: false, error: { code: 'LIMIT_REACHED' } });
    // One gone, one may come.
    const first = (await list(e, undefined))[0]?.sessionId ?? '';
    value(await e.call('session:dispose', { sessionId: first }));
    await openSession(e, url, undefined);
  });

  it('refuses a client’s 101st session while another client may still open one', async () => {
    const port = await closedPort();
    const { engine: e } = setup({ maxSessionsPerClient: 100 });
    e.clientConnected(pageA.clientId);
    e.clientConnected(pageB.clientId);
    const url = `ws://127.0.0.1:${port}/`;
    for (let i = 0; i < 100; i++) await openSession(e, url, pageA);
    const refused = await e.call('session:open', { options: { url, proxy: { mode: 'none' } } }, pageA);
    expect(refused).toMatchObject({ ok: false, error: { code: 'LIMIT_REACHED' } });
    expect(refused.ok ? '' : refused.error.message).toContain('maxSessionsPerClient 100; the web host’s --max-sessions-per-client flag');
    await openSession(e, url, pageB);
    // Adopting counts too: page B cannot take over past its own limit.
    const aSession = (await list(e, pageA)).find((s) => s.owner === 'you')?.sessionId ?? '';
    for (let i = 0; i < 99; i++) await openSession(e, url, pageB);
    expect(await e.call('session:adopt', { sessionId: aSession }, pageB)).toMatchObject({ ok: false, error: { code: 'LIMIT_REACHED' } });
  });
});
