/**
 * Which of the rows' checkpoints an export's decoding may rejoin after evicted frames
 * (export-decoding.ts). The export decodes the frames as it writes them, credentials masked; the
 * rows' checkpoints were made from the stored bytes, unmasked. A checkpoint taken between the
 * halves of a CONNECT split across two messages holds the first half (an unfinished STOMP frame or
 * MQTT packet; a SignalR record, when another protocol's traffic is read as SignalR), and a
 * summary or problem decoded from it quoted that half, passcode and all, where the export itself
 * wrote '*'.
 *
 * So one is taken only when what it holds of each direction's latest bytes
 * (snapshot-held-bytes.ts) lies within the bytes this export has read since it started afresh and
 * holds none it masked: then its state is the state a decoder reading the masked frames would
 * have (masking keeps lengths), and the export's values are still those of decoding the masked
 * frames in order. Else it is passed over (its frames keep saying they lack the evicted frames)
 * until the next checkpoint that passes. Held bytes from before the export's start (an evicted
 * frame) were never masked, so a checkpoint holding any is passed over too.
 */
import type { WireFrame } from '../decode/decoded-frame';
import type { Checkpoint } from '../decode/decoder-checkpoints';
import { heldTailBytes } from '../decode/snapshot-held-bytes';

type Dir = WireFrame['dir'];

interface DirectionTail {
  /** Message bytes (text and binary) read in this direction since the reader started afresh. */
  read: number;
  /** Where in those bytes the last masked byte ends (0: none masked). */
  maskedEnd: number;
}

export class MaskedCheckpoints {
  private tails: Record<Dir, DirectionTail> = { in: { read: 0, maskedEnd: 0 }, out: { read: 0, maskedEnd: 0 } };
  private last: number | undefined;

  /**
   * Frame `seq` is about to be decoded (seqs increasing): a seq skipped is a gap, after which the
   * decoder is afresh, and bytes before the gap are no longer a tail it could hold.
   */
  before(seq: number): void {
    if (this.last === undefined || seq !== this.last + 1) this.tails = { in: { read: 0, maskedEnd: 0 }, out: { read: 0, maskedEnd: 0 } };
    this.last = seq;
  }

  /** The frame just decoded: `stored` as in the store, `exported` as written (`masked`: a masked copy of it). */
  read(dir: Dir, opcode: string, stored: Uint8Array, exported: Uint8Array, masked: boolean): void {
    if (opcode !== 'text' && opcode !== 'binary') return;
    const tail = this.tails[dir];
    if (masked) {
      // Where the last masked byte is: found from the end (most masked messages are short).
      let end = exported.byteLength;
      while (end > 0 && exported[end - 1] === stored[end - 1]) end--;
      if (end > 0) tail.maskedEnd = tail.read + end;
    }
    tail.read += exported.byteLength;
  }

  /** Whether the checkpoint at the frame about to be decoded holds only bytes read here, none of them masked. */
  accepts(checkpoint: Checkpoint): boolean {
    for (const dir of ['in', 'out'] as const) {
      const held = heldTailBytes(checkpoint.snapshot, dir);
      if (held === 0) continue;
      const tail = this.tails[dir];
      // Held from before this export's start (read - held < 0), or over a byte it masked.
      if (tail.maskedEnd > tail.read - held) return false;
    }
    return true;
  }
}
