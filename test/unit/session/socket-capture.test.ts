/**
 * The capture's fast path (socket-capture.ts) on a real `ws` client receiver: the same server
 * bytes, cut into reads every way, go once through the capture (whole frames stored by it, the
 * rest by ws's events) and once through ws alone (every frame from ws's events, as before the
 * capture). Every reader of the two stores must see the same: entries, summaries, a page, a
 * search and the statistics; and ws must report the same messages, errors and close.
 */
import { isAscii } from 'node:buffer';
import { createHash } from 'node:crypto';
import { Duplex } from 'node:stream';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { FrameStore, type FrameStoreOptions } from '../../../src-main/core/session/frame-store';
import { SessionStatsRecorder } from '../../../src-main/core/session/session-stats';
import { SocketCapture, STORED_MAX } from '../../../src-main/core/session/socket-capture';
import { FrameScanner } from '../../../src-main/core/search/frame-scanner';
import { compileFilter } from '../../../src-main/core/search/compile-filter';
import { wsFrame } from '../../support/ws-frame';

const T0 = 1_700_000_000_000;

interface FrameOptions {
  fin?: boolean;
  rsv1?: boolean;
  masked?: boolean;
  /** Writes the length in the 64-bit form whatever it is (ws accepts it). */
  long?: boolean;
}

/** A frame as a server sends it (unmasked unless asked; then with a zero mask, so the payload reads the same). */
function frame(opcode: number, payload: Buffer | string, options: FrameOptions = {}): Buffer {
  const { masked, ...rest } = options;
  return wsFrame(opcode, payload, masked ? { ...rest, mask: Buffer.from([0, 0, 0, 0]) } : rest);
}

const text = (payload: string, options?: FrameOptions): Buffer => frame(1, payload, options);
const binary = (payload: Buffer, options?: FrameOptions): Buffer => frame(2, payload, options);
const ping = (payload: string): Buffer => frame(9, payload);
const pong = (payload: string): Buffer => frame(10, payload);
function close(code: number, reason = ''): Buffer {
  const body = Buffer.alloc(2 + Buffer.byteLength(reason));
  body.writeUInt16BE(code, 0);
  body.write(reason, 2);
  return frame(8, body);
}

/** A small seeded generator, so a failure reproduces. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0;
    return state / 0x1_0000_0000;
  };
}

/** What happened on one side: the store, its statistics, and what ws reported. */
interface Side {
  store: FrameStore;
  stats: SessionStatsRecorder;
  ws: WebSocket;
  socket: Duplex;
  capture: SocketCapture | undefined;
  /** ws's errors and its close. */
  reported: string[];
  setNow(at: number): void;
}

/**
 * A ws client on a stand-in socket (a Duplex whose reads the test emits), recording as the
 * session does: ws's messages through pushIncoming, control frames and the close through push;
 * with `capture`, a SocketCapture storing whole frames through pushIncomingRead.
 */
function side(capture: boolean, options: FrameStoreOptions & { maxPayload?: number } = {}): Side {
  const store = new FrameStore(options);
  const stats = new SessionStatsRecorder({ windowSeconds: 5 });
  stats.countIncomingFrom(store);
  const socket = new Duplex({
    read: () => undefined,
    write: (_chunk, _encoding, done) => done(),
  });
  // Constructed without an address, as ws's server does (no connection of its own); made a client's below.
  const ws = Reflect.construct(WebSocket, [null, undefined, { autoPong: false }]) as WebSocket;
  // A client's receiver: unmasked frames expected.
  (ws as unknown as { _isServer: boolean })._isServer = false;
  (ws as unknown as { setSocket(socket: Duplex, head: Buffer, options: object): void }).setSocket(socket, Buffer.alloc(0), {
    maxPayload: options.maxPayload ?? 100 * 1024 * 1024,
    skipUTF8Validation: false,
    allowSynchronousEvents: true,
  });
  let now = T0;
  const reported: string[] = [];
  // ws reports to the capture's side only the messages the capture left to it, so only errors and the close are compared.
  ws.on('message', (data: Buffer, isBinary: boolean) => store.pushIncoming(isBinary, data, now));
  ws.on('ping', (data: Buffer) => store.push('in', 'ping', data, undefined, now));
  ws.on('pong', (data: Buffer) => store.push('in', 'pong', data, undefined, now));
  ws.on('error', (error: Error & { code?: string }) => reported.push(`error ${error.code ?? error.message}`));
  ws.on('close', (code: number, reason: Buffer) => {
    store.push('in', 'close', Buffer.alloc(0), { closeCode: code, closeReason: reason.toString() }, now);
    reported.push(`close ${code} ${reason.toString()}`);
  });
  const installed = capture
    ? SocketCapture.install(ws, { incomingRead: (read, frames) => store.pushIncomingRead(read, frames, now) }, () => true, (error) => {
        throw error;
      })
    : undefined;
  if (capture && !installed) throw new Error('the capture was not installed');
  return { store, stats, ws, socket, capture: installed, reported, setNow: (at) => (now = at) };
}

