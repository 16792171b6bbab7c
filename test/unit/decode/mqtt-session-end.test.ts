/**
 * A session that ends without a close in a direction where an MQTT packet is under way: the last
 * message of that direction said "… so far (continues in a later message)" while the session was
 * live, and says the rest never came once it ended (the store sealed: session-end.ts), however the
 * answer is reached: the rows' in-order walk, a far frame (answered marked, then exactly after the
 * catch-up, then again from a checkpoint once its answer left the cache), decodeExactly, a search
 * (its in-order walk, the fields' index), an export; answers asked before the end never keep the
 * "so far". A live session keeps it. An empty binary message holds no packet.
 */
import mqtt from 'mqtt-packet';
import { afterEach, describe, expect, it } from 'vitest';
import { DecodeCommands } from '../../../src-main/core/decode-commands';
import { EMPTY_MESSAGE, MqttDecoder } from '../../../src-main/core/decode/mqtt-decoder';
import { endedAnswer, SessionEnd } from '../../../src-main/core/decode/session-end';
import { StoreDecoding } from '../../../src-main/core/decode/store-decoding';
import { isUnread } from '../../../src-main/core/decode/frame-decode-cache';
import { Engine } from '../../../src-main/core/engine';
import { ExportDecoding } from '../../../src-main/core/export/export-decoding';
import { FrameStore } from '../../../src-main/core/session/frame-store';

const v4 = { protocolVersion: 4 } as const;
const connect = mqtt.generate({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clientId: 'c', clean: true, keepalive: 30 }, v4);
const publish = mqtt.generate({ cmd: 'publish', topic: 'sensors/1', payload: Buffer.from('{"t":21.5}'), qos: 1, messageId: 1, retain: false, dup: false }, v4);
const pingreq = mqtt.generate({ cmd: 'pingreq' }, v4);
const SO_FAR = 'part of an MQTT PUBLISH: 7 of the 23 B after its fixed header so far (continues in a later message)';
const NEVER = 'part of an MQTT PUBLISH: 7 of the 23 B after its fixed header arrived; the session ended before the rest';

type Line = readonly ['in' | 'out', 'binary' | 'text' | 'close' | 'ping', Buffer];

function storeOf(lines: readonly Line[]): FrameStore {
  const store = new FrameStore();
  for (const [dir, opcode, bytes] of lines) store.push(dir, opcode, bytes);
  return store;
}

/** A session's StoreDecoding as MQTT, its catch-up turns run by hand. */
function decodingOf(store: FrameStore, cacheEntries?: number): { decoding: StoreDecoding; turns: (() => void)[] } {
  const turns: (() => void)[] = [];
  const decoding = new StoreDecoding('mqtt', { url: 'ws://h/mqtt', frames: store, handshakeSteps: () => [] }, {}, cacheEntries, (turn) => void turns.push(turn));
  return { decoding, turns };
}

/** CONNECT; a whole PUBLISH in; the start of one in (its rest never comes); a PINGREQ out; a ping in. */
const ENDS_MID_PACKET: readonly Line[] = [
  ['out', 'binary', connect],
  ['in', 'binary', publish],
  ['in', 'binary', publish.subarray(0, 9)],
  ['out', 'binary', pingreq],
  ['in', 'ping', Buffer.alloc(0)],
];

