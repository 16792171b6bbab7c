/**
 * Which messages a query probe (query-probe.ts) reads. A probe that rules out few messages costs
 * more than it saves: for a query most messages match, each is read twice, by the probe and then
 * by the decoder (measured: MessagePack 2.0 → 2.5 µs of CPU a message, CBOR 1.8 → 2.3, Protocol
 * Buffers with a schema 1.6 → 2.1 for `$.data.price > 100`, which 99 % match). The probe pays
 * when it rules out more than about a quarter (it costs about a quarter of a decode). Reading
 * fewer messages never changes an answer (a message not read is decoded), so after WINDOW reads
 * that ruled out under a quarter only one message in SAMPLE is read, until WINDOW of those rule
 * out a quarter again.
 */

/** Reads judged together. */
export const WINDOW = 256;
/** While resting, one message in this many is read. */
export const SAMPLE = 16;

export class ProbeBudget {
  /** Read one message in `stride`. */
  private stride = 1;
  private sinceRead = 0;
  private reads = 0;
  private ruledOut = 0;

  /** Whether to read this message (else it is decoded). */
  read(): boolean {
    if (this.stride === 1) return true;
    this.sinceRead++;
    if (this.sinceRead < this.stride) return false;
    this.sinceRead = 0;
    return true;
  }

  /** What a read found. */
  note(ruledOut: boolean): void {
    this.reads++;
    if (ruledOut) this.ruledOut++;
    if (this.reads < WINDOW) return;
    this.stride = this.ruledOut * 4 < WINDOW ? SAMPLE : 1;
    this.reads = 0;
    this.ruledOut = 0;
  }
}
