import { describe, expect, it } from 'vitest';
import {
  FrameStore,
  HEX_PREVIEW_BYTES,
  TEXT_PREVIEW_CHARS,
  encodeClosePayload,
  textPreview,
} from '../../../src-main/core/session/frame-store';
import type { FrameSummary } from '../../../src-main/shared/model';

const text = (s: string): Buffer => Buffer.from(s, 'utf8');

/** Records a frame through the store's one entry point (push) and reads its summary back. */
function pushed(store: FrameStore, ...frame: Parameters<FrameStore['push']>): FrameSummary {
  const seq = store.push(...frame);
  const summary = store.summary(seq);
  if (summary === undefined) throw new Error(`frame ${seq} was not stored`);
  return summary;
}

describe('FrameStore', () => {
  it('numbers frames from 1 without gaps and keeps their payloads', () => {
    const store = new FrameStore();
    expect(store.firstSeq).toBe(0);
    expect(store.lastSeq).toBe(0);
    const a = pushed(store, 'out', 'text', text('hello'));
    const b = pushed(store, 'in', 'binary', Buffer.from([1, 2, 255]));
    const c = pushed(store, 'in', 'ping', Buffer.alloc(0));
    expect([a.seq, b.seq, c.seq]).toEqual([1, 2, 3]);
    expect(a).toMatchObject({ dir: 'out', opcode: 'text', size: 5, preview: 'hello', truncated: false });
    expect(b).toMatchObject({ dir: 'in', opcode: 'binary', size: 3, preview: '01 02 ff', truncated: false });
    expect(c).toMatchObject({ opcode: 'ping', size: 0, preview: '' });
    expect(store.get(1)).toMatchObject({ text: 'hello', base64: text('hello').toString('base64') });
    expect(store.get(2)?.base64).toBe(Buffer.from([1, 2, 255]).toString('base64'));
    expect(store.get(2)?.text).toBeUndefined();
    expect(store.get(3)?.base64).toBe('');
    expect(store.count).toBe(3);
    expect(store.bytes).toBe(8);
    expect(store.firstSeq).toBe(1);
    expect(store.lastSeq).toBe(3);
  });

  it('copies payloads, so a caller reusing its buffer does not change the stored frame', () => {
    const store = new FrameStore();
    const buf = text('abc');
    store.push('in', 'text', buf);
    buf.write('xyz');
    expect(store.get(1)?.text).toBe('abc');
  });

  it('evicts the oldest frames by count and counts them', () => {
    const store = new FrameStore({ maxFrames: 3 });
    for (let i = 1; i <= 5; i++) store.push('in', 'text', text(`m${i}`));
    expect(store.count).toBe(3);
    expect(store.dropped).toBe(2);
    expect(store.firstSeq).toBe(3);
    expect(store.lastSeq).toBe(5);
    expect(store.bytes).toBe(6);
    expect(store.get(2)).toBeUndefined();
    expect(store.get(3)?.text).toBe('m3');
    expect(store.get(5)?.text).toBe('m5');
    expect(store.get(6)).toBeUndefined();
  });

  it('evicts the oldest frames by payload bytes', () => {
    const store = new FrameStore({ maxBytes: 10 });
    store.push('in', 'binary', Buffer.alloc(4, 1)); // 1
    store.push('in', 'binary', Buffer.alloc(4, 2)); // 2
    store.push('in', 'binary', Buffer.alloc(4, 3)); // 3: 12 > 10, evicts 1
    expect(store.firstSeq).toBe(2);
    expect(store.bytes).toBe(8);
    store.push('in', 'binary', Buffer.alloc(10, 4)); // 4: evicts 2 and 3
    expect(store.firstSeq).toBe(4);
    expect(store.dropped).toBe(3);
    expect(store.bytes).toBe(10);
    expect(store.get(4)?.base64).toBe(Buffer.alloc(10, 4).toString('base64'));
  });

  it('drops a single frame larger than the whole byte budget, and counts it', () => {
    const store = new FrameStore({ maxBytes: 8 });
    store.push('in', 'text', text('ok'));
    const bigSeq = store.push('in', 'binary', Buffer.alloc(9));
    expect(bigSeq).toBe(2);
    expect(store.count).toBe(0);
    expect(store.dropped).toBe(2);
    expect(store.firstSeq).toBe(0);
    expect(store.get(2)).toBeUndefined();
    expect(store.push('in', 'text', text('next'))).toBe(3);
    expect(store.firstSeq).toBe(3);
  });

  it('drops a frame of 4 GiB or more even when the byte budget would take it (the ring keeps sizes as 32 bits)', () => {
    const store = new FrameStore({ maxBytes: 2 ** 32 });
    store.push('in', 'text', text('ok'));
    // Only the length is read for a frame that is not stored: a proxy stands in for 4 GiB of payload.
    const huge = new Proxy(Buffer.alloc(0), { get: (target, key) => (key === 'length' ? 2 ** 32 : Reflect.get(target, key)) });
    expect(store.pushIncoming(true, huge, 1)).toBe(2);
    expect(store.count).toBe(0);
    expect(store.dropped).toBe(2);
    expect(store.push('in', 'binary', Buffer.alloc(3))).toBe(3);
    expect(store.entry(3)?.payload.length).toBe(3);
  });

  it('pages across the eviction boundary, starting at the oldest stored frame', () => {
    const store = new FrameStore({ maxFrames: 4 });
    for (let i = 1; i <= 10; i++) store.push(i % 2 ? 'in' : 'out', 'text', text(`m${i}`));
    const page = store.page(1, 3);
    expect(page.firstSeq).toBe(7);
    expect(page.lastSeq).toBe(10);
    expect(page.dropped).toBe(6);
    expect(page.frames.map((f) => f.seq)).toEqual([7, 8, 9]);
    expect(page.frames.map((f) => f.preview)).toEqual(['m7', 'm8', 'm9']);
    expect(page.frames.map((f) => f.dir)).toEqual(['in', 'out', 'in']);
    expect(store.page(9, 100).frames.map((f) => f.seq)).toEqual([9, 10]);
    expect(store.page(11, 5).frames).toEqual([]);
    expect(new FrameStore().page(1, 10)).toEqual({ frames: [], firstSeq: 0, lastSeq: 0, dropped: 0 });
  });

  it('keeps order and payloads while the ring wraps and grows many times', () => {
    const store = new FrameStore({ maxFrames: 3000, maxBytes: 3 * 1024 * 1024 });
    for (let i = 1; i <= 10_000; i++) store.push('in', 'binary', Buffer.alloc(i % 500, i % 251));
    expect(store.lastSeq).toBe(10_000);
    expect(store.count).toBeLessThanOrEqual(3000);
    expect(store.bytes).toBeLessThanOrEqual(3 * 1024 * 1024);
    expect(store.dropped + store.count).toBe(10_000);
    for (const seq of [store.firstSeq, 8000, 9999, 10_000]) {
      const body = store.get(seq);
      expect(body?.frame.seq).toBe(seq);
      expect(body?.base64).toBe(Buffer.alloc(seq % 500, seq % 251).toString('base64'));
    }
  });

  it('grows a wrapped ring in order (byte evictions before the count bound is reached)', () => {
    // 1,000 frames of 10 B fill the byte budget; then 1-byte frames each push out part of a
    // 10 B frame, so the ring wraps (the oldest slot moves on) and must grow while wrapped.
    const store = new FrameStore({ maxFrames: 100_000, maxBytes: 10_000 });
    const payloadOf = (seq: number): Buffer => Buffer.alloc(seq <= 1000 ? 10 : 1, seq % 251);
    for (let seq = 1; seq <= 12_000; seq++) store.push('in', 'binary', payloadOf(seq));
    expect(store.count).toBeGreaterThan(2048); // grew past 1,024 and 2,048 slots while wrapped
    expect(store.bytes).toBeLessThanOrEqual(10_000);
    expect(store.dropped + store.count).toBe(12_000);
    for (let seq = store.firstSeq; seq <= store.lastSeq; seq++) {
      expect(store.payload(seq)?.equals(payloadOf(seq)), `seq ${seq}`).toBe(true);
    }
    expect(store.page(store.firstSeq, 3).frames.map((frame) => frame.seq)).toEqual([store.firstSeq, store.firstSeq + 1, store.firstSeq + 2]);
  });

  it('hands a released ring to the next store without showing the old frames, and regrows its own if written again', () => {
    const first = new FrameStore();
    for (let i = 0; i < 3000; i++) first.push('in', 'text', text(`old ${i}`));
    first.release();
    const next = new FrameStore();
    for (let i = 0; i < 5; i++) next.push('out', 'text', text(`new ${i}`));
    expect(next.count).toBe(5);
    expect(next.summaries(1, 3000).map((frame) => frame.preview)).toEqual(['new 0', 'new 1', 'new 2', 'new 3', 'new 4']);
    expect(next.page(1, 100).frames).toHaveLength(5);
    const view = next.scanView();
    expect([view.firstSeq, view.lastSeq]).toEqual([1, 5]);
    // The released store keeps numbering, and its new frames go to a ring of its own.
    for (let i = 0; i < 2000; i++) first.push('in', 'text', text(`again ${i}`));
    expect(first.get(3001)?.text).toBe('again 0');
    expect(next.summaries(1, 5).map((frame) => frame.preview)).toEqual(['new 0', 'new 1', 'new 2', 'new 3', 'new 4']);
  });

  it('stores large payloads in slabs of their own and frees them on eviction', () => {
    const store = new FrameStore({ maxBytes: 2 * 1024 * 1024 });
    const big = Buffer.alloc(900 * 1024, 7);
    store.push('in', 'binary', big);
    store.push('in', 'text', text('small'));
    store.push('in', 'binary', big);
    store.push('in', 'binary', big); // evicts the first big one
    expect(store.firstSeq).toBe(2);
    expect(store.get(2)?.text).toBe('small');
    expect(store.payload(4)?.equals(big)).toBe(true);
  });

  it('caps text previews and marks them truncated', () => {
    const store = new FrameStore();
    const long = 'x'.repeat(TEXT_PREVIEW_CHARS + 1);
    const summary = pushed(store, 'in', 'text', text(long));
    expect(summary.preview).toBe('x'.repeat(TEXT_PREVIEW_CHARS));
    expect(summary.truncated).toBe(true);
    expect(store.get(1)?.text).toBe(long);
    const exact = pushed(store, 'in', 'text', text('y'.repeat(TEXT_PREVIEW_CHARS)));
    expect(exact.truncated).toBe(false);
  });

  it('decodes multi-byte text previews without splitting characters', () => {
    const emoji = '😀'.repeat(150); // 300 UTF-16 units, 600 bytes
    const { preview, truncated } = textPreview(text(emoji));
    expect(truncated).toBe(true);
    expect(preview).toBe('😀'.repeat(100));
    const four = '𐍈'.repeat(300); // 4 bytes each: more than the bytes decoded for a preview
    expect(textPreview(text(four)).preview).toBe('𐍈'.repeat(100));
    expect(textPreview(text('é'.repeat(50)))).toEqual({ preview: 'é'.repeat(50), truncated: false });
  });

  it('shows binary, ping and pong as hex of the first bytes', () => {
    const store = new FrameStore();
    const bytes = Buffer.from(Array.from({ length: 100 }, (_, i) => i));
    const summary = pushed(store, 'out', 'binary', bytes);
    expect(summary.preview.split(' ')).toHaveLength(HEX_PREVIEW_BYTES);
    expect(summary.preview.startsWith('00 01 02')).toBe(true);
    expect(summary.truncated).toBe(true);
    expect(pushed(store, 'in', 'pong', text('hi')).preview).toBe('68 69');
  });

  it('records close frames with code and reason', () => {
    const store = new FrameStore();
    const fromWire = pushed(store, 'in', 'close', encodeClosePayload(4000, 'bye now'));
    expect(fromWire).toMatchObject({ opcode: 'close', closeCode: 4000, closeReason: 'bye now', preview: 'bye now', size: 9 });
    const fromExtra = pushed(store, 'out', 'close', Buffer.alloc(0), { closeCode: 1000, closeReason: 'done' });
    expect(fromExtra).toMatchObject({ closeCode: 1000, closeReason: 'done', size: 6 });
    const noStatus = pushed(store, 'in', 'close', Buffer.alloc(0), { closeCode: 1005 });
    expect(noStatus).toMatchObject({ closeCode: 1005, closeReason: '', size: 0 });
    // Paged summaries are read from the stored payload like the single ones.
    expect(store.page(1, 3).frames).toEqual([fromWire, fromExtra, noStatus]);
  });

  it('encodes close payloads as on the wire', () => {
    expect(encodeClosePayload(1000, 'ok')).toEqual(Buffer.from([0x03, 0xe8, 0x6f, 0x6b]));
    expect(encodeClosePayload(undefined)).toEqual(Buffer.alloc(0));
    expect(encodeClosePayload(1005, 'x')).toEqual(Buffer.alloc(0));
  });

  it('ignores nonsense bounds and falls back to the defaults', () => {
    const store = new FrameStore({ maxFrames: 0, maxBytes: Number.NaN });
    expect(store.maxFrames).toBe(1_000_000);
    expect(store.maxBytes).toBe(512 * 1024 * 1024);
    expect(store.get(0)).toBeUndefined();
    expect(store.get(1.5)).toBeUndefined();
  });

  it('builds batch summaries (one decode per slab window) exactly like single summaries', () => {
    const store = new FrameStore();
    const single = [
      pushed(store, 'in', 'text', text('plain ascii')),
      pushed(store, 'out', 'text', text('Grüße ✓ 😀 aus Köln')),
      pushed(store, 'in', 'text', text('x'.repeat(1000))),
      pushed(store, 'in', 'text', text(`${'é'.repeat(150)}${'a'.repeat(100)}`)),
      pushed(store, 'in', 'binary', Buffer.from([0, 200, 255])),
      pushed(store, 'in', 'text', text('y'.repeat(70 * 1024))), // larger than a preview window
      pushed(store, 'in', 'text', Buffer.alloc(0)),
      pushed(store, 'in', 'close', encodeClosePayload(1000, 'done')),
      pushed(store, 'out', 'text', text('after')),
    ];
    expect(store.summaries(1, single.length)).toEqual(single);
    expect(store.summaries(3, 4)).toEqual(single.slice(2, 4));
  });

  it('reads one stored frame without preview work, and releases everything when the session is gone', () => {
    const store = new FrameStore();
    store.push('out', 'binary', Buffer.from([1, 2]), undefined, 1234);
    store.push('in', 'close', Buffer.alloc(0), { closeCode: 1001 }, 1240);
    expect(store.entry(1)).toEqual({ seq: 1, dir: 'out', opcode: 'binary', at: 1234, payload: Buffer.from([1, 2]) });
    expect(store.entry(2)).toMatchObject({ opcode: 'close', closeCode: 1001, at: 1240 });
    expect(store.entry(3)).toBeUndefined();
    store.release();
    expect(store.count).toBe(0);
    expect(store.bytes).toBe(0);
    expect(store.dropped).toBe(2);
    expect(store.entry(1)).toBeUndefined();
    expect(store.summaries(1, 2)).toEqual([]);
    // A new store (perhaps on a pooled slab) starts clean.
    const next = new FrameStore();
    next.push('in', 'text', text('fresh'));
    expect(next.get(1)?.text).toBe('fresh');
  });
});
