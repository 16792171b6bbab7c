/**
 * Released 1 MiB payload slabs kept for reuse, process-wide: what a store gives back when it
 * evicts (a store at its bounds), when its session is disposed, is what the next slab comes
 * from before the allocator is asked.
 *
 * Why so many (up to the default history budget, 512 MiB): every fresh slab is an ArrayBuffer
 * whose backing store V8 counts as external memory, and V8 answers that growth with full
 * Mark-Compact collections (measured with --trace-gc on floods of 1,000 B messages: 4-6 a
 * 100 MB flood, 2.5-3.6 µs of CPU a message; with the slabs of the previous session reused:
 * none, 0.97-1.46 µs). A slab freshly from the OS also costs a page fault per 4 KiB on
 * first write. Holding many slabs after a session is gone costs memory, so the pool keeps
 * `keptSlabs` (32 MiB, as before) for good and gives the rest back to the garbage collector
 * once no slab has been taken from it for `idleMs`.
 *
 * The slabs stay ordinary (V8-accounted) ArrayBuffers, so process.memoryUsage().external and
 * every memory figure see them; SharedArrayBuffer slabs, which V8 does not count and so never
 * collects for, were measured and not adopted (ARCHITECTURE, Frames).
 */
export const SLAB_BYTES = 1024 * 1024;

export interface SlabPoolOptions {
  /** Most slabs pooled (default 512: 512 MiB, the default history budget). */
  maxSlabs?: number;
  /** Slabs kept however long the pool is idle (default 32). */
  keptSlabs?: number;
  /** The pool goes back to keptSlabs after this long without a take (default 10 s). */
  idleMs?: number;
  /** Timer functions (tests inject fake ones). The timer must not keep the process alive. */
  setTimer?: (run: () => void, ms: number) => unknown;
}

export class SlabPool {
  private readonly slabs: Buffer[] = [];
  private readonly maxSlabs: number;
  private readonly keptSlabs: number;
  private readonly idleMs: number;
  private readonly setTimer: (run: () => void, ms: number) => unknown;
  private timerArmed = false;
  /** A slab was taken since the idle timer was armed (the pool is in use: keep it whole). */
  private takenSinceArmed = false;

  constructor(options: SlabPoolOptions = {}) {
    this.maxSlabs = options.maxSlabs ?? 512;
    this.keptSlabs = Math.min(options.keptSlabs ?? 32, this.maxSlabs);
    this.idleMs = options.idleMs ?? 10_000;
    this.setTimer = options.setTimer ?? unrefTimer;
  }

  /** A 1 MiB slab (its bytes are whatever it held before: every reader stays below what was written since). */
  take(): Buffer {
    const slab = this.slabs.pop();
    if (slab === undefined) return Buffer.allocUnsafeSlow(SLAB_BYTES);
    this.takenSinceArmed = true;
    return slab;
  }

  /**
   * Takes back a slab nothing reads any more (a store's evicted or released slab). Only whole
   * 1 MiB slabs that own their ArrayBuffer are pooled; anything else is left to the collector.
   */
  give(slab: Buffer): void {
    if (slab.length !== SLAB_BYTES || slab.byteOffset !== 0 || slab.buffer.byteLength !== SLAB_BYTES) return;
    if (this.slabs.length >= this.maxSlabs) return;
    this.slabs.push(slab);
    if (this.slabs.length > this.keptSlabs) this.armIdleTimer();
  }

  /** Bytes the pool holds (no store's: memory the process keeps for the next slabs). */
  get pooledBytes(): number {
    return this.slabs.length * SLAB_BYTES;
  }

  /** Back to keptSlabs at once; the rest goes to the garbage collector. */
  trim(): void {
    if (this.slabs.length > this.keptSlabs) this.slabs.length = this.keptSlabs;
  }

  private armIdleTimer(): void {
    if (this.timerArmed) return;
    this.timerArmed = true;
    this.takenSinceArmed = false;
    this.setTimer(() => this.onIdleTimer(), this.idleMs);
  }

  private onIdleTimer(): void {
    this.timerArmed = false;
    if (this.slabs.length <= this.keptSlabs) return;
    if (this.takenSinceArmed) this.armIdleTimer();
    else this.trim();
  }
}

function unrefTimer(run: () => void, ms: number): unknown {
  const timer = setTimeout(run, ms);
  timer.unref();
  return timer;
}

/** The process's pool, shared by every FrameStore. */
export const slabPool = new SlabPool();
