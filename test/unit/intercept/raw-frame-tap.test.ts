/**
 * The relay's fast path reader (raw-frame-tap.ts) on a stand-in for ws's socket and receiver:
 * which bytes go across as they came (and with which payload for the capture), which go to ws,
 * and in what order, whatever way the frames are cut into reads.
 */
import { PassThrough } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import type WebSocket from 'ws';
import { RawFrameTap, unmaskInPlace, type TapSink } from '../../../src-main/core/intercept/raw-frame-tap';
import { wsFrame } from '../../support/ws-frame';

const MASK = Buffer.from([0x12, 0x34, 0x56, 0x78]);

/** A frame as a client (masked with MASK) or a server (unmasked) sends it. */
function frame(opcode: number, payload: Buffer | string, options: { fin?: boolean; masked?: boolean; rsv1?: boolean } = {}): Buffer {
  const { masked, ...rest } = options;
  return wsFrame(opcode, payload, (masked ?? true) ? { ...rest, mask: MASK } : rest);
}

/** `length` bytes, byte i being `value(i)`. */
function bytesOf(length: number, value: (i: number) => number): Buffer {
  return Buffer.from(Array.from({ length }, (_, i) => value(i)));
}

type Event = { to: 'ws'; bytes: Buffer } | { to: 'raw'; bytes: Buffer; binary: boolean; payload: string };

/** ws as the tap sees it: its socket (with ws's own data listener) and its receiver, recording what each gets. */
function fakeWs(options: { maxPayload?: number; state?: number } = {}): { ws: WebSocket; socket: PassThrough; events: Event[]; wsListenerCalls: number[] } {
  const socket = new PassThrough();
  const events: Event[] = [];
  const wsListenerCalls: number[] = [];
  socket.on('data', function socketOnData(chunk: Buffer) {
    wsListenerCalls.push(chunk.length);
  });
  // The fields session/ws-internals.ts checks on a real ws receiver (a Writable).
  const receiver = {
    writableEnded: false,
    errored: null,
    _state: options.state ?? 0,
    _bufferedBytes: 0,
    _fragmented: 0,
    _maxPayload: options.maxPayload ?? 100 * 1024 * 1024,
    _skipUTF8Validation: false,
    write(bytes: Buffer): boolean {
      events.push({ to: 'ws', bytes: Buffer.from(bytes) });
      return true;
    },
  };
  return { ws: { _socket: socket, _receiver: receiver } as unknown as WebSocket, socket, events, wsListenerCalls };
}

function sink(events: Event[], allow: () => boolean = () => true): TapSink {
  return {
    canForward: allow,
    forward: (pieces, binary, payload) => events.push({ to: 'raw', bytes: Buffer.concat(pieces), binary, payload: payload.toString(binary ? 'hex' : 'utf8') }),
  };
}

/** Adjacent ws writes joined (how the bytes are cut into writes does not matter to ws's receiver). */
function merged(events: readonly Event[]): Event[] {
  const out: Event[] = [];
  for (const event of events) {
    const last = out.at(-1);
    if (event.to === 'ws' && last?.to === 'ws') last.bytes = Buffer.concat([last.bytes, event.bytes]);
    else out.push(event.to === 'ws' ? { to: 'ws', bytes: Buffer.from(event.bytes) } : event);
  }
  return out;
}

function install(masked = true, allow?: () => boolean, options?: { maxPayload?: number }): { tap: RawFrameTap; feed: (bytes: Buffer) => void; events: Event[]; wsListenerCalls: number[] } {
  const { ws, socket, events, wsListenerCalls } = fakeWs(options);
  const tap = RawFrameTap.install(ws, masked, sink(events, allow));
  if (!tap) throw new Error('the tap was not installed');
  return { tap, feed: (bytes) => socket.emit('data', bytes), events, wsListenerCalls };
}

