/**
 * MQTT's connection-position notes ("before CONNECT", "a second CONNECT": mqtt-connection.ts)
 * need to know where a packet is in its connection. A row decoded without the session's start
 * (its frames evicted, or a far row read ahead of the in-order walk: marked `≈`) did not, and said
 * "before CONNECT" of packets sent long after the CONNECT. Now a decoder whose walk starts midway
 * is told so (fresh-decoder.ts) and says nothing of a packet before a CONNECT until it reads one;
 * a decoder that read from the start, or whose walk passed over frames a fresh decoder reads alike
 * (a search's prefilter), still notes it; later attempts are noted from their own start.
 * Searches, which never read summaries, still equal decoding every frame in order.
 */
import mqtt from 'mqtt-packet';
import { describe, expect, it } from 'vitest';
import { DecodeCommands } from '../../../src-main/core/decode-commands';
import { AttemptBoundaries } from '../../../src-main/core/decode/attempt-boundaries';
import type { DecodeOutcome } from '../../../src-main/core/decode/decoded-frame';
import { createDecoder } from '../../../src-main/core/decode/decoder-registry';
import { FrameDecodeCache, isUnread } from '../../../src-main/core/decode/frame-decode-cache';
import { MqttDecoder } from '../../../src-main/core/decode/mqtt-decoder';
import { storeFrameReader } from '../../../src-main/core/decode/store-frame-reader';
import { compileFilter } from '../../../src-main/core/search/compile-filter';
import { searchFrames } from '../../../src-main/core/search/frame-search';
import { FrameStore } from '../../../src-main/core/session/frame-store';
import { matchesDecodedQuery, parseDecodedQuery } from '../../../src-main/shared/decoded-query';
import type { DecodedFilter } from '../../../src-main/shared/decoding';

const v4 = { protocolVersion: 4 } as const;
const connect = mqtt.generate({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clientId: 'c', clean: true, keepalive: 30 }, v4);
const connack = mqtt.generate({ cmd: 'connack', returnCode: 0, sessionPresent: false }, v4);
const publish = (i: number): Buffer => mqtt.generate({ cmd: 'publish', topic: `t/${i % 7}`, payload: Buffer.from(`v${i}`), qos: 0, retain: false, dup: false }, v4);
const BEFORE = ' — before CONNECT: the server closes the connection (MQTT 3.1.1 and 5 §3.1)';
const SECOND = ' — a second CONNECT: the server closes the connection (MQTT 3.1.1 and 5 §3.1)';

type Message = readonly ['in' | 'out', Buffer];

/** CONNECT, CONNACK, then `count` client PUBLISHes; a second CONNECT at `second` (an index among them), if given. */
function connectedStream(count: number, second?: number): Message[] {
  const out: Message[] = [['out', connect], ['in', connack]];
  for (let i = 0; i < count; i++) out.push(['out', i === second ? connect : publish(i)]);
  return out;
}

function storeOf(messages: readonly Message[], maxFrames?: number): FrameStore {
  const store = new FrameStore(maxFrames !== undefined ? { maxFrames } : {});
  for (const [dir, bytes] of messages) store.push(dir, 'binary', bytes);
  return store;
}

/** What decoding every message in order from seq 1 says (the evicted ones read too). */
function inOrder(messages: readonly Message[]): (DecodeOutcome | undefined)[] {
  const decoder = new MqttDecoder();
  return [undefined, ...messages.map(([dir, bytes], i) => decoder.decode({ seq: i + 1, dir, opcode: 'binary', bytes: new Uint8Array(bytes) }))];
}

const summary = (outcome: DecodeOutcome | undefined): string | undefined => outcome?.summary;

