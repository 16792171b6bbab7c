/**
 * The match proof (match-proof.ts) for compressed (compressed-decoder.ts) and Base64
 * (base64-decoder.ts) payloads: a query most messages match (`$.payload.seq >= 0`,
 * `$.payload.event != 'x'`) is counted without building each message's value.
 *
 * The message is unwrapped as its decoder unwraps it (unwrapped-payload.ts, shared with the
 * rule-out prefilter the walk asks first, so it is unwrapped once): compressed, the decoder's
 * tries in its order (an inflater that is unsure: not proven); Base64, the decoder's own checks,
 * then gzip or zlib inside inflated as it does. The
 * payload must then be one JSON object or array that JSON.parse takes after a strict UTF-8
 * reading (json-text-check.ts, after a byte-order mark the decoder's TextDecoder drops): only
 * then does payloadValue show it `as: 'JSON'`, the value toJsonValue's copy of JSON.parse's.
 * Each clause's path under `$.payload` is followed in those bytes: the first in the same pass
 * that checks the text (json-text-check.ts followCheckedJsonPath: UNSURE at an escaped key on its
 * way or an escaped string selected), the others after it (json-path-follow.ts: exact for a valid
 * text, UNSURE at an escape on its way); both UNSURE at a string a path goes on into that may
 * hold JSON text. Each is tested with the query's own rules (holdsForValue,
 * holdsWhenAbsent); paths are at most 32 names and indexes (value-probe.ts probeSteps), so a
 * value found is never one toJsonValue cuts at 64 levels. The decoder's other top-level keys
 * are what it writes for such a message: compressed `compression` (the try that inflated),
 * `size` (the message's bytes), `inflatedSize`, `as` ('JSON'); Base64 `size` (the decoded
 * bytes), and `compression` and `inflatedSize` when it inflated; nothing else is there
 * (`notInflated` only beside bytes that are not JSON: a zlib header is never `{`, `[`, space or
 * a byte-order mark).
 *
 * Not proven (false: decoded as before): a payload that is text or bytes (bad UTF-8 anywhere
 * included), an escape on a clause's way (for the first payload clause: in a key on its way or in
 * the string it selects), a string a path goes on into that opens with `{`, `[` or an escape, a brotli
 * message the fast inflater is unsure of, an output past its scratch buffer, nesting past
 * json-text-check.ts's stack. No proof at all
 * (undefined): a clause with `[*]`, a `$` name or a path deeper than 32 steps (probeSteps), or
 * a clause no message the proof reads can meet (`$.as == 'text'`).
 *
 * Cost (bench/payload-streams.ts' messages, `$.payload.seq >= 0`, the proof alone, CPU a message,
 * median of 12 rounds over 49,664 at distinct places in a slab, a shared 2-core machine at load
 * about 2): gzip 0.52 µs (inflating about 0.26 of it, the JSON pass 0.16), zlib 0.48, raw deflate
 * 0.57 (after brotli refuses it), Base64 0.32 (its decoding 0.12); before the JSON check and the
 * path were one pass and Base64 was read four characters a step: 0.69, 0.70, 0.80, 0.61. Older
 * figures against decoding: gzip 3.1–3.3 µs to decode and match, Base64 5.2–5.4. A `!=`
 * clause's rule-out prefilter parses the payload where the key is (payload-probe.ts), so
 * `$.payload.event != 'x'` costs 1.9–2.3 with the proof.
 */
import { type DecodedQuery, type QueryClause } from '../../shared/decoded-query';
import { followJsonPath } from './json-path-follow';
import { NOT_JSON, followCheckedJsonPath } from './json-text-check';
import type { MatchProof } from './match-proof';
import { PAYLOAD, PayloadUnwrapper, sharedUnwrapper, type UnwrappedPayload } from './unwrapped-payload';
import { ABSENT, CONTAINER, probeSteps, surelyHolds, UNSURE, type Probed, type ProbeStep } from './value-probe';

