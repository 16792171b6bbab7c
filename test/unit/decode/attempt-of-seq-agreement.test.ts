/**
 * The attempt a frame is in, as the engine reads it (AttemptBoundaries: where decoders start
 * afresh) and as the renderer reads it (attemptOfFrame: which request an answer may answer),
 * both by shared/attempt-of-seq.ts: on generated attempt lists, with attempts that recorded
 * nothing (equal afterSeqs, afterSeq 0 before any frame) and boundaries learnt one at a time,
 * both equal the rule done by hand: the first ended attempt whose afterSeq reaches the frame,
 * else the one under way.
 */
import { describe, expect, it } from 'vitest';
import { AttemptBoundaries } from '../../../src-main/core/decode/attempt-boundaries';
import type { AttemptRecord } from '../../../src-main/shared/attempts';
import { attemptOfFrame, currentAttemptStart } from '../../../src-renderer/src/util/attempt-of-frame';
import { attemptRecords, pick, seeded } from './prefilter-harness';

/** The rule read literally: a walk over every record. */
function byHand(seq: number, records: readonly AttemptRecord[]): number {
  return records.find((record) => record.afterSeq >= seq)?.attempt ?? records.length + 1;
}

/** Ascending afterSeqs; a step of 0 is an attempt that recorded nothing (a refused connection). */
function afterSeqList(random: (n: number) => number): number[] {
  const list: number[] = [];
  let afterSeq = pick(random, [0, 0, 1, 3]);
  for (let count = random(12); count > 0; count -= 1) {
    list.push(afterSeq);
    afterSeq += pick(random, [0, 0, 1, 1, 2, 7]);
  }
  return list;
}

/** The engine and the renderer against the rule, for every frame up to a few past the last boundary. */
function expectAgreement(records: readonly AttemptRecord[], boundaries: AttemptBoundaries): void {
  const last = records.at(-1)?.afterSeq ?? 0;
  const attemptOf = (seq: number): number => attemptOfFrame(seq, records);
  for (let seq = 1; seq <= last + 3; seq += 1) {
    const attempt = byHand(seq, records);
    expect(attemptOf(seq), `renderer, frame ${seq}`).toBe(attempt);
    // The engine's view: where this attempt starts and ends, and whether frame seq starts one.
    let from = seq;
    while (from > 1 && attemptOf(from - 1) === attempt) from -= 1;
    const ended = records.find((record) => record.attempt === attempt);
    expect(boundaries.endedAttemptOf(seq), `engine, frame ${seq}`).toEqual(ended ? { from, afterSeq: ended.afterSeq } : undefined);
    expect(boundaries.startsAttempt(seq), `engine starts, frame ${seq}`).toBe(seq > 1 && attemptOf(seq - 1) !== attempt);
    expect(boundaries.attemptStartAtOrBefore(seq), `engine start, frame ${seq}`).toBe(from > 1 ? from : undefined);
  }
  expect(attemptOf(currentAttemptStart(records))).toBe(records.length + 1);
}

describe('the attempt a frame is in: the engine and the renderer agree with the rule', () => {
  it('on generated attempt lists (equal afterSeqs, afterSeq 0, gaps)', () => {
    for (let seed = 1; seed <= 400; seed += 1) {
      const records = attemptRecords(afterSeqList(seeded(seed)));
      expectAgreement(records, new AttemptBoundaries(() => records));
    }
  });

  it('with the boundaries learnt one at a time, as a live connection records them', () => {
    for (let seed = 1; seed <= 100; seed += 1) {
      const all = attemptRecords(afterSeqList(seeded(seed)));
      let known: readonly AttemptRecord[] = [];
      const boundaries = new AttemptBoundaries(() => known);
      for (let count = 0; count <= all.length; count += 1) {
        known = all.slice(0, count);
        expectAgreement(known, boundaries);
      }
    }
  });
});