describe('rows decoded without the session’s start do not guess where they are in the connection', () => {
  it('after eviction: a PUBLISH after the evicted CONNECT is not "before CONNECT"; a CONNECT read since makes the next one a second', () => {
    const messages = connectedStream(600, 400);
    const store = storeOf(messages, 300);
    const first = store.firstSeq;
    expect(first).toBeGreaterThan(3);
    const cache = new FrameDecodeCache(() => createDecoder('mqtt'), storeFrameReader(store), 1000, undefined, () => store.firstSeq);
    const row = cache.decodeAt(first + 1);
    expect(row).toMatchObject({ summary: `PUBLISH t/${(first + 1 - 3) % 7} QoS 0 ${`v${first + 1 - 3}`.length} B`, withoutEvicted: { fromSeq: first } });
    // The CONNECT at index 400 (seq 403) is read by the walk: from then on it knows. A later CONNECT is a second one.
    expect(summary(cache.decodeAt(403))).toBe('CONNECT client=c MQTT 3.1.1 keepalive 30 clean');
    // Whereas decoding from the start calls seq 403 a second CONNECT: the evicted frames held the first.
    expect(summary(inOrder(messages)[403])).toBe(`CONNECT client=c MQTT 3.1.1 keepalive 30 clean${SECOND}`);
    store.push('out', 'binary', connect);
    expect(summary(cache.decodeAt(store.lastSeq))).toBe(`CONNECT client=c MQTT 3.1.1 keepalive 30 clean${SECOND}`);
  });

  it('a far row read ahead of the walk (≈, unread): no "before CONNECT"; once caught up, what decoding in order says', () => {
    const messages = connectedStream(10_000);
    const store = storeOf(messages);
    const decodes = new DecodeCommands();
    const session = { id: 'far', url: 'ws://h/mqtt', frames: store, handshakeSteps: () => [] };
    decodes.state(session, { sessionId: session.id, choice: 'mqtt' });
    const last = store.lastSeq;
    const far = decodes.decode(session, { sessionId: session.id, seqs: [last], values: false });
    if (!far.ok) throw new Error(far.error.message);
    expect(far.value.frames[0]).toMatchObject({ summary: `PUBLISH t/${(last - 3) % 7} QoS 0 ${`v${last - 3}`.length} B`, unread: { fromSeq: last - 64 } });
    expect(far.value.frames[0]?.summary).not.toContain('before CONNECT');
  });

  it('the same far row in a session that never CONNECTs: not noted while unread, noted once read from the start', () => {
    const messages: Message[] = Array.from({ length: 10_000 }, (_, i) => ['out', publish(i)] as const);
    const store = storeOf(messages);
    const cache = new FrameDecodeCache(() => createDecoder('mqtt'), storeFrameReader(store), 1000);
    const unread = cache.decodeAt(9_999);
    expect(isUnread(unread)).toBe(true);
    expect(summary(unread)).toBe(`PUBLISH t/${9_998 % 7} QoS 0 5 B`);
    while (cache.catchUp(4096));
    expect(summary(cache.decodeAt(9_999))).toBe(`PUBLISH t/${9_998 % 7} QoS 0 5 B${BEFORE}`);
    // The rows from the start are noted from the first.
    expect(summary(cache.decodeAt(1))).toBe(`PUBLISH t/0 QoS 0 2 B${BEFORE}`);
  });

  it('a later attempt is noted from its own start, also when the store evicted the first attempt', () => {
    // Attempt 1: CONNECT, CONNACK, 400 PUBLISHes; attempt 2 (after 402): a PUBLISH before its CONNECT, then CONNECT, CONNACK, PUBLISH.
    const messages: Message[] = [...connectedStream(400), ['out', publish(1)], ['out', connect], ['in', connack], ['out', publish(2)]];
    const store = storeOf(messages, 300);
    const boundaries = AttemptBoundaries.of([402]);
    const cache = new FrameDecodeCache(() => createDecoder('mqtt'), storeFrameReader(store), 1000, undefined, () => store.firstSeq, undefined, boundaries);
    expect(summary(cache.decodeAt(403))).toBe(`PUBLISH t/1 QoS 0 2 B${BEFORE}`);
    expect(summary(cache.decodeAt(404))).toBe('CONNECT client=c MQTT 3.1.1 keepalive 30 clean');
    expect(summary(cache.decodeAt(406))).toBe('PUBLISH t/2 QoS 0 2 B');
    // The evicted attempt's rows: started midway, no note.
    expect(summary(cache.decodeAt(store.firstSeq))).toBe(`PUBLISH t/${(store.firstSeq - 3) % 7} QoS 0 ${`v${store.firstSeq - 3}`.length} B`);
  });
});

