/**
 * The heads of a CBOR message read one by one (RFC 8949 §3), only to say where cbor-x's refusals
 * are: its errors name no place ("Unknown token 30", "No packed values available", "Offset is
 * outside the bounds of the DataView"), and one ("Data read, but end of buffer not reached") not
 * where the data item ends. Only run after cbor-x refused a message, so the common path costs
 * nothing. String contents are stepped over, so their bytes are never taken for heads.
 */

const MAJOR_TYPES = ['unsigned integer', 'negative integer', 'byte string', 'text string', 'array', 'map', 'tag', 'simple value or float'] as const;

const BREAK = 0xff;

/** An open array, map or tag: the items still to read (undefined: indefinite, until a break). */
interface OpenItem {
  left: number | undefined;
  /** Items read so far (an indefinite map needs an even count at its break). */
  read: number;
  map: boolean;
  at: number;
}

export type CborHeads =
  /** The first data item read whole: it ends at `end` (the message may go on after it); the tags in it, with their places. */
  | { end: number; tags: readonly { tag: number; at: number }[] }
  /** A head cbor-x does not read, with its place. */
  | { problem: string }
  /** The message ends before the first data item does. */
  | { truncated: true };

function hexByte(byte: number): string {
  return `0x${byte.toString(16).padStart(2, '0')}`;
}

function article(noun: string): string {
  return `${/^[aeiou]/.test(noun) ? 'an' : 'a'} ${noun}`;
}

/** The first data item's heads, up to its end or the first head cbor-x refuses. */
export function readCborHeads(bytes: Uint8Array): CborHeads {
  let at = 0;
  const tags: { tag: number; at: number }[] = [];
  const open: OpenItem[] = [{ left: 1, read: 0, map: false, at: 0 }];
  for (;;) {
    const top = open[open.length - 1];
    if (top === undefined) return { end: at, tags };
    if (top.left === 0) {
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
      if (top.left !== undefined) return { problem: `a break (0xff) at byte ${start} outside an indefinite-length array or map` };
      if (top.map && top.read % 2 === 1) return { problem: `a break (0xff) at byte ${start} after a key without its value, in the indefinite-length map at byte ${top.at}` };
      open.pop();
      continue;
    }
    if (info >= 28 && info <= 30) return { problem: `${where} uses the reserved additional information ${info} (major type ${major}, ${type})` };
    if (top.left !== undefined) top.left--;
    top.read++;
    if (info === 31) {
      if (major === 4 || major === 5) {
        open.push({ left: undefined, read: 0, map: major === 5, at: start });
        continue;
      }
      if (major === 2 || major === 3) return { problem: `${where} starts an indefinite-length ${type} (chunks up to a break), which is not read` };
      return { problem: `${where} gives an indefinite length to ${article(type)} (major type ${major}), which cannot have one` };
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
      open.push({ left: items, read: 0, map: major === 5, at: start });
    } else if (major === 6) {
      tags.push({ tag: argument, at: start });
      open.push({ left: 1, read: 0, map: false, at: start });
    } else if (major === 7 && (info < 20 || (info === 24 && (argument < 20 || argument > 23)))) {
      // false, true, null and undefined (20–23, in the head or the byte after it) are read; other simple values are not.
      return { problem: `${where} is the simple value ${argument}, which is not read (only false, true, null, undefined and floats are)` };
    }
  }
}
