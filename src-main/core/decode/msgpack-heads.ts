/**
 * Where a MessagePack message that msgpackr refused as cut short breaks: its errors name no
 * place ("Unexpected end of MessagePack data", V8's "Offset is outside the bounds of the
 * DataView"). The heads are read one by one with the format's lengths (the contents of strings,
 * bytes and extensions stepped over, so their bytes are never taken for heads) up to the first
 * that needs more bytes than the message has, or the list or map the message ends inside. Only
 * run after msgpackr refused a message, so the common path costs nothing.
 */

/** An open array or map: its items (a map's keys and values) and how many were read. */
interface OpenList {
  kind: 'array' | 'map';
  name: string;
  at: number;
  items: number;
  read: number;
}

/** A head's name and the bytes after it (a length, a number, an extension's type byte and data). */
interface HeadSize {
  name: string;
  size: number;
}

/** Heads with a length after them, and what follows the length. */
interface SizedHead extends HeadSize {
  kind: 'content' | 'ext' | 'array' | 'map';
}

/**
 * A family of heads one after another from `first`, each with `sizes[k]` bytes after it and
 * named by their bits, as the format names them (bin 8, bin 16, bin 32 at 0xC4–0xC6).
 */
function family<Rest extends object>(first: number, name: string, sizes: readonly number[], rest: Rest): [number, HeadSize & Rest][] {
  return sizes.map((size, k) => [first + k, { name: `${name} ${8 * size}`, size, ...rest }]);
}

/** Heads with a length of 1, 2 or 4 bytes after them: strings, bytes, extensions, arrays, maps. */
const SIZED: ReadonlyMap<number, SizedHead> = new Map<number, SizedHead>([
  ...family(0xc4, 'bin', [1, 2, 4], { kind: 'content' as const }),
  ...family(0xc7, 'ext', [1, 2, 4], { kind: 'ext' as const }),
  ...family(0xd9, 'str', [1, 2, 4], { kind: 'content' as const }),
  ...family(0xdc, 'array', [2, 4], { kind: 'array' as const }),
  ...family(0xde, 'map', [2, 4], { kind: 'map' as const }),
]);

/** Numbers, and fixext (a type byte and its data), by head: their name and the bytes after the head. */
const FIXED: ReadonlyMap<number, HeadSize> = new Map<number, HeadSize>([
  ...family(0xca, 'float', [4, 8], {}),
  ...family(0xcc, 'uint', [1, 2, 4, 8], {}),
  ...family(0xd0, 'int', [1, 2, 4, 8], {}),
  // fixext N is named by its data, N bytes after the type byte.
  ...[1, 2, 4, 8, 16].map((data, k): [number, HeadSize] => [0xd4 + k, { name: `fixext ${data}`, size: 1 + data }]),
]);

function bytesLeft(count: number): string {
  return `${count} B ${count === 1 ? 'is' : 'are'} left`;
}

function readLength(bytes: Uint8Array, at: number, size: number): number {
  let length = 0;
  for (let k = 0; k < size; k++) length = length * 256 + (bytes[at + k] ?? 0);
  return length;
}

/** Where the message breaks ("the str 8 at byte 3 says 9 B, 2 B are left"), or undefined when its heads do not run past its end. */
export function msgpackBreak(bytes: Uint8Array): string | undefined {
  const end = bytes.byteLength;
  const open: OpenList[] = [];
  let at = 0;
  let values = 0;
  for (;;) {
    const top = open[open.length - 1];
    if (top && top.read === top.items) {
      open.pop();
      continue;
    }
    if (!top && values === 1) return undefined;
    if (at >= end) {
      if (!top) return undefined;
      const whole = top.kind === 'map' ? `${top.items / 2} ${top.items === 2 ? 'entry' : 'entries'}` : `${top.items} ${top.items === 1 ? 'item' : 'items'}`;
      const read = top.kind === 'map' ? `${Math.floor(top.read / 2)} read${top.read % 2 === 1 ? ' and a key' : ''}` : `${top.read} read`;
      return `it ends inside the ${top.name} at byte ${top.at} (${whole}, ${read})`;
    }
    if (top) top.read++;
    else values++;
    const head = bytes[at] ?? 0;
    const start = at;
    if (head < 0x80 || head >= 0xe0 || head === 0xc0 || head === 0xc2 || head === 0xc3) {
      at++;
      continue;
    }
    if (head === 0xc1) return undefined;
    if (head < 0xa0) {
      const items = head < 0x90 ? 2 * (head & 0x0f) : head & 0x0f;
      open.push({ kind: head < 0x90 ? 'map' : 'array', name: head < 0x90 ? 'fixmap' : 'fixarray', at: start, items, read: 0 });
      at++;
      continue;
    }
    if (head < 0xc0) {
      const length = head & 0x1f;
      if (at + 1 + length > end) return `the fixstr at byte ${start} says ${length} B, ${bytesLeft(end - at - 1)}`;
      at += 1 + length;
      continue;
    }
    const fixed = FIXED.get(head);
    if (fixed) {
      if (at + 1 + fixed.size > end) return `the ${fixed.name} at byte ${start} needs ${fixed.size} B after its head, ${bytesLeft(end - at - 1)}`;
      at += 1 + fixed.size;
      continue;
    }
    const sized = SIZED.get(head);
    if (!sized) return undefined;
    if (at + 1 + sized.size > end) return `the ${sized.name} at byte ${start} is cut in its ${sized.size}-byte length`;
    const length = readLength(bytes, at + 1, sized.size);
    at += 1 + sized.size;
    if (sized.kind === 'array' || sized.kind === 'map') {
      open.push({ kind: sized.kind, name: sized.name, at: start, items: sized.kind === 'map' ? 2 * length : length, read: 0 });
      continue;
    }
    // An extension's type byte comes before its data.
    if (sized.kind === 'ext' && at >= end) return `the ${sized.name} at byte ${start} ends before its type byte`;
    const content = sized.kind === 'ext' ? length + 1 : length;
    if (at + content > end) return sized.kind === 'ext' ? `the ${sized.name} at byte ${start} says ${length} B of data after its type byte, ${bytesLeft(end - at - 1)}` : `the ${sized.name} at byte ${start} says ${length} B, ${bytesLeft(end - at)}`;
    at += content;
  }
}