describe('searches still equal decoding every frame in order, with frames evicted and a far row read first', () => {
  /**
   * A client that publishes before it connects (2,500 packets: checkpoints fall before the
   * CONNECT), connects, publishes on and connects again: 10,502 frames, so the last row is too far
   * from the oldest stored one to walk to at once (read marked, then caught up with).
   */
  function messagesBeforeConnect(): Message[] {
    const out: Message[] = [];
    for (let i = 0; i < 2500; i++) out.push(['out', publish(i)]);
    out.push(['out', connect], ['in', connack]);
    for (let i = 0; i < 8000; i++) out.push(['out', i === 5000 ? connect : publish(i)]);
    return out;
  }

  async function search(store: FrameStore, decodes: DecodeCommands, session: Parameters<DecodeCommands['predicate']>[0], filter: DecodedFilter, backward: boolean): Promise<number[]> {
    const found: number[] = [];
    let next: number | null = backward ? store.lastSeq : store.firstSeq;
    while (next !== null) {
      const decoded = decodes.predicate(session, filter);
      if (!decoded.ok) throw new Error(decoded.error.message);
      const compiled = compileFilter({});
      if (!compiled.ok) throw new Error(compiled.problem.message);
      compiled.filter.decoded = decoded.value;
      const page = await searchFrames(store, compiled.filter, { searchId: 's', limit: 250, fromSeq: next, backward }, { cancelled: () => false, maxDurationMs: 600_000 });
      found.push(...page.matches.map((m) => m.seq));
      next = page.nextSeq;
    }
    return found;
  }

  /** The query's matches among the answers decoding the stored frames in order gives (afresh at the oldest: what the rows show). */
  function expected(answers: (DecodeOutcome | undefined)[], query: string, from: number): number[] {
    const parsed = parseDecodedQuery(query);
    if (!parsed.ok) throw new Error(parsed.error);
    const seqs: number[] = [];
    answers.forEach((outcome, seq) => {
      if (seq >= from && outcome && outcome.kind !== 'invalid' && matchesDecodedQuery(parsed.query, outcome.value)) seqs.push(seq);
    });
    return seqs;
  }

  for (const evicted of [false, true]) {
    it(`${evicted ? 'after eviction' : 'whole'}: queries forward and backward after a far row was read first; rows from the searches' checkpoints say what decoding in order says`, async () => {
      const messages = messagesBeforeConnect();
      const store = storeOf(messages, evicted ? 9000 : undefined);
      const from = store.firstSeq;
      const decodes = new DecodeCommands(200);
      const session = { id: 's', url: 'ws://h/mqtt', frames: store, handshakeSteps: () => [] };
      decodes.state(session, { sessionId: session.id, choice: 'mqtt' });
      // A far row first (marked), then searches.
      const far = decodes.decode(session, { sessionId: session.id, seqs: [store.lastSeq], values: false });
      if (!far.ok) throw new Error(far.error.message);
      expect(far.value.frames[0]?.unread).toBeDefined();
      // The reference: the stored frames decoded in order from the oldest (afresh after eviction, as the rows are).
      const reference = createDecoder('mqtt');
      if (evicted) reference.startsMidway?.();
      const answers: (DecodeOutcome | undefined)[] = [];
      for (let seq = from; seq <= store.lastSeq; seq++) {
        const [dir, bytes] = messages[seq - 1] ?? ['out', Buffer.alloc(0)];
        answers[seq] = reference.decode({ seq, dir, opcode: 'binary', bytes: new Uint8Array(bytes) });
      }
      for (const query of ["$.cmd == 'publish'", "$.topic == 't/3'", "$.cmd == 'connect'"]) {
        const want = expected(answers, query, from);
        expect(want.length, query).toBeGreaterThan(0);
        expect(await search(store, decodes, session, { query }, false), query).toEqual(want);
        expect(await search(store, decodes, session, { query }, true), query).toEqual([...want].reverse());
      }
      // Rows after the searches (decoded from their walks' checkpoints, or the rows' own walk): the reference's words.
      for (let seq = store.lastSeq; seq >= from; seq -= 37) {
        const row = decodes.decode(session, { sessionId: session.id, seqs: [seq], values: false });
        if (!row.ok) throw new Error(row.error.message);
        expect(row.value.frames[0]?.summary, String(seq)).toBe(answers[seq]?.summary);
      }
      store.release();
    });
  }
});
