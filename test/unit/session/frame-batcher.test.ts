import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FrameBatcher, type FrameBatch } from '../../../src-main/core/session/frame-batcher';
import type { FrameSummary } from '../../../src-main/shared/model';

function frame(seq: number): FrameSummary {
  return { seq, dir: 'in', opcode: 'text', at: 0, size: 1, preview: 'x', truncated: false };
}

type Logged = { kind: 'frames'; batch: FrameBatch } | { kind: 'state'; state: string };

describe('FrameBatcher', () => {
  let log: Logged[];
  let dropped: number;
  const make = (intervalMs = 50, maxFrames = 500): FrameBatcher =>
    new FrameBatcher({ intervalMs, maxFrames, emit: (batch) => log.push({ kind: 'frames', batch }), dropped: () => dropped });

  beforeEach(() => {
    vi.useFakeTimers();
    log = [];
    dropped = 0;
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('holds frames until the interval passes, then emits them in order in one batch', () => {
    const batcher = make(50);
    batcher.push(frame(1));
    vi.advanceTimersByTime(20);
    batcher.push(frame(2));
    batcher.push(frame(3));
    vi.advanceTimersByTime(29);
    expect(log).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(log).toHaveLength(1);
    const first = log[0];
    expect(first?.kind === 'frames' && first.batch.fromSeq).toBe(1);
    expect(first?.kind === 'frames' && first.batch.frames.map((f) => f.seq)).toEqual([1, 2, 3]);
    vi.advanceTimersByTime(1000);
    expect(log).toHaveLength(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('emits at once when a batch reaches its size bound', () => {
    const batcher = make(50, 3);
    for (let i = 1; i <= 7; i++) batcher.push(frame(i));
    expect(log.map((e) => (e.kind === 'frames' ? e.batch.frames.map((f) => f.seq) : []))).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    vi.advanceTimersByTime(50);
    expect(log).toHaveLength(3);
    expect(log[2]?.kind === 'frames' && log[2].batch.fromSeq).toBe(7);
  });

  it('flushes pending frames before a state change, so order holds', () => {
    const batcher = make(50);
    const changeState = (state: string): void => {
      batcher.flush();
      log.push({ kind: 'state', state });
    };
    batcher.push(frame(1));
    batcher.push(frame(2));
    changeState('closing');
    batcher.push(frame(3));
    changeState('closed');
    expect(log.map((e) => (e.kind === 'state' ? e.state : e.batch.frames.map((f) => f.seq).join(',')))).toEqual([
      '1,2',
      'closing',
      '3',
      'closed',
    ]);
    vi.advanceTimersByTime(100);
    expect(log).toHaveLength(4);
  });

  it('reports the dropped count at the time of the batch', () => {
    const batcher = make(50);
    batcher.push(frame(5));
    dropped = 4;
    batcher.flush();
    expect(log[0]?.kind === 'frames' && log[0].batch.dropped).toBe(4);
  });

  it('emits nothing for an empty flush and ignores pushes after dispose', () => {
    const batcher = make(50);
    batcher.flush();
    batcher.push(frame(1));
    batcher.dispose();
    batcher.push(frame(2));
    vi.advanceTimersByTime(100);
    expect(log).toHaveLength(1);
    expect(vi.getTimerCount()).toBe(0);
  });
});
