/** Reads a brotli stream's bits least significant first, as brotli packs them (RFC 7932 §2). */
export class BrotliBitReader {
  private bit = 0;
  constructor(
    private readonly bytes: Uint8Array,
    private readonly start: number,
    private readonly end: number,
  ) {}

  /** The next `count` bits (≤ 24) as a number, or undefined when the message ends first. */
  take(count: number): number | undefined {
    let value = 0;
    // A byte's worth at a time (a header's 16-bit length is three reads, not sixteen).
    for (let got = 0; got < count; ) {
      const at = this.start + (this.bit >> 3);
      if (at >= this.end) return undefined;
      const offset = this.bit & 7;
      const width = Math.min(8 - offset, count - got);
      value |= (((this.bytes[at] ?? 0) >> offset) & ((1 << width) - 1)) << got;
      got += width;
      this.bit += width;
    }
    return value;
  }

  /** The bits left in the current byte (what the decoder skips to reach a byte boundary). */
  takeToByteBoundary(): number | undefined {
    const left = (8 - (this.bit & 7)) & 7;
    return this.take(left);
  }

  /** Where the next whole byte starts in `bytes` (after takeToByteBoundary). */
  bytePosition(): number {
    return this.start + Math.ceil(this.bit / 8);
  }

  /** Passes over `count` whole bytes (at a byte boundary). */
  skipBytes(count: number): void {
    this.bit = (Math.ceil(this.bit / 8) + count) * 8;
  }
}

/**
 * Reads the stream header (§9.1, decode.c DecodeWindowBits): 'read' for a window size Node's
 * decoder accepts, 'refused' for the large window (code 1, 000, 001), which it accepts only when
 * asked (it is not), undefined when the message ends first. 0 → 16; else 3 bits n ≠ 0 → 17 + n;
 * else 3 bits m: 0 → 17, 1 the large window, else 8 + m.
 */
export function readWindowBits(bits: BrotliBitReader): 'read' | 'refused' | undefined {
  const first = bits.take(1);
  if (first === undefined) return undefined;
  if (first === 0) return 'read';
  const n = bits.take(3);
  if (n === undefined) return undefined;
  if (n !== 0) return 'read';
  const m = bits.take(3);
  if (m === undefined) return undefined;
  return m === 1 ? 'refused' : 'read';
}
