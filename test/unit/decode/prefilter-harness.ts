/**
 * Test helpers for the decoded-field search's prefilters: the same messages searched through the
 * engine's DecodeCommands predicate with the prefilter (a FrameStore session) and without it (the
 * same store seen without its scan view, so every frame is decoded in order: the reference).
 */
import { DecodeCommands } from '../../../src-main/core/decode-commands';
import type { DecoderName, StreamDecoder } from '../../../src-main/core/decode/decoded-frame';
import { decodedFields } from '../../../src-main/core/decode/decoded-fields';
import { AttemptBoundaries } from '../../../src-main/core/decode/attempt-boundaries';
import { SessionEnd } from '../../../src-main/core/decode/session-end';
import type { AttemptRecord } from '../../../src-main/shared/attempts';
import { FrameStore } from '../../../src-main/core/session/frame-store';
import { matchesDecodedQuery, parseDecodedQuery } from '../../../src-main/shared/decoded-query';
import type { DecodedFilter, ProtobufChoice } from '../../../src-main/shared/decoding';

export interface Message {
  dir: 'in' | 'out';
  /** Closes too: one in a direction with a frame under way cuts it short (MQTT, STOMP, SignalR). */
  opcode: 'text' | 'binary' | 'ping' | 'pong' | 'close';
  bytes: Buffer;
}

export const text = (dir: 'in' | 'out', s: string): Message => ({ dir, opcode: 'text', bytes: Buffer.from(s, 'utf8') });
export const binary = (dir: 'in' | 'out', bytes: Buffer | readonly number[]): Message => ({ dir, opcode: 'binary', bytes: Buffer.from(bytes) });

/** A small seeded random source (tests repeat). */
export function seeded(seed: number): (n: number) => number {
  let state = seed >>> 0;
  return (n) => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) % n) | 0;
  };
}

export function pick<T>(random: (n: number) => number, list: readonly T[]): T {
  const item = list[random(list.length)];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
}

/**
 * `bytes` damaged once at a random place: a byte dropped, one of `candidates` inserted or written
 * over one, or the rest cut off (the JSON and payload checks' generated broken inputs).
 */
export function damaged(random: (n: number) => number, bytes: Buffer, candidates: readonly number[]): Buffer {
  const at = random(bytes.length + 1);
  const byte = pick(random, candidates);
  switch (random(4)) {
    case 0:
      return Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + 1)]);
    case 1:
      return Buffer.concat([bytes.subarray(0, at), Buffer.from([byte]), bytes.subarray(at)]);
    case 2:
      return at < bytes.length ? Buffer.concat([bytes.subarray(0, at), Buffer.from([byte]), bytes.subarray(at + 1)]) : bytes;
    default:
      return bytes.subarray(0, at);
  }
}

export function storeOf(messages: readonly Message[], maxFrames?: number): FrameStore {
  const store = new FrameStore(maxFrames !== undefined ? { maxFrames } : {});
  for (const m of messages) store.push(m.dir, m.opcode, m.bytes);
  return store;
}

type Session = Parameters<DecodeCommands['predicate']>[0];

/** Ended attempts after these seqs (a reconnecting connection's separators). */
export function attemptRecords(afterSeqs: readonly number[]): AttemptRecord[] {
  return afterSeqs.map((afterSeq, i) => ({
    attempt: i + 1,
    startedAt: 0,
    endedAt: 0,
    afterSeq,
    outcome: { kind: 'failed', opened: true, code: null, reason: '', initiatedBy: 'none' },
    next: { attempt: i + 2, retry: 1, maxRetries: 0, waitMs: 0, at: 0 },
  }));
}

function sessions(store: FrameStore, url: string, attempts: readonly AttemptRecord[] = []): { filtered: Session; unfiltered: Session } {
  const frames = {
    entry: (seq: number) => store.entry(seq),
    get firstSeq() {
      return store.firstSeq;
    },
    get lastSeq() {
      return store.lastSeq;
    },
    get lastAssignedSeq() {
      return store.lastAssignedSeq;
    },
    get sealed() {
      return store.sealed;
    },
  };
  return {
    filtered: { id: 'filtered', url, frames: store, handshakeSteps: () => [], attempts: () => attempts },
    unfiltered: { id: 'unfiltered', url, frames, handshakeSteps: () => [], attempts: () => attempts },
  };
}

