/**
 * Answers kept for the last few content-type values seen in STOMP frames, by their bytes
 * (stomp-charset-gate.ts, stomp-match-proof.ts): a stream repeats a few content-types, and
 * comparing a value's bytes in place costs less than making its text and reading it
 * (stomp-body.ts bodyReading). A value at `from` (just after its line's `content-type:`) equals a
 * kept one when it holds those bytes then LF or CR LF: a CR right before the LF is not the
 * value's (stomp-frame.ts), any other CR is. The oldest kept value gives way first.
 */
const LF = 0x0a;
const CR = 0x0d;
/** Values kept: more than a stream names usually, few enough that a miss costs little. */
const KEPT = 8;

export class ContentTypeValues<T> {
  private readonly values: Buffer[] = [];
  private readonly answers: T[] = [];
  private next = 0;

  /** The answer kept for the value at `from`, else undefined. */
  answerAt(slab: Buffer, from: number): T | undefined {
    for (let k = 0; k < this.values.length; k++) {
      const value = this.values[k];
      if (value !== undefined && isValueAt(slab, from, value)) return this.answers[k];
    }
    return undefined;
  }

  /** Keeps the answer for the value [from, to) of the slab (copied). */
  keep(slab: Buffer, from: number, to: number, answer: T): T {
    this.values[this.next] = Buffer.from(slab.subarray(from, to));
    this.answers[this.next] = answer;
    this.next = (this.next + 1) % KEPT;
    return answer;
  }
}

function isValueAt(slab: Buffer, from: number, value: Buffer): boolean {
  const length = value.length;
  for (let k = 0; k < length; k++) if (slab[from + k] !== value[k]) return false;
  const after = slab[from + length];
  return after === LF || (after === CR && slab[from + length + 1] === LF);
}