describe('MQTT: the last message of a direction once the session ended', () => {
  it('keeps "so far" while the session is live, and says the rest never came once it ended, though asked before', () => {
    const store = storeOf(ENDS_MID_PACKET);
    const { decoding } = decodingOf(store);
    expect(decoding.decodeAt(3)).toMatchObject({ kind: 'partial', summary: SO_FAR });
    expect(decoding.decodeExactly(3)).toMatchObject({ kind: 'partial', summary: SO_FAR });
    store.seal();
    expect(decoding.decodeAt(3)).toEqual({ kind: 'invalid', protocol: 'mqtt', summary: `not valid MQTT: ${NEVER}`, problem: NEVER });
    expect(decoding.decodeExactly(3)?.summary).toBe(`not valid MQTT: ${NEVER}`);
    // The other frames are as they were.
    expect(decoding.decodeAt(2)?.summary).toBe('PUBLISH sensors/1 QoS 1 10 B id=1');
    expect(decoding.decodeAt(4)?.summary).toBe('PINGREQ');
    // A frame appended after the seal: the session went on after all.
    store.push('in', 'binary', publish.subarray(9));
    expect(decoding.decodeAt(3)?.summary).toBe(SO_FAR);
    expect(decoding.decodeAt(6)?.summary).toBe('PUBLISH sensors/1 QoS 1 10 B id=1');
  });

  it('is said only by the last message of the direction, and not where a close in that direction says it', () => {
    const closed = storeOf([...ENDS_MID_PACKET, ['in', 'close', Buffer.from([0x03, 0xe8])]]);
    closed.seal();
    const a = decodingOf(closed).decoding;
    expect(a.decodeAt(3)?.summary).toBe(SO_FAR);
    expect(a.decodeAt(6)?.summary).toBe('not valid MQTT: a close frame, which cuts short the PUBLISH under way in this direction: 7 of the 23 B after its fixed header arrived');
    // Only the other side closed: the packet in this direction never came either.
    const otherClosed = storeOf([...ENDS_MID_PACKET, ['out', 'close', Buffer.from([0x03, 0xe8])]]);
    otherClosed.seal();
    expect(decodingOf(otherClosed).decoding.decodeAt(3)?.summary).toBe(`not valid MQTT: ${NEVER}`);
    // An empty message after it in that direction is the last: it says so, the part before it goes on.
    const empty = storeOf([...ENDS_MID_PACKET, ['in', 'binary', Buffer.alloc(0)]]);
    empty.seal();
    const c = decodingOf(empty).decoding;
    expect(c.decodeAt(3)?.summary).toBe(SO_FAR);
    expect(c.decodeAt(6)?.summary).toBe('not valid MQTT: an empty binary message, with part of an MQTT PUBLISH under way: 7 of the 23 B after its fixed header arrived; the session ended before the rest');
    // Whole packets then the start of one.
    const mixed = storeOf([['out', 'binary', connect], ['in', 'binary', Buffer.concat([publish, publish.subarray(0, 9)])]]);
    mixed.seal();
    expect(decodingOf(mixed).decoding.decodeAt(2)).toMatchObject({
      kind: 'decoded',
      summary: 'PUBLISH sensors/1 QoS 1 10 B id=1 · then the start of a PUBLISH: 7 of the 23 B after its fixed header arrived; the session ended before the rest',
    });
  });

  it('an empty binary message in an idle direction holds no packet, ended or not', () => {
    const store = storeOf([['out', 'binary', connect], ['in', 'binary', Buffer.alloc(0)]]);
    const { decoding } = decodingOf(store);
    expect(decoding.decodeAt(2)).toEqual({ kind: 'decoded', protocol: 'mqtt', summary: EMPTY_MESSAGE, value: { packets: [] } });
    store.seal();
    expect(decoding.decodeAt(2)?.summary).toBe(EMPTY_MESSAGE);
  });

  it('a far last frame: marked at first, exact after the catch-up, and again from a checkpoint once its answer left the cache', () => {
    const lines: Line[] = [['out', 'binary', connect]];
    for (let i = 0; i < 20_000; i++) lines.push(['in', 'binary', publish]);
    lines.push(['in', 'binary', publish.subarray(0, 9)]);
    const store = storeOf(lines);
    store.seal();
    const last = store.lastSeq;
    const { decoding, turns } = decodingOf(store, 64);
    const first = decoding.decodeAt(last);
    // Far from any start: decoded with the frames just before it, marked, and already as it ends.
    expect(isUnread(first)).toBe(true);
    expect(first?.summary).toBe(`not valid MQTT: ${NEVER}`);
    while (turns.length > 0) turns.shift()?.();
    const exact = decoding.decodeAt(last);
    expect(isUnread(exact)).toBe(false);
    expect(exact?.summary).toBe(`not valid MQTT: ${NEVER}`);
    // Its answer leaves the cache (64 answers): asked again, decoded from the checkpoint before it.
    for (let seq = 2; seq < 200; seq++) decoding.decodeAt(seq);
    expect(decoding.decodeAt(last)?.summary).toBe(`not valid MQTT: ${NEVER}`);
    expect(decoding.decodeAt(last - 1)?.summary).toBe('PUBLISH sensors/1 QoS 1 10 B id=1');
  });

  it('a search finds what decoding every frame in order finds, live and after the end, forward and backward', () => {
    const store = storeOf(ENDS_MID_PACKET);
    const session = { id: 's', url: 'ws://h/mqtt', frames: store, handshakeSteps: () => [] };
    const decodes = new DecodeCommands();
    decodes.state(session, { sessionId: 's', choice: 'mqtt' });
    const search = (query: string, backward = false): number[] => {
      const test = decodes.predicate(session, { query });
      if (!test.ok) throw new Error(test.error.message);
      const seqs = [1, 2, 3, 4, 5];
      return (backward ? seqs.reverse() : seqs).filter((seq) => test.value(seq)).sort((a, b) => a - b);
    };
    expect(search('$.continues == true')).toEqual([3]);
    // Asked while live, then the session ends: the same walk answers as it stands now.
    store.seal();
    expect(search('$.continues == true')).toEqual([]);
    expect(search('$.continues == true', true)).toEqual([]);
    expect(search("$.cmd == 'publish'")).toEqual([2]);
    const topic = decodes.predicate(session, { topic: 'sensors/1' });
    expect(topic.ok && [1, 2, 3, 4, 5].filter((seq) => topic.value(seq))).toEqual([2]);
  });

  it('an export writes the last message as it stands when it is written', () => {
    const store = storeOf(ENDS_MID_PACKET);
    const session = { url: 'ws://h/mqtt', frames: store, handshakeSteps: () => [] };
    expect(new ExportDecoding(session, { choice: 'mqtt' }).at(3)?.summary).toBe(SO_FAR);
    store.seal();
    const record = new ExportDecoding(session, { choice: 'mqtt' }).at(3);
    expect(record).toMatchObject({ protocol: 'mqtt', summary: `not valid MQTT: ${NEVER}`, valid: false, problem: NEVER });
  });

  it('endedAnswer keeps the marks the cache puts on an answer', () => {
    const decoder = new MqttDecoder();
    const partial = decoder.decode({ seq: 1, dir: 'in', opcode: 'binary', bytes: publish.subarray(0, 9) });
    if (!partial) throw new Error('no answer');
    const marked = { ...partial, withoutEvicted: { framesBefore: 4, fromSeq: 5 }, unread: { from: 3, frames: 2 } };
    expect(endedAnswer(marked)).toMatchObject({ kind: 'invalid', summary: `not valid MQTT: ${NEVER}`, withoutEvicted: { framesBefore: 4, fromSeq: 5 }, unread: { from: 3, frames: 2 } });
  });
});

