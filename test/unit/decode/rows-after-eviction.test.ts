/**
 * The log's rows and detail pane (`frames:decode`) after the store evicted its front: a frame of a
 * stateful protocol decoded by a walk that started afresh at the oldest stored frame (or from a
 * checkpoint such a walk left) lacks what the evicted frames set (an MQTT 5 topic alias), and
 * nothing will ever make it exact. The answer says so (`withoutEvicted` {framesBefore, fromSeq},
 * validated by the contract), as an export's record does; a frame decoded from a checkpoint of the
 * whole session is exact and not flagged.
 */
import { describe, expect, it } from 'vitest';
import { DecodeCommands } from '../../../src-main/core/decode-commands';
import { decodedFields } from '../../../src-main/core/decode/decoded-fields';
import type { WireFrame } from '../../../src-main/core/decode/decoded-frame';
import { createDecoder } from '../../../src-main/core/decode/decoder-registry';
import { FrameStore } from '../../../src-main/core/session/frame-store';
import { decodeResultSchema, decodedFrameSchema, type DecodedFrame } from '../../../src-main/shared/decoding';
import { FAR_SPECS, farStream } from './far-state-streams';

const MQTT = FAR_SPECS.find((spec) => spec.name === 'mqtt');
if (!MQTT) throw new Error('no MQTT stream');
const STREAM = farStream(MQTT, 12_000, 77);
/** The store keeps this many: the first 4,000 frames (the aliases are set in the first four) are evicted. */
const KEPT = STREAM.frames.length - 4000;
const EVICTED = STREAM.frames.length - KEPT;
/** The aliases set in the first frames name these (one each way). */
const TOPICS = ['far/in', 'far/out'];

function push(store: FrameStore, frames: readonly WireFrame[]): void {
  for (const frame of frames) store.push(frame.dir, frame.opcode as 'text' | 'binary', Buffer.from(frame.bytes));
}

/** What decoding the whole session in order says of each frame. */
function inOrderSummaries(): string[] {
  const decoder = createDecoder('mqtt');
  const out: string[] = [];
  for (const frame of STREAM.frames) out[frame.seq] = decoder.decode({ ...frame, bytes: Uint8Array.from(frame.bytes) })?.summary ?? '';
  return out;
}

function sessionOf(store: FrameStore) {
  return { id: 'evicted', url: 'ws://far.test/mqtt', frames: store, handshakeSteps: () => [] };
}

/** frames:decode as the renderer gets it: validated by the contract. */
function decode(decodes: DecodeCommands, session: ReturnType<typeof sessionOf>, seqs: number[]): DecodedFrame[] {
  const result = decodes.decode(session, { sessionId: session.id, seqs, values: true });
  if (!result.ok) throw new Error(result.error.message);
  return decodeResultSchema.parse(result.value).frames;
}

const namesTopic = (frame: DecodedFrame): boolean => decodedFields(frame.value ?? null).topics.some((topic) => TOPICS.includes(topic));

