import mqtt from 'mqtt-packet';
import { describe, expect, it } from 'vitest';
import { FrameDecodeCache, MAX_WALK_FRAMES } from '../../../src-main/core/decode/frame-decode-cache';
import { recogniseFirstFrame, recogniseSubprotocol, recogniseUrl, RECOGNITION_FRAMES } from '../../../src-main/core/decode/recognise-protocol';
import { SessionDecoding } from '../../../src-main/core/decode/session-decoding';
import { StompDecoder } from '../../../src-main/core/decode/stomp-decoder';
import type { StreamDecoder, WireFrame } from '../../../src-main/core/decode/decoded-frame';

function text(seq: number, value: string, dir: WireFrame['dir'] = 'in'): WireFrame {
  return { seq, dir, opcode: 'text', bytes: new Uint8Array(Buffer.from(value)) };
}

describe('recognising the protocol', () => {
  it.each([
    ['v12.stomp', 'stomp'],
    ['v10.stomp', 'stomp'],
    ['mqtt', 'mqtt'],
    ['msgpack', 'msgpack'],
    ['chat.v1+cbor', undefined],
    ['x.cbor', 'cbor'],
    ['graphql-transport-ws', 'graphql-ws'],
    ['graphql-ws', 'graphql-ws'],
    ['v1.protobuf', 'protobuf'],
    ['chat.proto', 'protobuf'],
    ['', undefined],
  ])('subprotocol %s -> %s', (subprotocol, protocol) => {
    expect(recogniseSubprotocol(subprotocol)?.protocol).toBe(protocol);
  });

  it('from the URL, with the Engine.IO version', () => {
    expect(recogniseUrl('/socket.io/?EIO=4&transport=websocket')).toMatchObject({ protocol: 'socketio', engineVersion: 4, reason: 'the URL has EIO=4' });
    expect(recogniseUrl('ws://h/x/?EIO=3')).toMatchObject({ engineVersion: 3 });
    expect(recogniseUrl('ws://h/socket.io/')).toMatchObject({ protocol: 'socketio' });
    expect(recogniseUrl('ws://h/chat')).toBeUndefined();
  });

  it('from a first message', () => {
    const bytes = (s: string): Uint8Array => new Uint8Array(Buffer.from(s));
    expect(recogniseFirstFrame('text', bytes('CONNECT\naccept-version:1.2\n\n\0'))?.protocol).toBe('stomp');
    expect(recogniseFirstFrame('text', bytes('0{"sid":"a"}'))?.protocol).toBe('socketio');
    expect(recogniseFirstFrame('binary', mqtt.generate({ cmd: 'connect', clientId: 'x', protocolVersion: 4, protocolId: 'MQTT' }))?.protocol).toBe('mqtt');
    expect(recogniseFirstFrame('text', bytes('{"hello":1}'))).toBeUndefined();
    expect(recogniseFirstFrame('binary', new Uint8Array([0x82, 0x01, 0x02]))).toBeUndefined();
  });
});

describe('SessionDecoding', () => {
  it('auto: a guess from the handshake, told once', () => {
    const told: string[] = [];
    const session = new SessionDecoding('auto', (active) => told.push(`${active.protocol} ${String(active.guess)} ${active.reason}`));
    session.noteHandshake('/ws', 'v12.stomp');
    expect(told).toEqual(['stomp true the server chose the subprotocol v12.stomp']);
    expect(session.decodeInOrder(text(1, 'RECEIPT\nreceipt-id:1\n\n\0'))).toMatchObject({ summary: 'RECEIPT receipt-id=1' });
  });

  it('auto: stops looking after the first messages say nothing, so later frames cost nothing', () => {
    const session = new SessionDecoding('auto');
    for (let seq = 1; seq <= RECOGNITION_FRAMES; seq++) expect(session.decodeInOrder(text(seq, 'hello'))).toBeUndefined();
    expect(session.wantsFrames).toBe(false);
    // A STOMP-looking message later is not taken as a sign any more.
    expect(session.decodeInOrder(text(RECOGNITION_FRAMES + 1, 'CONNECTED\n\n\0'))).toBeUndefined();
  });

  it('a protocol named with --decode is not a guess; none decodes nothing', () => {
    expect(new SessionDecoding('stomp').decoding).toEqual({ protocol: 'stomp', guess: false, reason: 'chosen with --decode' });
    const none = new SessionDecoding('none');
    none.noteHandshake('/socket.io/?EIO=4', undefined);
    expect(none.wantsFrames).toBe(false);
    expect(none.decodeInOrder(text(1, '42["x"]'))).toBeUndefined();
  });
});

