/**
 * Writes brotli streams made only of static-dictionary references (RFC 7932 §4, §8, §9): the
 * way to make Node's own decoder give out its dictionary (brotli-dictionary.ts), and, in tests,
 * each word under each transform.
 *
 * Window 2^24 unless asked (10–24 for any references). Each meta-block is compressed, with one block type per category, NPOSTFIX 0,
 * NDIRECT 0 and simple prefix codes (§3.4) of one or two symbols: one symbol costs no bits, two
 * cost one bit. A command inserts nothing and copies `length` bytes from distance
 * `min(position, 2^WBITS − 16) + 1 + wordIndex`, just past the farthest a distance reaches at that
 * point (the output so far, at most the window less 16): dictionary word `wordIndex mod 2^NDBITS(length)` under
 * transform `wordIndex >> NDBITS(length)`. An empty last meta-block ends the stream.
 */

/** The references, one per index: copy length (4–24), word index (word id + transform id << NDBITS), bytes the decoder writes for it. */
export interface WordReferences {
  readonly lengths: ArrayLike<number>;
  readonly wordIndexes: ArrayLike<number>;
  readonly outputLengths: ArrayLike<number>;
}

const WINDOW_BITS = 24;
const MAX_META_BLOCK_LENGTH = 1 << 24;
/** ALPHABET_BITS of the literal, insert-and-copy and distance alphabets (256, 704, 64 symbols). */
const LITERAL_BITS = 8;
const COMMAND_BITS = 10;
const DISTANCE_BITS = 6;

/** Copy length codes 0–12 (§5): first length and extra bits. Lengths 4–24 use codes 2–12. */
const COPY_CODE_BASE = Uint8Array.of(2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 14, 18, 22);
const COPY_CODE_EXTRA_BITS = Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 2, 2, 3);

/** Bits least significant first, as brotli packs them (§2), into a byte array made big enough up front. */
class BitSink {
  written = 0;
  /** Bits not yet in `out`, the oldest lowest; fewer than 8 between calls. */
  pending = 0;
  pendingCount = 0;
  constructor(readonly out: Uint8Array) {}

  /** The low `bits` bits of `value` (bits ≤ 24). */
  put(value: number, bits: number): void {
    this.pending |= (value & ((1 << bits) - 1)) << this.pendingCount;
    this.pendingCount += bits;
    while (this.pendingCount >= 8) {
      this.out[this.written++] = this.pending & 0xff;
      this.pending >>>= 8;
      this.pendingCount -= 8;
    }
  }

  /** The last meta-block (ISLAST 1, ISLASTEMPTY 1), zero padding, the bytes. */
  finish(): Uint8Array {
    this.put(3, 2);
    if (this.pendingCount > 0) this.put(0, 8 - this.pendingCount);
    return this.out.slice(0, this.written);
  }
}

/** A stream's first bits, the window size (§9.1): 16 is 0; 18–24 are 1, then WBITS − 17 in 3 bits; 17 and 10–15 are 1, 000, then 0 or WBITS − 8 in 3 bits. */
function startStream(out: Uint8Array, windowBits: number): BitSink {
  const sink = new BitSink(out);
  if (windowBits === 16) {
    sink.put(0, 1);
  } else if (windowBits >= 18) {
    sink.put(1, 1);
    sink.put(windowBits - 17, 3);
  } else {
    sink.put(1, 1);
    sink.put(0, 3);
    sink.put(windowBits === 17 ? 0 : windowBits - 8, 3);
  }
  return sink;
}

