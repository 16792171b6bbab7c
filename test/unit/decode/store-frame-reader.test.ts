import { describe, expect, it } from 'vitest';
import { FrameDecodeCache } from '../../../src-main/core/decode/frame-decode-cache';
import { createDecoder } from '../../../src-main/core/decode/decoder-registry';
import { storeFrameReader } from '../../../src-main/core/decode/store-frame-reader';
import { FrameStore } from '../../../src-main/core/session/frame-store';

describe('decoding from the frame store, on demand', () => {
  it('reads frames through entry() and decodes only when asked; evicted frames are not there', () => {
    const store = new FrameStore({ maxFrames: 3 });
    const reader = storeFrameReader(store);
    const seqs = [
      store.push('out', 'text', Buffer.from('SUBSCRIBE\nid:sub-0\ndestination:/topic/prices\n\n\u0000')),
      store.push('in', 'text', Buffer.from('MESSAGE\ndestination:/topic/prices\n\n')),
      store.push('in', 'text', Buffer.from('42\u0000')),
    ];
    const cache = new FrameDecodeCache(() => createDecoder('stomp'), reader);
    expect(cache.size).toBe(0);
    expect(cache.decodeAt(seqs[2] ?? 0)).toMatchObject({ kind: 'decoded', summary: 'MESSAGE /topic/prices 2 B' });
    expect(cache.decodeAt(seqs[0] ?? 0)).toMatchObject({ summary: 'SUBSCRIBE /topic/prices id=sub-0' });
    // The reader copies: a decoder may keep bytes after the store has moved on.
    const frame = reader(seqs[0] ?? 0);
    expect(frame).toMatchObject({ dir: 'out', opcode: 'text' });
    store.push('in', 'text', Buffer.from('x'));
    expect(reader(seqs[0] ?? 0)).toBeUndefined();
    expect(Buffer.from(frame?.bytes ?? []).toString()).toContain('SUBSCRIBE');
  });
});
