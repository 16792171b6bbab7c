/**
 * A brotli decoder (RFC 7932) for small messages, in JavaScript: Node's native decoder makes a
 * new decoder state for every message, 2.2–2.5 µs of CPU for a 61-byte compressed JSON event,
 * most of a search over a million of them. This one keeps all its state in preallocated typed
 * arrays and writes into the caller's buffer.
 *
 * It answers a length only for a stream Node's `zlib.brotliDecompressSync` decodes to exactly
 * those bytes, and undefined for anything else: any format error, a stream cut short or with
 * bytes after its end, output longer than `out`, a dictionary word it cannot make. Node's decoder
 * then decides, with its own words for an error. It checks what the reference decoder (decode.c)
 * checks: the window bits (the large window is Node's to refuse), ISLAST/ISLASTEMPTY, a meta-block
 * length in more than 4 nibbles ending in a 0 nibble, metadata's reserved bit and length bytes,
 * zero padding before stored bytes and after the last meta-block, the prefix codes
 * (brotli-prefix-codes.ts), context maps' run lengths, insert and copy lengths past the
 * meta-block's length, distances from the last-distance ring buffer that come out ≤ 0, and past
 * the largest backward distance, min(position, window − 16), a static dictionary word (length
 * 4–24, transform below 121) or an error.
 */
import { BrotliBitBuffer } from './brotli-bit-buffer';
import { CONTEXT_LOOKUP } from './brotli-context';
import { PrefixCodeTables, readPrefixCode, readSymbol } from './brotli-prefix-codes';
import { writeDictionaryWord } from './brotli-words';

/** §5: insert-and-copy symbol → insert and copy length codes, by symbol >> 6. */
const INSERT_CODE_BASE = Uint8Array.of(0, 0, 0, 0, 8, 8, 0, 16, 8, 16, 16);
const COPY_CODE_BASE = Uint8Array.of(0, 8, 0, 8, 0, 8, 16, 0, 16, 8, 16);
const INSERT_EXTRA = Uint8Array.of(0, 0, 0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 7, 8, 9, 10, 12, 14, 24);
const INSERT_OFFSET = Uint32Array.of(0, 1, 2, 3, 4, 5, 6, 8, 10, 14, 18, 26, 34, 50, 66, 98, 130, 194, 322, 578, 1090, 2114, 6210, 22594);
const COPY_EXTRA = Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 7, 8, 9, 10, 24);
const COPY_OFFSET = Uint32Array.of(2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 14, 18, 22, 30, 38, 54, 70, 102, 134, 198, 326, 582, 1094, 2118);
/** §6: block count codes. */
const BLOCK_EXTRA = Uint8Array.of(2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 6, 6, 7, 8, 9, 10, 11, 12, 13, 24);
const BLOCK_OFFSET = Uint32Array.of(1, 5, 9, 13, 17, 25, 33, 41, 49, 65, 81, 97, 113, 145, 177, 209, 241, 305, 369, 497, 753, 1265, 2289, 4337, 8433, 16625);

const LITERAL = 0;
const COMMAND = 1;
const DISTANCE = 2;
/** Table entries for one meta-block's codes: far more than a small message's, and a bound checked per code. */
const TABLE_ENTRIES = 1 << 19;

/** The one reusable decoder state. */
class State {
  readonly bits = new BrotliBitBuffer();
  readonly tables = new PrefixCodeTables(TABLE_ENTRIES);
  /** Per category (literal, command, distance): block types, their codes, the current block. */
  readonly typeCount = new Int32Array(3);
  readonly typeCode = new Int32Array(3);
  readonly countCode = new Int32Array(3);
  readonly blockLeft = new Int32Array(3);
  readonly blockType = new Int32Array(3);
  readonly previousType = new Int32Array(3);
  readonly contextModes = new Uint8Array(256);
  readonly literalMap = new Uint8Array(64 * 256);
  readonly distanceMap = new Uint8Array(4 * 256);
  readonly literalCodes = new Int32Array(256);
  readonly commandCodes = new Int32Array(256);
  readonly distanceCodes = new Int32Array(256);
  readonly moveToFront = new Uint8Array(256);
  /** The last four distances (§4), the last at (next − 1) & 3. */
  readonly distances = new Int32Array(4);
  nextDistance = 0;
  postfixBits = 0;
  directCodes = 0;
}

let state: State | undefined;