describe('frames:decode after the store evicted its front', () => {
  it('rows read only after the eviction: each frame says it was decoded without the evicted frames (an aliased PUBLISH names no topic)', () => {
    const store = new FrameStore({ maxFrames: KEPT });
    push(store, STREAM.frames);
    expect(store.firstSeq).toBe(EVICTED + 1);
    const session = sessionOf(store);
    const decodes = new DecodeCommands();
    decodes.state(session, { sessionId: session.id, choice: 'mqtt' });
    const far = STREAM.farSeqs.slice(0, 40);
    const near = [store.firstSeq, store.firstSeq + 1, store.firstSeq + 500];
    const frames = decode(decodes, session, [...near, ...far]);
    expect(frames.length).toBe(near.length + far.length);
    for (const frame of frames) expect(frame.withoutEvicted, `#${frame.seq}`).toEqual({ framesBefore: EVICTED, fromSeq: EVICTED + 1 });
    const whole = inOrderSummaries();
    const aliased = frames.filter((frame) => far.includes(frame.seq));
    // What the flag explains: these differ from decoding the whole session (no topic for the alias).
    expect(aliased.some((frame) => frame.summary !== whole[frame.seq])).toBe(true);
    expect(aliased.some(namesTopic)).toBe(false);
    // Asked again, the same: nothing will make them exact.
    expect(decode(decodes, session, far)).toEqual(decode(decodes, session, far));
  });

  it('rows read before the eviction: exact from the first surviving checkpoint on, flagged before it once their answers left the cache', () => {
    const store = new FrameStore({ maxFrames: KEPT });
    push(store, STREAM.frames.slice(0, KEPT));
    const session = sessionOf(store);
    // A small cache: the answers of the frames read before the eviction are gone when asked again.
    const decodes = new DecodeCommands(256);
    decodes.state(session, { sessionId: session.id, choice: 'mqtt' });
    for (let from = 1; from <= KEPT; from += 1000) decode(decodes, session, Array.from({ length: 1000 }, (_, i) => from + i));
    push(store, STREAM.frames.slice(KEPT));
    expect(store.firstSeq).toBe(EVICTED + 1);
    const firstCheckpoint = decodes.rowCheckpoints(session.id)('mqtt')?.firstFrom(store.firstSeq);
    if (!firstCheckpoint) throw new Error('no checkpoint survived');
    expect(firstCheckpoint.partial).toBeUndefined();
    expect(firstCheckpoint.seq).toBeGreaterThan(store.firstSeq);

    const whole = inOrderSummaries();
    const far = STREAM.farSeqs.slice(0, 40);
    const exact = decode(decodes, session, far);
    for (const frame of exact) {
      expect(frame.withoutEvicted, `#${frame.seq}`).toBeUndefined();
      expect(frame.summary, `#${frame.seq}`).toBe(whole[frame.seq]);
    }
    expect(exact.filter(namesTopic).length).toBeGreaterThan(3);

    // Between the oldest stored frame and that checkpoint: decoded afresh, flagged.
    const before = [store.firstSeq, store.firstSeq + 1, firstCheckpoint.seq - 1];
    for (const frame of decode(decodes, session, before)) {
      expect(frame.withoutEvicted, `#${frame.seq}`).toEqual({ framesBefore: EVICTED, fromSeq: EVICTED + 1 });
    }
    // From the checkpoint on (behind the walk, its answers gone): exact again.
    for (const frame of decode(decodes, session, [firstCheckpoint.seq, firstCheckpoint.seq + 1])) {
      expect(frame.withoutEvicted, `#${frame.seq}`).toBeUndefined();
      expect(frame.summary).toBe(whole[frame.seq]);
    }
  });

  it('a protocol that keeps nothing across messages is never flagged', () => {
    const store = new FrameStore({ maxFrames: 10 });
    for (let i = 0; i < 30; i++) store.push('in', 'binary', Buffer.from([0x92, i, 0xc3]));
    const session = sessionOf(store);
    const decodes = new DecodeCommands();
    decodes.state(session, { sessionId: session.id, choice: 'msgpack' });
    const frames = decode(decodes, session, [store.firstSeq, store.lastSeq]);
    expect(frames.map((frame) => frame.summary)).toHaveLength(2);
    for (const frame of frames) expect(frame.withoutEvicted).toBeUndefined();
  });

  it('the contract refuses a malformed flag, at its field', () => {
    const base = { seq: 5_000, kind: 'decoded', protocol: 'mqtt', summary: 'PUBLISH (alias 3) QoS 0 12 B' };
    expect(decodedFrameSchema.parse({ ...base, withoutEvicted: { framesBefore: 4_000, fromSeq: 4_001 } }).withoutEvicted).toEqual({ framesBefore: 4_000, fromSeq: 4_001 });
    const bad = [{ framesBefore: -1, fromSeq: 2 }, { framesBefore: 1.5, fromSeq: 2 }, { framesBefore: 1, fromSeq: 0 }, { framesBefore: 1 }, { framesBefore: 1, fromSeq: 2, extra: true }, 'yes'];
    for (const withoutEvicted of bad) {
      const parsed = decodedFrameSchema.safeParse({ ...base, withoutEvicted });
      expect(parsed.success, JSON.stringify(withoutEvicted)).toBe(false);
      expect(parsed.error?.issues[0]?.path[0]).toBe('withoutEvicted');
    }
  });
});
