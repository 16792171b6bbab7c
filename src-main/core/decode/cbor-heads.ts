/**
 * The heads of a CBOR message read one by one (RFC 8949 §3), only to say where cbor-x's refusals
 * are: its errors name no place ("Unknown token 30", "No packed values available"), and one
 * ("Data read, but end of buffer not reached") not where the data item ends. Only run after
 * cbor-x refused a message, so the common path costs nothing. String contents are stepped over,
 * so their bytes are never taken for heads.
 */

const MAJOR_TYPES = ['unsigned integer', 'negative integer', 'byte string', 'text string', 'array', 'map', 'tag', 'simple value or float'] as const;

/** An open array or map: the items still to read, or INDEFINITE (until a break). */
const INDEFINITE = -1;
const BREAK = 0xff;

export type CborHeads =
  /** The first data item read whole: it ends at `end` (the message may go on after it). */
  | { end: number }
  /** A head cbor-x does not read, with its place. */
  | { problem: string }
  /** The message ends first (cbor-x words that itself). */
  | { truncated: true };

function hexByte(byte: number): string {
  return `0x${byte.toString(16).padStart(2, '0')}`;
}

/** The first data item's heads, up to its end or the first head cbor-x refuses. */
export function readCborHeads(bytes: Uint8Array): CborHeads {
  let at = 0;
  const open: number[] = [1];
  for (;;) {
    const top = open.length - 1;
    const left = open[top];
    if (left === undefined) return { end: at };
    if (left === 0) {
      open.pop();
      continue;
    }
    const head = bytes[at];
    if (head === undefined) return { truncated: true };
    const start = at++;
    const where = `the head ${hexByte(head)} at byte ${start}`;
    const major = head >> 5;
    const info = head & 0x1f;
    const type = MAJOR_TYPES[major] ?? 'item';
    if (head === BREAK) {
      if (left !== INDEFINITE) return { problem: `a break (0xff) at byte ${start} outside an indefinite-length array or map` };
      open.pop();
      continue;
    }
    if (info >= 28 && info <= 30) return { problem: `${where} uses the reserved additional information ${info} (major type ${major}, ${type})` };
    if (left !== INDEFINITE) open[top] = left - 1;
    if (info === 31) {
      if (major === 4 || major === 5) {
        open.push(INDEFINITE);
        continue;
      }
      if (major === 2 || major === 3) return { problem: `${where} starts an indefinite-length ${type} (chunks up to a break), which is not read` };
      return { problem: `${where} gives an indefinite length to ${/^[aeiou]/.test(type) ? 'an' : 'a'} ${type} (major type ${major}), which cannot have one` };
    }
    let argument = info;
    if (info >= 24) {
      const size = 1 << (info - 24);
      if (at + size > bytes.length) return { truncated: true };
      argument = 0;
      for (let k = 0; k < size; k++) argument = argument * 256 + (bytes[at + k] ?? 0);
      at += size;
    }
    if (major === 2 || major === 3) {
      if (argument > bytes.length - at) return { truncated: true };
      at += argument;
    } else if (major === 4 || major === 5) {
      // More items than bytes left cannot all be there (each takes a byte at least).
      const items = major === 5 ? 2 * argument : argument;
      if (items > bytes.length - at) return { truncated: true };
      open.push(items);
    } else if (major === 6) {
      open.push(1);
    } else if (major === 7 && info <= 24 && !(info >= 20 && info <= 23)) {
      // false, true, null and undefined are 20–23 in the head itself; 0–19 and the one-byte form are not read.
      return { problem: `${where} is the simple value ${argument}, which is not read (only false, true, null, undefined and floats are)` };
    }
  }
}