describe('SessionEnd: the last message of each direction', () => {
  it('is found alike from the ring and from entries, after eviction and with pings, pongs and closes last', () => {
    let state = 7;
    const random = (n: number): number => {
      state = (state * 1103515245 + 12345) % 2147483648;
      return state % n;
    };
    const opcodes = ['text', 'binary', 'ping', 'pong', 'close'] as const;
    for (let round = 0; round < 200; round++) {
      const store = new FrameStore({ maxFrames: 5 + random(30) });
      const count = random(60);
      for (let i = 0; i < count; i++) store.push(random(5) === 0 ? 'out' : 'in', opcodes[random(opcodes.length)] ?? 'binary', Buffer.from([i & 0xff]));
      store.seal();
      const fromRing = new SessionEnd(store);
      const fromEntries = new SessionEnd({ entry: (seq) => store.entry(seq), firstSeq: store.firstSeq, lastSeq: store.lastSeq, lastAssignedSeq: store.lastAssignedSeq, sealed: store.sealed });
      const expected: number[] = [];
      for (const dir of ['in', 'out'] as const) {
        for (let seq = store.lastSeq; seq >= Math.max(1, store.firstSeq); seq--) {
          const entry = store.entry(seq);
          if (entry?.dir === dir && (entry.opcode === 'text' || entry.opcode === 'binary' || entry.opcode === 'close')) {
            expected.push(seq);
            break;
          }
        }
      }
      for (let seq = store.firstSeq; seq <= store.lastSeq; seq++) {
        expect(fromRing.endsItsDirection(seq), `round ${round} seq ${seq}`).toBe(expected.includes(seq));
        expect(fromEntries.endsItsDirection(seq), `round ${round} seq ${seq}`).toBe(expected.includes(seq));
      }
    }
  });

  it('says nothing while the session is live, or when frames at its end were not stored', () => {
    const store = storeOf(ENDS_MID_PACKET);
    expect(new SessionEnd(store).endsItsDirection(3)).toBe(false);
    store.seal();
    expect(new SessionEnd(store).endsItsDirection(3)).toBe(true);
    expect(new SessionEnd({ entry: (seq) => store.entry(seq), firstSeq: 1, lastSeq: 5, lastAssignedSeq: 6, sealed: true }).endsItsDirection(3)).toBe(false);
  });
});