/** What a reader sees of a store: bounds, every entry, summaries, a page, a search and the statistics. */
function seen(s: Side): unknown {
  const { store } = s;
  const frames = [];
  for (let seq = store.firstSeq; seq > 0 && seq <= store.lastSeq; seq++) {
    const entry = store.entry(seq);
    frames.push({ ...entry, payload: entry ? createHash('sha1').update(entry.payload).digest('hex') : undefined });
  }
  const found: number[] = [];
  const compiled = compileFilter({ text: 'abc' });
  if (!compiled.ok) throw new Error(compiled.problem.message);
  new FrameScanner(store, compiled.filter).run({ next: store.firstSeq, end: store.lastSeq, backward: false }, 60_000, (seq) => found.push(seq) > 0);
  const regex = compileFilter({ regex: 'b.c' });
  if (!regex.ok) throw new Error(regex.problem.message);
  const foundByRegex: number[] = [];
  new FrameScanner(store, regex.filter).run({ next: store.firstSeq, end: store.lastSeq, backward: false }, 60_000, (seq) => foundByRegex.push(seq) > 0);
  return {
    firstSeq: store.firstSeq,
    lastSeq: store.lastSeq,
    count: store.count,
    bytes: store.bytes,
    dropped: store.dropped,
    frames,
    summaries: store.summaries(store.firstSeq, store.lastSeq),
    page: store.page(store.lastSeq - 5, 10),
    found,
    foundByRegex,
    stats: s.stats.snapshot(T0 + 60_000),
  };
}

/**
 * Plays `reads` (the server's bytes cut into socket reads, each with its time) into both sides
 * and compares their stores; ws's errors come on the next tick (`errorsOf`).
 */
function compare(reads: ReadonlyArray<{ bytes: Buffer; at: number }>, options: FrameStoreOptions & { maxPayload?: number } = {}): Side & { plain: Side } {
  const captured = side(true, options);
  const plain = side(false, options);
  const bounds = (store: FrameStore): number[] => [store.firstSeq, store.lastSeq, store.count, store.bytes, store.dropped];
  for (const { bytes, at } of reads) {
    for (const s of [captured, plain]) {
      s.setNow(at);
      s.socket.emit('data', bytes);
    }
    // After every read, not only at the end: a store over its bounds for a while would not show at the end.
    expect(bounds(captured.store)).toEqual(bounds(plain.store));
  }
  expect(seen(captured)).toEqual(seen(plain));
  return Object.assign(captured, { plain });
}

/** ws's errors on each side, once it has reported them (the tick after the read). */
async function errorsOf(...sides: Side[]): Promise<string[][]> {
  await new Promise((resolve) => setImmediate(resolve));
  return sides.map((s) => s.reported.filter((line) => line.startsWith('error')));
}

/** `bytes` as reads cut at `cuts` (ascending offsets), all at one time. */
function cutAt(bytes: Buffer, cuts: readonly number[], at = T0): Array<{ bytes: Buffer; at: number }> {
  const reads = [];
  let from = 0;
  for (const cut of [...cuts, bytes.length]) {
    // Each read its own buffer, as a socket gives them (never a view of the next read).
    reads.push({ bytes: Buffer.from(bytes.subarray(from, cut)), at });
    from = cut;
  }
  return reads;
}

/** Random server traffic: text (ASCII and not), binary, empty, 16- and 64-bit lengths, pings, pongs, fragmented messages. */
function traffic(seed: number, frames: number, largest = 2_000): Buffer {
  const next = random(seed);
  const parts: Buffer[] = [];
  for (let n = 0; n < frames; n++) {
    const roll = next();
    const size = next() < 0.1 ? 0 : next() < 0.1 ? 126 + Math.floor(next() * largest) : Math.floor(next() * 125);
    const ascii = `${n % 7 === 0 ? 'abc' : 'b-c'} ${'x'.repeat(size)}`.slice(0, Math.max(size, 3));
    if (roll < 0.35) parts.push(text(ascii));
    else if (roll < 0.45) parts.push(text(`é ${n} 🙂 ${ascii}`, { long: next() < 0.3 }));
    else if (roll < 0.7) parts.push(binary(Buffer.alloc(size, n % 256)));
    else if (roll < 0.78) parts.push(ping(`ping ${n}`));
    else if (roll < 0.82) parts.push(pong(`pong ${n}`));
    else if (roll < 0.9) {
      // A fragmented message, a ping among its fragments.
      parts.push(frame(1, `frag ${n} abc `, { fin: false }), ping(`in between ${n}`), frame(0, `middle ${n} `, { fin: false }), frame(0, `end ${n}`));
    } else parts.push(text(`abc ${n}`, { long: true }));
  }
  return Buffer.concat(parts);
}