/** What a clause reads: the payload's path, a top-level key of the decoder's, or nothing there. */
type Reads = { kind: 'payload'; steps: readonly ProbeStep[] } | { kind: 'compression' | 'size' | 'inflatedSize' | 'as' | 'whole' | 'absent'; deeper: boolean };

interface ProvenClause {
  readonly reads: Reads;
  readonly test: QueryClause['test'];
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
function topValue(reads: Exclude<Reads, { kind: 'payload' }>, at: Pick<UnwrappedPayload, 'compression' | 'size' | 'inflatedSize'>): Probed {
  if (reads.kind === 'whole') return CONTAINER;
  if (reads.kind === 'absent' || reads.deeper) return ABSENT;
  if (reads.kind === 'as') return 'JSON';
  if (reads.kind === 'size') return at.size;
  if (at.compression === undefined) return ABSENT;
  return reads.kind === 'compression' ? at.compression : at.inflatedSize;
}


/**
 * Whether every clause holds for the unwrapped payload and what the decoder wrote beside it (see
 * the file comment). The text is checked in the same pass that follows the first payload clause's
 * path (json-text-check.ts followCheckedJsonPath), so its bytes are read once; other payload
 * clauses follow theirs in the text then known to be valid.
 */
function provenIn(clauses: readonly ProvenClause[], firstSteps: readonly ProbeStep[], at: UnwrappedPayload): boolean {
  const { bytes, length } = at;
  // TextDecoder drops a leading byte-order mark.
  const start = length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const first = followCheckedJsonPath(bytes, start, length, firstSteps);
  if (first === NOT_JSON || first === UNSURE) return false;
  let followed = false;
  for (const { reads, test } of clauses) {
    let found: Probed;
    if (reads.kind !== 'payload') found = topValue(reads, at);
    else if (followed) found = followJsonPath(bytes, start, length, reads.steps);
    else {
      found = first;
      followed = true;
    }
    if (!surelyHolds(found, test)) return false;
  }
  return true;
}

/**
 * Whether a clause can hold for some message the proof reads (else no proof). Top-level keys only:
 * a payload path may hold for some payload.
 */
function mayEverHold({ reads, test }: ProvenClause): boolean {
  if (reads.kind === 'payload' || reads.kind === 'size' || reads.kind === 'inflatedSize') return true;
  const samples: Pick<UnwrappedPayload, 'compression' | 'size' | 'inflatedSize'>[] = [
    { compression: 'gzip', size: 0, inflatedSize: 0 },
    { compression: 'deflate', size: 0, inflatedSize: 0 },
    { compression: 'deflate-raw', size: 0, inflatedSize: 0 },
    { compression: 'brotli', size: 0, inflatedSize: 0 },
    { compression: undefined, size: 0, inflatedSize: 0 },
  ];
  return samples.some((sample) => surelyHolds(topValue(reads, sample), test));
}

/**
 * The proof for this query over the protocol's messages, or undefined when it can prove none
 * (see the file comment). `unwrapper`: what unwraps the messages (tests give their own).
 */
export function unwrappedMatchProof(protocol: 'compressed' | 'base64', query: DecodedQuery, unwrapper: PayloadUnwrapper = sharedUnwrapper): MatchProof | undefined {
  const clauses: ProvenClause[] = [];
  for (const clause of query.clauses) {
    const steps = probeSteps(clause.path);
    if (!steps) return undefined;
    clauses.push({ reads: clauseReads(steps), test: clause.test });
  }
  if (clauses.length === 0 || !clauses.every(mayEverHold)) return undefined;
  // The first payload clause's path is followed while the text is checked (none: the check alone).
  const firstPayload = clauses.find((clause) => clause.reads.kind === 'payload')?.reads;
  const firstSteps = firstPayload?.kind === 'payload' ? firstPayload.steps : [];
  return (slab, start, end, opcode) => {
    if (opcode !== 'binary' && opcode !== 'text') return false;
    const unwrapped = protocol === 'compressed' ? unwrapper.compressed(slab, start, end) : unwrapper.base64(slab, start, end);
    return unwrapped.state === PAYLOAD && provenIn(clauses, firstSteps, unwrapped);
  };
}
