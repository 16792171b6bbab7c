/**
 * The match proof (match-proof.ts) for compressed (compressed-decoder.ts) and Base64
 * (base64-decoder.ts) payloads: a query most messages match (`$.payload.seq >= 0`,
 * `$.payload.event != 'x'`) is counted without building each message's value.
 *
 * The message is unwrapped as its decoder unwraps it: compressed, the decoder's tries in its
 * order through a PayloadInflater (payload-inflater.ts: exact bytes, 'failed' where the public
 * function throws too, 'unsure' answered "not proven"); Base64, the decoder's own checks
 * (strict-base64.ts), then gzip or zlib inside inflated as it does (refused: not proven). The
 * payload must then be one JSON object or array that JSON.parse takes after a strict UTF-8
 * reading (json-text-check.ts, after a byte-order mark the decoder's TextDecoder drops): only
 * then does payloadValue show it `as: 'JSON'`, the value toJsonValue's copy of JSON.parse's.
 * Each clause's path under `$.payload` is followed in those bytes (json-path-follow.ts: exact
 * for a valid text, UNSURE at an escape on its way, at bad UTF-8 and at a string a path goes on
 * into that may hold JSON text) and tested with the query's own rules (holdsForValue,
 * holdsWhenAbsent); paths are at most 32 names and indexes (value-probe.ts probeSteps), so a
 * value found is never one toJsonValue cuts at 64 levels. The decoder's other top-level keys
 * are what it writes for such a message: compressed `compression` (the try that inflated),
 * `size` (the message's bytes), `inflatedSize`, `as` ('JSON'); Base64 `size` (the decoded
 * bytes), and `compression` and `inflatedSize` when it inflated; nothing else is there
 * (`notInflated` only beside bytes that are not JSON: a zlib header is never `{`, `[`, space or
 * a byte-order mark).
 *
 * Not proven (false: decoded as before): a payload that is text or bytes, an escape or bad UTF-8
 * on a clause's way, a string a path goes on into that opens with `{`, `[` or an escape, a brotli
 * message the fast inflater is unsure of, an output past its scratch buffer, nesting past
 * json-text-check.ts's stack, a Base64 message over MAX_BASE64_BYTES. No proof at all
 * (undefined): a clause with `[*]`, a `$` name or a path deeper than 32 steps (probeSteps), or
 * a clause no message the proof reads can meet (`$.as == 'text'`).
 */
import { holdsForValue, holdsWhenAbsent, type DecodedQuery, type QueryClause } from '../../shared/decoded-query';
import { compressionTries } from './compressed-decoder';
import { followJsonPath } from './json-path-follow';
import { isJsonContainerText } from './json-text-check';
import type { MatchProof } from './match-proof';
import { PayloadInflater, sharedInflater, type Compression } from './payload-inflater';
import { base64Capacity, decodeStrictBase64 } from './strict-base64';
import { ABSENT, CONTAINER, UNSURE, probeSteps, type Probed, type ProbeStep } from './value-probe';

/** Longer Base64 messages are not proven (decoded): the scratch buffer stays bounded. */
export const MAX_BASE64_BYTES = 256 * 1024;

/** What a clause reads: the payload's path, a top-level key of the decoder's, or nothing there. */
type Reads = { kind: 'payload'; steps: readonly ProbeStep[] } | { kind: 'compression' | 'size' | 'inflatedSize' | 'as' | 'whole' | 'absent'; deeper: boolean };

interface ProvenClause {
  readonly reads: Reads;
  readonly test: QueryClause['test'];
}

/** What the decoder wrote for the message at hand (set before the clauses are tested: nothing allocated per message). */
interface Unwrapped {
  compression: Compression | undefined;
  size: number;
  inflatedSize: number;
}

function clauseReads(steps: readonly ProbeStep[]): Reads {
  const [first, ...rest] = steps;
  if (first === undefined) return { kind: 'whole', deeper: false };
  if (first.kind === 'index') return { kind: 'absent', deeper: false };
  if (first.name === 'payload') return { kind: 'payload', steps: rest };
  const deeper = rest.length > 0;
  switch (first.name) {
    case 'compression':
    case 'size':
    case 'inflatedSize':
    case 'as':
      return { kind: first.name, deeper };
    default:
      return { kind: 'absent', deeper };
  }
}

/**
 * What a top-level key leads to. A path on past one of the decoder's strings ('gzip', 'JSON') or
 * numbers selects nothing: none of its strings holds JSON text.
 */
function topValue(reads: Exclude<Reads, { kind: 'payload' }>, at: Unwrapped): Probed {
  if (reads.kind === 'whole') return CONTAINER;
  if (reads.kind === 'absent' || reads.deeper) return ABSENT;
  if (reads.kind === 'as') return 'JSON';
  if (reads.kind === 'size') return at.size;
  if (at.compression === undefined) return ABSENT;
  return reads.kind === 'compression' ? at.compression : at.inflatedSize;
}

