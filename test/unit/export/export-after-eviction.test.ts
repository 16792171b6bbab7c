/**
 * An export with decoded frames after the store evicted its front: the log's rows decode every
 * frame from the session's first surviving checkpoint on as the whole session did (an MQTT 5
 * PUBLISH names the topic of an alias set in an evicted frame). The export must say the same for
 * those frames, and where its decoder has not read what the evicted frames set (before that
 * checkpoint, or with no checkpoint of the rows' protocol) it says so on each frame
 * (`withoutEvicted`), never a silently different value.
 */
import { describe, expect, it } from 'vitest';
import { decodedRecord, type DecodedRecord } from '../../../src-main/core/decode/decoded-record';
import { decodedFields } from '../../../src-main/core/decode/decoded-fields';
import type { DecoderName, WireFrame } from '../../../src-main/core/decode/decoded-frame';
import { StoreDecoding } from '../../../src-main/core/decode/store-decoding';
import { REST_OF_DROPPED_FRAME } from '../../../src-main/core/decode/midway-credentials';
import { isWithoutEvicted } from '../../../src-main/core/decode/without-evicted';
import { createDecoder } from '../../../src-main/core/decode/decoder-registry';
import type { Checkpoint } from '../../../src-main/core/decode/decoder-checkpoints';
import { DecodeCommands } from '../../../src-main/core/decode-commands';
import type { RowCheckpoints } from '../../../src-main/core/decode/session-decoding';
import { exportToText } from '../../../src-main/core/export/export-session';
import { FrameStore } from '../../../src-main/core/session/frame-store';
import { matchesDecodedQuery, parseDecodedQuery } from '../../../src-main/shared/decoded-query';
import { FAR_SPECS, farStream } from '../decode/far-state-streams';
import { fixtureSession } from './log-fixture';

const MQTT = FAR_SPECS.find((spec) => spec.name === 'mqtt');
if (!MQTT) throw new Error('no MQTT stream');
const STREAM = farStream(MQTT, 12_000, 77);
/** The store keeps this many: the first 4,000 frames (the aliases are set in the first four) are evicted. */
const KEPT = STREAM.frames.length - 4000;
/** The aliases set in the first frames name these (one each way). */
const TOPICS = ['far/in', 'far/out'];

type Line = { seq: number; decoded?: DecodedRecord & { withoutEvicted?: { framesBefore: number; fromSeq: number } }; redacted?: { fields: string[] } };

function push(store: FrameStore, frames: readonly WireFrame[]): void {
  for (const frame of frames) store.push(frame.dir, frame.opcode as 'text' | 'binary', Buffer.from(frame.bytes));
}

/** A session whose rows were read up to its last frame (checkpoints left), then the front evicted. */
function evictedSession(): { store: FrameStore; rows: StoreDecoding; session: ReturnType<typeof fixtureSession>; firstCheckpoint: number } {
  const store = new FrameStore({ maxFrames: KEPT });
  push(store, STREAM.frames.slice(0, KEPT));
  const session = fixtureSession({ frames: store, steps: [], url: 'ws://far.test/' });
  const rows = new StoreDecoding('mqtt', session);
  rows.decodeExactly(KEPT);
  push(store, STREAM.frames.slice(KEPT));
  expect(store.firstSeq).toBe(STREAM.frames.length - KEPT + 1);
  const firstCheckpoint = rows.checkpoints?.firstFrom(store.firstSeq)?.seq;
  if (firstCheckpoint === undefined) throw new Error('no checkpoint survived');
  expect(firstCheckpoint).toBeGreaterThan(store.firstSeq);
  return { store, rows, session, firstCheckpoint };
}

async function exportLines(session: ReturnType<typeof fixtureSession>, rows?: StoreDecoding | RowCheckpoints): Promise<Line[]> {
  const rowCheckpoints = rows instanceof StoreDecoding ? (protocol: DecoderName) => rows.checkpointsFor(protocol) : rows;
  const decoding = { choice: 'mqtt' as const, ...(rowCheckpoints ? { rowCheckpoints } : {}) };
  const { text } = await exportToText(session, { format: 'ndjson', version: '9.9.9', decoding });
  return text.trimEnd().split('\n').slice(1).map((line) => JSON.parse(line) as Line);
}

const namesTopic = (record: DecodedRecord | undefined): boolean => record !== undefined && 'value' in record && decodedFields(record.value).topics.some((topic) => TOPICS.includes(topic));

