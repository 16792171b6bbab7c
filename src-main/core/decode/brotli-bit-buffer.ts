/**
 * The bit reader of the compressed brotli decoder (brotli-decoder.ts): bits least significant
 * first (RFC 7932 §2) from a 32-bit buffer refilled a byte at a time. One instance is reused for
 * every message (no allocation per message). Past the message's end it loads zero bytes, so a
 * read never fails in the middle of a field; `overran()` tells whether anything was taken from
 * beyond the end, which makes the whole message undefined (the reference decoder, given all of
 * it with the finish flag, refuses a stream cut short).
 */
export class BrotliBitBuffer {
  bytes: Uint8Array = new Uint8Array(0);
  /** The next byte to load (may pass `end`: zeros are loaded there). */
  pos = 0;
  end = 0;
  /** Loaded bits not yet taken, the next one lowest; `count` of them (at most 32). */
  val = 0;
  count = 0;

  reset(bytes: Uint8Array, start: number, end: number): void {
    this.bytes = bytes;
    this.pos = start;
    this.end = end;
    this.val = 0;
    this.count = 0;
  }

  /** At least 25 bits loaded. */
  fill(): void {
    const bytes = this.bytes;
    while (this.count <= 24) {
      const at = this.pos++;
      this.val |= (at < this.end ? (bytes[at] ?? 0) : 0) << this.count;
      this.count += 8;
    }
  }

  /** The next `n` (0–24) bits as a number. */
  take(n: number): number {
    if (this.count < n) this.fill();
    const value = this.val & ((1 << n) - 1);
    this.val >>>= n;
    this.count -= n;
    return value;
  }

  /** The bits up to the next byte boundary (0 when the padding is zero, as the format wants). */
  takeToByteBoundary(): number {
    return this.take(this.count & 7);
  }

  /** Where the next whole byte starts, at a byte boundary (after takeToByteBoundary). */
  bytePosition(): number {
    return this.pos - (this.count >> 3);
  }

  /** Continues reading at byte `at` (after passing over whole bytes). */
  seekByte(at: number): void {
    this.pos = at;
    this.val = 0;
    this.count = 0;
  }

  /** Whether a bit past the message's end was taken. */
  overran(): boolean {
    return (this.pos - this.end) * 8 > this.count;
  }
}
