/**
 * A reconnecting connection keeps one store over its attempts; each attempt is a new connection,
 * so every decoder starts afresh at its first frame, and what the ended attempt's last message of
 * a direction left under way never comes (its `ifEnded` answer, session-end.ts). Shown for every
 * path that decodes: the rows in order, a far frame asked first, a frame a short walk from the
 * boundary (a start as good as a checkpoint), checkpoints left before the boundary, a boundary
 * learnt while live, an export, the CLI's in-order reader, and the searches (field, query, both
 * directions, prefilters and proofs) against decoding each attempt in order from a fresh decoder.
 */
import mqtt from 'mqtt-packet';
import { describe, expect, it } from 'vitest';
import { AttemptBoundaries } from '../../../src-main/core/decode/attempt-boundaries';
import { createDecoder } from '../../../src-main/core/decode/decoder-registry';
import { DecoderCheckpoints } from '../../../src-main/core/decode/decoder-checkpoints';
import { FrameDecodeCache, isUnread } from '../../../src-main/core/decode/frame-decode-cache';
import { MqttDecoder } from '../../../src-main/core/decode/mqtt-decoder';
import { StoreDecoding } from '../../../src-main/core/decode/store-decoding';
import { storeFrameReader } from '../../../src-main/core/decode/store-frame-reader';
import { ExportDecoding } from '../../../src-main/core/export/export-decoding';
import { FrameStore } from '../../../src-main/core/session/frame-store';
import { CliFrameDecoding } from '../../../src-main/cli/frame-decoding';
import type { AttemptRecord } from '../../../src-main/shared/attempts';
import { attemptRecords, compareSearches, pick, seeded, type Message } from './prefilter-harness';
import { stompStream } from './stomp-stream';

const v4 = { protocolVersion: 4 } as const;
const connect = mqtt.generate({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clientId: 'c', clean: true, keepalive: 30 }, v4);
const connack = mqtt.generate({ cmd: 'connack', returnCode: 0, sessionPresent: false }, v4);
const publish = mqtt.generate({ cmd: 'publish', topic: 'sensors/1', payload: Buffer.from('{"t":21.5,"unit":"C","x":"padding-padding"}'), qos: 1, messageId: 1, retain: false, dup: false }, v4);
const CUT = 'the session ended before the rest';

type Line = readonly ['in' | 'out', 'binary' | 'text' | 'close', Buffer];

/** Attempt 1 (seqs 1-3): CONNECT, CONNACK, the first 12 bytes of a PUBLISH, then the TCP drop. Attempt 2 (4-7): CONNECT, CONNACK, PUBLISH, close. */
const TWO_ATTEMPTS: readonly Line[] = [
  ['out', 'binary', connect],
  ['in', 'binary', connack],
  ['in', 'binary', publish.subarray(0, 12)],
  ['out', 'binary', connect],
  ['in', 'binary', connack],
  ['in', 'binary', publish],
  ['in', 'close', Buffer.from([0x03, 0xe8])],
];

function storeOf(lines: readonly Line[]): FrameStore {
  const store = new FrameStore();
  for (const [dir, opcode, bytes] of lines) store.push(dir, opcode, bytes);
  return store;
}

function decodingOf(store: FrameStore, attempts: () => readonly AttemptRecord[]): StoreDecoding {
  return new StoreDecoding('mqtt', { url: 'ws://h/mqtt', frames: store, handshakeSteps: () => [], attempts }, {}, undefined, () => undefined);
}

function expectAttemptTwo(answer: (seq: number) => string | undefined): void {
  expect(answer(5)).toBe('CONNACK rc=0');
  expect(answer(6)).toMatch(/^PUBLISH sensors\/1 QoS 1 /);
  expect(answer(7)).toBeUndefined();
}

