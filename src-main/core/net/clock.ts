/**
 * The engine's time source. Code with deadlines, keep-alives, batching or backoff takes a
 * Clock (default: `systemClock`) so tests drive it with fake time and assert what happened,
 * never how long it took.
 */
export interface TimerHandle {
  /** Lets the process exit while the timer is pending (Node's `unref`). */
  unref(): void;
}

export interface Clock {
  /** Milliseconds since the epoch, like `Date.now()`. */
  now(): number;
  setTimeout(callback: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle | undefined): void;
  setInterval(callback: () => void, ms: number): TimerHandle;
  clearInterval(handle: TimerHandle | undefined): void;
}

type NodeTimeout = ReturnType<typeof setTimeout>;

function isNodeTimeout(handle: TimerHandle | undefined): handle is NodeTimeout {
  return handle !== undefined && typeof (handle as { ref?: unknown }).ref === 'function';
}

/** Real time. Reads the globals at each call, so Vitest's fake timers also drive it. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => {
    if (isNodeTimeout(handle)) clearTimeout(handle);
  },
  setInterval: (callback, ms) => setInterval(callback, ms),
  clearInterval: (handle) => {
    if (isNodeTimeout(handle)) clearInterval(handle);
  },
};
