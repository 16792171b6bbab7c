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
import type { CloseExtra, FrameDirection, FrameStore, ReadFrames } from './frame-store';

export class FrameIntake {
  /** The time of the current burst, read at its first frame. */
  private turnAt = 0;
  private inTurn = false;
  /**
   * The newest seq noted to the sink: frames after it up to the store's newest are pending
   * (the intake is the only writer of its store, so no per-frame bookkeeping is needed).
   */
  private notedTo: number;
  private readonly endTurn = (): void => {
    this.inTurn = false;
    this.settle();
  };

  constructor(
    private readonly store: FrameStore,
    private readonly sink: FrameSink,
  ) {
    this.notedTo = store.lastAssignedSeq;
  }

  /** The current burst's time (one clock reading per turn of the event loop). */
  now(): number {
    if (!this.inTurn) this.beginTurn();
    return this.turnAt;
  }

  /** A text or binary message from the peer: the hot path of a flood. Returns its seq. */
  incoming(binary: boolean, payload: Buffer): number {
    if (!this.inTurn) this.beginTurn();
    return this.store.pushIncoming(binary, payload, this.turnAt);
  }

  /** Whole text and binary frames found in one socket read (socket-capture.ts), stored at once; see FrameStore.pushIncomingRead. */
  incomingRead(read: Buffer, frames: ReadFrames): void {
    if (!this.inTurn) this.beginTurn();
    this.store.pushIncomingRead(read, frames, this.turnAt);
  }

  /** Any other frame (control frames, ours); see FrameStore.push. Returns its seq. */
  record(dir: FrameDirection, opcode: Opcode, payload: Buffer, extra?: CloseExtra): number {
    return this.store.push(dir, opcode, payload, extra, this.now());
  }

  /** Has the store write the burst's shared fields (FrameStore.endRun), then notes every frame stored since the last settle to the sink, as one range. */
  settle(): void {
    this.store.endRun();
    const to = this.store.lastAssignedSeq;
    if (to <= this.notedTo) return;
    const from = this.notedTo + 1;
    this.notedTo = to;
    this.sink.note(from, to);
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
