import { DEADLINE_TEXT, type DeadlineName } from '../../shared/timeouts';
import { systemClock, type Clock, type TimerHandle } from './clock';

/**
 * The longest delay a timer can have: Node (and browsers) fire a longer one after 1 ms, so a
 * deadline weeks away would pass at once.
 */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * A point in time after which a phase has failed. One Deadline covers a whole phase (e.g. the
 * proxy phase: TCP, proxy TLS and CONNECT), so a peer that drips bytes cannot extend it.
 */
export class Deadline {
  readonly at: number;
  readonly ms: number;
  /** The time source that measures it and times its timers (tests: fake time). */
  readonly clock: Clock;
  /** Which of the connection's deadlines this is (shared/timeouts.ts), named in the failure it causes. */
  readonly name: DeadlineName | undefined;

  constructor(ms: number, now?: number, clock: Clock = systemClock, name?: DeadlineName) {
    this.ms = ms;
    this.clock = clock;
    this.at = (now ?? clock.now()) + ms;
    this.name = name;
  }

  /** A connection deadline of `ms` from now on `clock`, named for the failure it may cause. */
  static named(name: DeadlineName, ms: number, clock: Clock = systemClock): Deadline {
    return new Deadline(ms, undefined, clock, name);
  }

  remaining(now: number = this.clock.now()): number {
    return Math.max(0, this.at - now);
  }

  /** remaining(), as a delay a timer can take (never longer than MAX_TIMER_MS). */
  timerDelay(): number {
    return Math.min(MAX_TIMER_MS, this.remaining());
  }

  /** The earlier of two deadlines (e.g. a phase's own and the user's overall open deadline). */
  static earliest(a: Deadline, b: Deadline | undefined): Deadline {
    return b !== undefined && b.at < a.at ? b : a;
  }
}

/** What a failure says of the deadline that passed: its value, and which one it was. */
export function deadlineDetails(deadline: Deadline): { timeoutMs: number; deadline?: DeadlineName } {
  return { timeoutMs: deadline.ms, ...(deadline.name !== undefined ? { deadline: deadline.name } : {}) };
}

/** "proxy answer deadline"; "deadline" for one no connection option names. */
export function deadlineWords(deadline: Deadline): string {
  return deadline.name === undefined ? 'deadline' : `${DEADLINE_TEXT[deadline.name].words} deadline`;
}

/**
 * Runs `work` until it settles, the deadline passes (rejects with `onTimeout()`), or the
 * signal aborts (rejects with the signal's reason). `cleanup` runs on timeout or abort so the
 * caller can destroy sockets the work still holds.
 */
export function raceDeadline<T>(
  work: Promise<T>,
  deadline: Deadline,
  onTimeout: () => Error,
  signal?: AbortSignal,
  cleanup?: () => void,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const finish = (): boolean => {
      if (settled) return false;
      settled = true;
      timer.cancel();
      signal?.removeEventListener('abort', onAbort);
      return true;
    };
    const onAbort = (): void => {
      if (!finish()) return;
      cleanup?.();
      reject(signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
    };
    const timer = onDeadline(deadline, () => {
      if (!finish()) return;
      cleanup?.();
      reject(onTimeout());
    });
    if (signal?.aborted) {
      onAbort();
      return;
    }
    signal?.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        if (finish()) resolve(value);
      },
      (error: unknown) => {
        if (finish()) reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

/**
 * Calls `callback` once the deadline has passed, on the deadline's clock. A deadline beyond
 * MAX_TIMER_MS is waited for in steps; otherwise one timer (monotonic: a wall-clock change
 * does not move it).
 */
export function onDeadline(deadline: Deadline, callback: () => void): { cancel(): void } {
  let handle: TimerHandle | undefined;
  const arm = (): void => {
    const clamped = deadline.remaining() > MAX_TIMER_MS;
    handle = deadline.clock.setTimeout(() => {
      if (clamped) arm();
      else callback();
    }, deadline.timerDelay());
  };
  arm();
  return {
    cancel: () => deadline.clock.clearTimeout(handle),
  };
}