describe('MQTT: a session ending mid-packet, through the engine', () => {
  let engine: Engine | undefined;
  afterEach(async () => {
    await engine?.dispose();
    engine = undefined;
  });

  it('an imported log (its store sealed) shows, exports and searches the last message as never completed', async () => {
    const e = new Engine({ host: 'web', version: '1', env: {} });
    engine = e;
    const text = ENDS_MID_PACKET.filter(([, opcode]) => opcode !== 'ping')
      .map(([dir, opcode, bytes], i) => JSON.stringify({ seq: i + 1, dir, opcode, at: new Date(Date.UTC(2024, 4, 1, 10, 0, 0, i)).toISOString(), size: bytes.length, base64: bytes.toString('base64') }))
      .join('\n');
    const imported = await e.call('frames:import', { text, name: 'mqtt.ndjson' });
    if (!imported.ok) throw new Error(imported.error.message);
    const sessionId = imported.value.sessionId;
    expect((await e.call('session:decoding', { sessionId, choice: 'mqtt' })).ok).toBe(true);
    const rows = await e.call('frames:decode', { sessionId, seqs: [2, 3, 4] });
    if (!rows.ok) throw new Error(rows.error.message);
    expect(rows.value.frames.find((f) => f.seq === 3)).toMatchObject({ kind: 'invalid', summary: `not valid MQTT: ${NEVER}`, problem: NEVER });
    const exported = await e.call('frames:export', { sessionId, format: 'ndjson', decoded: { choice: 'mqtt' } });
    if (!exported.ok) throw new Error(exported.error.message);
    const lines = exported.value.text.trimEnd().split('\n').slice(1).map((line) => JSON.parse(line) as { seq: number; decoded?: { summary: string; valid?: boolean } });
    expect(lines.find((line) => line.seq === 3)?.decoded).toMatchObject({ summary: `not valid MQTT: ${NEVER}`, valid: false });
    const found = await e.call('frames:search', { sessionId, filter: { decoded: { query: '$.continues == true' } } });
    expect(found.ok && found.value.matches.map((m) => m.seq)).toEqual([]);
  });
});