function run(decodes: DecodeCommands, session: Session, store: FrameStore, filter: DecodedFilter, backward = false): number[] {
  const test = decodes.predicate(session, filter);
  if (!test.ok) throw new Error(test.error.message);
  const hits: number[] = [];
  if (backward) {
    for (let seq = store.lastSeq; seq >= store.firstSeq; seq--) if (test.value(seq)) hits.unshift(seq);
  } else {
    for (let seq = store.firstSeq; seq <= store.lastSeq; seq++) if (test.value(seq)) hits.push(seq);
  }
  return hits;
}

const FIELDS = [
  ['event', 'events'],
  ['destination', 'destinations'],
  ['topic', 'topics'],
  ['operation', 'operations'],
] as const;

/**
 * Every frame decoded in order with one decoder, by hand: the seqs whose fields hold the filter's
 * values (and that its query matches). In a session that ended (the store sealed), the last
 * message of a direction answers as it stands then (session-end.ts). A reconnecting connection's
 * attempts each start with a fresh decoder, their last messages answering as at an end.
 */
function decodeEveryFrame(store: FrameStore, make: () => StreamDecoder, filter: DecodedFilter, afterSeqs: readonly number[] = []): number[] {
  let decoder = make();
  const end = new SessionEnd(store, AttemptBoundaries.of(afterSeqs));
  const parsed = filter.query !== undefined ? parseDecodedQuery(filter.query) : undefined;
  if (parsed && !parsed.ok) throw new Error(parsed.error);
  const query = parsed?.ok ? parsed.query : undefined;
  const hits: number[] = [];
  for (let seq = store.firstSeq; seq <= store.lastSeq; seq++) {
    const entry = store.entry(seq);
    if (!entry) continue;
    if (afterSeqs.includes(seq - 1)) decoder = make();
    const outcome = end.settle(seq, decoder.decode({ seq, dir: entry.dir, opcode: entry.opcode, bytes: new Uint8Array(entry.payload) }));
    if (!outcome || outcome.kind === 'invalid') continue;
    const fields = decodedFields(outcome.value);
    if (query && !matchesDecodedQuery(query, outcome.value)) continue;
    if (FIELDS.every(([name, list]) => filter[name] === undefined || fields[list].includes(filter[name]))) hits.push(seq);
  }
  return hits;
}

/**
 * Each filter searched in turn, twice, on one session with the prefilter (so later searches use
 * what earlier ones left: the index, the frames passed over, each value's walk), then backward on
 * a fresh one; every answer next to decoding every frame in order. Returns [reference, answer]
 * pairs labelled for the assertion message.
 */
export function compareSearches(
  messages: readonly Message[],
  choice: DecoderName,
  url: string,
  make: () => StreamDecoder,
  filters: readonly DecodedFilter[],
  maxFrames?: number,
  /** With choice protobuf: the schema the sessions decode with. */
  protobuf?: ProtobufChoice,
  /** The session has ended (its store sealed): what the last message of a direction left under way never came. */
  ended = false,
  /** A reconnecting connection's attempts ended after these seqs: each next one decodes afresh. */
  attemptsAfter: readonly number[] = [],
): { label: string; expected: number[]; got: number[] }[] {
  const store = storeOf(messages, maxFrames);
  if (ended) store.seal();
  const { filtered, unfiltered } = sessions(store, url, attemptRecords(attemptsAfter));
  const reference = new DecodeCommands();
  const prefiltered = new DecodeCommands();
  const backwards = new DecodeCommands();
  for (const decodes of [reference, prefiltered, backwards]) {
    for (const session of [filtered, unfiltered]) {
      const chosen = decodes.state(session, { sessionId: session.id, choice, ...(protobuf ? { protobuf } : {}) });
      if (!chosen.ok) throw new Error(chosen.error.message);
    }
  }
  const out: { label: string; expected: number[]; got: number[] }[] = [];
  // Decoding every frame in order is the same for each search of a filter: once per filter.
  const expectedOf = filters.map((filter) => decodeEveryFrame(store, make, filter, attemptsAfter));
  filters.forEach((filter, k) => {
    out.push({ label: `${JSON.stringify(filter)} without the prefilter`, expected: [...(expectedOf[k] ?? [])], got: run(reference, unfiltered, store, filter) });
  });
  for (const round of [1, 2]) {
    filters.forEach((filter, k) => {
      out.push({ label: `${JSON.stringify(filter)} search ${round}`, expected: [...(expectedOf[k] ?? [])], got: run(prefiltered, filtered, store, filter) });
    });
  }
  filters.forEach((filter, k) => {
    out.push({ label: `${JSON.stringify(filter)} backward`, expected: [...(expectedOf[k] ?? [])], got: run(backwards, filtered, store, filter, true) });
  });
  return out;
}