/** bytes[start, end) decoded into out from 0: the length, or undefined = ask Node's decoder (anything not proved identical to it). */
export function decodeBrotli(bytes: Uint8Array, start: number, end: number, out: Uint8Array): number | undefined {
  const s = (state ??= new State());
  const bits = s.bits;
  bits.reset(bytes, start, end);
  const windowBits = readWindowBits(bits);
  if (windowBits === 0) return undefined;
  const maxBackward = (1 << windowBits) - 16;
  s.distances[0] = 16;
  s.distances[1] = 15;
  s.distances[2] = 11;
  s.distances[3] = 4;
  s.nextDistance = 0;
  let written = 0;
  for (;;) {
    if (bits.overran()) return undefined;
    const isLast = bits.take(1);
    if (isLast === 1 && bits.take(1) === 1) break;
    const nibbles = bits.take(2);
    if (nibbles === 3) {
      if (!skipMetadata(bits)) return undefined;
    } else {
      const length = readUnits(bits, nibbles + 4, 4);
      if (length < 0 || written + length + 1 > out.length) return undefined;
      if (isLast === 0 && bits.take(1) === 1) {
        if (bits.takeToByteBoundary() !== 0) return undefined;
        const from = bits.bytePosition();
        if (from + length + 1 > end) return undefined;
        for (let i = 0; i <= length; i++) out[written + i] = bytes[from + i] ?? 0;
        written += length + 1;
        bits.seekByte(from + length + 1);
      } else {
        const after = decodeCompressed(s, out, written, length + 1, maxBackward);
        if (after < 0) return undefined;
        written = after;
      }
    }
    if (isLast === 1) break;
  }
  if (bits.takeToByteBoundary() !== 0 || bits.bytePosition() !== end) return undefined;
  return written;
}

/** §9.1 WBITS, or 0 for the large window (Node does not ask for it, so its decoder refuses it). */
function readWindowBits(bits: BrotliBitBuffer): number {
  if (bits.take(1) === 0) return 16;
  const n = bits.take(3);
  if (n !== 0) return 17 + n;
  const m = bits.take(3);
  if (m === 1) return 0;
  return m === 0 ? 17 : 8 + m;
}

/** `units` nibbles, least significant first; -1 when there are more than 4 and the last is 0. */
function readUnits(bits: BrotliBitBuffer, units: number, width: number): number {
  let value = 0;
  for (let i = 0; i < units; i++) {
    const unit = bits.take(width);
    if (unit === 0 && i + 1 === units && units > 4) return -1;
    value |= unit << (i * width);
  }
  return value;
}

/** A metadata meta-block passed over: false when the reserved bit, a length byte or the padding is wrong, or it runs past the end. */
function skipMetadata(bits: BrotliBitBuffer): boolean {
  if (bits.take(1) !== 0) return false;
  const lengthBytes = bits.take(2);
  let length = 0;
  for (let i = 0; i < lengthBytes; i++) {
    const byte = bits.take(8);
    if (byte === 0 && i + 1 === lengthBytes && lengthBytes > 1) return false;
    length |= byte << (8 * i);
  }
  if (lengthBytes > 0) length += 1;
  if (bits.takeToByteBoundary() !== 0) return false;
  const next = bits.bytePosition() + length;
  if (next > bits.end) return false;
  bits.seekByte(next);
  return true;
}

/** §9.2 VarLenUint8. */
function readCount(bits: BrotliBitBuffer): number {
  if (bits.take(1) === 0) return 0;
  const n = bits.take(3);
  return n === 0 ? 1 : (1 << n) + bits.take(n);
}

function readBlockLength(bits: BrotliBitBuffer, table: Int32Array, code: number): number {
  const symbol = readSymbol(bits, table, code);
  return (BLOCK_OFFSET[symbol] ?? 0) + bits.take(BLOCK_EXTRA[symbol] ?? 0);
}

/** §6 block switch for `category`: false when it has a single block type (its block cannot end in a small message). */
function switchBlock(s: State, category: number): boolean {
  const types = s.typeCount[category] ?? 1;
  if (types < 2) return false;
  const table = s.tables.table;
  const symbol = readSymbol(s.bits, table, s.typeCode[category] ?? 0);
  const last = s.blockType[category] ?? 0;
  let type = symbol === 0 ? (s.previousType[category] ?? 0) : symbol === 1 ? last + 1 : symbol - 2;
  if (type >= types) type -= types;
  s.previousType[category] = last;
  s.blockType[category] = type;
  s.blockLeft[category] = readBlockLength(s.bits, table, s.countCode[category] ?? 0);
  return true;
}

