import { sessionInfoSchema } from '../../../src-main/shared/session-info';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { Engine } from '../../../src-main/core/engine';
import type { EngineEvent, EngineEventOf, EngineEventType } from '../../../src-main/shared/events';
import type { Result } from '../../../src-main/shared/result';
import { trustedServer, writePems, type PemDir } from '../../support/certs';
import { startEchoServer, type EchoServer } from '../../support/echo-server';
import { startFakeProxy, type FakeProxy } from '../../support/fake-proxy';
import { startRawServer, type RawServer } from '../../support/raw-ws-server';

let engine: Engine | undefined;
let echo: EchoServer | undefined;
let proxy: FakeProxy | undefined;
let raw: RawServer | undefined;
let pems: PemDir | undefined;

beforeAll(async () => {
  pems = await writePems({ 'ca.pem': trustedServer().ca });
});
afterAll(async () => {
  await pems?.cleanup();
});
afterEach(async () => {
  await engine?.dispose();
  engine = undefined;
  await echo?.close();
  echo = undefined;
  await proxy?.close();
  proxy = undefined;
  await raw?.close();
  raw = undefined;
  vi.restoreAllMocks();
});

/** An engine whose events for one session are collected, with helpers to wait on them. */
function collect(target: Engine): {
  events: EngineEvent[];
  of<T extends EngineEventType>(sessionId: string, type: T): EngineEventOf<T>[];
  waitFor<T extends EngineEventType>(sessionId: string, type: T, where?: (e: EngineEventOf<T>) => boolean, ms?: number): Promise<EngineEventOf<T>>;
} {
  const events: EngineEvent[] = [];
  const waiters = new Set<() => void>();
  target.onEvent((event) => {
    events.push(event);
    for (const wake of [...waiters]) wake();
  });
  const of = <T extends EngineEventType>(sessionId: string, type: T): EngineEventOf<T>[] =>
    events.filter((e): e is EngineEventOf<T> => e.type === type && e.sessionId === sessionId);
  return {
    events,
    of,
    // A generous deadline: on a busy machine a wss:// opening alone can take seconds (tests assert what happened).
    waitFor: (sessionId, type, where = () => true, ms = 30_000) =>
      new Promise((resolve, reject) => {
        const check = (): void => {
          const found = of(sessionId, type).find(where);
          if (found) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve(found);
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no ${type} event within ${ms} ms; got ${of(sessionId, 'state').map((e) => e.state).join(' → ')}`));
        }, ms);
        waiters.add(check);
        check();
      }),
  };
}

function value<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`command failed: ${JSON.stringify(result.error)}`);
  return result.value;
}

function errorOf<T>(result: Result<T>): { code: string; message: string; path?: string } {
  if (result.ok) throw new Error('the command should have failed');
  return result.error;
}

describe('Engine', () => {
  it('opens a direct ws:// session, echoes frames in and out, and closes', async () => {
    echo = await startEchoServer();
    engine = new Engine({ host: 'cli', version: '1.2.3', env: {}, batch: { intervalMs: 5 } });
    const seen = collect(engine);
    const { sessionId } = value(await engine.call('session:open', { options: { url: `${echo.url}/echo`, proxy: { mode: 'none' } } }));
    await seen.waitFor(sessionId, 'state', (e) => e.state === 'open');

    expect(value(await engine.call('session:send', { sessionId, kind: 'text', data: 'hello' })).seq).toBe(1);
    await seen.waitFor(sessionId, 'frames', (e) => e.frames.some((f) => f.seq === 2));
    expect(value(await engine.call('session:send', { sessionId, kind: 'binary', data: Buffer.from([1, 2, 3]).toString('base64') })).seq).toBe(3);
    await seen.waitFor(sessionId, 'frames', (e) => e.frames.some((f) => f.seq === 4));
    value(await engine.call('session:close', { sessionId, code: 1000, reason: 'done' }));
    const closed = await seen.waitFor(sessionId, 'closed');

    expect(closed).toMatchObject({ code: 1000, reason: 'done', wasClean: true, initiatedBy: 'client' });
    expect(seen.of(sessionId, 'session-created')).toHaveLength(1);
    expect(seen.of(sessionId, 'state').map((e) => `${e.previous}→${e.state}`)).toEqual([
      'idle→resolving-proxy',
      'resolving-proxy→connecting',
      'connecting→upgrading',
      'upgrading→open',
      'open→closing',
      'closing→closed',
    ]);
    expect(seen.of(sessionId, 'proxy-decision')[0]?.decision.source).toBe('none');
    const legs = seen.of(sessionId, 'handshake').map((e) => e.step);
    expect(legs.map((s) => `${s.leg}:${s.ok}`)).toEqual(['resolve:true', 'tcp:true', 'upgrade:true']);
    expect(legs[2]?.request?.startLine).toBe('GET /echo HTTP/1.1');
    expect(legs[2]?.response?.startLine).toBe('HTTP/1.1 101 Switching Protocols');
    const frames = seen.of(sessionId, 'frames').flatMap((e) => e.frames);
    expect(frames.map((f) => `${f.seq} ${f.dir} ${f.opcode} ${f.preview}`)).toEqual([
      '1 out text hello',
      '2 in text hello',
      '3 out binary 01 02 03',
      '4 in binary 01 02 03',
      '5 out close done',
      '6 in close done',
    ]);
    // A state change flushes pending frames first: our close frame comes before `closing`,
    // the server's answer between `closing` and `closed`.
    const mine = seen.events.filter((e) => e.sessionId === sessionId);
    const at = (pick: (e: EngineEvent) => boolean): number => mine.findIndex(pick);
    const batchWith = (seq: number): number => at((e) => e.type === 'frames' && e.frames.some((f) => f.seq === seq));
    const closing = at((e) => e.type === 'state' && e.state === 'closing');
    const closedState = at((e) => e.type === 'state' && e.state === 'closed');
    expect(batchWith(5)).toBeLessThan(closing);
    expect(batchWith(6)).toBeGreaterThan(closing);
    expect(batchWith(6)).toBeLessThan(closedState);

    const page = value(await engine.call('frames:page', { sessionId, fromSeq: 2, limit: 2 }));
    expect(page).toMatchObject({ firstSeq: 1, lastSeq: 6, dropped: 0 });
    expect(page.frames.map((f) => f.seq)).toEqual([2, 3]);
    expect(value(await engine.call('frames:get', { sessionId, seq: 2 })).text).toBe('hello');
    const list = value(await engine.call('session:list', {}));
    expect(list).toEqual([expect.objectContaining({ sessionId, state: 'closed', framesStored: 6, lastSeq: 6 })]);
    // What the events said is in the list too, for a host that missed them; valid by the contract.
    expect(sessionInfoSchema.safeParse(list[0]).success).toBe(true);
    expect(list[0]?.decision?.source).toBe('none');
    expect(list[0]?.steps?.map((s) => s.leg)).toEqual(['resolve', 'tcp', 'upgrade']);
    expect(list[0]?.ending).toMatchObject({ code: 1000, initiatedBy: 'client', wasClean: true });
    expect(list[0]?.error).toBeUndefined();
  });

  it('opens a wss:// session with an extra CA file', async () => {
    const server = trustedServer();
    echo = await startEchoServer({ tls: { cert: server.cert, key: server.key, hostname: '127.0.0.1' } });
    engine = new Engine({ host: 'cli', version: '1', env: {}, batch: { intervalMs: 5 } });
    const seen = collect(engine);
    const { sessionId } = value(
      await engine.call('session:open', {
        options: { url: echo.url, proxy: { mode: 'none' }, tls: { caFiles: [pems?.path('ca.pem') ?? ''] } },
      }),
    );
    await seen.waitFor(sessionId, 'state', (e) => e.state === 'open');
    value(await engine.call('session:send', { sessionId, kind: 'text', data: 'secure hello' }));
    await seen.waitFor(sessionId, 'frames', (e) => e.frames.some((f) => f.dir === 'in' && f.preview === 'secure hello'));
    expect(seen.of(sessionId, 'state').map((e) => e.state)).toEqual(['resolving-proxy', 'connecting', 'tls', 'upgrading', 'open']);
    const tlsLeg = seen.of(sessionId, 'handshake').find((e) => e.step.leg === 'tls')?.step;
    expect(tlsLeg?.ok).toBe(true);
    expect(tlsLeg?.tls?.authorized).toBe(true);
  });

  it('fails a wss:// session without the CA at the tls stage', async () => {
    const server = trustedServer();
    echo = await startEchoServer({ tls: { cert: server.cert, key: server.key, hostname: '127.0.0.1' } });
    engine = new Engine({ host: 'cli', version: '1', env: {} });
    const seen = collect(engine);
    const { sessionId } = value(await engine.call('session:open', { options: { url: echo.url, proxy: { mode: 'none' } } }));
    const error = await seen.waitFor(sessionId, 'error');
    expect(error.error).toMatchObject({ stage: 'tls', code: 'TLS_UNTRUSTED_CERT' });
    expect(await seen.waitFor(sessionId, 'closed')).toMatchObject({ initiatedBy: 'none', code: null });
    const [info] = value(await engine.call('session:list', {}));
    expect(sessionInfoSchema.safeParse(info).success).toBe(true);
    expect(info).toMatchObject({ state: 'failed', error: { stage: 'tls', code: 'TLS_UNTRUSTED_CERT' }, ending: { initiatedBy: 'none', code: null } });
    expect(info?.steps?.at(-1)).toMatchObject({ leg: 'tls', ok: false });
  });

  it.each([
    ['ws', false],
    ['wss', true],
  ])('tunnels %s:// through an HTTP proxy with CONNECT', async (_scheme, secure) => {
    const server = trustedServer();
    echo = await startEchoServer(secure ? { tls: { cert: server.cert, key: server.key, hostname: '127.0.0.1' } } : {});
    const echoPort = echo.port;
    proxy = await startFakeProxy(({ tunnelTo }) => tunnelTo(echoPort, 'HTTP/1.1 200 Connection established\r\n\r\n'));
    engine = new Engine({ host: 'cli', version: '1', env: {}, batch: { intervalMs: 5 } });
    const seen = collect(engine);
    const { sessionId } = value(
      await engine.call('session:open', {
        options: {
          url: `${echo.url}/via-proxy`,
          proxy: { mode: 'manual', url: `http://127.0.0.1:${proxy.port}` },
          tls: { caFiles: secure ? [pems?.path('ca.pem') ?? ''] : [] },
        },
      }),
    );
    await seen.waitFor(sessionId, 'state', (e) => e.state === 'open');
    value(await engine.call('session:send', { sessionId, kind: 'text', data: 'through the tunnel' }));
    await seen.waitFor(sessionId, 'frames', (e) => e.frames.some((f) => f.dir === 'in'));
    expect(proxy.requests[0]?.requestLine).toBe(`CONNECT 127.0.0.1:${echoPort} HTTP/1.1`);
    expect(seen.of(sessionId, 'state').map((e) => e.state)).toEqual(
      secure
        ? ['resolving-proxy', 'connecting', 'tunneling', 'tls', 'upgrading', 'open']
        : ['resolving-proxy', 'connecting', 'tunneling', 'upgrading', 'open'],
    );
    const proxyLeg = seen.of(sessionId, 'handshake').find((e) => e.step.leg === 'proxy')?.step;
    expect(proxyLeg?.response?.startLine).toBe('HTTP/1.1 200 Connection established');
    expect(seen.of(sessionId, 'proxy-decision')[0]?.decision).toMatchObject({ source: 'manual' });
    expect(echo.upgrades[0]?.['proxy-authorization']).toBeUndefined();
  });

  it('rejects invalid arguments with INVALID_ARGUMENT and the path', async () => {
    engine = new Engine({ host: 'web', version: '1', env: {} });
    const bad = errorOf(await engine.invoke('session:open', { options: { url: 'http://example.test/' } }));
    expect(bad).toMatchObject({ code: 'INVALID_ARGUMENT', path: 'options.url' });
    const notObject = errorOf(await engine.invoke('frames:page', 'nonsense'));
    expect(notObject.code).toBe('INVALID_ARGUMENT');
    const badSeq = errorOf(await engine.invoke('frames:get', { sessionId: 'x', seq: 0 }));
    expect(badSeq).toMatchObject({ code: 'INVALID_ARGUMENT', path: 'seq' });
  });

  it('answers UNKNOWN_COMMAND for a name that is not a command', async () => {
    engine = new Engine({ host: 'web', version: '1', env: {} });
    expect(errorOf(await engine.invoke('session:explode', {})).code).toBe('UNKNOWN_COMMAND');
    expect(errorOf(await engine.invoke('__proto__', {})).code).toBe('UNKNOWN_COMMAND');
    expect(errorOf(await engine.invoke('toString', {})).code).toBe('UNKNOWN_COMMAND');
  });

  it('answers UNKNOWN_SESSION for a session it does not have', async () => {
    engine = new Engine({ host: 'web', version: '1', env: {} });
    const results: Result<unknown>[] = [
      await engine.call('session:send', { sessionId: 'nope', kind: 'text', data: 'x' }),
      await engine.call('session:close', { sessionId: 'nope' }),
      await engine.call('frames:page', { sessionId: 'nope', fromSeq: 1, limit: 10 }),
      await engine.call('frames:get', { sessionId: 'nope', seq: 1 }),
      await engine.call('session:dispose', { sessionId: 'nope' }),
    ];
    for (const result of results) {
      expect(errorOf(result).code).toBe('UNKNOWN_SESSION');
    }
  });

  it('answers SESSION_NOT_OPEN for a send before open', async () => {
    raw = await startRawServer(() => undefined); // never answers the upgrade
    engine = new Engine({ host: 'web', version: '1', env: {} });
    const seen = collect(engine);
    const { sessionId } = value(await engine.call('session:open', { options: { url: raw.url, proxy: { mode: 'none' } } }));
    expect(errorOf(await engine.call('session:send', { sessionId, kind: 'text', data: 'too early' })).code).toBe('SESSION_NOT_OPEN');
    await seen.waitFor(sessionId, 'state', (e) => e.state === 'upgrading');
    expect(errorOf(await engine.call('session:ping', { sessionId })).code).toBe('SESSION_NOT_OPEN');
    value(await engine.call('session:close', { sessionId }));
    expect(await seen.waitFor(sessionId, 'closed')).toMatchObject({ initiatedBy: 'client' });
    expect(seen.of(sessionId, 'error')).toEqual([]);
  });

  it('keeps working when a listener throws', async () => {
    echo = await startEchoServer();
    engine = new Engine({ host: 'cli', version: '1', env: {}, batch: { intervalMs: 5 } });
    const consoleError = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    engine.onEvent(() => {
      throw new Error('listener bug');
    });
    const seen = collect(engine);
    const { sessionId } = value(await engine.call('session:open', { options: { url: echo.url, proxy: { mode: 'none' } } }));
    await seen.waitFor(sessionId, 'state', (e) => e.state === 'open');
    value(await engine.call('session:send', { sessionId, kind: 'text', data: 'still fine' }));
    await seen.waitFor(sessionId, 'frames', (e) => e.frames.some((f) => f.dir === 'in'));
    expect(consoleError).toHaveBeenCalled();
  });

  it('stops delivering events to a listener that unsubscribed', async () => {
    echo = await startEchoServer();
    engine = new Engine({ host: 'cli', version: '1', env: {} });
    const seen = collect(engine);
    const late: EngineEvent[] = [];
    const unsubscribe = engine.onEvent((event) => late.push(event));
    unsubscribe();
    const { sessionId } = value(await engine.call('session:open', { options: { url: echo.url, proxy: { mode: 'none' } } }));
    await seen.waitFor(sessionId, 'state', (e) => e.state === 'open');
    expect(late).toEqual([]);
  });

  it('reports NOT_FOUND for an evicted frame and the dropped count in pages', async () => {
    echo = await startEchoServer();
    engine = new Engine({ host: 'cli', version: '1', env: {}, frameStore: { maxFrames: 2 }, batch: { intervalMs: 5 } });
    const seen = collect(engine);
    const { sessionId } = value(await engine.call('session:open', { options: { url: echo.url, proxy: { mode: 'none' } } }));
    await seen.waitFor(sessionId, 'state', (e) => e.state === 'open');
    for (const data of ['a', 'b']) value(await engine.call('session:send', { sessionId, kind: 'text', data }));
    const last = await seen.waitFor(sessionId, 'frames', (e) => e.frames.some((f) => f.seq === 4));
    expect(last.dropped).toBeGreaterThanOrEqual(0);
    const page = value(await engine.call('frames:page', { sessionId, fromSeq: 1, limit: 10 }));
    expect(page).toMatchObject({ firstSeq: 3, lastSeq: 4, dropped: 2 });
    expect(errorOf(await engine.call('frames:get', { sessionId, seq: 1 })).code).toBe('NOT_FOUND');
    expect(errorOf(await engine.call('frames:get', { sessionId, seq: 99 })).code).toBe('NOT_FOUND');
  });

  it("keeps the frames a connection's history setting asks for, over the engine's default", async () => {
    echo = await startEchoServer();
    engine = new Engine({ host: 'cli', version: '1', env: {}, frameStore: { maxFrames: 2 }, batch: { intervalMs: 5 } });
    const seen = collect(engine);
    const options = { url: echo.url, proxy: { mode: 'none' as const }, history: { maxFrames: 100, maxBytes: 1024 * 1024 } };
    const { sessionId } = value(await engine.call('session:open', { options }));
    await seen.waitFor(sessionId, 'state', (e) => e.state === 'open');
    // 60 messages out and 60 echoes: 120 frames, of which the newest 100 are kept.
    for (let i = 1; i <= 60; i++) value(await engine.call('session:send', { sessionId, kind: 'text', data: `m${i}` }));
    await seen.waitFor(sessionId, 'frames', (e) => e.frames.some((f) => f.seq === 120));
    expect(value(await engine.call('frames:page', { sessionId, fromSeq: 1, limit: 500 }))).toMatchObject({ firstSeq: 21, lastSeq: 120, dropped: 20 });
    const info = value(await engine.call('session:list', {})).find((s) => s.sessionId === sessionId);
    expect(info?.framesStored).toBe(100);
  });

  it("bounds a session by its history's byte budget", async () => {
    echo = await startEchoServer();
    engine = new Engine({ host: 'cli', version: '1', env: {}, batch: { intervalMs: 5 } });
    const seen = collect(engine);
    const options = { url: echo.url, proxy: { mode: 'none' as const }, history: { maxBytes: 1024 * 1024 } };
    const { sessionId } = value(await engine.call('session:open', { options }));
    await seen.waitFor(sessionId, 'state', (e) => e.state === 'open');
    // 3 × 400 KiB out and back: 2.4 MiB in six frames, against a 1 MiB budget (two frames fit).
    for (let i = 0; i < 3; i++) value(await engine.call('session:send', { sessionId, kind: 'text', data: 'x'.repeat(400 * 1024) }));
    await seen.waitFor(sessionId, 'frames', (e) => e.frames.some((f) => f.seq === 6));
    expect(value(await engine.call('frames:page', { sessionId, fromSeq: 1, limit: 10 }))).toMatchObject({ firstSeq: 5, lastSeq: 6, dropped: 4 });
  });

  it('refuses a history setting out of bounds, naming the field and the bound', async () => {
    engine = new Engine({ host: 'cli', version: '1', env: {} });
    const tooFew = errorOf(await engine.call('session:open', { options: { url: 'ws://127.0.0.1:9/', history: { maxFrames: 10 } } }));
    expect(tooFew.code).toBe('INVALID_ARGUMENT');
    expect(tooFew.message).toMatch(/history\.maxFrames/);
    expect(tooFew.message).toMatch(/at least 100 frames/);
    const tooMuch = errorOf(await engine.call('session:open', { options: { url: 'ws://127.0.0.1:9/', history: { maxBytes: 5000 * 1024 * 1024 } } }));
    expect(tooMuch.message).toMatch(/at most 4,096 MiB/);
    const fraction = errorOf(await engine.call('session:open', { options: { url: 'ws://127.0.0.1:9/', history: { maxFrames: 1000.5 } } }));
    expect(fraction.message).toMatch(/whole number/);
  });

  it('resolves the proxy for a URL, and reports system proxy support in app:info', async () => {
    engine = new Engine({ host: 'cli', version: '9.9.9', env: { HTTPS_PROXY: 'http://corp-proxy.test:3128' } });
    const decision = value(await engine.call('proxy:resolve', { url: 'wss://echo.test/', proxy: { mode: 'env' } }));
    expect(decision.source).toBe('env');
    expect(decision.candidates[0]).toMatchObject({ host: 'corp-proxy.test', port: 3128 });
    expect(value(await engine.call('app:info', {}))).toMatchObject({ version: '9.9.9', host: 'cli', systemProxy: false });
    const electron = new Engine({ host: 'electron', version: '1', env: {}, systemResolver: async () => 'DIRECT' });
    expect(value(await electron.call('app:info', {})).systemProxy).toBe(true);
    // A proxy URL the contract cannot read is refused before resolving, naming its field.
    const failed = await engine.call('proxy:resolve', { url: 'ws://echo.test/', proxy: { mode: 'manual', url: 'ftp://nope' } });
    expect(failed.ok).toBe(false);
    if (!failed.ok && !('stage' in failed.error)) expect(failed.error).toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringContaining('proxy.url') });
    else throw new Error('expected a command error naming proxy.url');
  });

  it('disposes a session (session-removed) and the whole engine', async () => {
    echo = await startEchoServer();
    engine = new Engine({ host: 'cli', version: '1', env: {} });
    const seen = collect(engine);
    const first = value(await engine.call('session:open', { options: { url: echo.url, proxy: { mode: 'none' } } })).sessionId;
    const second = value(await engine.call('session:open', { options: { url: echo.url, proxy: { mode: 'none' } } })).sessionId;
    await seen.waitFor(first, 'state', (e) => e.state === 'open');
    await seen.waitFor(second, 'state', (e) => e.state === 'open');
    value(await engine.call('session:dispose', { sessionId: first }));
    expect(seen.of(first, 'session-removed')).toHaveLength(1);
    expect(value(await engine.call('session:list', {})).map((s) => s.sessionId)).toEqual([second]);
    await engine.dispose();
    expect(seen.of(second, 'closed')[0]).toMatchObject({ initiatedBy: 'client' });
    await expect.poll(() => echo?.sockets.size).toBe(0);
    expect(errorOf(await engine.call('session:open', { options: { url: echo.url } })).code).toBe('FORBIDDEN');
  });
});