describe('SocketCapture: whole frames stored from the reads, everything else through ws', () => {
  it('stores the same as ws alone, the stream cut into reads at every byte', () => {
    const bytes = Buffer.concat([
      text('hello'),
      binary(Buffer.from([1, 2, 3])),
      text(''),
      text('x'.repeat(200)),
      ping('p'),
      text('é and abc'),
      frame(2, Buffer.alloc(300, 7), { long: true }),
      frame(1, 'part one ', { fin: false }),
      pong('q'),
      frame(0, 'part two'),
      text('after'),
      close(1000, 'bye'),
    ]);
    for (let cut = 0; cut <= bytes.length; cut++) compare(cutAt(bytes, [cut]));
    for (let cut = 1; cut < bytes.length; cut += 3) compare(cutAt(bytes, [cut - 1, cut, cut + 1].filter((c) => c > 0 && c < bytes.length)));
  });

  it('stores most frames itself when reads hold whole frames', () => {
    const bytes = Buffer.concat(Array.from({ length: 50 }, (_, n) => (n % 2 === 0 ? text(`message ${n}`) : binary(Buffer.alloc(n, n)))));
    const captured = compare([{ bytes, at: T0 }]);
    expect(captured.capture?.stored).toBe(50);
  });

  it('stores the same for random traffic in random reads, with reads at different times', () => {
    let storedByCapture = 0;
    for (let seed = 1; seed <= 12; seed++) {
      const bytes = traffic(seed, 300);
      const next = random(seed * 31);
      const reads = [];
      let at = T0;
      for (let from = 0; from < bytes.length; ) {
        const length = 1 + Math.floor(next() * (next() < 0.2 ? 20 : 3_000));
        at += Math.floor(next() * 600);
        reads.push({ bytes: Buffer.from(bytes.subarray(from, from + length)), at });
        from += length;
      }
      storedByCapture += compare(reads).capture?.stored ?? 0;
    }
    expect(storedByCapture).toBeGreaterThan(1_000);
  });

  it('zeroes the frame headers it copies between payloads, so a slab of ASCII text stays ASCII', () => {
    const captured = compare([{ bytes: Buffer.concat(Array.from({ length: 40 }, (_, n) => text(`message ${n} ${'y'.repeat(n * 5)}`))), at: T0 }]);
    expect(captured.capture?.stored).toBe(40);
    const view = captured.store.scanView();
    const slabId = view.slabOf[0] ?? 0;
    expect(isAscii(view.slab(slabId)?.subarray(0, view.slabUsed(slabId)) ?? Buffer.alloc(1, 0xff))).toBe(true);
  });

  it('stores the same across slab boundaries, eviction by count and by bytes, and a wrapping ring', () => {
    const bytes = traffic(99, 3_000, 4_000);
    const reads = cutAt(
      bytes,
      Array.from({ length: 200 }, (_, i) => Math.floor((bytes.length * (i + 1)) / 201)),
    );
    compare(reads);
    compare(reads, { maxFrames: 700 });
    compare(reads, { maxBytes: 64 * 1024 });
    compare(reads, { maxFrames: 1_500, maxBytes: 300 * 1024 });
    // Enough 60 KiB frames to fill 1 MiB slabs several times over.
    const large = Buffer.concat(Array.from({ length: 60 }, (_, n) => binary(Buffer.alloc(60 * 1024 - n, n))));
    compare(cutAt(large, Array.from({ length: 9 }, (_, i) => (i + 1) * 400_000)));
  });

  it('leaves a frame over STORED_MAX, and one over maxPayload, to ws (which refuses the second with 1009)', async () => {
    const big = binary(Buffer.alloc(STORED_MAX + 1, 1));
    compare([{ bytes: Buffer.concat([text('before'), big, text('after')]), at: T0 }]);
    const refused = compare([{ bytes: Buffer.concat([text('small'), text('x'.repeat(200)), text('never stored')]), at: T0 }], { maxPayload: 100 });
    expect(refused.store.count).toBe(1);
    expect(await errorsOf(refused, refused.plain)).toEqual([['error WS_ERR_UNSUPPORTED_MESSAGE_LENGTH'], ['error WS_ERR_UNSUPPORTED_MESSAGE_LENGTH']]);
  });

  it('hands text that is not UTF-8 to ws, which closes with 1007; nothing after it is stored', async () => {
    const invalid = Buffer.concat([Buffer.from([0x81, 4]), Buffer.from([0x61, 0xc3, 0x28, 0x62])]);
    const bytes = Buffer.concat([text('fine'), text('ünïcödé fine too'), invalid, text('never')]);
    for (let cut = 0; cut <= bytes.length; cut += 5) {
      const captured = compare(cutAt(bytes, [cut]));
      expect(captured.store.count).toBe(2);
      expect(await errorsOf(captured, captured.plain)).toEqual([['error WS_ERR_INVALID_UTF8'], ['error WS_ERR_INVALID_UTF8']]);
    }
  });

  it('leaves everything from a masked frame, RSV bits, a reserved opcode or a new message inside a fragmented one to ws, which refuses it', async () => {
    const cases: Array<[Buffer, string]> = [
      [text('masked', { masked: true }), 'error WS_ERR_UNEXPECTED_MASK'],
      [text('compressed?', { rsv1: true }), 'error WS_ERR_UNEXPECTED_RSV_1'],
      [frame(3, 'reserved'), 'error WS_ERR_INVALID_OPCODE'],
      [Buffer.concat([frame(1, 'first ', { fin: false }), text('a new message')]), 'error WS_ERR_INVALID_OPCODE'],
      [frame(0, 'a continuation of nothing'), 'error WS_ERR_INVALID_OPCODE'],
    ];
    for (const [bad, error] of cases) {
      const bytes = Buffer.concat([text('before'), binary(Buffer.from([9])), bad, text('after')]);
      for (let cut = 0; cut <= bytes.length; cut += 3) {
        const captured = compare(cutAt(bytes, [cut]));
        expect(captured.store.count).toBe(2);
        expect(await errorsOf(captured, captured.plain)).toEqual([[error], [error]]);
      }
    }
  });

  it('reads nothing after the close frame, as ws does', async () => {
    const bytes = Buffer.concat([text('one'), close(1001, 'going'), text('after the close'), Buffer.from([0xff, 0xff])]);
    for (let cut = 0; cut <= bytes.length; cut++) {
      const captured = compare(cutAt(bytes, [cut]));
      expect(captured.store.count).toBe(1);
      expect([captured.ws, captured.plain.ws].map((ws) => (ws as unknown as { _closeCode: number })._closeCode)).toEqual([1001, 1001]);
      expect(await errorsOf(captured, captured.plain)).toEqual([[], []]);
    }
  });

  it('stores nothing itself while the session does not record, and leaves the frames to ws', () => {
    const store = new FrameStore();
    const { ws, socket } = side(false);
    let recording = false;
    const capture = SocketCapture.install(ws, { incomingRead: (read, frames) => store.pushIncomingRead(read, frames, T0) }, () => recording, () => undefined);
    const messages: string[] = [];
    ws.on('message', (data: Buffer) => messages.push(data.toString()));
    socket.emit('data', Buffer.concat([text('not recorded'), text('nor this')]));
    recording = true;
    socket.emit('data', Buffer.concat([text('recorded'), text('this too')]));
    expect(messages).toEqual(['not recorded', 'nor this']);
    expect(capture?.stored).toBe(2);
    expect(store.summaries(1, 2).map((frame) => frame.preview)).toEqual(['recorded', 'this too']);
  });

  it('is not installed where ws negotiated an extension or is a server', () => {
    const deflating = side(false);
    (deflating.ws as unknown as { _extensions: object })._extensions = { 'permessage-deflate': {} };
    expect(SocketCapture.install(deflating.ws, { incomingRead: () => undefined }, () => true, () => undefined)).toBeUndefined();
    const server = side(false);
    (server.ws as unknown as { _isServer: boolean })._isServer = true;
    expect(SocketCapture.install(server.ws, { incomingRead: () => undefined }, () => true, () => undefined)).toBeUndefined();
  });

  it('hands an exception while storing to onBug and reads nothing more (the session fails; the process goes on)', () => {
    const { ws, socket } = side(false);
    const bugs: unknown[] = [];
    let reads = 0;
    const capture = SocketCapture.install(
      ws,
      {
        incomingRead: () => {
          reads += 1;
          throw new TypeError('a bug in the store');
        },
      },
      () => true,
      (error) => bugs.push(error),
    );
    socket.emit('data', text('one'));
    socket.emit('data', text('two'));
    expect(bugs).toEqual([new TypeError('a bug in the store')]);
    expect(reads).toBe(1);
    expect(capture?.stored).toBe(1);
  });
});
