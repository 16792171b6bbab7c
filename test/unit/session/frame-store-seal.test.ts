// A closed session's store gives back what only recording needs (the open 1 MiB write slab,
// a ring far larger than its frames) and keeps every frame readable.
import { describe, expect, it } from 'vitest';
import { FrameStore } from '../../../src-main/core/session/frame-store';

const MIB = 1024 * 1024;

describe('FrameStore.seal', () => {
  it('releases the open write slab of a session that stored a few small frames', () => {
    const store = new FrameStore();
    store.push('out', 'text', Buffer.from('hello'));
    store.push('in', 'binary', Buffer.from([1, 2, 3]));
    store.push('in', 'close', Buffer.alloc(0), { closeCode: 1000, closeReason: 'bye' });
    expect(store.heldBytes).toBeGreaterThanOrEqual(MIB);
    store.seal();
    expect(store.heldBytes).toBeLessThan(64 * 1024);
    expect(store.get(1)?.text).toBe('hello');
    expect(store.payload(2)).toEqual(Buffer.from([1, 2, 3]));
    expect(store.summary(3)).toMatchObject({ opcode: 'close', closeCode: 1000, closeReason: 'bye' });
    expect(store.summaries(1, 3).map((frame) => frame.preview)).toEqual(['hello', '01 02 03', 'bye']);
    expect(store.page(1, 10)).toMatchObject({ firstSeq: 1, lastSeq: 3, dropped: 0 });
  });

  it('cuts a ring far larger than the frames it still holds', () => {
    const store = new FrameStore({ maxFrames: 100_000 });
    for (let i = 0; i < 5000; i++) store.push('in', 'text', Buffer.from(`frame ${i}`));
    const before = store.heldBytes;
    store.seal();
    expect(store.heldBytes).toBeLessThan(before);
    expect(store.count).toBe(5000);
    expect(store.get(1)?.text).toBe('frame 0');
    expect(store.get(5000)?.text).toBe('frame 4999');
  });

  it('keeps the frames of a store that evicted into a wrapped ring in order', () => {
    const store = new FrameStore({ maxFrames: 3000 });
    for (let i = 0; i < 4500; i++) store.push('in', 'text', Buffer.from(`f${i}`));
    store.seal();
    expect(store.firstSeq).toBe(1501);
    expect(store.page(1501, 3).frames.map((frame) => frame.preview)).toEqual(['f1500', 'f1501', 'f1502']);
    expect(store.get(4500)?.text).toBe('f4499');
  });

  it('keeps a large frame that has a slab of its own, and an empty store stays empty', () => {
    const store = new FrameStore();
    const big = Buffer.alloc(600 * 1024, 7);
    store.push('in', 'binary', big);
    store.seal();
    expect(store.payload(1)?.equals(big)).toBe(true);
    const empty = new FrameStore();
    empty.seal();
    expect(empty.count).toBe(0);
    expect(empty.heldBytes).toBe(0);
  });

  it('still records after a seal (a fresh slab), and sealing twice changes nothing', () => {
    const store = new FrameStore();
    store.push('out', 'text', Buffer.from('before'));
    store.seal();
    store.seal();
    store.push('in', 'text', Buffer.from('after'));
    expect(store.get(1)?.text).toBe('before');
    expect(store.get(2)?.text).toBe('after');
  });
});
