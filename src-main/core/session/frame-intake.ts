/**
 * Where a session's frames enter its store, and how its consumers hear of them.
 *
 * A socket read hands `ws`'s messages over in one synchronous burst (hundreds of them in a
 * flood). Each is stored at once (payload copied, ring fields written), but the work that is
 * the same for the whole burst is done once per burst, in a microtask queued by its first
 * frame: the clock is read once (the frames arrived together), and the consumers' batchers
 * are told of the burst's seq range in one note instead of a note per frame. Nothing else
 * runs between a burst and that microtask, and the session settles the intake before each of
 * its other events (`flush`), so a batch still never arrives after the event that followed
 * its frames.
 */
import type { Opcode } from '../../shared/model';
import type { FrameSink } from './frame-batcher';
import type { CloseExtra, FrameDirection, FrameStore } from './frame-store';

export class FrameIntake {
  /** The time of the current burst, read at its first frame. */
  private turnAt = 0;
  private inTurn = false;
  /** First and last seq stored and not yet noted to the sink (0 when none). */
  private unnotedFrom = 0;
  private unnotedTo = 0;
  private readonly endTurn = (): void => {
    this.inTurn = false;
    this.settle();
  };

  constructor(
    private readonly store: FrameStore,
    private readonly sink: FrameSink,
  ) {}

  /** The current burst's time (one clock reading per turn of the event loop). */
  now(): number {
    if (!this.inTurn) this.beginTurn();
    return this.turnAt;
  }

  /** A text or binary message from the peer: the hot path of a flood. Returns its seq. */
  incoming(binary: boolean, payload: Buffer): number {
    if (!this.inTurn) this.beginTurn();
    const seq = this.store.pushIncoming(binary, payload, this.turnAt);
    if (this.unnotedFrom === 0) this.unnotedFrom = seq;
    this.unnotedTo = seq;
    return seq;
  }

  /** Any other frame (control frames, ours); see FrameStore.push. Returns its seq. */
  record(dir: FrameDirection, opcode: Opcode, payload: Buffer, extra?: CloseExtra): number {
    const seq = this.store.push(dir, opcode, payload, extra, this.now());
    if (this.unnotedFrom === 0) this.unnotedFrom = seq;
    this.unnotedTo = seq;
    return seq;
  }

  /** Notes every frame stored since the last settle to the sink, as one range. */
  settle(): void {
    const from = this.unnotedFrom;
    if (from === 0) return;
    this.unnotedFrom = 0;
    this.sink.note(from, this.unnotedTo);
  }

  /** Settles, then has the sink send what it holds (before each of the session's other events). */
  flush(): void {
    this.settle();
    this.sink.flush();
  }

  private beginTurn(): void {
    this.turnAt = Date.now();
    this.inTurn = true;
    queueMicrotask(this.endTurn);
  }
}