describe('FrameDecodeCache: lazy, in order, bounded', () => {
  function store(frames: WireFrame[]): { read: (seq: number) => WireFrame | undefined; reads: number[] } {
    const reads: number[] = [];
    return { reads, read: (seq) => (reads.push(seq), frames.find((f) => f.seq === seq)) };
  }

  it('decodes nothing until asked, then walks forward once and answers from the cache', () => {
    const frames = [text(1, 'SEND\ndestination:/q\n\nhal'), text(2, 'f\0'), text(3, 'RECEIPT\nreceipt-id:1\n\n\0')];
    const source = store(frames);
    let made = 0;
    const cache = new FrameDecodeCache(() => (made++, new StompDecoder()), source.read);
    expect(source.reads).toEqual([]);
    // Frame 2 completes the frame split across 1 and 2: the walk reads 1 first.
    expect(cache.decodeAt(2)).toMatchObject({ kind: 'decoded', summary: 'SEND /q 4 B' });
    expect(source.reads).toEqual([1, 2]);
    expect(cache.decodeAt(1)).toMatchObject({ kind: 'partial' });
    expect(cache.decodeAt(3)).toMatchObject({ summary: 'RECEIPT receipt-id=1' });
    expect(source.reads).toEqual([1, 2, 3]);
    expect(made).toBe(1);
  });

  it('keeps at most its limit, dropping the oldest; a dropped frame is decoded again', () => {
    const frames = [1, 2, 3, 4].map((seq) => text(seq, `RECEIPT\nreceipt-id:${seq}\n\n\0`));
    const source = store(frames);
    const cache = new FrameDecodeCache(() => new StompDecoder(), source.read, 2);
    cache.decodeAt(4);
    expect(cache.size).toBe(2);
    expect(cache.decodeAt(1)).toMatchObject({ summary: 'RECEIPT receipt-id=1' });
    expect(cache.size).toBe(2);
  });

  it('a dropped frame behind the walk is decoded again with the frames before it (a STOMP frame split in two)', () => {
    const frames = [text(1, 'SEND\ndestination:/q\n\nhal'), text(2, 'f\0'), ...[3, 4, 5, 6].map((seq) => text(seq, `RECEIPT\nreceipt-id:${seq}\n\n\0`))];
    const source = store(frames);
    const cache = new FrameDecodeCache(() => new StompDecoder(), source.read, 2);
    cache.decodeAt(6);
    expect(cache.decodeAt(2)).toMatchObject({ kind: 'decoded', summary: 'SEND /q 4 B' });
    // Walked again from the oldest frame, as far as its neighbours (not past where the walk is).
    expect(source.reads.slice(6)).toEqual([2, 1, 2]);
    expect(cache.decodeAt(7)).toBeUndefined();
  });

  it('far ahead, starts afresh shortly before instead of decoding everything between', () => {
    const reads: number[] = [];
    const decoder: () => StreamDecoder = () => new StompDecoder();
    const cache = new FrameDecodeCache(decoder, (seq) => (reads.push(seq), text(seq, '\n')));
    cache.decodeAt(1);
    cache.decodeAt(1 + MAX_WALK_FRAMES * 10);
    expect(reads.length).toBeLessThan(200);
  });

  it('in order: a gap starts the decoder afresh (what spanned it is lost)', () => {
    const cache = new FrameDecodeCache(() => new StompDecoder());
    expect(cache.decodeInOrder(text(1, 'SEND\ndestination:/q\n\nhal'))).toMatchObject({ kind: 'partial' });
    expect(cache.decodeInOrder(text(5, 'f\0'))?.summary).toMatch(/^not valid STOMP: unknown command "f\\u0000"/);
  });
});
