/** Writes bits least significant first, as brotli reads them (RFC 7932 §2), and whole bytes at a byte boundary. */
export class BrotliBitWriter {
  private readonly chunks: Buffer[] = [];
  /** The bytes being filled bit by bit, since the last whole bytes put. */
  private bits: number[] = [];

  /** `count` bits of `value`. */
  put(value: number, count: number): this {
    for (let i = 0; i < count; i++) this.bits.push(Math.floor(value / 2 ** i) % 2);
    return this;
  }

  /** Pads to the byte boundary with the bits of `padding` (0 is what a decoder wants). */
  align(padding = 0): this {
    return this.put(padding, (8 - (this.bits.length % 8)) % 8);
  }

  /** Whole bytes, after aligning with zero bits. */
  putBytes(bytes: Uint8Array): this {
    this.align();
    this.flushBits();
    this.chunks.push(Buffer.from(bytes));
    return this;
  }

  toBuffer(): Buffer {
    this.flushBits();
    return Buffer.concat(this.chunks);
  }

  private flushBits(): void {
    const out = Buffer.alloc(Math.ceil(this.bits.length / 8));
    this.bits.forEach((bit, at) => {
      out[at >> 3] = (out[at >> 3] ?? 0) | (bit << (at & 7));
    });
    this.chunks.push(out);
    this.bits = [];
  }
}

/** Bytes from [value, bit count] fields, packed as brotli reads them. */
export function packBits(fields: readonly (readonly [number, number])[]): Buffer {
  const writer = new BrotliBitWriter();
  for (const [value, count] of fields) writer.put(value, count);
  return writer.toBuffer();
}
