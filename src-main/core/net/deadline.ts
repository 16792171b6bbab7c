/**
 * A point in time after which a phase has failed. One Deadline covers a whole phase (e.g. the
 * proxy phase: TCP, proxy TLS and CONNECT), so a peer that drips bytes cannot extend it.
 */
export class Deadline {
  readonly at: number;
  readonly ms: number;

  constructor(ms: number, now: number = Date.now()) {
    this.ms = ms;
    this.at = now + ms;
  }

  remaining(now: number = Date.now()): number {
    return Math.max(0, this.at - now);
  }

  /** The earlier of two deadlines (e.g. a phase's own and the user's overall open deadline). */
  static earliest(a: Deadline, b: Deadline | undefined): Deadline {
    return b !== undefined && b.at < a.at ? b : a;
  }
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
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      return true;
    };
    const onAbort = (): void => {
      if (!finish()) return;
      cleanup?.();
      reject(signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
    };
    const timer = setTimeout(() => {
      if (!finish()) return;
      cleanup?.();
      reject(onTimeout());
    }, deadline.remaining());
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