describe('an export after the store evicted its front', () => {
  it('decodes as the rows do from their first surviving checkpoint on, and flags each frame before it', async () => {
    const { store, rows, session, firstCheckpoint } = evictedSession();
    const lines = await exportLines(session, rows);
    expect(lines.length).toBe(KEPT);
    let agreeingTopics = 0;
    for (const line of lines) {
      const outcome = rows.decodeAt(line.seq);
      const entry = store.entry(line.seq);
      if (!outcome || !entry) throw new Error(`#${line.seq} not decoded`);
      const row = decodedRecord(outcome, rows.decoding(), entry.dir);
      if (line.seq >= firstCheckpoint) {
        // The rows' state: the same value, no flag.
        expect(line.decoded, `#${line.seq}`).toEqual(row);
        if (namesTopic(row)) agreeingTopics++;
      } else {
        // Decoded without the evicted frames, and saying so.
        expect(line.decoded?.withoutEvicted, `#${line.seq}`).toEqual({ framesBefore: store.firstSeq - 1, fromSeq: store.firstSeq });
      }
    }
    // Aliased PUBLISHes whose alias was set in an evicted frame, named in both.
    expect(agreeingTopics).toBeGreaterThan(3);
  });

  it('rows read only after the eviction: their checkpoints lack the evicted frames too, so the export says so on every frame, with the rows’ values', async () => {
    const store = new FrameStore({ maxFrames: KEPT });
    push(store, STREAM.frames);
    const session = fixtureSession({ frames: store, steps: [], url: 'ws://far.test/' });
    const rows = new StoreDecoding('mqtt', session);
    rows.decodeExactly(store.lastSeq);
    const firstCheckpoint = rows.checkpoints?.firstFrom(store.firstSeq);
    expect(firstCheckpoint?.partial).toEqual({ fromSeq: store.firstSeq });
    const lines = await exportLines(session, rows);
    let midway = 0;
    for (const line of lines) {
      const { withoutEvicted, ...record } = line.decoded ?? {};
      expect(withoutEvicted, `#${line.seq}`).toEqual({ framesBefore: store.firstSeq - 1, fromSeq: store.firstSeq });
      const outcome = rows.decodeAt(line.seq);
      const entry = store.entry(line.seq);
      // The oldest stored message going each way continues a packet begun in an evicted one: masked
      // whole (midway-credentials.ts), so the export decodes '*' where the rows read the bytes.
      if (line.redacted?.fields.includes(REST_OF_DROPPED_FRAME)) {
        midway++;
        continue;
      }
      if (outcome && entry) expect(record, `#${line.seq}`).toEqual(decodedRecord(outcome, rows.decoding(), entry.dir));
    }
    expect(midway).toBeLessThanOrEqual(4);
  });

  it('evicted again after the rows read it: from a partial checkpoint on, the export names where that checkpoint’s walk started, as the rows do, not its own start', async () => {
    // The rows read the store after the first 2,000 frames were evicted (partial checkpoints, from
    // #2,001); then 2,000 more came and the front went on to #4,001, where the export starts afresh.
    const store = new FrameStore({ maxFrames: KEPT });
    push(store, STREAM.frames.slice(0, KEPT + 2000));
    const session = fixtureSession({ frames: store, steps: [], url: 'ws://far.test/' });
    const rows = new StoreDecoding('mqtt', session);
    rows.decodeExactly(store.lastSeq);
    const rowsFrom = store.firstSeq;
    push(store, STREAM.frames.slice(KEPT + 2000));
    const exportFrom = store.firstSeq;
    expect(exportFrom).toBeGreaterThan(rowsFrom);
    const checkpoint = rows.checkpoints?.firstFrom(exportFrom);
    expect(checkpoint?.partial).toEqual({ fromSeq: rowsFrom });
    if (!checkpoint) return;
    const lines = await exportLines(session, rows);
    expect(lines.length).toBe(KEPT);
    for (const line of lines) {
      const { withoutEvicted, ...record } = line.decoded ?? {};
      if (line.seq < checkpoint.seq) {
        // Its own decoder, afresh at the oldest stored frame.
        expect(withoutEvicted, `#${line.seq}`).toEqual({ framesBefore: exportFrom - 1, fromSeq: exportFrom });
        continue;
      }
      // The checkpoint's state: it lacks only the frames before #2,001 (it read #2,001–#4,000), as the rows say.
      expect(withoutEvicted, `#${line.seq}`).toEqual({ framesBefore: rowsFrom - 1, fromSeq: rowsFrom });
      const outcome = rows.decodeAt(line.seq);
      const entry = store.entry(line.seq);
      if (!outcome || !entry) throw new Error(`#${line.seq} not decoded`);
      expect(isWithoutEvicted(outcome) ? outcome.withoutEvicted : undefined, `#${line.seq}`).toEqual(withoutEvicted);
      expect(record, `#${line.seq}`).toEqual(decodedRecord(outcome, rows.decoding(), entry.dir));
    }
  });

  it('a walk restored from such a checkpoint leaves only such checkpoints after it (the export keeps its flag through them)', () => {
    const store = new FrameStore({ maxFrames: KEPT });
    push(store, STREAM.frames);
    const session = fixtureSession({ frames: store, steps: [], url: 'ws://far.test/' });
    const rows = new StoreDecoding('mqtt', session);
    const checkpoints = rows.checkpoints;
    if (!checkpoints) throw new Error('no checkpoints');
    // One partial checkpoint only (a decoder that read none of the evicted frames): the exact
    // walk to the last frame starts there, afresh.
    const at = store.firstSeq + 100;
    expect(checkpoints.offer(at, createDecoder('mqtt', {}), store.firstSeq)).toBe(true);
    rows.decodeExactly(store.lastSeq);
    const after: Checkpoint[] = [];
    for (let c = checkpoints.firstFrom(at + 1); c; c = checkpoints.firstFrom(c.seq + 1)) after.push(c);
    expect(after.length).toBeGreaterThan(2);
    expect(after.every((c) => c.partial?.fromSeq === store.firstSeq)).toBe(true);
  });

  it('a search’s walk after the eviction leaves partial checkpoints too (the export does not take them as whole)', () => {
    const store = new FrameStore({ maxFrames: KEPT });
    push(store, STREAM.frames);
    const session = fixtureSession({ frames: store, steps: [], url: 'ws://far.test/' });
    const rows = new StoreDecoding('mqtt', session);
    const parsed = parseDecodedQuery(`$.topic == 'far/in'`);
    if (!parsed.ok) throw new Error(parsed.error);
    const query = parsed.query;
    const test = rows.inOrderMatcher('q', (outcome) => outcome.kind !== 'invalid' && matchesDecodedQuery(query, outcome.value), { query });
    while (!(test.walkTowards?.(store.lastSeq, 2048) ?? true));
    const left: Checkpoint[] = [];
    for (let c = rows.checkpoints?.firstFrom(store.firstSeq); c; c = rows.checkpoints?.firstFrom(c.seq + 1)) left.push(c);
    expect(left.length).toBeGreaterThan(2);
    expect(left.every((c) => c.partial?.fromSeq === store.firstSeq)).toBe(true);
  });

  it('without the rows’ checkpoints (another protocol, or none walked) every frame says it lacks the evicted frames', async () => {
    const { store, session } = evictedSession();
    const lines = await exportLines(session);
    for (const line of lines) expect(line.decoded?.withoutEvicted, `#${line.seq}`).toEqual({ framesBefore: store.firstSeq - 1, fromSeq: store.firstSeq });
  });

  it('through the engine’s decode commands: the rows’ checkpoints while they decode as MQTT, none after another choice', async () => {
    const store = new FrameStore({ maxFrames: KEPT });
    push(store, STREAM.frames.slice(0, KEPT));
    const session = { ...fixtureSession({ frames: store, steps: [], url: 'ws://far.test/' }), id: 'far' };
    const commands = new DecodeCommands();
    expect(commands.state(session, { sessionId: 'far', choice: 'mqtt' }).ok).toBe(true);
    // The row of the last frame: marked at first (too far to walk to), exact once the catch-up
    // (a slice a turn of the event loop) has walked there, leaving checkpoints.
    const lastRow = () => {
      const rows = commands.decode(session, { sessionId: 'far', seqs: [KEPT], values: false });
      return rows.ok ? rows.value.frames[0] : undefined;
    };
    for (let turn = 0; turn < 100 && lastRow()?.unread !== undefined; turn++) await new Promise<void>((resolve) => setImmediate(resolve));
    expect(lastRow()).toMatchObject({ seq: KEPT, kind: 'decoded' });
    expect(lastRow()?.unread).toBeUndefined();
    push(store, STREAM.frames.slice(KEPT));
    const lines = await exportLines(session, commands.rowCheckpoints('far'));
    const exact = lines.filter((line) => line.decoded?.withoutEvicted === undefined);
    expect(exact.length).toBeGreaterThan(KEPT / 2);
    expect(exact.filter((line) => namesTopic(line.decoded)).length).toBeGreaterThan(3);
    expect(commands.state(session, { sessionId: 'far', choice: 'stomp' }).ok).toBe(true);
    const afterChoice = await exportLines(session, commands.rowCheckpoints('far'));
    expect(afterChoice.every((line) => line.decoded?.withoutEvicted !== undefined)).toBe(true);
  });

  it('a session with nothing evicted exports no flag', async () => {
    const store = new FrameStore();
    push(store, STREAM.frames.slice(0, 3000));
    const lines = await exportLines(fixtureSession({ frames: store, steps: [], url: 'ws://far.test/' }));
    expect(lines.filter((line) => line.decoded?.withoutEvicted !== undefined)).toEqual([]);
    expect(lines.some((line) => namesTopic(line.decoded))).toBe(true);
  });
});
