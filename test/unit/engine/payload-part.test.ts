/**
 * payloadPart (frames:get with maxBytes): the bytes asked for, a text frame's part ending on a
 * character, the next part starting where the last ended, and an edited frame's original cut too.
 */
import { describe, expect, it } from 'vitest';
import { FrameStore } from '../../../src-main/core/session/frame-store';
import { payloadPart } from '../../../src-main/core/payload-part';

function store(opcode: 'text' | 'binary', payload: Buffer): FrameStore {
  const frames = new FrameStore();
  frames.push('in', opcode, payload, undefined, 1_700_000_000_000);
  return frames;
}

describe('payloadPart', () => {
  it('gives a binary frame the bytes asked for and the whole size', () => {
    const payload = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 256));
    const part = payloadPart(store('binary', payload), 1, 100, 300);
    expect(part?.part).toEqual({ offset: 100, bytes: 300, totalBytes: 1000 });
    expect(Buffer.from(part?.base64 ?? '', 'base64')).toEqual(payload.subarray(100, 400));
    expect(part?.text).toBeUndefined();
    expect(part?.frame.size).toBe(1000);
  });

  it('ends a text part before a character cut in two, so parts join into the text', () => {
    const text = 'é'.repeat(10) + '😀'.repeat(10); // 2-byte then 4-byte characters
    const payload = Buffer.from(text, 'utf8');
    const frames = store('text', payload);
    const joined: string[] = [];
    const bytes: Buffer[] = [];
    for (let offset = 0; offset < payload.length; ) {
      const part = payloadPart(frames, 1, offset, 7);
      if (!part?.part) throw new Error('no part');
      expect(part.part.bytes).toBeGreaterThan(0);
      expect(part.part.offset).toBe(offset);
      joined.push(part.text ?? '');
      bytes.push(Buffer.from(part.base64, 'base64'));
      expect(Buffer.from(part.base64, 'base64').toString('utf8')).toBe(part.text);
      offset += part.part.bytes;
    }
    expect(joined.join('')).toBe(text);
    expect(Buffer.concat(bytes)).toEqual(payload);
  });

  it('starts a part asked for inside a character at that character', () => {
    const payload = Buffer.from('a😀b', 'utf8'); // 😀 at bytes 1–4
    expect(payloadPart(store('text', payload), 1, 2, 10)?.part).toEqual({ offset: 1, bytes: 5, totalBytes: 6 });
  });

  it('answers nothing for a frame not stored', () => {
    expect(payloadPart(store('binary', Buffer.from('x')), 2, 0, 10)).toBeUndefined();
  });
});