/** A compressed meta-block's header, up to its prefix codes: one command symbol and one distance symbol, or two (the second ≥ 0). */
function putMetaBlockHeader(
  sink: BitSink,
  length: number,
  command0: number,
  command1: number,
  distance0: number,
  distance1: number,
): void {
  // ISLAST 0, MNIBBLES (the fewest that hold MLEN - 1: the decoder refuses more), MLEN - 1, ISUNCOMPRESSED 0.
  const nibbles = length - 1 < 1 << 16 ? 4 : length - 1 < 1 << 20 ? 5 : 6;
  sink.put(0, 1);
  sink.put(nibbles - 4, 2);
  sink.put(length - 1, nibbles * 4);
  sink.put(0, 1);
  // NBLTYPESL, NBLTYPESI, NBLTYPESD 1; NPOSTFIX 0; NDIRECT 0; literal context mode 0; NTREESL 1; NTREESD 1.
  sink.put(0, 3);
  sink.put(0, 2);
  sink.put(0, 4);
  sink.put(0, 2);
  sink.put(0, 2);
  putSimpleCode(sink, 0, -1, LITERAL_BITS);
  putSimpleCode(sink, command0, command1, COMMAND_BITS);
  putSimpleCode(sink, distance0, distance1, DISTANCE_BITS);
}

/** A simple prefix code (HSKIP 1, NSYM - 1, the symbols): one symbol, or two of one bit each, 0 for the smaller. */
function putSimpleCode(sink: BitSink, first: number, second: number, alphabetBits: number): void {
  sink.put(1, 2);
  if (second < 0) {
    sink.put(0, 2);
    sink.put(first, alphabetBits);
  } else {
    sink.put(1, 2);
    sink.put(Math.min(first, second), alphabetBits);
    sink.put(Math.max(first, second), alphabetBits);
  }
}

/** Copy code for a length of 4–24 (§5). */
function copyCodeOf(length: number): number {
  let code = COPY_CODE_BASE.length - 1;
  while ((COPY_CODE_BASE[code] ?? 0) > length) code--;
  return code;
}

/** Insert code 0 with an explicit distance: symbols 128–191 for copy codes 0–7, 192–255 for 8–15 (§5). */
function commandSymbolOf(copyCode: number): number {
  return copyCode < 8 ? 128 + copyCode : 192 + (copyCode - 8);
}

/** Distance code for distances from 1 with NPOSTFIX 0, NDIRECT 0 (§4): distance + 3 = ((2 | high) << n) + extra, in n extra bits. */
function distanceCodeOf(distance: number): { symbol: number; extra: number; extraBits: number } {
  const shifted = distance + 3;
  const extraBits = 30 - Math.clz32(shifted);
  const high = (shifted >> extraBits) & 1;
  return { symbol: 16 + 2 * (extraBits - 1) + high, extra: shifted - ((2 | high) << extraBits), extraBits };
}

/**
 * A stream of any references, in order, grouped into meta-blocks needing at most two command and
 * two distance symbols; undefined when they cannot be written so (a window outside 10–24, a
 * length outside 4–24, a distance past code 63, a meta-block that would write nothing).
 */
export function wordReferenceStream(references: WordReferences, windowBits = WINDOW_BITS): Uint8Array | undefined {
  const { lengths, wordIndexes, outputLengths } = references;
  const count = lengths.length;
  if (wordIndexes.length !== count || outputLengths.length !== count) return undefined;
  if (!(windowBits >= 10 && windowBits <= 24 && Number.isInteger(windowBits))) return undefined;
  // The farthest a backward distance reaches under the window (§9.1).
  const maxBackwardDistance = 2 ** windowBits - 16;
  const commands: { symbol: number; copyCode: number; copyExtra: number; distance: ReturnType<typeof distanceCodeOf> }[] = [];
  let position = 0;
  for (let i = 0; i < count; i++) {
    const length = lengths[i] ?? 0;
    const wordIndex = wordIndexes[i] ?? -1;
    const outputLength = outputLengths[i] ?? -1;
    if (!(length >= 4 && length <= 24 && wordIndex >= 0 && outputLength >= 0)) return undefined;
    const distance = Math.min(position, maxBackwardDistance) + 1 + wordIndex;
    // Distance code 63 has 24 extra bits: distance + 3 < 2^26.
    if (distance + 3 >= 1 << 26) return undefined;
    const copyCode = copyCodeOf(length);
    commands.push({
      symbol: commandSymbolOf(copyCode),
      copyCode,
      copyExtra: length - (COPY_CODE_BASE[copyCode] ?? 0),
      distance: distanceCodeOf(distance),
    });
    position += outputLength;
  }
  // Each command takes at most 1 + 3 + 1 + 24 bits, each meta-block header under 100.
  const sink = startStream(new Uint8Array(count * 17 + 16), windowBits);
  for (let from = 0; from < count; ) {
    const symbols = new Set<number>();
    const distances = new Set<number>();
    let to = from;
    let length = 0;
    for (; to < count; to++) {
      const { symbol, distance } = commands[to] ?? { symbol: 0, distance: { symbol: 0 } };
      if (new Set([...symbols, symbol]).size > 2 || new Set([...distances, distance.symbol]).size > 2) break;
      const outputLength = outputLengths[to] ?? 0;
      if (length + outputLength > MAX_META_BLOCK_LENGTH) break;
      symbols.add(symbol);
      distances.add(distance.symbol);
      length += outputLength;
    }
    if (length === 0) return undefined;
    const [command0 = 0, command1 = -1] = symbols;
    const [distance0 = 0, distance1 = -1] = distances;
    putMetaBlockHeader(sink, length, command0, command1, distance0, distance1);
    for (const { symbol, copyCode, copyExtra, distance } of commands.slice(from, to)) {
      if (command1 >= 0) sink.put(symbol === Math.min(command0, command1) ? 0 : 1, 1);
      // Insert code 0 has no extra bits and no literals follow.
      sink.put(copyExtra, COPY_CODE_EXTRA_BITS[copyCode] ?? 0);
      if (distance1 >= 0) sink.put(distance.symbol === Math.min(distance0, distance1) ? 0 : 1, 1);
      sink.put(distance.extra, distance.extraBits);
    }
    from = to;
  }
  return sink.finish();
}

