/**
 * The decoders' view of a session's frames, through the frame store's public `entry` (the
 * capture path is not touched). The payload is copied: a decoder may keep bytes across messages
 * (a split frame) and the store's view belongs to a slab that is reused once evicted.
 */
import type { StoredFrame } from '../session/frame-store';
import type { FrameReader } from './frame-decode-cache';

export function storeFrameReader(store: { entry(seq: number): StoredFrame | undefined }): FrameReader {
  return (seq) => {
    const stored = store.entry(seq);
    if (!stored) return undefined;
    return { seq, dir: stored.dir, opcode: stored.opcode, bytes: new Uint8Array(stored.payload) };
  };
}
