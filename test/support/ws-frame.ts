/**
 * A WebSocket frame as bytes, the way a peer writes it (RFC 6455 §5.2), for tests that feed
 * readers of raw socket bytes (the session's socket capture, the intercept's raw-frame tap).
 */
export interface WsFrameOptions {
  /** Default true. */
  fin?: boolean;
  rsv1?: boolean;
  /** Masks the payload with these four bytes (a client's frame); unmasked without. */
  mask?: Buffer;
  /** Writes the length in the 64-bit form whatever it is (ws accepts it). */
  long?: boolean;
}

export function wsFrame(opcode: number, payload: Buffer | string, options: WsFrameOptions = {}): Buffer {
  const body = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload;
  const first = ((options.fin ?? true) ? 0x80 : 0) | (options.rsv1 ? 0x40 : 0) | opcode;
  const mask = options.mask;
  const maskBit = mask ? 0x80 : 0;
  let header: Buffer;
  if (body.length < 126 && !options.long) header = Buffer.from([first, maskBit | body.length]);
  else if (body.length < 65536 && !options.long) {
    header = Buffer.from([first, maskBit | 126, 0, 0]);
    header.writeUInt16BE(body.length, 2);
  } else {
    header = Buffer.alloc(10);
    header[0] = first;
    header[1] = maskBit | 127;
    header.writeBigUInt64BE(BigInt(body.length), 2);
  }
  if (!mask) return Buffer.concat([header, body]);
  const masked = Buffer.from(body);
  for (let i = 0; i < masked.length; i++) masked[i] = (masked[i] ?? 0) ^ (mask[i & 3] ?? 0);
  return Buffer.concat([header, mask, masked]);
}