function clauseHolds(found: Probed, test: QueryClause['test']): boolean {
  if (found === UNSURE) return false;
  return found === ABSENT ? holdsWhenAbsent(test) : holdsForValue(test, found);
}

/** Whether every clause holds for the payload bytes[0, length) and what the decoder wrote (see the file comment). */
function provenIn(clauses: readonly ProvenClause[], bytes: Buffer, length: number, at: Unwrapped): boolean {
  // TextDecoder drops a leading byte-order mark.
  const start = length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  if (!isJsonContainerText(bytes, start, length)) return false;
  for (const { reads, test } of clauses) {
    const found = reads.kind === 'payload' ? followJsonPath(bytes, start, length, reads.steps) : topValue(reads, at);
    if (!clauseHolds(found, test)) return false;
  }
  return true;
}

/**
 * Whether a clause can hold for some message the proof reads (else no proof). Top-level keys only:
 * a payload path may hold for some payload.
 */
function mayEverHold({ reads, test }: ProvenClause): boolean {
  if (reads.kind === 'payload' || reads.kind === 'size' || reads.kind === 'inflatedSize') return true;
  const samples: Unwrapped[] = [
    { compression: 'gzip', size: 0, inflatedSize: 0 },
    { compression: 'deflate', size: 0, inflatedSize: 0 },
    { compression: 'deflate-raw', size: 0, inflatedSize: 0 },
    { compression: 'brotli', size: 0, inflatedSize: 0 },
    { compression: undefined, size: 0, inflatedSize: 0 },
  ];
  return samples.some((sample) => clauseHolds(topValue(reads, sample), test));
}

/**
 * The proof for this query over the protocol's messages, or undefined when it can prove none
 * (see the file comment). `inflater`: the engine to unwrap with (tests give their own).
 */
export function unwrappedMatchProof(protocol: 'compressed' | 'base64', query: DecodedQuery, inflater: PayloadInflater = sharedInflater): MatchProof | undefined {
  const clauses: ProvenClause[] = [];
  for (const clause of query.clauses) {
    const steps = probeSteps(clause.path);
    if (!steps) return undefined;
    clauses.push({ reads: clauseReads(steps), test: clause.test });
  }
  if (clauses.length === 0 || !clauses.every(mayEverHold)) return undefined;
  return protocol === 'compressed' ? compressedProof(clauses, inflater) : base64Proof(clauses, inflater);
}

function isDataFrame(opcode: string): boolean {
  return opcode === 'binary' || opcode === 'text';
}

function compressedProof(clauses: readonly ProvenClause[], inflater: PayloadInflater): MatchProof {
  const at: Unwrapped = { compression: undefined, size: 0, inflatedSize: 0 };
  return (slab, start, end, opcode) => {
    // The signatures read 3 bytes (never past the message); no shorter deflate data holds `{}`.
    if (!isDataFrame(opcode) || end - start < 3) return false;
    for (const how of compressionTries(slab, start)) {
      const length = inflater.inflateToScratch(slab, how, start, end);
      // Refused: the next try, or (the last) the decoder shows it as not valid.
      if (length === 'failed') continue;
      if (length === 'unsure') return false;
      at.compression = how;
      at.size = end - start;
      at.inflatedSize = length;
      return provenIn(clauses, inflater.scratch, length, at);
    }
    return false;
  };
}

function base64Proof(clauses: readonly ProvenClause[], inflater: PayloadInflater): MatchProof {
  const at: Unwrapped = { compression: undefined, size: 0, inflatedSize: 0 };
  let decoded = Buffer.alloc(1024);
  return (slab, start, end, opcode) => {
    if (!isDataFrame(opcode) || end - start > MAX_BASE64_BYTES) return false;
    const capacity = base64Capacity(start, end);
    if (decoded.length < capacity) decoded = Buffer.alloc(Math.max(capacity, decoded.length * 2));
    const size = decodeStrictBase64(slab, start, end, decoded);
    if (size < 0) return false;
    at.size = size;
    const how = compressedAs(decoded, size);
    if (how === undefined) {
      at.compression = undefined;
      return provenIn(clauses, decoded, size, at);
    }
    // Refused gzip is not valid; refused zlib is shown as its bytes, which start with no `{` or `[`.
    const length = inflater.inflateToScratch(decoded, how, 0, size);
    if (typeof length !== 'number') return false;
    at.compression = how;
    at.inflatedSize = length;
    return provenIn(clauses, inflater.scratch, length, at);
  };
}

/** The decoder's isGzip and isZlib on bytes[0, length) (the scratch holds older bytes past it). */
function compressedAs(bytes: Buffer, length: number): 'gzip' | 'deflate' | undefined {
  if (length < 2) return undefined;
  const cmf = bytes[0] ?? 0;
  const flg = bytes[1] ?? 0;
  if (length >= 3 && cmf === 0x1f && flg === 0x8b && bytes[2] === 0x08) return 'gzip';
  return (cmf & 0x0f) === 8 && cmf >> 4 <= 7 && ((cmf << 8) | flg) % 31 === 0 ? 'deflate' : undefined;
}
