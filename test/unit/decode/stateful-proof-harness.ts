/**
 * The check a match proof for a protocol that keeps state (STOMP, Socket.IO) must pass on a
 * generated stream: each message the proof accepts while a decoder reading the stream in order is
 * idle for its direction must be valid and matched both decoded alone and in order, and decoding
 * the stream in order with those messages skipped must give every other message the outcome it
 * has when all are decoded (the proof vouches that skipping changes nothing in the decoder).
 */
import { expect } from 'vitest';
import type { DecodeOutcome, DecoderName, StreamDecoder, WireFrame } from '../../../src-main/core/decode/decoded-frame';
import { InOrderMatchWalk } from '../../../src-main/core/decode/in-order-match-walk';
import type { MatchProof } from '../../../src-main/core/decode/match-proof';
import { PrefilterScan } from '../../../src-main/core/decode/prefilter-scan';
import { queryPrefilter } from '../../../src-main/core/decode/query-prefilter';
import type { RawPrefilter } from '../../../src-main/core/decode/raw-prefilter';
import { storeFrameReader } from '../../../src-main/core/decode/store-frame-reader';
import { FrameStore } from '../../../src-main/core/session/frame-store';
import { matchesDecodedQuery, parseDecodedQuery, type DecodedQuery } from '../../../src-main/shared/decoded-query';

export interface ProofMessage {
  dir: WireFrame['dir'];
  opcode: WireFrame['opcode'];
  bytes: Buffer;
}

export function queryOf(text: string): DecodedQuery {
  const parsed = parseDecodedQuery(text);
  if (!parsed.ok) throw new Error(`${text}: ${parsed.error}`);
  return parsed.query;
}

export function decodeWith(decoder: StreamDecoder, message: ProofMessage, seq: number): DecodeOutcome | undefined {
  return decoder.decode({ seq, dir: message.dir, opcode: message.opcode, bytes: message.bytes });
}

export const matched = (query: DecodedQuery, outcome: DecodeOutcome | undefined): boolean => outcome !== undefined && outcome.kind !== 'invalid' && matchesDecodedQuery(query, outcome.value);

/** What the checks of several streams found, summed. */
export interface ProofTally {
  proven: number;
  matchedInOrder: number;
  provenMatched: number;
  failures: string[];
}

export const emptyTally = (): ProofTally => ({ proven: 0, matchedInOrder: 0, provenMatched: 0, failures: [] });

export interface StreamCheck {
  stream: readonly ProofMessage[];
  queries: readonly { text: string; query: DecodedQuery }[];
  makeDecoder: () => StreamDecoder;
  proofOf: (query: DecodedQuery) => MatchProof | undefined;
  /** The proof's answer for a message (inside a larger slab, as the store holds it). */
  provenIn: (proof: MatchProof, message: ProofMessage) => boolean;
  /** Named in a failure (the round, the version). */
  where: string;
  /** A further condition on a proven message (its failure, or undefined). */
  alsoOfProven?: (message: ProofMessage) => string | undefined;
}

/** Runs the check on one stream for each query, adding to `tally` (see the file comment). */
export function checkStream(check: StreamCheck, tally: ProofTally): void {
  const { stream, makeDecoder } = check;
  const all = makeDecoder();
  const outcomes = stream.map((message, seq) => decodeWith(all, message, seq));
  for (const { text, query } of check.queries) {
    const proof = check.proofOf(query);
    if (!proof) continue;
    const walker = makeDecoder();
    stream.forEach((message, seq) => {
      const inOrder = outcomes[seq];
      const label = (): string => `${text} on ${JSON.stringify(message.bytes.toString('latin1'))} (${message.opcode}, ${check.where}, #${seq})`;
      if (matched(query, inOrder)) tally.matchedInOrder++;
      if (walker.idle?.(message.dir) === true && check.provenIn(proof, message)) {
        tally.proven++;
        const also = check.alsoOfProven?.(message);
        if (also !== undefined) tally.failures.push(`${also}: ${label()}`);
        if (!matched(query, decodeWith(makeDecoder(), message, seq))) tally.failures.push(`alone: ${label()}`);
        else if (!matched(query, inOrder)) tally.failures.push(`in order: ${label()}`);
        else tally.provenMatched++;
        return;
      }
      // expect only on a difference: a call a message costs too much over 400,000 messages.
      const again = decodeWith(walker, message, seq);
      if (JSON.stringify(again) !== JSON.stringify(inOrder)) expect(again, `after skips: ${label()}`).toEqual(inOrder);
    });
  }
}

/**
 * A proof in the query's own walk (InOrderMatchWalk over `frames`, the query's prefilter first,
 * the proof asked without the idle gate as PROOFS_IN_ANY_STATE asks it, or with it where
 * `anyState` is false) against one decoder reading every frame in order: whether the matches are
 * equal, and how many frames the walk decoded.
 */
const PASSES_NOTHING: RawPrefilter = { kind: 'self-contained', needles: [], stateless: true, selfContained: () => false };

export function walkOverStoreMatches(frames: FrameStore, makeDecoder: () => StreamDecoder, protocol: DecoderName, query: DecodedQuery, proof: MatchProof, anyState = true): { equal: boolean; decoded: number } {
  const read = storeFrameReader(frames);
  const test = (outcome: DecodeOutcome | undefined): boolean => matched(query, outcome);
  let decoded = 0;
  const counting = (): StreamDecoder => {
    const decoder = makeDecoder();
    const decode = decoder.decode.bind(decoder);
    decoder.decode = (frame) => {
      decoded++;
      return decode(frame);
    };
    return decoder;
  };
  const walk = new InOrderMatchWalk(counting, read, frames, test, new PrefilterScan(frames, queryPrefilter(protocol, query, { protobuf: 'none' }) ?? PASSES_NOTHING, proof, anyState));
  const found: number[] = [];
  const reference: number[] = [];
  const decoder = makeDecoder();
  for (let seq = frames.firstSeq; seq <= frames.lastSeq; seq++) {
    if (walk.matches(seq)) found.push(seq);
    const frame = read(seq);
    if (test(frame ? decoder.decode(frame) : undefined)) reference.push(seq);
  }
  return { equal: JSON.stringify(found) === JSON.stringify(reference), decoded };
}

/**
 * walkOverStoreMatches over `rounds` stores (each filled with `messagesOf(round)`), for each query
 * text with `proofOf`'s proof (`anyState` as there): the queries whose matches differ, how many
 * frames the walk decoded, and how many it was asked about.
 */
export function walkRoundsOverStore(rounds: number, messagesOf: (round: number) => readonly ProofMessage[], makeDecoder: () => StreamDecoder, protocol: DecoderName, texts: readonly string[], proofOf: (query: DecodedQuery) => MatchProof | undefined, anyState = true): { differences: string[]; decoded: number; frames: number } {
  const differences: string[] = [];
  let decoded = 0;
  let frames = 0;
  for (let round = 0; round < rounds; round++) {
    const store = new FrameStore();
    for (const message of messagesOf(round)) store.push(message.dir, message.opcode, message.bytes);
    for (const text of texts) {
      const query = queryOf(text);
      const proof = proofOf(query);
      if (!proof) throw new Error(text);
      const walked = walkOverStoreMatches(store, makeDecoder, protocol, query, proof, anyState);
      decoded += walked.decoded;
      frames += store.lastSeq - store.firstSeq + 1;
      if (!walked.equal) differences.push(`${text}, round ${round}`);
    }
  }
  return { differences, decoded, frames };
}