describe('attempts: every decoder starts afresh at a new attempt', () => {
  it('the rows in order: attempt 2 decodes as CONNACK and PUBLISH; attempt 1 says its partial PUBLISH was cut short', () => {
    const store = storeOf(TWO_ATTEMPTS);
    const decoding = decodingOf(store, () => attemptRecords([3]));
    const summaries = [1, 2, 3, 4, 5, 6, 7].map((seq) => decoding.decodeAt(seq)?.summary);
    expect(summaries[2]).toMatch(/^not valid MQTT: part of an MQTT PUBLISH: .*the session ended before the rest$/);
    expectAttemptTwo((seq) => summaries[seq - 1]);
    // Without the attempts: QA's report (attempt 2 read as the rest of attempt 1's PUBLISH).
    const without = decodingOf(storeOf(TWO_ATTEMPTS), () => []);
    expect([3, 4, 5, 6].map((seq) => without.decodeAt(seq)?.summary).join(' | ')).toMatch(/continues/);
  });

  it('a far frame asked first, decodeExactly, and a frame a short walk after the boundary (no unread answer)', () => {
    const far = decodingOf(storeOf(TWO_ATTEMPTS), () => attemptRecords([3]));
    // The PUBLISH asked first (the walk goes there from the boundary), then the rest.
    expect(far.decodeAt(6)?.summary).toMatch(/^PUBLISH sensors\/1 QoS 1 /);
    expectAttemptTwo((seq) => far.decodeAt(seq)?.summary);
    expect(far.decodeExactly(3)?.summary).toContain(CUT);
    const exact = decodingOf(storeOf(TWO_ATTEMPTS), () => attemptRecords([3]));
    expectAttemptTwo((seq) => exact.decodeExactly(seq)?.summary);
    // At most 2 frames walked per request: the boundary after 3 is a start (a fresh decoder), so 6 is exact.
    const store = storeOf(TWO_ATTEMPTS);
    const cache = new FrameDecodeCache(() => new MqttDecoder(), storeFrameReader(store), 100, undefined, () => store.firstSeq, new DecoderCheckpoints(() => store.firstSeq), AttemptBoundaries.of([3]));
    const answer = cache.decodeAt(6, 2);
    expect(answer !== undefined && isUnread(answer)).toBe(false);
    expect(answer?.summary).toMatch(/^PUBLISH sensors\/1/);
  });

  it('checkpoints left before the boundary (one a frame) are never used for a frame after it, by the rows or a walk behind', () => {
    const store = storeOf(TWO_ATTEMPTS);
    const boundaries = AttemptBoundaries.of([3]);
    const checkpoints = new DecoderCheckpoints(() => store.firstSeq, 1);
    const first = new FrameDecodeCache(() => new MqttDecoder(), storeFrameReader(store), 100, undefined, () => store.firstSeq, checkpoints, boundaries);
    for (let seq = 1; seq <= 7; seq++) first.decodeAt(seq);
    expect(checkpoints.count).toBeGreaterThan(3);
    // A second cache with those checkpoints and one answer kept: every frame is a walk behind or from a checkpoint.
    const second = new FrameDecodeCache(() => new MqttDecoder(), storeFrameReader(store), 1, undefined, () => store.firstSeq, checkpoints, boundaries);
    for (const seq of [7, 6, 5, 4, 6, 5]) second.decodeAt(seq);
    expectAttemptTwo((seq) => second.decodeAt(seq)?.summary);
  });

  it('a walk behind the exact walk, started before the boundary, starts afresh at it', () => {
    const pingresp = Buffer.from([0xd0, 0x00]);
    const store = storeOf([...TWO_ATTEMPTS.slice(0, 6), ...Array.from({ length: 20 }, (): Line => ['in', 'binary', pingresp])]);
    const cache = new FrameDecodeCache(() => new MqttDecoder(), storeFrameReader(store), 16, undefined, () => store.firstSeq, new DecoderCheckpoints(() => store.firstSeq), AttemptBoundaries.of([3]));
    // The exact walk goes from the boundary to 26 (the first answers leave the cache); then 3,
    // behind it, is walked from seq 1 to a few frames past it (5 and 6 kept).
    expect(cache.decodeAt(26)?.summary).toBe('PINGRESP');
    expect(cache.decodeAt(3)?.summary).toMatch(/continues in a later message/);
    expect(cache.decodeAt(5)?.summary).toBe('CONNACK rc=0');
    expect(cache.decodeAt(6)?.summary).toMatch(/^PUBLISH sensors\/1/);
  });

  it('a boundary learnt while live: the partial says "so far" until the attempt ends, then that it was cut short', () => {
    const store = storeOf(TWO_ATTEMPTS.slice(0, 3));
    const records: AttemptRecord[] = [];
    const decoding = decodingOf(store, () => records);
    expect(decoding.decodeAt(3)?.summary).toMatch(/continues in a later message/);
    records.push(...attemptRecords([3]));
    expect(decoding.decodeAt(3)?.summary).toContain(CUT);
    for (const [dir, opcode, bytes] of TWO_ATTEMPTS.slice(3)) store.push(dir, opcode, bytes);
    expectAttemptTwo((seq) => decoding.decodeAt(seq)?.summary);
  });

  it('an export (and an imported log with its attempts) decodes each attempt afresh', () => {
    const store = storeOf(TWO_ATTEMPTS);
    const exporting = new ExportDecoding({ frames: store, url: 'ws://h/mqtt', handshakeSteps: () => [], attempts: () => attemptRecords([3]) }, { choice: 'mqtt' });
    const got = [1, 2, 3, 4, 5, 6, 7].map((seq) => exporting.at(seq)?.summary);
    expect(got[2]).toContain(CUT);
    expectAttemptTwo((seq) => got[seq - 1]);
  });

  it("the CLI's in-order reader: afresh after the attempt's event, which says what it cut short", () => {
    const cli = new CliFrameDecoding('mqtt', () => undefined, () => undefined);
    const frame = (seq: number, [dir, opcode, bytes]: Line) => {
      const summary = { seq, dir, opcode, size: bytes.length, at: 0, preview: '', truncated: false };
      return cli.decode(summary, { frame: summary, base64: bytes.toString('base64') });
    };
    const got: (string | undefined)[] = [];
    TWO_ATTEMPTS.slice(0, 3).forEach((line, i) => got.push((frame(i + 1, line) as { summary: string } | undefined)?.summary));
    expect(got[2]).toMatch(/continues in a later message/);
    const cut = cli.attemptEnded({ afterSeq: 3 });
    expect(cut.map(({ seq, outcome }) => [seq, outcome.summary])).toEqual([[3, expect.stringContaining(CUT)]]);
    TWO_ATTEMPTS.slice(3).forEach((line, i) => got.push((frame(i + 4, line) as { summary: string } | undefined)?.summary));
    expectAttemptTwo((seq) => got[seq - 1]);
    expect(cli.unfinishedAtEnd()).toEqual([]);
  });
});