/**
 * The stream of every dictionary word in order, untransformed (word index = word id), given
 * NDBITS per length: its output is the dictionary. Written once, on first use, before any of
 * this is optimised, so it does not go through wordReferenceStream (objects and a call per field:
 * 20 ms of CPU there, against 3–6 here). Within a length, distance + 3 grows by length + 1 a word;
 * a meta-block ends where its distance code changes, so each has one command and one distance
 * symbol and a command is its extra bits alone.
 */
export function dictionaryWordsStream(sizeBitsByLength: Uint8Array): Uint8Array {
  let words = 0;
  for (let length = 4; length <= 24; length++) words += 1 << (sizeBitsByLength[length] ?? 0);
  // A command is at most 3 + 24 bits, a meta-block header under 100 and there is at most one a word.
  const sink = startStream(new Uint8Array(words * 17 + 16), WINDOW_BITS);
  let position = 0;
  for (let length = 4; length <= 24; length++) {
    const copyCode = copyCodeOf(length);
    const commandSymbol = commandSymbolOf(copyCode);
    const copyExtra = length - (COPY_CODE_BASE[copyCode] ?? 0);
    const copyExtraBits = COPY_CODE_EXTRA_BITS[copyCode] ?? 0;
    const count = 1 << (sizeBitsByLength[length] ?? 0);
    for (let from = 0; from < count; ) {
      const shifted = position + 1 + from * (length + 1) + 3;
      const extraBits = 30 - Math.clz32(shifted);
      const high = (shifted >> extraBits) & 1;
      // The next distance code starts at ((2 | high) + 1) << extraBits; word `from` is below it.
      const next = ((2 | high) + 1) << extraBits;
      const to = Math.min(count, Math.max(from + 1, Math.ceil((next - (position + 4)) / (length + 1))));
      putMetaBlockHeader(sink, (to - from) * length, commandSymbol, -1, 16 + 2 * (extraBits - 1) + high, -1);
      const { out } = sink;
      let { written, pending, pendingCount } = sink;
      let extra = shifted - ((2 | high) << extraBits);
      for (let word = from; word < to; word++) {
        pending |= copyExtra << pendingCount;
        pendingCount += copyExtraBits;
        pending |= extra << pendingCount;
        pendingCount += extraBits;
        while (pendingCount >= 8) {
          out[written++] = pending & 0xff;
          pending >>>= 8;
          pendingCount -= 8;
        }
        extra += length + 1;
      }
      sink.written = written;
      sink.pending = pending;
      sink.pendingCount = pendingCount;
      from = to;
    }
    position += count * length;
  }
  return sink.finish();
}