describe('RawFrameTap', () => {
  it('forwards a whole client frame as the bytes it came in, with its payload unmasked for the capture; ws gets nothing', () => {
    const { feed, events, wsListenerCalls, tap } = install();
    const bytes = frame(1, 'hello, server');
    feed(bytes);
    expect(events).toEqual([{ to: 'raw', bytes, binary: false, payload: 'hello, server' }]);
    expect(wsListenerCalls).toEqual([]);
    expect(tap.forwarded).toBe(1);
  });

  it('forwards a server frame (unmasked) and a 16 KB binary frame as they came', () => {
    const { feed, events } = install(false);
    const small = frame(1, 'from the server', { masked: false });
    const big = frame(2, Buffer.alloc(16 * 1024, 0xab), { masked: false });
    feed(Buffer.concat([small, big]));
    expect(events).toEqual([
      { to: 'raw', bytes: small, binary: false, payload: 'from the server' },
      { to: 'raw', bytes: big, binary: true, payload: 'ab'.repeat(16 * 1024) },
    ]);
  });

  it('a frame split across reads at any byte (header and payload alike) goes across once, byte-identical', () => {
    const payload = bytesOf(300, (i) => i % 251);
    const bytes = Buffer.concat([frame(2, payload), frame(1, 'next')]);
    for (let cut = 1; cut < bytes.length; cut++) {
      const { feed, events } = install();
      feed(bytes.subarray(0, cut));
      feed(bytes.subarray(cut));
      expect(events).toEqual([
        { to: 'raw', bytes: bytes.subarray(0, bytes.length - 10), binary: true, payload: payload.toString('hex') },
        { to: 'raw', bytes: bytes.subarray(bytes.length - 10), binary: false, payload: 'next' },
      ]);
    }
    // One byte per read.
    const { feed, events } = install();
    for (const byte of bytes) feed(Buffer.from([byte]));
    expect(events.map((e) => e.to)).toEqual(['raw', 'raw']);
    expect(Buffer.concat(events.map((e) => e.bytes))).toEqual(bytes);
  });

  it('writes one piece per read a frame spans, its header in the first: a frame inside one read is one write', () => {
    const pieceCounts: number[] = [];
    const { ws, socket } = fakeWs();
    const tap = RawFrameTap.install(ws, true, { canForward: () => true, forward: (pieces) => pieceCounts.push(pieces.length) });
    expect(tap).toBeDefined();
    const bytes = frame(2, Buffer.alloc(16 * 1024, 0x5a));
    socket.emit('data', bytes);
    // As TLS hands a 16 KB message over: a 16 KiB record, then the rest.
    socket.emit('data', bytes.subarray(0, 16 * 1024));
    socket.emit('data', bytes.subarray(16 * 1024));
    // The header alone at the end of a read, then the payload.
    socket.emit('data', bytes.subarray(0, 8));
    socket.emit('data', bytes.subarray(8));
    expect(pieceCounts).toEqual([1, 2, 2]);
  });

  it('captures payloads larger than the scratch buffer had grown to, and smaller ones after them, unmasked', () => {
    const { feed, events } = install();
    const large = bytesOf(200 * 1024 + 3, (i) => (i * 13) % 256);
    const small = bytesOf(37, (i) => 255 - i);
    const bytes = Buffer.concat([frame(2, large), frame(2, small)]);
    feed(bytes.subarray(0, 70_000));
    feed(bytes.subarray(70_000));
    expect(events.map((e) => (e.to === 'raw' ? e.payload : 'to ws'))).toEqual([large.toString('hex'), small.toString('hex')]);
  });

  it('fragments and the control frames between them go to ws in order; the whole frame after them goes across, after them', () => {
    const first = frame(1, 'frag-1 ', { fin: false });
    const ping = frame(9, 'are you there');
    const last = frame(0, 'frag-2');
    const pong = frame(10, 'yes');
    const whole = frame(1, 'whole');
    const all = Buffer.concat([first, ping, last, pong, whole]);
    for (const cut of [0, 3, first.length + 1, first.length + ping.length + 4, all.length - 3]) {
      const { feed, events } = install();
      if (cut > 0) feed(all.subarray(0, cut));
      feed(all.subarray(cut));
      expect(merged(events)).toEqual([
        { to: 'ws', bytes: Buffer.concat([first, ping, last, pong]) },
        { to: 'raw', bytes: whole, binary: false, payload: 'whole' },
      ]);
    }
  });

  it('a frame the relay may not forward when it is complete (a breakpoint, a queue) goes to ws whole, and the next one is asked again', () => {
    let allow = false;
    const { feed, events } = install(true, () => allow);
    const held = frame(1, 'maybe held');
    feed(held.subarray(0, 5));
    feed(held.subarray(5));
    allow = true;
    const next = frame(1, 'straight');
    feed(next);
    expect(merged(events)).toEqual([
      { to: 'ws', bytes: held },
      { to: 'raw', bytes: next, binary: false, payload: 'straight' },
    ]);
  });

  it('a close frame and everything after it go to ws', () => {
    const { feed, events } = install();
    const close = frame(8, Buffer.from([0x03, 0xe8]));
    const after = frame(1, 'after the close');
    feed(Buffer.concat([frame(1, 'before'), close, after]));
    feed(frame(1, 'later'));
    expect(merged(events)).toEqual([
      { to: 'raw', bytes: frame(1, 'before'), binary: false, payload: 'before' },
      { to: 'ws', bytes: Buffer.concat([close, after, frame(1, 'later')]) },
    ]);
  });

  it('what ws must judge goes to ws: text that is not UTF-8, RSV bits, a frame over maxPayload, an unmasked client frame', () => {
    const badText = frame(1, Buffer.from([0xff, 0xfe, 0x41]));
    const ok = frame(1, 'fine');
    const tooBig = frame(2, Buffer.alloc(200));
    {
      const { feed, events } = install(true, undefined, { maxPayload: 100 });
      feed(Buffer.concat([badText, ok, tooBig, ok]));
      expect(merged(events)).toEqual([
        { to: 'ws', bytes: badText },
        { to: 'raw', bytes: ok, binary: false, payload: 'fine' },
        { to: 'ws', bytes: tooBig },
        { to: 'raw', bytes: ok, binary: false, payload: 'fine' },
      ]);
    }
    {
      const { feed, events } = install();
      const compressed = frame(1, 'x', { rsv1: true });
      feed(Buffer.concat([compressed, ok]));
      expect(merged(events)).toEqual([{ to: 'ws', bytes: Buffer.concat([compressed, ok]) }]);
    }
    {
      const { feed, events } = install();
      const unmasked = frame(1, 'no mask', { masked: false });
      feed(Buffer.concat([unmasked, ok]));
      expect(merged(events)).toEqual([{ to: 'ws', bytes: Buffer.concat([unmasked, ok]) }]);
    }
  });

  it('an empty message goes across too', () => {
    const { feed, events } = install();
    const empty = frame(2, Buffer.alloc(0));
    feed(empty);
    expect(events).toEqual([{ to: 'raw', bytes: empty, binary: true, payload: '' }]);
  });

  it('a failure while forwarding ends that connection (its socket destroyed, the stack on stderr), not the process', () => {
    const { ws, socket } = fakeWs();
    const failing: TapSink = {
      canForward: () => true,
      forward: () => {
        throw new Error('a bug');
      },
    };
    expect(RawFrameTap.install(ws, true, failing)).toBeDefined();
    // The destroyed socket reports the error (ws closes the connection on it).
    socket.on('error', () => undefined);
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      socket.emit('data', frame(1, 'boom'));
      expect(socket.destroyed).toBe(true);
      expect(logged).toHaveBeenCalledWith('Tunnelscope: internal error in the intercept fast path:', expect.objectContaining({ message: 'a bug' }));
    } finally {
      logged.mockRestore();
    }
  });

  it('is not installed on a ws it does not recognise, or whose receiver is inside a frame: ws keeps its listener', () => {
    const inside = fakeWs({ state: 4 });
    expect(RawFrameTap.install(inside.ws, true, sink(inside.events))).toBeUndefined();
    inside.socket.emit('data', Buffer.from([1, 2, 3]));
    expect(inside.wsListenerCalls).toEqual([3]);
    const stranger = { _socket: new PassThrough() } as unknown as WebSocket;
    expect(RawFrameTap.install(stranger, true, sink([]))).toBeUndefined();
  });

  it('unmasks eight bytes at a time where it can, byte by byte elsewhere, as the byte-wise rule says', () => {
    for (const length of [0, 1, 3, 4, 5, 7, 8, 9, 17, 1024, 1027]) {
      const data = bytesOf(length, (i) => (i * 7) % 256);
      const expected = bytesOf(length, (i) => (data[i] ?? 0) ^ (MASK[i & 3] ?? 0));
      // A view of its own ArrayBuffer: offset 0, the word loop.
      const aligned = Buffer.from(new ArrayBuffer(length));
      data.copy(aligned);
      unmaskInPlace(aligned, MASK);
      expect(aligned).toEqual(expected);
      // Inside a larger ArrayBuffer, on an 8-byte boundary (the words from there) and on a 4-byte one (the byte loop): the bytes around it untouched.
      for (const offset of [8, 4]) {
        const around = Buffer.from(new ArrayBuffer(length + 16)).fill(0xee);
        const inner = around.subarray(offset, offset + length);
        data.copy(inner);
        unmaskInPlace(inner, MASK);
        expect(inner).toEqual(expected);
        expect([...around.subarray(0, offset), ...around.subarray(offset + length)]).toEqual(Array(16).fill(0xee));
      }
      // Not on any boundary: the byte loop.
      const odd = Buffer.alloc(length + 1).subarray(1);
      data.copy(odd);
      unmaskInPlace(odd, MASK);
      expect(odd).toEqual(expected);
    }
  });
});
