/**
 * The renderer's half of the engine's flow control: after taking in a frame batch or a
 * "frames skipped" notice, it acknowledges the highest seq it has ingested (`frames:ack`).
 * The engine coalesces batches into notices once too many frames are out unacknowledged, so a
 * renderer whose main thread is busy is sent less instead of being buried. (A page keeping up
 * is sent only each interval's newest rows anyway, the rest as ranges: FrameBatcher tailFrames.)
 *
 * At most one acknowledgement per session is in flight; whatever arrived meanwhile goes in
 * the next one. So a firehose costs one small command per round trip, not one per batch.
 */

export type SendAck = (sessionId: string, seq: number) => Promise<unknown>;

interface AckState {
  /** Highest seq ingested. */
  received: number;
  /** Highest seq acknowledged (or being acknowledged). */
  sent: number;
  inFlight: boolean;
}

export class AckSender {
  private readonly sessions = new Map<string, AckState>();
  /** How many acknowledgements went out (tests and the status line look at it). */
  sentCount = 0;

  constructor(private readonly send: SendAck) {}

  /** Everything up to `seq` has been taken in. */
  ingested(sessionId: string, seq: number): void {
    let state = this.sessions.get(sessionId);
    if (!state) {
      state = { received: 0, sent: 0, inFlight: false };
      this.sessions.set(sessionId, state);
    }
    if (seq <= state.received) return;
    state.received = seq;
    if (!state.inFlight) this.flush(sessionId, state);
  }

  forget(sessionId: string): void {
    this.sessions.delete(sessionId);
  }

  /** The highest seq acknowledged so far for a session (0 when none). */
  acknowledged(sessionId: string): number {
    return this.sessions.get(sessionId)?.sent ?? 0;
  }

  private flush(sessionId: string, state: AckState): void {
    const seq = state.received;
    state.sent = seq;
    state.inFlight = true;
    this.sentCount += 1;
    const done = (): void => {
      state.inFlight = false;
      // The session may be gone (disposed) or have moved on meanwhile.
      if (this.sessions.get(sessionId) === state && state.received > state.sent) this.flush(sessionId, state);
    };
    this.send(sessionId, seq).then(done, done);
  }
}
