/**
 * Part (11)'s payload formats: a million messages each of MessagePack, CBOR, Protocol Buffers
 * (without a schema and with one), SignalR's MessagePack hub protocol, gzip, zlib deflate, raw
 * deflate, brotli and Base64 (of JSON), each carrying an event `e0`…`e96` (`e7` is `chat`, so a search
 * finds about one message in 97), a sequence number and a small record, as a session choosing
 * that decoder stores them. The query is what the app runs over the decoded value
 * (`filter.decoded.query`). The wrapped formats cycle through WRAPPED_VARIANTS payloads made
 * once (compressing a million messages would take longer than searching them).
 */
import { encode as cborEncode } from 'cbor-x';
import { pack } from 'msgpackr';
import zlib from 'node:zlib';
import type { ProtobufChoice } from '../src-main/shared/decoding';
import type { StreamFrame } from './decoded-streams';

export interface PayloadStream {
  /** The decoder chosen (session:decoding). */
  choice: 'msgpack' | 'cbor' | 'protobuf' | 'signalr' | 'compressed' | 'base64';
  /** With choice protobuf: the schema (left out: read without one). */
  protobuf?: ProtobufChoice;
  url: string;
  /** The JSONPath query searched (one message in 97 matches). */
  query: string;
  /** A query every message matches, counted in full (BENCH_QUERY_DENSE=1 searches it too). */
  dense?: string;
  fill(count: number, push: (frame: StreamFrame) => void): void;
}

const EVENTS = 97;
const eventOf = (i: number): string => (i % EVENTS === 7 ? 'chat' : `e${i % EVENTS}`);
const record = (i: number) => ({ event: eventOf(i), seq: i, data: { sym: `ABC${i % 89}`, price: (i * 7) % 10_000 } });
const binary = (bytes: Buffer): StreamFrame => ({ dir: 'in', opcode: 'binary', bytes });

/** Distinct payloads the wrapped formats cycle through (a multiple of EVENTS, so every event has its share). */
const WRAPPED_VARIANTS = EVENTS * 16;

function cycled(make: (i: number) => StreamFrame): (count: number, push: (frame: StreamFrame) => void) => void {
  return (count, push) => {
    const variants = Array.from({ length: Math.min(count, WRAPPED_VARIANTS) }, (_, i) => make(i));
    for (let i = 0; i < count; i++) {
      const frame = variants[i % variants.length];
      if (frame) push(frame);
    }
  };
}

const json = (i: number): Buffer => Buffer.from(JSON.stringify(record(i)), 'utf8');

/** The fields of an `Event` (protobufEventBytes). */
export interface EventRecord {
  event: string;
  seq: number;
  data: { sym: string; price: number };
}

/** protobuf: `Event {string event = 1; uint32 seq = 2; Data data = 3}`, `Data {string sym = 1; double price = 2}`, written by hand (also the tests' stream, match-proof-search.test.ts). */
export function protobufEventBytes({ event, seq, data: { sym, price } }: EventRecord): Buffer {
  const text = (field: number, s: string): Buffer => {
    const bytes = Buffer.from(s, 'utf8');
    return Buffer.concat([Buffer.from([(field << 3) | 2, bytes.length]), bytes]);
  };
  const varint = (n: number): number[] => {
    const out: number[] = [];
    while (n >= 0x80) {
      out.push((n & 0x7f) | 0x80);
      n = Math.floor(n / 0x80);
    }
    out.push(n);
    return out;
  };
  const priceField = Buffer.alloc(9);
  priceField[0] = (2 << 3) | 1;
  priceField.writeDoubleLE(price, 1);
  const dataBytes = Buffer.concat([text(1, sym), priceField]);
  return Buffer.concat([text(1, event), Buffer.from([(2 << 3) | 0, ...varint(seq)]), Buffer.from([(3 << 3) | 2, dataBytes.length]), dataBytes]);
}

const protobufEvent = (i: number): Buffer => protobufEventBytes(record(i));

const PROTO = 'syntax = "proto3";\nmessage Data { string sym = 1; double price = 2; }\nmessage Event { string event = 1; uint32 seq = 2; Data data = 3; }\n';

/** SignalR MessagePack hub invocations `[1, {}, id, target, [args]]`, targets T0…T96 (T7 is Send), after the JSON handshake. */
function signalrFill(count: number, push: (frame: StreamFrame) => void): void {
  if (count < 1) return;
  push({ dir: 'out', opcode: 'text', bytes: Buffer.from('{"protocol":"messagepack","version":1}\u001e') });
  if (count < 2) return;
  push({ dir: 'in', opcode: 'text', bytes: Buffer.from('{}\u001e') });
  for (let i = 2; i < count; i++) {
    const target = i % EVENTS === 7 ? 'Send' : `T${i % EVENTS}`;
    const body = pack([1, {}, i % 5 === 0 ? String(i) : null, target, [`ABC${i % 89}`, (i * 7) % 10_000]]);
    const length = body.length < 0x80 ? [body.length] : [(body.length & 0x7f) | 0x80, body.length >> 7];
    push(binary(Buffer.concat([Buffer.from(length), body])));
  }
}

export const PAYLOAD_STREAMS: Record<string, PayloadStream> = {
  msgpack: { choice: 'msgpack', url: 'ws://h/', dense: "$.seq >= 0", query: "$.event == 'chat'", fill: (count, push) => { for (let i = 0; i < count; i++) push(binary(pack(record(i)))); } },
  cbor: { choice: 'cbor', url: 'ws://h/', dense: "$.seq >= 0", query: "$.event == 'chat'", fill: (count, push) => { for (let i = 0; i < count; i++) push(binary(cborEncode(record(i)))); } },
  protobuf: { choice: 'protobuf', url: 'ws://h/', dense: "$['2'] >= 0", query: "$['1'] == 'chat'", fill: (count, push) => { for (let i = 0; i < count; i++) push(binary(protobufEvent(i))); } },
  'protobuf-schema': {
    choice: 'protobuf',
    protobuf: { schema: { name: 'event.proto', proto: PROTO }, type: 'Event' },
    url: 'ws://h/',
    dense: '$.seq >= 0',
    query: "$.event == 'chat'",
    fill: (count, push) => { for (let i = 0; i < count; i++) push(binary(protobufEvent(i))); },
  },
  'signalr-msgpack': { choice: 'signalr', url: 'ws://hub/chat', dense: '$.type == 1', query: "$.target == 'Send'", fill: signalrFill },
  gzip: { dense: '$.payload.seq >= 0', choice: 'compressed', url: 'ws://h/', query: "$.payload.event == 'chat'", fill: cycled((i) => binary(zlib.gzipSync(json(i)))) },
  deflate: { dense: '$.payload.seq >= 0', choice: 'compressed', url: 'ws://h/', query: "$.payload.event == 'chat'", fill: cycled((i) => binary(zlib.deflateSync(json(i)))) },
  'deflate-raw': { dense: '$.payload.seq >= 0', choice: 'compressed', url: 'ws://h/', query: "$.payload.event == 'chat'", fill: cycled((i) => binary(zlib.deflateRawSync(json(i)))) },
  brotli: { dense: '$.payload.seq >= 0', choice: 'compressed', url: 'ws://h/', query: "$.payload.event == 'chat'", fill: cycled((i) => binary(zlib.brotliCompressSync(json(i)))) },
  base64: { dense: '$.payload.seq >= 0', choice: 'base64', url: 'ws://h/', query: "$.payload.event == 'chat'", fill: cycled((i) => ({ dir: 'in', opcode: 'text', bytes: Buffer.from(json(i).toString('base64'), 'latin1') })) },
};