/** §7.3 a context map of `size` entries for `trees` codes into `map`: false when invalid. */
function readContextMap(s: State, map: Uint8Array, size: number, trees: number): boolean {
  const bits = s.bits;
  if (trees < 2) {
    for (let i = 0; i < size; i++) map[i] = 0;
    return true;
  }
  const runMax = bits.take(1) === 1 ? bits.take(4) + 1 : 0;
  const tables = s.tables;
  // The map's own code is needed only while reading it: its table space is given back.
  const mark = tables.used;
  const code = readPrefixCode(bits, trees + runMax, tables);
  tables.used = mark;
  if (code < 0) return false;
  const table = tables.table;
  let largest = 0;
  for (let i = 0; i < size; ) {
    const symbol = readSymbol(bits, table, code);
    if (symbol === 0) {
      map[i++] = 0;
    } else if (symbol <= runMax) {
      const run = (1 << symbol) + bits.take(symbol);
      if (i + run > size) return false;
      for (const until = i + run; i < until; i++) map[i] = 0;
    } else {
      const value = symbol - runMax;
      map[i++] = value;
      if (value > largest) largest = value;
    }
  }
  if (bits.take(1) === 1) {
    // Inverse move-to-front. Only the positions up to the largest index are ever read or moved.
    const mtf = s.moveToFront;
    for (let i = 0; i <= largest; i++) mtf[i] = i;
    let front = 0;
    for (let i = 0; i < size; i++) {
      const index = map[i] ?? 0;
      if (index === 0) {
        map[i] = front;
        continue;
      }
      const value = mtf[index] ?? 0;
      map[i] = value;
      for (let j = index; j > 0; j--) mtf[j] = mtf[j - 1] ?? 0;
      mtf[0] = value;
      front = value;
    }
  }
  return !bits.overran();
}

/** A compressed meta-block's header (§9.2): false when invalid. */
function readCompressedHeader(s: State): boolean {
  const bits = s.bits;
  const tables = s.tables;
  tables.used = 0;
  for (let category = 0; category < 3; category++) {
    const types = readCount(bits) + 1;
    s.typeCount[category] = types;
    s.blockType[category] = 0;
    s.previousType[category] = 1;
    if (types >= 2) {
      const typeCode = readPrefixCode(bits, types + 2, tables);
      const countCode = readPrefixCode(bits, 26, tables);
      if (typeCode < 0 || countCode < 0) return false;
      s.typeCode[category] = typeCode;
      s.countCode[category] = countCode;
      s.blockLeft[category] = readBlockLength(bits, tables.table, countCode);
    } else {
      s.blockLeft[category] = 1 << 24;
    }
  }
  s.postfixBits = bits.take(2);
  s.directCodes = bits.take(4) << s.postfixBits;
  const literalTypes = s.typeCount[LITERAL] ?? 1;
  for (let i = 0; i < literalTypes; i++) s.contextModes[i] = bits.take(2);
  const literalTrees = readCount(bits) + 1;
  if (!readContextMap(s, s.literalMap, 64 * literalTypes, literalTrees)) return false;
  const distanceTrees = readCount(bits) + 1;
  if (!readContextMap(s, s.distanceMap, 4 * (s.typeCount[DISTANCE] ?? 1), distanceTrees)) return false;
  for (let i = 0; i < literalTrees; i++) {
    const code = readPrefixCode(bits, 256, tables);
    if (code < 0) return false;
    s.literalCodes[i] = code;
  }
  const commandTypes = s.typeCount[COMMAND] ?? 1;
  for (let i = 0; i < commandTypes; i++) {
    const code = readPrefixCode(bits, 704, tables);
    if (code < 0) return false;
    s.commandCodes[i] = code;
  }
  const distanceAlphabet = 16 + s.directCodes + (48 << s.postfixBits);
  for (let i = 0; i < distanceTrees; i++) {
    const code = readPrefixCode(bits, distanceAlphabet, tables);
    if (code < 0) return false;
    s.distanceCodes[i] = code;
  }
  return !bits.overran();
}

/**
 * A compressed meta-block of `length` bytes decoded into out from `written` (the caller checked
 * it fits): where the output ends, or -1 when the stream is invalid or unsupported. The bit
 * buffer is kept in locals here (val, count, at), written back around the calls that read bits.
 */
