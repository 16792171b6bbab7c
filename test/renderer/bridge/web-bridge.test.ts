/**
 * The browser's bridge over the web host's WebSocket, against a fake socket: calls and their
 * answers, validation of everything that arrives, what happens to calls when the socket
 * drops, and reconnecting with backoff.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { EngineEvent, HostEvent } from '../../../src-main/shared/events';
import { webClientMessageSchema } from '../../../src-main/shared/bridge';
import { callMessages } from '../../../src-renderer/src/bridge/call-parts';
import { createWebBridge, sameOriginApiUrl, type WebBridge } from '../../../src-renderer/src/bridge/web-bridge';
import { socketFactory } from './fake-socket';

const APP_INFO = { name: 'Tunnelscope', version: '1.0.0', host: 'web', platform: 'linux', systemProxy: false };
const STATE_EVENT: EngineEvent = { type: 'state', sessionId: 's1', state: 'open', previous: 'upgrading', at: 1 };
const FRAME = { seq: 1, dir: 'in', opcode: 'text', at: 1, size: 2, preview: 'hi', truncated: false } as const;
const FRAMES_EVENT = { type: 'frames', sessionId: 's1', fromSeq: 1, frames: [FRAME], dropped: 0 } as const;

let factory: ReturnType<typeof socketFactory>;
let warnings: string[];
let web: WebBridge;

function makeBridge(options: { firstConnectWaitMs?: number; yieldTask?: (run: () => void) => void; now?: () => number } = {}): WebBridge {
  web = createWebBridge({
    url: 'ws://127.0.0.1:5199/api',
    createSocket: factory.create,
    backoff: { initialMs: 100, maxMs: 800 },
    warn: (message) => warnings.push(message),
    // Messages are taken in at once here; inbox.test.ts and the slicing case below check the slices.
    yieldTask: (run) => run(),
    ...options,
  });
  return web;
}

beforeEach(() => {
  vi.useFakeTimers();
  factory = socketFactory();
  warnings = [];
});
afterEach(() => {
  web?.close();
  vi.useRealTimers();
});

describe('calls', () => {
  it('sends a call and resolves with the validated result of the same id', async () => {
    const { bridge } = makeBridge();
    factory.last().open();
    const pending = bridge['app:info']({});
    const [call] = factory.last().calls();
    expect(call).toEqual({ type: 'call', id: expect.any(Number), name: 'app:info', arg: {} });
    factory.last().receive({ type: 'result', id: call?.id, result: { ok: true, value: APP_INFO } });
    expect(await pending).toEqual({ ok: true, value: APP_INFO });
  });

  it('passes failures through (a NetError or a command error)', async () => {
    const { bridge } = makeBridge();
    factory.last().open();
    const pending = bridge['session:send']({ sessionId: 's1', kind: 'text', data: 'x' });
    const id = factory.last().calls()[0]?.id;
    factory.last().receive({ type: 'result', id, result: { ok: false, error: { code: 'SESSION_NOT_OPEN', message: 'session s1 is closed, not open', path: 'sessionId' } } });
    expect(await pending).toEqual({ ok: false, error: { code: 'SESSION_NOT_OPEN', message: 'session s1 is closed, not open', path: 'sessionId' } });
  });

  it('turns a result that does not match the contract into an INTERNAL failure', async () => {
    const { bridge } = makeBridge();
    factory.last().open();
    const pending = bridge['app:info']({});
    const id = factory.last().calls()[0]?.id;
    factory.last().receive({ type: 'result', id, result: { ok: true, value: { name: 42 } } });
    const result = await pending;
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatchObject({ code: 'INTERNAL', message: expect.stringContaining('did not match the contract') });
  });

  it('queues calls made before the first connection and sends them when it opens', async () => {
    const { bridge } = makeBridge();
    const pending = bridge['session:list']({});
    expect(factory.last().sent).toEqual([]);
    factory.last().open();
    const id = factory.last().calls()[0]?.id;
    factory.last().receive({ type: 'result', id, result: { ok: true, value: [] } });
    expect(await pending).toEqual({ ok: true, value: [] });
  });

  it('fails a queued call clearly when the host cannot be reached in time', async () => {
    const { bridge } = makeBridge({ firstConnectWaitMs: 1000 });
    const pending = bridge['app:info']({});
    factory.last().drop();
    await vi.advanceTimersByTimeAsync(1000);
    const result = await pending;
    expect(result).toMatchObject({ ok: false, error: { code: 'INTERNAL', message: expect.stringContaining('Could not reach the web host at ws://127.0.0.1:5199/api') } });
  });

  it('fails calls in flight when the socket drops, and later calls at once while it is lost', async () => {
    const { bridge, connection } = makeBridge();
    factory.last().open();
    const inFlight = bridge['session:open']({ options: { url: 'wss://echo.test' } });
    factory.last().drop(1006);
    expect(await inFlight).toMatchObject({ ok: false, error: { code: 'INTERNAL', message: expect.stringContaining('lost before it answered (session:open)') } });
    expect(connection.state).toBe('lost');
    expect(await bridge['app:info']({})).toMatchObject({ ok: false, error: { message: expect.stringContaining('lost; reconnecting. app:info was not sent') } });
  });

  it('fails an argument that cannot be serialised without sending anything', async () => {
    const { bridge } = makeBridge();
    factory.last().open();
    // A caller that bypasses the types (the bridge must not throw, whatever it is given).
    const cyclic: { self?: unknown } = {};
    cyclic.self = cyclic;
    const result: unknown = await Reflect.apply(bridge['session:list'], bridge, [cyclic]);
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
    expect(factory.last().sent).toEqual([]);
  });
});

describe('server messages', () => {
  it('delivers valid events to every listener until it unsubscribes', () => {
    const { bridge } = makeBridge();
    factory.last().open();
    const a: HostEvent[] = [];
    const b: HostEvent[] = [];
    const offA = bridge.onEvent((event) => a.push(event));
    bridge.onEvent((event) => b.push(event));
    factory.last().receive({ type: 'event', event: STATE_EVENT });
    offA();
    factory.last().receive({ type: 'event', event: STATE_EVENT });
    expect(a).toEqual([STATE_EVENT]);
    expect(b).toEqual([STATE_EVENT, STATE_EVENT]);
  });

  it('delivers a frames event whose summaries all pass the check, unchanged', () => {
    const { bridge } = makeBridge();
    factory.last().open();
    const events: HostEvent[] = [];
    bridge.onEvent((event) => events.push(event));
    const event = { ...FRAMES_EVENT, frames: [FRAME, { ...FRAME, seq: 2, opcode: 'close', closeCode: 1000, closeReason: 'bye' }] };
    factory.last().receive({ type: 'event', event });
    expect(events).toEqual([event]);
    expect(warnings).toEqual([]);
  });

  it.each([
    ['not JSON', '{oops', 'not JSON'],
    ['an unknown message type', { type: 'surprise' }, 'malformed message'],
    ['an event outside the contract', { type: 'event', event: { type: 'state', sessionId: 's1', state: 'exploded' } }, 'does not match the contract'],
    ['a result for no call', { type: 'result', id: 999, result: { ok: true, value: {} } }, 'could not match (id 999)'],
    ['a frames event with a broken frame', { type: 'event', event: { ...FRAMES_EVENT, frames: [FRAME, { ...FRAME, seq: 2, size: -1 }] } }, '(frames.1.size: not a whole number from 0)'],
    ['a frames event without its session', { type: 'event', event: { ...FRAMES_EVENT, sessionId: '' } }, 'sessionId'],
    ['a frames event whose frames are not a list', { type: 'event', event: { ...FRAMES_EVENT, frames: 'many' } }, 'frames'],
  ])('drops %s with a warning', (_what, message, warning) => {
    const { bridge } = makeBridge();
    factory.last().open();
    const events: HostEvent[] = [];
    bridge.onEvent((event) => events.push(event));
    factory.last().receive(message);
    expect(events).toEqual([]);
    expect(warnings.join('\n')).toContain(warning);
  });
});

describe('taking messages in', () => {
  it('takes a burst in slices of bounded time, in order, answers and events alike', async () => {
    const tasks: (() => void)[] = [];
    let now = 0;
    const { bridge } = makeBridge({ yieldTask: (run) => tasks.push(run), now: () => now });
    factory.last().open();
    const seen: string[] = [];
    bridge.onEvent((event) => {
      seen.push(event.type === 'frames' ? `frames ${event.fromSeq}` : event.type);
      // Each frames event takes 4 ms to take in.
      if (event.type === 'frames') now += 4;
    });
    const info = bridge['app:info']({}).then(() => seen.push('answer'));
    const id = factory.last().calls()[0]?.id;
    for (let from = 1; from <= 4; from++) factory.last().receive({ type: 'event', event: { ...FRAMES_EVENT, fromSeq: from, frames: [{ ...FRAME, seq: from }] } });
    factory.last().receive({ type: 'result', id, result: { ok: true, value: APP_INFO } });
    factory.last().receive({ type: 'event', event: STATE_EVENT });
    // Nothing is taken in while the socket's task runs; one task is asked for.
    expect(seen).toEqual([]);
    expect(tasks).toHaveLength(1);
    // A slice stops once 6 ms have gone (after two events of 4 ms), then the rest follows in turn.
    tasks.shift()?.();
    expect(seen).toEqual(['frames 1', 'frames 2']);
    tasks.shift()?.();
    expect(seen).toEqual(['frames 1', 'frames 2', 'frames 3', 'frames 4']);
    tasks.shift()?.();
    await info;
    expect(seen).toEqual(['frames 1', 'frames 2', 'frames 3', 'frames 4', 'state', 'answer']);
    expect(tasks).toHaveLength(0);
  });

  it('takes in what a socket brought before it closed, so an answer among it is not a lost call', async () => {
    const tasks: (() => void)[] = [];
    const { bridge } = makeBridge({ yieldTask: (run) => tasks.push(run) });
    factory.last().open();
    const info = bridge['app:info']({});
    const id = factory.last().calls()[0]?.id;
    factory.last().receive({ type: 'result', id, result: { ok: true, value: APP_INFO } });
    factory.last().drop();
    expect(await info).toEqual({ ok: true, value: APP_INFO });
  });
});

describe('reconnecting', () => {
  it('reports lost, retries with doubling delays up to the cap, and is open again after a reconnect', async () => {
    const { connection } = makeBridge();
    const states: string[] = [];
    connection.onChange((state) => states.push(state));
    factory.last().open();
    factory.last().drop(1001, 'the web host is shutting down');
    expect(connection.state).toBe('lost');
    expect(connection.lastCloseReason).toBe('closed with code 1001: the web host is shutting down');
    expect(factory.sockets).toHaveLength(1);

    await vi.advanceTimersByTimeAsync(100);
    expect(factory.sockets).toHaveLength(2);
    factory.last().drop();
    await vi.advanceTimersByTimeAsync(199);
    expect(factory.sockets).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(factory.sockets).toHaveLength(3);
    for (let i = 0; i < 5; i++) {
      factory.last().drop();
      await vi.advanceTimersByTimeAsync(800);
    }
    expect(factory.sockets).toHaveLength(8);
    factory.last().open();
    expect(connection.state).toBe('open');
    expect(states).toEqual(['open', 'lost', 'open']);
  });

  it('reconnects at once on retryNow, and not at all after close()', async () => {
    const { connection, close } = makeBridge();
    factory.last().open();
    factory.last().drop();
    connection.retryNow();
    expect(factory.sockets).toHaveLength(2);
    factory.last().drop();
    close();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(factory.sockets).toHaveLength(2);
  });

  it('ignores a replaced socket that closes late', async () => {
    const { bridge, connection } = makeBridge();
    const first = factory.last();
    first.open();
    first.drop();
    await vi.advanceTimersByTimeAsync(100);
    factory.last().open();
    first.onclose?.(new CloseEvent('close', { code: 1006 }));
    expect(connection.state).toBe('open');
    const pending = bridge['session:list']({});
    factory.last().receive({ type: 'result', id: factory.last().calls()[0]?.id, result: { ok: true, value: [] } });
    expect(await pending).toEqual({ ok: true, value: [] });
  });
});

describe('sameOriginApiUrl', () => {
  it('is ws:// for http pages and wss:// for https pages, on the page host', () => {
    expect(sameOriginApiUrl({ protocol: 'http:', host: '127.0.0.1:5199' })).toBe('ws://127.0.0.1:5199/api');
    expect(sameOriginApiUrl({ protocol: 'https:', host: 'box.lan:443' })).toBe('wss://box.lan:443/api');
  });
});

describe('limits the web host enforces', () => {
  it('fell behind: a warning; caught up: onEventsMissed hears how many events were skipped', () => {
    const { connection } = makeBridge();
    const missed: number[] = [];
    const stop = connection.onEventsMissed((count) => missed.push(count));
    factory.last().open();
    factory.last().receive({ type: 'behind', bufferedBytes: 20 * 1024 * 1024 });
    expect(warnings).toEqual(['tunnelscope: this page fell behind the web host (20480 KiB waiting); events are paused until it catches up']);
    expect(missed).toEqual([]);
    factory.last().receive({ type: 'caught-up', skippedEvents: 42 });
    expect(missed).toEqual([42]);
    stop();
    factory.last().receive({ type: 'caught-up', skippedEvents: 1 });
    expect(missed).toEqual([42]);
    expect(connection.state).toBe('open');
  });

  it('a malformed behind or caught-up notice is ignored with a warning, not trusted', () => {
    const { connection } = makeBridge();
    const missed: number[] = [];
    connection.onEventsMissed((count) => missed.push(count));
    factory.last().open();
    factory.last().receive({ type: 'caught-up', skippedEvents: -1 });
    factory.last().receive({ type: 'behind' });
    expect(missed).toEqual([]);
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toContain('malformed message');
  });

  it('a close for a message over the host limit (1009) fails calls in flight with that reason', async () => {
    const { bridge, connection } = makeBridge();
    factory.last().open();
    const pending = bridge['session:send']({ sessionId: 's1', kind: 'text', data: 'big' });
    factory.last().drop(1009, 'message too big: the web host accepts at most 8 MiB (--max-message-mb)');
    const result = await pending;
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'INTERNAL', message: expect.stringContaining('because a message was too big (message too big: the web host accepts at most 8 MiB (--max-message-mb))') },
    });
    expect(connection.lastCloseReason).toBe('the web host refused a message as too big (message too big: the web host accepts at most 8 MiB (--max-message-mb))');
  });
});

describe('calls larger than one message', () => {
  it('sends a large import as parts of its arg’s JSON, then the call, each part under 1 MiB', async () => {
    const { bridge } = makeBridge();
    factory.last().open();
    // Quotes and non-ASCII grow when the part is itself JSON; every part must still fit.
    const text = `{"k":"é✓"}\n`.repeat(120_000);
    const pending = bridge['frames:import']({ format: 'ndjson', text, name: 'big.ndjson' });
    const sent = factory.last().sent;
    const messages = factory.last().calls();
    const final = messages.at(-1);
    const parts = messages.slice(0, -1);
    expect(parts.length).toBeGreaterThan(1);
    expect(final).toEqual({ type: 'call', id: expect.any(Number), name: 'frames:import', parts: parts.length });
    parts.forEach((part, index) => expect(part).toMatchObject({ type: 'call-part', id: final?.id, name: 'frames:import', index, total: parts.length }));
    for (const message of sent) expect(new TextEncoder().encode(message).length).toBeLessThan(1024 * 1024);
    const joined = parts.map((part) => ('data' in part && typeof part.data === 'string' ? part.data : '')).join('');
    expect(JSON.parse(joined)).toEqual({ format: 'ndjson', text, name: 'big.ndjson' });
    const value = { sessionId: 'imp-1', format: 'ndjson', frames: 120_000, notes: [] };
    factory.last().receive({ type: 'result', id: final?.id, result: { ok: true, value } });
    expect(await pending).toEqual({ ok: true, value });
  });

  it('resolves the call with the host’s refusal of its parts', async () => {
    const { bridge } = makeBridge();
    factory.last().open();
    const pending = bridge['frames:import']({ text: 'x'.repeat(600_000), name: 'big.ndjson' });
    const id = factory.last().calls()[0]?.id;
    const error = { code: 'LIMIT_REACHED', message: 'frames:import: too large for the web host: more than 320 MiB of JSON text', path: 'arg' };
    factory.last().receive({ type: 'result', id, result: { ok: false, error } });
    expect(await pending).toEqual({ ok: false, error });
  });

  it('never cuts a surrogate pair between two parts', () => {
    const messages = callMessages({ type: 'call', id: 1, name: 'frames:import', arg: { text: '😀'.repeat(10), name: 'e' } }, 8);
    if (!messages.ok) throw new Error(messages.reason);
    const parts = messages.texts.slice(0, -1).map((text) => webClientMessageSchema.parse(JSON.parse(text)));
    for (const part of parts) {
      if (part.type !== 'call-part') throw new Error('expected a part');
      expect(part.data).not.toMatch(/[\uD800-\uDBFF]$/);
      expect(part.data).not.toMatch(/^[\uDC00-\uDFFF]/);
    }
  });
});
