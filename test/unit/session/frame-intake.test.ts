import { afterEach, describe, expect, it, vi } from 'vitest';
import { FrameBatcher, type FrameBatch, type FrameSink } from '../../../src-main/core/session/frame-batcher';
import { FrameIntake } from '../../../src-main/core/session/frame-intake';
import { FrameStore } from '../../../src-main/core/session/frame-store';

/** A sink that records every call, as the session's feed would receive them. */
function recordingSink(): FrameSink & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    note: (fromSeq: number, toSeq?: number) => calls.push(`note ${fromSeq}-${toSeq ?? fromSeq}`),
    flush: () => calls.push('flush'),
  };
}

/** Lets the microtask queue run (a burst's end). */
const endOfTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('FrameIntake', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('stores a burst of messages at once and notes it as one range when the burst ends', async () => {
    const store = new FrameStore();
    const sink = recordingSink();
    const intake = new FrameIntake(store, sink);
    expect(intake.incoming(false, Buffer.from('one'))).toBe(1);
    expect(intake.incoming(true, Buffer.from([1, 2, 3]))).toBe(2);
    expect(intake.record('in', 'ping', Buffer.from('p'))).toBe(3);
    // Stored at once, readable before the note.
    expect(store.count).toBe(3);
    expect(store.entry(1)).toMatchObject({ dir: 'in', opcode: 'text' });
    expect(store.entry(2)?.opcode).toBe('binary');
    expect(store.entry(2)?.payload).toEqual(Buffer.from([1, 2, 3]));
    expect(sink.calls).toEqual([]);
    await endOfTurn();
    expect(sink.calls).toEqual(['note 1-3']);
    intake.incoming(false, Buffer.from('next'));
    await endOfTurn();
    expect(sink.calls).toEqual(['note 1-3', 'note 4-4']);
  });

  it('reads the clock once per burst: every frame of a burst has the same time', async () => {
    const now = vi.spyOn(Date, 'now').mockReturnValue(1_000);
    const store = new FrameStore();
    const intake = new FrameIntake(store, recordingSink());
    intake.incoming(false, Buffer.from('a'));
    now.mockReturnValue(2_000);
    intake.incoming(false, Buffer.from('b'));
    expect(intake.now()).toBe(1_000);
    await endOfTurn();
    intake.incoming(false, Buffer.from('c'));
    expect([store.entry(1)?.at, store.entry(2)?.at, store.entry(3)?.at]).toEqual([1_000, 1_000, 2_000]);
    expect(now).toHaveBeenCalledTimes(2);
  });

  it('notes what is pending before a flush, so a batch never comes after the event that follows its frames', () => {
    const store = new FrameStore();
    const sink = recordingSink();
    const intake = new FrameIntake(store, sink);
    intake.incoming(false, Buffer.from('a'));
    intake.record('out', 'close', Buffer.alloc(0), { closeCode: 1000 });
    intake.flush();
    expect(sink.calls).toEqual(['note 1-2', 'flush']);
    intake.flush();
    expect(sink.calls).toEqual(['note 1-2', 'flush', 'flush']);
  });

  it('feeds a real batcher: the burst goes out as batches of at most maxFrames, in order', async () => {
    const store = new FrameStore();
    const batches: FrameBatch[] = [];
    const batcher = new FrameBatcher({ intervalMs: 50, maxFrames: 4, source: store, emit: (batch) => batches.push(batch), emitSkipped: () => undefined });
    const intake = new FrameIntake(store, batcher);
    for (let i = 0; i < 10; i++) intake.incoming(false, Buffer.from(`m${i}`));
    expect(batches).toEqual([]);
    await endOfTurn();
    expect(batches.map((batch) => [batch.fromSeq, batch.toSeq])).toEqual([
      [1, 4],
      [5, 8],
      [9, 10],
    ]);
    expect(batches[2]?.frames.map((frame) => frame.preview)).toEqual(['m8', 'm9']);
    batcher.dispose();
  });
});
