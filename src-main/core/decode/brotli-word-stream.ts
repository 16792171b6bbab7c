/**
 * Writes brotli streams made only of static-dictionary references (RFC 7932 §4, §8, §9): the
 * way to make Node's own decoder give out its dictionary words (brotli-dictionary.ts), and, in
 * tests, each word under each transform.
 *
 * Window 2^24. Each meta-block is compressed, with one block type per category, NPOSTFIX 0,
 * NDIRECT 0 and simple prefix codes (§3.4) of one or two symbols: one symbol costs no bits, two
 * cost one bit. A command inserts nothing and copies `length` bytes from distance
 * `position + 1 + wordIndex`, just past the farthest a distance reaches at that point (the
 * output so far, while it is under the window), which is dictionary word
 * `wordIndex mod 2^NDBITS(length)` under transform `wordIndex >> NDBITS(length)`. Commands are
 * grouped in order into meta-blocks needing at most two command symbols and two distance symbols;
 * an empty last meta-block ends the stream.
 *
 * Written in one pass over typed arrays with the bits kept in locals: the dictionary's 13,504
 * commands are written once, on first use, before any of this code is optimised (objects and a
 * call per field cost 15–20 ms there; this 2–3 ms).
 */

/** The references, one per index: copy length (4–24), word index (word id + transform id << NDBITS), bytes the decoder writes for it. */
export interface WordReferences {
  readonly lengths: ArrayLike<number>;
  readonly wordIndexes: ArrayLike<number>;
  readonly outputLengths: ArrayLike<number>;
}

const WINDOW_BITS = 24;
/** The farthest a backward distance reaches under that window (§9.1). */
const MAX_BACKWARD_DISTANCE = (1 << WINDOW_BITS) - 16;
const MAX_META_BLOCK_LENGTH = 1 << 24;
/** ALPHABET_BITS of the literal, insert-and-copy and distance alphabets (256, 704, 64 symbols). */
const LITERAL_BITS = 8;
const COMMAND_BITS = 10;
const DISTANCE_BITS = 6;

/** Copy length codes 0–12 (§5): first length and extra bits. Lengths 4–24 use codes 2–12. */
const COPY_CODE_BASE = Uint8Array.of(2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 14, 18, 22);
const COPY_CODE_EXTRA_BITS = Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 2, 2, 3);

