/**
 * Where a reconnecting connection's attempts begin and end in its one frame store
 * (shared/attempts.ts: each ended attempt's `afterSeq`). A new attempt is a new TCP connection,
 * so every protocol starts again there (the Engine.IO handshake, MQTT's CONNECT, STOMP's
 * CONNECT): every walk that decodes in order makes its decoder afresh at the first frame after a
 * boundary, as if the session had begun there. A boundary is thus a perfect checkpoint (a fresh
 * decoder, lacking nothing even after evicted frames), and a state taken before it is never
 * carried past it. What an attempt's last message of a direction left under way never came: its
 * answer is the `ifEnded` one (session-end.ts), as at the session's end.
 *
 * Boundaries only come at the end of the frames so far (an attempt ends after the newest frame),
 * so frames after one did not exist before it was known: no answer decoded before carried state
 * across it. They are remembered here as they come, so a connection that keeps only its latest
 * records (ws-connection.ts) does not lose the boundaries of frames still stored.
 */
import { endedAttemptIndex } from '../../shared/attempt-of-seq';
import type { AttemptRecord } from '../../shared/attempts';

/** Where the attempts' records come from (a SessionLog's `attempts`, read again as they grow). */
export type AttemptSource = () => readonly AttemptRecord[];

/** `after` holds the afterSeqs themselves. */
const afterSeqItself = (afterSeq: number): number => afterSeq;

export class AttemptBoundaries {
  /** The ended attempts' afterSeq, ascending, each once (0: an attempt that recorded nothing, before seq 1). */
  private readonly after: number[] = [];
  /** The newest record taken (the source appends; an old one may be dropped from its front). */
  private lastAttempt = 0;

  constructor(private readonly source: AttemptSource = () => []) {}

  /** Boundaries from a fixed list (an imported log, a test). */
  static of(afterSeqs: readonly number[]): AttemptBoundaries {
    const boundaries = new AttemptBoundaries();
    for (const seq of afterSeqs) boundaries.add(seq);
    return boundaries;
  }

  /** An attempt ended after frame `afterSeq` (the CLI is told by its `attempt` event). */
  add(afterSeq: number): void {
    const last = this.after[this.after.length - 1];
    if (last === undefined || afterSeq > last) this.after.push(afterSeq);
    else if (!this.after.includes(afterSeq)) {
      this.after.push(afterSeq);
      this.after.sort((a, b) => a - b);
    }
  }

  /** Whether frame `seq` is the first of an attempt after the first (its decoder starts afresh). */
  startsAttempt(seq: number): boolean {
    this.refresh();
    const after = this.after;
    const count = after.length;
    if (count === 0 || seq <= 1) return false;
    // A walk goes forward: past the newest boundary (most frames of a long session), one comparison.
    const newest = after[count - 1] ?? 0;
    if (seq - 1 > newest) return false;
    if (seq - 1 === newest) return true;
    return after[this.attemptIndex(seq - 1)] === seq - 1;
  }

  /** The latest first frame of an attempt at or before `seq` (undefined: none after seq 1). */
  attemptStartAtOrBefore(seq: number): number | undefined {
    this.refresh();
    const at = this.attemptIndex(seq) - 1;
    const before = this.after[at];
    return before !== undefined && before >= 1 ? before + 1 : undefined;
  }

  /** The ended attempt `seq` belongs to, as (afterPrevious, afterSeq] (undefined: its attempt has not ended). */
  endedAttemptOf(seq: number): { readonly from: number; readonly afterSeq: number } | undefined {
    this.refresh();
    const at = this.attemptIndex(seq);
    const end = this.after[at];
    if (end === undefined) return undefined;
    return { from: (this.after[at - 1] ?? 0) + 1, afterSeq: end };
  }

  /** Whether any boundary is known. */
  get any(): boolean {
    this.refresh();
    return this.after.length > 0;
  }

  /** The index of the first boundary at or after `seq`: the ended attempt frame `seq` is in (the renderer's rule too). */
  private attemptIndex(seq: number): number {
    return endedAttemptIndex(seq, this.after, afterSeqItself);
  }

  /** Asked before every frame a walk reads: a few comparisons when nothing is new (no read past the array's end, which is slow). */
  private refresh(): void {
    const records = this.source();
    const count = records.length;
    if (count === 0) return;
    const newest = records[count - 1];
    if (newest === undefined || newest.attempt <= this.lastAttempt) return;
    for (const record of records) {
      if (record.attempt <= this.lastAttempt) continue;
      this.add(record.afterSeq);
    }
    this.lastAttempt = newest.attempt;
  }
}