type Random = (n: number) => number;

/** Messages split anywhere from whole packets/frames, the last cut mid-way (the drop). */
function splitStream(random: Random, dir: () => 'in' | 'out', packets: Buffer[], opcode: 'binary' | 'text'): Message[] {
  const all = Buffer.concat(packets);
  const out: Message[] = [];
  const end = all.length - 1 - random(Math.min(20, all.length - 1));
  for (let at = 0; at < end; ) {
    const size = Math.min(end - at, 1 + random(60));
    out.push({ dir: dir(), opcode, bytes: all.subarray(at, at + size) });
    at += size;
  }
  return out;
}

function mqttAttempt(random: Random): Message[] {
  const topics = ['sensors/1', 'sensors/2', 'a'];
  const inbound: Buffer[] = [connack];
  for (let i = 0; i < 6; i++) {
    inbound.push(mqtt.generate({ cmd: 'publish', topic: pick(random, topics), payload: Buffer.from('x'.repeat(random(30))), qos: 1, messageId: 1 + random(9), retain: false, dup: false }, v4));
  }
  return [{ dir: 'out', opcode: 'binary', bytes: connect }, ...splitStream(random, () => 'in', inbound, 'binary')];
}

function stompFrame(random: Random): string {
  const command = pick(random, ['MESSAGE', 'SEND', 'RECEIPT']);
  return `${command}\ndestination:${pick(random, ['/topic/p1', '/queue/q'])}\n\n${pick(random, ['', 'chat', 'x'.repeat(random(30))])}\u0000`;
}