/** The stream, or undefined when the references cannot be written so (a length outside 4–24, a distance past code 63, output past the window, a meta-block that would be empty). */
export function wordReferenceStream(references: WordReferences): Uint8Array | undefined {
  const { lengths, wordIndexes, outputLengths } = references;
  const count = lengths.length;
  if (wordIndexes.length !== count || outputLengths.length !== count) return undefined;
  const commandSymbols = new Uint16Array(count);
  const copyExtras = new Uint8Array(count);
  const copyExtraBits = new Uint8Array(count);
  const distanceSymbols = new Uint8Array(count);
  const distanceExtras = new Int32Array(count);
  const distanceExtraBits = new Uint8Array(count);
  let position = 0;
  for (let i = 0; i < count; i++) {
    const length = lengths[i] ?? 0;
    const wordIndex = wordIndexes[i] ?? -1;
    const outputLength = outputLengths[i] ?? -1;
    if (!(length >= 4 && length <= 24 && wordIndex >= 0 && outputLength >= 0)) return undefined;
    let copyCode = 12;
    while ((COPY_CODE_BASE[copyCode] ?? 0) > length) copyCode--;
    // Insert code 0 with an explicit distance: symbols 128–191 for copy codes 0–7, 192–255 for 8–15.
    commandSymbols[i] = copyCode < 8 ? 128 + copyCode : 192 + (copyCode - 8);
    copyExtras[i] = length - (COPY_CODE_BASE[copyCode] ?? 0);
    copyExtraBits[i] = COPY_CODE_EXTRA_BITS[copyCode] ?? 0;
    // Distance codes 16–63 with NPOSTFIX 0, NDIRECT 0 (§4): distance + 3 = ((2 | high) << n) + extra, in n extra bits.
    const shifted = position + 1 + wordIndex + 3;
    if (shifted >= 1 << 26 || position + outputLength > MAX_BACKWARD_DISTANCE) return undefined;
    const extraBits = 30 - Math.clz32(shifted);
    const high = (shifted >> extraBits) & 1;
    distanceSymbols[i] = 16 + 2 * (extraBits - 1) + high;
    distanceExtras[i] = shifted - ((2 | high) << extraBits);
    distanceExtraBits[i] = extraBits;
    position += outputLength;
  }

  // Each command takes at most 1 + 3 + 1 + 24 bits, each meta-block header under 100.
  const out = new Uint8Array(count * 17 + 16);
  let written = 0;
  let pending = 0;
  let pendingCount = 0;
  /** The low `bits` bits of `value` (bits ≤ 24), least significant first. */
  const put = (value: number, bits: number): void => {
    pending |= (value & ((1 << bits) - 1)) << pendingCount;
    pendingCount += bits;
    while (pendingCount >= 8) {
      out[written++] = pending & 0xff;
      pending >>>= 8;
      pendingCount -= 8;
    }
  };
  /** A simple prefix code of one or two symbols (HSKIP 1, NSYM - 1, the symbols, smaller first: code 0, §3.4). */
  const putSimpleCode = (first: number, second: number, alphabetBits: number): void => {
    put(1, 2);
    if (second < 0) {
      put(0, 2);
      put(first, alphabetBits);
    } else {
      put(1, 2);
      put(Math.min(first, second), alphabetBits);
      put(Math.max(first, second), alphabetBits);
    }
  };

  put(1, 1);
  put(WINDOW_BITS - 17, 3);
  for (let from = 0; from < count; ) {
    // The longest run from `from` needing at most two symbols of each kind.
    const command0 = commandSymbols[from] ?? 0;
    const distance0 = distanceSymbols[from] ?? 0;
    let command1 = -1;
    let distance1 = -1;
    let to = from;
    let length = 0;
    for (; to < count; to++) {
      const command = commandSymbols[to] ?? 0;
      const distance = distanceSymbols[to] ?? 0;
      if (command !== command0 && command !== command1) {
        if (command1 >= 0) break;
        command1 = command;
      }
      if (distance !== distance0 && distance !== distance1) {
        if (distance1 >= 0) break;
        distance1 = distance;
      }
      const outputLength = outputLengths[to] ?? 0;
      if (length + outputLength > MAX_META_BLOCK_LENGTH) break;
      length += outputLength;
    }
    // A break on a third symbol can leave one of the two unused by this run: recount.
    command1 = -1;
    distance1 = -1;
    for (let i = from; i < to; i++) {
      if (commandSymbols[i] !== command0) command1 = commandSymbols[i] ?? 0;
      if (distanceSymbols[i] !== distance0) distance1 = distanceSymbols[i] ?? 0;
    }
    if (length === 0) return undefined;
    // ISLAST 0, MNIBBLES (the fewest that hold MLEN - 1), MLEN - 1, ISUNCOMPRESSED 0.
    const nibbles = length - 1 < 1 << 16 ? 4 : length - 1 < 1 << 20 ? 5 : 6;
    put(0, 1);
    put(nibbles - 4, 2);
    put(length - 1, nibbles * 4);
    put(0, 1);
    // NBLTYPESL, NBLTYPESI, NBLTYPESD 1; NPOSTFIX 0; NDIRECT 0; literal context mode 0; NTREESL 1; NTREESD 1.
    put(0, 3);
    put(0, 2);
    put(0, 4);
    put(0, 2);
    put(0, 2);
    putSimpleCode(0, -1, LITERAL_BITS);
    putSimpleCode(command0, command1, COMMAND_BITS);
    putSimpleCode(distance0, distance1, DISTANCE_BITS);
    const commandLow = command1 < 0 ? -1 : Math.min(command0, command1);
    const distanceLow = distance1 < 0 ? -1 : Math.min(distance0, distance1);
    for (let i = from; i < to; i++) {
      // Command symbol (a bit only with two), copy extra bits (insert code 0 has none; no literals), distance symbol, distance extra bits.
      if (commandLow >= 0) {
        pending |= (commandSymbols[i] === commandLow ? 0 : 1) << pendingCount;
        pendingCount++;
      }
      pending |= (copyExtras[i] ?? 0) << pendingCount;
      pendingCount += copyExtraBits[i] ?? 0;
      if (distanceLow >= 0) {
        pending |= (distanceSymbols[i] === distanceLow ? 0 : 1) << pendingCount;
        pendingCount++;
      }
      while (pendingCount >= 8) {
        out[written++] = pending & 0xff;
        pending >>>= 8;
        pendingCount -= 8;
      }
      pending |= (distanceExtras[i] ?? 0) << pendingCount;
      pendingCount += distanceExtraBits[i] ?? 0;
      while (pendingCount >= 8) {
        out[written++] = pending & 0xff;
        pending >>>= 8;
        pendingCount -= 8;
      }
    }
    from = to;
  }
  // ISLAST 1, ISLASTEMPTY 1, zero padding to the byte.
  put(3, 2);
  if (pendingCount > 0) put(0, 8 - pendingCount);
  return out.slice(0, written);
}
