// The process's pool of 1 MiB payload slabs: reuse before allocation, the cap, and going back
// to the slabs it keeps for good once idle (a fake timer: no test waits).
import { describe, expect, it } from 'vitest';
import { SLAB_BYTES, SlabPool } from '../../../src-main/core/session/slab-pool';
import { FrameStore } from '../../../src-main/core/session/frame-store';

/** A timer the test fires by hand. */
function manualTimer(): { setTimer: (run: () => void, ms: number) => unknown; fire: () => void; pending: () => number; delays: number[] } {
  const queue: (() => void)[] = [];
  const delays: number[] = [];
  return {
    setTimer: (run, ms) => {
      queue.push(run);
      delays.push(ms);
      return queue.length;
    },
    fire: () => queue.shift()?.(),
    pending: () => queue.length,
    delays,
  };
}

describe('SlabPool', () => {
  it('hands back the slab it was given before allocating a new one', () => {
    const pool = new SlabPool({ setTimer: manualTimer().setTimer });
    const slab = pool.take();
    expect(slab.length).toBe(SLAB_BYTES);
    pool.give(slab);
    expect(pool.pooledBytes).toBe(SLAB_BYTES);
    // Identity compared as booleans: a failing toBe on two 1 MiB Buffers compares them deeply.
    expect(pool.take() === slab).toBe(true);
    expect(pool.pooledBytes).toBe(0);
    expect(pool.take() === slab).toBe(false);
  });

  it('pools only whole 1 MiB slabs that own their memory, and no more than maxSlabs', () => {
    const pool = new SlabPool({ maxSlabs: 2, keptSlabs: 2, setTimer: manualTimer().setTimer });
    pool.give(Buffer.allocUnsafeSlow(1000));
    pool.give(Buffer.allocUnsafeSlow(2 * SLAB_BYTES).subarray(0, SLAB_BYTES));
    expect(pool.pooledBytes).toBe(0);
    for (let i = 0; i < 3; i++) pool.give(Buffer.allocUnsafeSlow(SLAB_BYTES));
    expect(pool.pooledBytes).toBe(2 * SLAB_BYTES);
  });

  it('goes back to keptSlabs after a whole idle period without a take, not while in use', () => {
    const timer = manualTimer();
    const pool = new SlabPool({ maxSlabs: 10, keptSlabs: 2, idleMs: 5000, setTimer: timer.setTimer });
    const slabs = Array.from({ length: 6 }, () => pool.take());
    for (const slab of slabs) pool.give(slab);
    expect(pool.pooledBytes).toBe(6 * SLAB_BYTES);
    expect(timer.pending()).toBe(1);
    expect(timer.delays).toEqual([5000]);
    // In use during the first period: the pool stays whole and waits another period.
    pool.give(pool.take());
    timer.fire();
    expect(pool.pooledBytes).toBe(6 * SLAB_BYTES);
    expect(timer.pending()).toBe(1);
    // Idle for the whole second period: back to the two kept slabs, and no timer left.
    timer.fire();
    expect(pool.pooledBytes).toBe(2 * SLAB_BYTES);
    expect(timer.pending()).toBe(0);
    // At or below keptSlabs no timer is armed.
    pool.give(Buffer.allocUnsafeSlow(SLAB_BYTES));
    expect(pool.pooledBytes).toBe(3 * SLAB_BYTES);
    expect(timer.pending()).toBe(1);
    pool.take();
    pool.take();
    timer.fire();
    expect(pool.pooledBytes).toBe(SLAB_BYTES);
    expect(timer.pending()).toBe(0);
  });

  it('a released store gives its slabs to the pool, and a new store reads only what it wrote into them', () => {
    const first = new FrameStore();
    const big = Buffer.alloc(200 * 1024, 0x41);
    for (let i = 0; i < 12; i++) first.push('in', 'text', big);
    first.release();
    const second = new FrameStore();
    second.push('in', 'text', Buffer.from('fresh'));
    second.push('in', 'binary', Buffer.from([1, 2]));
    expect(second.get(1)?.text).toBe('fresh');
    expect(second.summaries(1, 2).map((frame) => frame.preview)).toEqual(['fresh', '01 02']);
    const view = second.scanView();
    expect(view.slabUsed(view.slabOf[0] ?? -1)).toBe(7);
  });
});
