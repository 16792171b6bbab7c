import { describe, expect, it } from 'vitest';
import { FrameBatcher, framesEvent, type FrameBatch } from '../../../src-main/core/session/frame-batcher';
import { FrameStore, encodeClosePayload, type FrameDirection } from '../../../src-main/core/session/frame-store';
import type { FrameSummary, Opcode } from '../../../src-main/shared/model';

const T0 = 1_700_000_000_000;

/** Every kind of frame a summary distinguishes: each opcode, both directions, empty, long, non-ASCII, binary. */
function pushEveryKind(store: FrameStore): void {
  const frames: [FrameDirection, Opcode, Buffer][] = [
    ['in', 'text', Buffer.from('hello')],
    ['out', 'text', Buffer.from('')],
    ['in', 'text', Buffer.from('x'.repeat(450))],
    ['in', 'text', Buffer.from('grüße, 😀 and more '.repeat(30))],
    ['out', 'binary', Buffer.from([0, 1, 2, 255])],
    ['in', 'binary', Buffer.alloc(300, 7)],
    ['in', 'ping', Buffer.from('p')],
    ['out', 'pong', Buffer.from('p')],
    ['in', 'close', encodeClosePayload(4000, 'done')],
    ['out', 'close', Buffer.alloc(0)],
  ];
  frames.forEach(([dir, opcode, payload], i) => store.push(dir, opcode, payload, opcode === 'close' && payload.length === 0 ? { closeCode: 1006 } : undefined, T0 + i));
}

/** Batches from a store-fed batcher, flushed by hand (size bound `maxFrames`). */
function batchesOf(store: FrameStore, maxFrames: number): FrameBatch[] {
  const batches: FrameBatch[] = [];
  const batcher = new FrameBatcher({ maxFrames, source: store, emit: (batch) => batches.push(batch), emitSkipped: () => undefined });
  for (let seq = store.firstSeq; seq > 0 && seq <= store.lastSeq; seq++) batcher.note(seq);
  batcher.dispose();
  return batches;
}

describe('deferred summaries: a batch summarised when first read', () => {
  it('reads the same summaries as the eager ones, for every kind of frame', () => {
    const store = new FrameStore();
    pushEveryKind(store);
    const eager: FrameSummary[] = store.summaries(1, store.lastSeq);
    const read = batchesOf(store, 3).flatMap((batch) => batch.frames);
    expect(read).toEqual(eager);
    expect(read.map((frame) => frame.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('says its seq range without reading its summaries, and keeps what it read', () => {
    const store = new FrameStore();
    pushEveryKind(store);
    const [first, second] = batchesOf(store, 6);
    expect(first).toMatchObject({ fromSeq: 1, toSeq: 6, dropped: 0 });
    expect(second).toMatchObject({ fromSeq: 7, toSeq: 10 });
    // Until read, `frames` is a getter; reading it leaves a plain property with the same array.
    expect(Object.getOwnPropertyDescriptor(first, 'frames')?.get).toBeTypeOf('function');
    const frames = first?.frames;
    expect(Object.getOwnPropertyDescriptor(first, 'frames')).toMatchObject({ value: frames, enumerable: true });
    expect(first?.frames).toBe(frames);
  });

  it('makes a frames event whose JSON, spread and structured clone carry the summaries', () => {
    const store = new FrameStore();
    pushEveryKind(store);
    const [batch] = batchesOf(store, 500);
    if (!batch) throw new Error('no batch');
    const eager = store.summaries(1, store.lastSeq);
    const asJson = JSON.parse(JSON.stringify(framesEvent('s1', batch))) as unknown;
    expect(asJson).toEqual({ type: 'frames', sessionId: 's1', fromSeq: 1, toSeq: 10, dropped: 0, frames: eager });
    const spread = { ...framesEvent('s1', batch) };
    expect(spread.frames).toEqual(eager);
    expect(Object.getOwnPropertyDescriptor(spread, 'frames')?.value).toEqual(eager);
    const cloned = structuredClone(framesEvent('s1', batch));
    expect(cloned).toEqual({ type: 'frames', sessionId: 's1', fromSeq: 1, toSeq: 10, dropped: 0, frames: eager });
    // The event's own getter: the batch itself was never read.
    expect(Object.getOwnPropertyDescriptor(batch, 'frames')?.get).toBeTypeOf('function');
  });

  it('leaves out the frames evicted before the first read, and the event still names the range it covered', () => {
    const store = new FrameStore({ maxFrames: 8 });
    for (let i = 0; i < 6; i++) store.push('in', 'text', Buffer.from(`m${i}`), undefined, T0);
    const [batch] = batchesOf(store, 500);
    if (!batch) throw new Error('no batch');
    const event = framesEvent('s1', batch);
    for (let i = 0; i < 4; i++) store.push('in', 'text', Buffer.from('later'), undefined, T0); // evicts seqs 1 and 2
    expect(store.dropped).toBe(2);
    expect(event).toMatchObject({ fromSeq: 1, toSeq: 6 });
    expect(event.frames.map((frame) => frame.seq)).toEqual([3, 4, 5, 6]);
  });

  it('builds no batch for a range already evicted, and the eager path for a source without deferral', () => {
    const store = new FrameStore({ maxFrames: 2 });
    const batches: FrameBatch[] = [];
    const batcher = new FrameBatcher({ maxFrames: 500, source: store, emit: (batch) => batches.push(batch), emitSkipped: () => undefined });
    for (let i = 0; i < 5; i++) batcher.note(store.push('in', 'text', Buffer.from('x'), undefined, T0));
    batcher.flush();
    expect(batches.map((batch) => [batch.fromSeq, batch.toSeq])).toEqual([[4, 5]]);

    const plain = { summaries: (from: number, to: number) => store.summaries(from, to), dropped: 0 };
    const eager: FrameBatch[] = [];
    const eagerBatcher = new FrameBatcher({ maxFrames: 500, source: plain, emit: (batch) => eager.push(batch), emitSkipped: () => undefined });
    eagerBatcher.note(4);
    eagerBatcher.note(5);
    eagerBatcher.flush();
    const [eagerBatch] = eager;
    if (!eagerBatch) throw new Error('no eager batch');
    expect(Object.getOwnPropertyDescriptor(eagerBatch, 'frames')?.value).toHaveLength(2);
    expect(framesEvent('s1', eagerBatch)).toMatchObject({ fromSeq: 4, toSeq: 5, frames: store.summaries(4, 5) });
  });
});
