/**
 * A Clock (src-main/core/net/clock.ts) whose time moves only when the test says so: timers
 * fire in order of their due time during `advance`. Only the code given this clock is on
 * fake time; sockets and everything else run on real time.
 */
import type { Clock, TimerHandle } from '../../src-main/core/net/clock';

interface ManualTimer extends TimerHandle {
  due: number;
  every: number | undefined;
  callback: () => void;
  cancelled: boolean;
}

export class ManualClock implements Clock {
  private time: number;
  private readonly timers = new Set<ManualTimer>();

  constructor(start = 1_700_000_000_000) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  /** Timers waiting to fire. */
  get pending(): number {
    return this.timers.size;
  }

  setTimeout(callback: () => void, ms: number): TimerHandle {
    return this.add(callback, ms, undefined);
  }

  setInterval(callback: () => void, ms: number): TimerHandle {
    return this.add(callback, ms, Math.max(1, ms));
  }

  clearTimeout(handle: TimerHandle | undefined): void {
    this.cancel(handle);
  }

  clearInterval(handle: TimerHandle | undefined): void {
    this.cancel(handle);
  }

  /** Moves time forward by `ms`, firing every timer that falls due on the way. */
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      const next = [...this.timers].filter((timer) => timer.due <= end).sort((a, b) => a.due - b.due)[0];
      if (!next) break;
      this.time = Math.max(this.time, next.due);
      if (next.every === undefined) this.timers.delete(next);
      else next.due += next.every;
      next.callback();
    }
    this.time = end;
  }

  private add(callback: () => void, ms: number, every: number | undefined): ManualTimer {
    const timer: ManualTimer = { due: this.time + Math.max(0, ms), every, callback, cancelled: false, unref: () => undefined };
    this.timers.add(timer);
    return timer;
  }

  private cancel(handle: TimerHandle | undefined): void {
    for (const timer of this.timers) {
      if (timer === handle) {
        timer.cancelled = true;
        this.timers.delete(timer);
      }
    }
  }
}
