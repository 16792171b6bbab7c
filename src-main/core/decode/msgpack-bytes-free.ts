/**
 * Whether a MessagePack message is one value without bin or ext heads, read head by head as
 * msgpackr reads it (the contents of strings stepped over, so their bytes are never taken for
 * heads). Such a message decodes to no json-value.ts `$bytes` and no msgpack-extensions.ts
 * `$ext`, whose Base64 a query's `[*]` may select (query-prefilter.ts, for a literal that may be
 * Base64: its UTF-8 is then needed). A message this does not read to its end (cut short, bytes
 * left over, the reserved head 0xC1) answers false: it is decoded.
 */

/** Bytes after the head for numbers (float 32/64, uint 8–64, int 8–64), by head. */
const NUMBER_SIZES: ReadonlyMap<number, number> = new Map([
  [0xca, 4],
  [0xcb, 8],
  [0xcc, 1],
  [0xcd, 2],
  [0xce, 4],
  [0xcf, 8],
  [0xd0, 1],
  [0xd1, 2],
  [0xd2, 4],
  [0xd3, 8],
]);

function readLength(slab: Buffer, at: number, size: number): number {
  let length = 0;
  for (let k = 0; k < size; k++) length = length * 256 + (slab[at + k] ?? 0);
  return length;
}

export function msgpackBytesFree(slab: Buffer, start: number, end: number): boolean {
  let at = start;
  // Values still to read: one, plus each array's items and each map's keys and values.
  let pending = 1;
  while (pending > 0) {
    if (at >= end || pending > end - at) return false;
    const head = slab[at++] ?? 0;
    pending--;
    if (head <= 0x7f || head >= 0xe0 || head === 0xc0 || head === 0xc2 || head === 0xc3) continue;
    if (head <= 0x8f) pending += 2 * (head & 0x0f);
    else if (head <= 0x9f) pending += head & 0x0f;
    else if (head <= 0xbf) at += head & 0x1f;
    else if (head >= 0xd9 && head <= 0xdb) {
      const size = 1 << (head - 0xd9);
      if (at + size > end) return false;
      at += size + readLength(slab, at, size);
    } else if (head >= 0xdc && head <= 0xdf) {
      const size = head & 1 ? 4 : 2;
      if (at + size > end) return false;
      const count = readLength(slab, at, size);
      at += size;
      pending += head >= 0xde ? 2 * count : count;
    } else {
      // Numbers; bin, ext, fixext and 0xC1 are what this refuses.
      const size = NUMBER_SIZES.get(head);
      if (size === undefined) return false;
      at += size;
    }
    if (at > end) return false;
  }
  return at === end;
}