function decodeCompressed(s: State, out: Uint8Array, written: number, length: number, maxBackward: number): number {
  if (!readCompressedHeader(s)) return -1;
  const bits = s.bits;
  const input = bits.bytes;
  const inputEnd = bits.end;
  let val = bits.val;
  let count = bits.count;
  let at = bits.pos;
  const table = s.tables.table;
  const distances = s.distances;
  const blockLeft = s.blockLeft;
  const blockType = s.blockType;
  const literalMap = s.literalMap;
  const literalCodes = s.literalCodes;
  const postfixBits = s.postfixBits;
  const postfixMask = (1 << postfixBits) - 1;
  const directCodes = s.directCodes;
  let pos = written;
  let left = length;
  let commandCode = s.commandCodes[0] ?? 0;
  let literalSlice = 0;
  let contextBase = (s.contextModes[0] ?? 0) * 512;
  let distanceSlice = 0;
  const contextLookup = CONTEXT_LOOKUP;
  // The literal block's count in a local (blockLeft[LITERAL] is stale meanwhile).
  let literalsLeft = blockLeft[LITERAL] ?? 0;
  let p1 = pos > 0 ? (out[pos - 1] ?? 0) : 0;
  let p2 = pos > 1 ? (out[pos - 2] ?? 0) : 0;
  while (left > 0) {
    if ((at - inputEnd) * 8 > count) return -1;
    if (blockLeft[COMMAND] === 0) {
      bits.val = val;
      bits.count = count;
      bits.pos = at;
      if (!switchBlock(s, COMMAND)) return -1;
      val = bits.val;
      count = bits.count;
      at = bits.pos;
      commandCode = s.commandCodes[blockType[COMMAND] ?? 0] ?? 0;
    }
    blockLeft[COMMAND] = (blockLeft[COMMAND] ?? 0) - 1;
    if (count < 15) {
      for (; count <= 24; count += 8) val |= (at < inputEnd ? (input[at++] ?? 0) : (at++, 0)) << count;
    }
    let entry = table[(commandCode >>> 4) + (val & ((1 << (commandCode & 15)) - 1))] ?? 0;
    let taken = entry & 255;
    if (taken > 15) {
      entry = table[(entry >>> 8) + ((val >>> 8) & ((1 << (taken - 16)) - 1))] ?? 0;
      taken = entry & 255;
    }
    val >>>= taken;
    count -= taken;
    const command = entry >>> 8;
    const group = command >> 6;
    const insertCode = (INSERT_CODE_BASE[group] ?? 0) + ((command >> 3) & 7);
    const copyCode = (COPY_CODE_BASE[group] ?? 0) + (command & 7);
    const insertBits = INSERT_EXTRA[insertCode] ?? 0;
    if (count < insertBits) {
      for (; count <= 24; count += 8) val |= (at < inputEnd ? (input[at++] ?? 0) : (at++, 0)) << count;
    }
    const insert = (INSERT_OFFSET[insertCode] ?? 0) + (val & ((1 << insertBits) - 1));
    val >>>= insertBits;
    count -= insertBits;
    const copyBits = COPY_EXTRA[copyCode] ?? 0;
    if (count < copyBits) {
      for (; count <= 24; count += 8) val |= (at < inputEnd ? (input[at++] ?? 0) : (at++, 0)) << count;
    }
    const copy = (COPY_OFFSET[copyCode] ?? 0) + (val & ((1 << copyBits) - 1));
    val >>>= copyBits;
    count -= copyBits;
    if (insert > 0) {
      // An insert past the meta-block's length is an error however it goes on.
      if (insert > left) return -1;
      left -= insert;
      for (const until = pos + insert; pos < until; ) {
        if (literalsLeft === 0) {
          bits.val = val;
          bits.count = count;
          bits.pos = at;
          if (!switchBlock(s, LITERAL)) return -1;
          val = bits.val;
          count = bits.count;
          at = bits.pos;
          literalsLeft = blockLeft[LITERAL] ?? 0;
          const type = blockType[LITERAL] ?? 0;
          literalSlice = type * 64;
          contextBase = (s.contextModes[type] ?? 0) * 512;
        }
        literalsLeft--;
        const context = (contextLookup[contextBase + p1] ?? 0) | (contextLookup[contextBase + 256 + p2] ?? 0);
        const code = literalCodes[literalMap[literalSlice + context] ?? 0] ?? 0;
        if (count < 15) {
          for (; count <= 24; count += 8) val |= (at < inputEnd ? (input[at++] ?? 0) : (at++, 0)) << count;
        }
        entry = table[(code >>> 4) + (val & ((1 << (code & 15)) - 1))] ?? 0;
        taken = entry & 255;
        if (taken > 15) {
          entry = table[(entry >>> 8) + ((val >>> 8) & ((1 << (taken - 16)) - 1))] ?? 0;
          taken = entry & 255;
        }
        val >>>= taken;
        count -= taken;
        p2 = p1;
        p1 = entry >>> 8;
        out[pos++] = p1;
      }
      // The last command's copy length is not used (§9.3).
      if (left === 0) break;
    }
    let distance: number;
    // Distance code 0 (the last distance, implicit for commands below 128) is not pushed.
    let push = false;
    if (command < 128) {
      distance = distances[(s.nextDistance + 3) & 3] ?? 0;
    } else {
      if (blockLeft[DISTANCE] === 0) {
        bits.val = val;
        bits.count = count;
        bits.pos = at;
        if (!switchBlock(s, DISTANCE)) return -1;
        val = bits.val;
        count = bits.count;
        at = bits.pos;
        distanceSlice = (blockType[DISTANCE] ?? 0) * 4;
      }
      blockLeft[DISTANCE] = (blockLeft[DISTANCE] ?? 0) - 1;
      const context = copy > 4 ? 3 : copy - 2;
      const distanceCode = s.distanceCodes[s.distanceMap[distanceSlice + context] ?? 0] ?? 0;
      if (count < 15) {
        for (; count <= 24; count += 8) val |= (at < inputEnd ? (input[at++] ?? 0) : (at++, 0)) << count;
      }
      entry = table[(distanceCode >>> 4) + (val & ((1 << (distanceCode & 15)) - 1))] ?? 0;
      taken = entry & 255;
      if (taken > 15) {
        entry = table[(entry >>> 8) + ((val >>> 8) & ((1 << (taken - 16)) - 1))] ?? 0;
        taken = entry & 255;
      }
      val >>>= taken;
      count -= taken;
      const code = entry >>> 8;
      push = code !== 0;
      if (code < 16) {
        distance = shortDistance(s, code);
        if (distance <= 0) return -1;
      } else if (code < 16 + directCodes) {
        distance = code - 15;
      } else {
        const rest = code - directCodes - 16;
        const extraBits = 1 + (rest >> (postfixBits + 1));
        const offset = ((2 + ((rest >> postfixBits) & 1)) << extraBits) - 4;
        if (count < extraBits) {
          for (; count <= 24; count += 8) val |= (at < inputEnd ? (input[at++] ?? 0) : (at++, 0)) << count;
        }
        const extra = val & ((1 << extraBits) - 1);
        val >>>= extraBits;
        count -= extraBits;
        distance = ((offset + extra) << postfixBits) + (rest & postfixMask) + directCodes + 1;
      }
    }
    const maxDistance = pos < maxBackward ? pos : maxBackward;
    if (distance > maxDistance) {
      // A static dictionary word (§8), which does not go into the last distances.
      const wordLength = writeDictionaryWord(out, pos, copy, distance - maxDistance - 1);
      if (wordLength < 0 || wordLength > left) return -1;
      pos += wordLength;
      left -= wordLength;
    } else {
      if (copy > left) return -1;
      if (push) {
        distances[s.nextDistance & 3] = distance;
        s.nextDistance++;
      }
      // Byte by byte: a copy may overlap its own output.
      for (const until = pos + copy; pos < until; pos++) out[pos] = out[pos - distance] ?? 0;
      left -= copy;
    }
    p1 = out[pos - 1] ?? 0;
    p2 = pos > 1 ? (out[pos - 2] ?? 0) : 0;
  }
  bits.val = val;
  bits.count = count;
  bits.pos = at;
  return pos;
}

/** §4 distance codes 1–15 from the last four distances (0 is the last one, handled by the caller too). */
function shortDistance(s: State, code: number): number {
  const distances = s.distances;
  const next = s.nextDistance;
  if (code < 4) return distances[(next + 3 - code) & 3] ?? 0;
  const base = code < 10 ? distances[(next + 3) & 3] ?? 0 : distances[(next + 2) & 3] ?? 0;
  const step = code < 10 ? code - 4 : code - 10;
  // −1, +1, −2, +2, −3, +3.
  const delta = (step >> 1) + 1;
  return (step & 1) === 0 ? base - delta : base + delta;
}
