/**
 * `connect --repeat`: the engine runs each repeat and reports it with `repeat` events; the run
 * waits for a repeat's final event before sending the next message. A final event may be
 * handled before the send's answer names its repeat, so ended repeats are kept until asked.
 */
import type { EngineEventOf } from '../shared/events';
import { isRepeatRunning } from '../shared/send-repeat';

export type RepeatEvent = EngineEventOf<'repeat'>;

export class RepeatWaits {
  private readonly ended = new Map<string, RepeatEvent>();
  private readonly waiters = new Map<string, (event: RepeatEvent | undefined) => void>();
  private released = false;

  /** Any repeat event; a final one ends its wait. */
  event(event: RepeatEvent): void {
    if (isRepeatRunning(event.status)) return;
    const wake = this.waiters.get(event.repeatId);
    if (wake) {
      this.waiters.delete(event.repeatId);
      wake(event);
    } else {
      this.ended.set(event.repeatId, event);
    }
  }

  /** The repeat's final event; undefined when the run ended first. */
  wait(repeatId: string): Promise<RepeatEvent | undefined> {
    const done = this.ended.get(repeatId);
    if (done) {
      this.ended.delete(repeatId);
      return Promise.resolve(done);
    }
    if (this.released) return Promise.resolve(undefined);
    return new Promise((resolve) => this.waiters.set(repeatId, resolve));
  }

  /** The run is over: nothing more will come. */
  releaseAll(): void {
    this.released = true;
    for (const wake of this.waiters.values()) wake(undefined);
    this.waiters.clear();
  }
}

/** `repeat` {sent, count, intervalMs, status, reason?}: at each change of status and at most every 100 ms. */
export function repeatJsonLine(event: RepeatEvent): { type: string } & Record<string, unknown> {
  return {
    type: 'repeat',
    sent: event.sent,
    count: event.count,
    intervalMs: event.intervalMs,
    status: event.status,
    ...(event.reason !== undefined ? { reason: event.reason } : {}),
    at: event.at,
  };
}