function stompAttempt(random: Random): Message[] {
  const stream = stompStream(random, stompFrame);
  // Cut mid-frame at the drop: the last message loses its end.
  const last = stream[stream.length - 1];
  if (last && last.bytes.length > 2) stream[stream.length - 1] = { ...last, bytes: last.bytes.subarray(0, last.bytes.length - 1 - random(last.bytes.length - 1)) };
  return stream;
}

function socketIoAttempt(random: Random): Message[] {
  const out: Message[] = [{ dir: 'in', opcode: 'text', bytes: Buffer.from('0{"sid":"s","upgrades":[],"pingInterval":25000,"pingTimeout":5000}') }, { dir: 'in', opcode: 'text', bytes: Buffer.from('40{"sid":"x"}') }];
  for (let i = 0; i < 6; i++) {
    const event = pick(random, ['chat', 'news', 'upload']);
    if (random(3) === 0) {
      out.push({ dir: 'in', opcode: 'text', bytes: Buffer.from(`451-["${event}",{"_placeholder":true,"num":0}]`) });
      if (random(2) === 0) out.push({ dir: 'in', opcode: 'binary', bytes: Buffer.from([1, 2, 3]) });
    } else out.push({ dir: 'in', opcode: 'text', bytes: Buffer.from(`42["${event}",${random(9)}]`) });
  }
  // The drop comes between a binary event's header and its attachment.
  if (random(2) === 0) out.push({ dir: 'in', opcode: 'text', bytes: Buffer.from('451-["upload",{"_placeholder":true,"num":0}]') });
  return out;
}

/** Two to four attempts, each cut at its end; the seqs after which each ended. */
function attemptsOf(random: Random, make: (random: Random) => Message[]): { messages: Message[]; after: number[] } {
  const messages: Message[] = [];
  const after: number[] = [];
  const count = 2 + random(3);
  for (let i = 0; i < count; i++) {
    messages.push(...make(random));
    if (i < count - 1) after.push(messages.length);
  }
  return { messages, after };
}

describe('attempts: searches count what decoding each attempt afresh in order counts', () => {
  const cases = [
    { name: 'MQTT', choice: 'mqtt', url: 'ws://h/mqtt', make: mqttAttempt, filters: [{ topic: 'sensors/1' }, { topic: 'a' }, { query: "$.cmd == 'publish'" }, { query: "$.cmd == 'connack'" }, { query: '$.messageId > 4' }, { query: '$.nothing != 1' }] },
    { name: 'STOMP', choice: 'stomp', url: 'ws://h/stomp', make: stompAttempt, filters: [{ destination: '/topic/p1' }, { query: "$.command == 'MESSAGE'" }, { query: "$.command != 'SEND'" }, { query: '$.body =~ /at/' }] },
    { name: 'Socket.IO', choice: 'socketio', url: 'ws://h/socket.io/?EIO=4&transport=websocket', make: socketIoAttempt, filters: [{ event: 'chat' }, { event: 'upload' }, { query: "$.event == 'news'" }, { query: '$.nothing != 1' }] },
  ] as const;
  for (const { name, choice, url, make, filters } of cases) {
    it(name, () => {
      const random = seeded(name.length * 7919);
      let differs = 0;
      for (let round = 0; round < 25; round++) {
        const { messages, after } = attemptsOf(random, make);
        for (const ended of [false, true]) {
          const results = compareSearches(messages, choice, url, () => createDecoder(choice, {}), filters, undefined, undefined, ended, after);
          for (const { label, expected, got } of results) expect(got, `round ${round} ended ${ended} ${label}`).toEqual(expected);
          // Not vacuous: decoding across the boundaries would count otherwise.
          const across = compareSearches(messages, choice, url, () => createDecoder(choice, {}), filters, undefined, undefined, ended);
          differs += across.filter((r, k) => JSON.stringify(r.expected) !== JSON.stringify(results[k]?.expected)).length;
        }
      }
      expect(differs).toBeGreaterThan(0);
    });
  }
});
