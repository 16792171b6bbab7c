/**
 * decodeBrotli (brotli-decoder.ts) answers a length only where Node's brotli decoder gives exactly
 * those bytes, and undefined otherwise. Checked on the bench's brotli messages, on what Node's
 * encoder writes for JSON, text and random bytes at every quality, window and mode, on streams
 * built by hand for the rules the reference decoder enforces (each beside the same stream broken
 * in one way), and on thousands of damaged streams. The share of valid streams it decodes itself
 * is asserted too: an undefined answer is always safe, so a decoder that gave up everywhere would
 * pass the rest.
 */
import crypto from 'node:crypto';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeBrotli } from '../../../src-main/core/decode/brotli-decoder';
import { brotliDictionary } from '../../../src-main/core/decode/brotli-dictionary';
import { BrotliBitWriter } from '../../support/brotli-bits';

const OUT = Buffer.alloc(64 * 1024 + 64);

function nodeDecodes(bytes: Uint8Array): Buffer | undefined {
  try {
    return zlib.brotliDecompressSync(bytes);
  } catch {
    return undefined;
  }
}

function ours(bytes: Uint8Array, out: Uint8Array = OUT): Buffer | undefined {
  const length = decodeBrotli(bytes, 0, bytes.length, out);
  return length === undefined ? undefined : Buffer.from(out.subarray(0, length));
}

/** Our answer is undefined or exactly Node's bytes; true when it is ours. */
function expectExact(bytes: Uint8Array, label: string): boolean {
  const mine = ours(bytes);
  if (mine === undefined) return false;
  const node = nodeDecodes(bytes);
  if (node === undefined || !node.equals(mine)) throw new Error(`${label}: decoded ${mine.length} bytes where Node ${node ? `gives ${node.length} other bytes` : 'refuses'}: ${Buffer.from(bytes).toString('hex')}`);
  return true;
}

/** A small seeded generator (mulberry32), so failures repeat. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = ['price', 'the', 'event', 'symbol', 'quantity', 'hello', 'world', 'über', 'naïve', '价格', 'data', 'time', 'of', 'and', 'Brotli', 'stream'];

function randomJson(next: () => number, size: number): Buffer {
  const parts: string[] = [];
  let length = 0;
  for (let i = 0; length < size; i++) {
    const word = WORDS[Math.floor(next() * WORDS.length)] ?? 'x';
    const part = next() < 0.5 ? `{"${word}":${Math.floor(next() * 100000)},"seq":${i}}` : `{"event":"${word}","list":[${Math.floor(next() * 1000)},true,null,"${word.toUpperCase()}"]}`;
    parts.push(part);
    length += part.length + 1;
  }
  return Buffer.from(`[${parts.join(',')}]`, 'utf8').subarray(0, size);
}

function randomText(next: () => number, size: number): Buffer {
  const words: string[] = [];
  let length = 0;
  while (length < size) {
    const word = WORDS[Math.floor(next() * WORDS.length)] ?? 'x';
    const cased = next() < 0.2 ? word.toUpperCase() : next() < 0.2 ? word[0]?.toUpperCase() + word.slice(1) : word;
    words.push(cased + (next() < 0.1 ? '.\n' : next() < 0.1 ? ', ' : ' '));
    length += cased.length + 2;
  }
  return Buffer.from(words.join(''), 'utf8').subarray(0, size);
}

function randomBytes(next: () => number, size: number): Buffer {
  const bytes = Buffer.alloc(size);
  // Partly random, partly repeated, so there are both literals and copies.
  for (let i = 0; i < size; i++) bytes[i] = i > 16 && next() < 0.5 ? (bytes[i - 1 - Math.floor(next() * 16)] ?? 0) : Math.floor(next() * 256);
  return bytes;
}

/** UTF-8 text with stray bytes from 128 (every UTF-8 literal context the encoder uses, p1 and p2 from 128 too). */
function mixedText(next: () => number, size: number): Buffer {
  const parts: Buffer[] = [];
  let length = 0;
  while (length < size) {
    const part = next() < 0.15 ? Buffer.from([0x80 + Math.floor(next() * 128), 0x80 + Math.floor(next() * 128)]) : Buffer.from(`${WORDS[Math.floor(next() * WORDS.length)] ?? 'x'} `, 'utf8');
    parts.push(part);
    length += part.length;
  }
  return Buffer.concat(parts).subarray(0, size);
}

const MODES = [zlib.constants.BROTLI_MODE_GENERIC, zlib.constants.BROTLI_MODE_TEXT, zlib.constants.BROTLI_MODE_FONT];

function compress(plain: Buffer, quality: number, window: number, mode: number, sizeHint: boolean): Buffer {
  const params: Record<number, number> = {
    [zlib.constants.BROTLI_PARAM_QUALITY]: quality,
    [zlib.constants.BROTLI_PARAM_LGWIN]: window,
    [zlib.constants.BROTLI_PARAM_MODE]: mode,
  };
  if (sizeHint) params[zlib.constants.BROTLI_PARAM_SIZE_HINT] = plain.length;
  return zlib.brotliCompressSync(plain, { params });
}

/** The bench's brotli stream (bench/payload-streams.ts): 1,552 distinct JSON events. */
function benchMessages(): { plain: Buffer; compressed: Buffer }[] {
  const events = 97;
  return Array.from({ length: events * 16 }, (_, i) => {
    const record = { event: i % events === 7 ? 'chat' : `e${i % events}`, seq: i, data: { sym: `ABC${i % 89}`, price: (i * 7) % 10_000 } };
    const plain = Buffer.from(JSON.stringify(record), 'utf8');
    return { plain, compressed: zlib.brotliCompressSync(plain) };
  });
}

describe('decodeBrotli on streams Node writes', () => {
  it('has the static dictionary (from Node\'s decoder) to decode word references', () => {
    expect(brotliDictionary()?.length).toBe(122_784);
  });

  it('decodes every one of the bench\'s 1,552 messages itself, to the encoded bytes', () => {
    let decoded = 0;
    for (const { plain, compressed } of benchMessages()) {
      const mine = ours(compressed);
      expect(mine?.equals(plain), compressed.toString('hex')).toBe(true);
      decoded++;
    }
    expect(decoded).toBe(1552);
  });

  it('decodes random JSON, text and bytes at every quality 0–11, window 10–24 and mode exactly as Node does, nearly all itself', () => {
    const next = random(7932);
    let total = 0;
    let decoded = 0;
    const makers = [randomJson, randomText, randomBytes, mixedText];
    for (let quality = 0; quality <= 11; quality++) {
      for (let window = 10; window <= 24; window++) {
        for (let k = 0; k < 3; k++) {
          // Mostly small messages, some up to 64 KiB (fewer at the slow qualities).
          const big = next() < (quality >= 10 ? 0.05 : 0.2);
          const size = big ? Math.floor(next() * 64 * 1024) : Math.floor(next() * (next() < 0.5 ? 200 : 4000));
          const maker = makers[(window + k) % 4] ?? randomJson;
          const plain = maker(next, size);
          const compressed = compress(plain, quality, window, MODES[k] ?? 0, next() < 0.5);
          total++;
          if (expectExact(compressed, `q${quality} w${window} ${maker.name} ${size}`)) decoded++;
          expect(nodeDecodes(compressed)?.equals(plain)).toBe(true);
        }
      }
    }
    // Every valid stream that fits: nothing is left to Node's decoder on these.
    expect(decoded).toBe(total);
  });

  it('gives undefined when the output does not fit `out`, and decodes into an exact fit', () => {
    const plain = randomJson(random(3), 3000);
    const compressed = compress(plain, 11, 22, zlib.constants.BROTLI_MODE_TEXT, false);
    expect(ours(compressed, new Uint8Array(plain.length - 1))).toBeUndefined();
    expect(ours(compressed, new Uint8Array(plain.length))?.equals(plain)).toBe(true);
  });

  it('reads a message inside a larger buffer only between start and end', () => {
    const plain = Buffer.from('{"event":"chat","seq":1}');
    const compressed = zlib.brotliCompressSync(plain);
    const framed = Buffer.concat([Buffer.from([1, 2, 3]), compressed, Buffer.from([9, 9])]);
    const length = decodeBrotli(framed, 3, 3 + compressed.length, OUT);
    expect(length === undefined ? undefined : OUT.subarray(0, length).toString()).toBe(plain.toString());
  });
});

/**
 * A compressed meta-block with one block type each, context mode LSB6, one tree each and simple
 * prefix codes: `fields` follow (commands, extra bits, literals).
 */
interface Block {
  length: number;
  isLast?: boolean;
  nibbles?: number;
  /** Up to 4 literal symbols (one: literals take no bits). */
  literals: number[];
  /** Up to 4 insert-and-copy symbols. */
  commands: number[];
  /** Up to 4 distance symbols (alphabet 16 + 48 with NPOSTFIX 0, NDIRECT 0). */
  distances: number[];
  body: (w: BrotliBitWriter) => void;
}

function putSimpleCode(w: BrotliBitWriter, symbols: number[], alphabetBits: number, treeSelect = 0): void {
  w.put(1, 2).put(symbols.length - 1, 2);
  for (const symbol of symbols) w.put(symbol, alphabetBits);
  if (symbols.length === 4) w.put(treeSelect, 1);
}

function putCompressed(w: BrotliBitWriter, block: Block): BrotliBitWriter {
  const nibbles = block.nibbles ?? 4;
  w.put(block.isLast ? 1 : 0, 1);
  if (block.isLast) w.put(0, 1);
  w.put(nibbles - 4, 2).put(block.length - 1, nibbles * 4);
  if (!block.isLast) w.put(0, 1);
  // NBLTYPESL, I, D = 1; NPOSTFIX 0, NDIRECT 0; CMODE LSB6; NTREESL = NTREESD = 1.
  w.put(0, 1).put(0, 1).put(0, 1).put(0, 2).put(0, 4).put(0, 2).put(0, 1).put(0, 1);
  putSimpleCode(w, block.literals, 8);
  putSimpleCode(w, block.commands, 10);
  putSimpleCode(w, block.distances, 6);
  block.body(w);
  return w;
}

const window16 = (): BrotliBitWriter => new BrotliBitWriter().put(0, 1);
const endEmpty = (w: BrotliBitWriter, padding = 0): Buffer => w.put(1, 1).put(1, 1).align(padding).toBuffer();

/** Insert-and-copy symbol for insert code `insert` and copy code `copy` (§5), with an explicit distance or not. */
function commandSymbol(insert: number, copy: number, explicitDistance: boolean): number {
  const groups = explicitDistance
    ? [[0, 0, 128], [0, 8, 192], [8, 0, 256], [8, 8, 320], [0, 16, 384], [16, 0, 448], [8, 16, 512], [16, 8, 576], [16, 16, 640]]
    : [[0, 0, 0], [0, 8, 64]];
  for (const [i, c, base] of groups) {
    if (insert >= (i ?? 0) && insert < (i ?? 0) + 8 && copy >= (c ?? 0) && copy < (c ?? 0) + 8) return (base ?? 0) + ((insert - (i ?? 0)) << 3) + (copy - (c ?? 0));
  }
  throw new Error('no such command');
}

/** Both streams: the one Node decodes is decoded the same; the broken one gets undefined (Node refuses it). */
function expectPair(good: Buffer, broken: Buffer, expected?: Buffer | string): void {
  const node = nodeDecodes(good);
  expect(node, 'Node decodes the good stream').toBeDefined();
  if (expected !== undefined) expect(node?.toString('latin1')).toBe(Buffer.from(expected).toString('latin1'));
  expect(ours(good)?.toString('hex')).toBe(node?.toString('hex'));
  expect(nodeDecodes(broken), 'Node refuses the broken stream').toBeUndefined();
  expect(ours(broken)).toBeUndefined();
}

describe('decodeBrotli on streams built by hand', () => {
  // "ababab": insert 2 literals (two-symbol code, a bit each), copy 4 at distance 2 (distance
  // symbol 16: 1 extra bit, distance 1 + extra).
  const ab = (literals: number[], length = 6): Block => ({
    length,
    isLast: true,
    literals,
    commands: [commandSymbol(2, 2, true)],
    distances: [16],
    body: (w) => {
      w.put(0, 1); // literal 1 (2-symbol code: 1 bit each)
      w.put(1, 1); // literal 2
      w.put(1, 1); // distance extra bit: distance 2
    },
  });

  it('decodes a copy overlapping its own output', () => {
    const good = putCompressed(window16(), ab([0x61, 0x62])).align().toBuffer();
    expect(nodeDecodes(good)?.toString()).toBe('ababab');
    expect(ours(good)?.toString()).toBe('ababab');
  });

  it('refuses a simple code naming a symbol twice', () => {
    const good = putCompressed(window16(), ab([0x61, 0x62])).align().toBuffer();
    const broken = putCompressed(window16(), ab([0x61, 0x61])).align().toBuffer();
    expectPair(good, broken);
  });

  it('refuses a simple code with a symbol past its alphabet (and switches literal block types)', () => {
    // NBLTYPESL 2, so a block count code over 26 symbols (5 bits each: 26–31 are past it).
    const withTypes = (countSymbol: number): Buffer => {
      const w = window16().put(1, 1).put(0, 1).put(0, 2).put(5, 16);
      w.put(1, 1).put(0, 3); // NBLTYPESL = 2
      putSimpleCode(w, [0], 2); // block type code over 4 symbols: always 0 (the previous type)
      putSimpleCode(w, [countSymbol], 5); // block count code
      w.put(1, 2); // the first count: symbol 1 is 5 + 2 extra bits → 6
      // NBLTYPESI, NBLTYPESD 1; NPOSTFIX, NDIRECT 0; two context modes; NTREESL, NTREESD 1.
      w.put(0, 1).put(0, 1).put(0, 2).put(0, 4).put(0, 2).put(0, 2).put(0, 1).put(0, 1);
      putSimpleCode(w, [0x61], 8);
      putSimpleCode(w, [commandSymbol(6, 0, false)], 10); // insert code 6: 6 + 1 extra bit
      putSimpleCode(w, [0], 6);
      w.put(0, 1); // the insert's extra bit
      return w.align().toBuffer();
    };
    expectPair(withTypes(1), withTypes(26), 'aaaaaa');
  });

  it('refuses a complex code whose code space is not exactly used', () => {
    expectPair(buildWithComplex([1, 1]), buildWithComplex([1, 2]), 'ab');
  });

  it('refuses a meta-block length in 5 nibbles whose last nibble is 0', () => {
    const block = (nibbles: number): Buffer => putCompressed(window16(), { ...ab([0x61, 0x62]), nibbles }).align().toBuffer();
    expectPair(block(4), block(5), 'ababab');
  });

  it('refuses padding that is not zero after the last meta-block', () => {
    const w = (padding: number): Buffer => putCompressed(window16(), ab([0x61, 0x62])).align(padding).toBuffer();
    expectPair(w(0), w(1), 'ababab');
  });

  it('refuses padding that is not zero before stored bytes, and mixes stored, metadata and compressed meta-blocks', () => {
    const make = (padding: number): Buffer => {
      const w = window16();
      w.put(0, 1).put(0, 2).put(2, 16).put(1, 1).align(padding).putBytes(Buffer.from('xyz'));
      // Metadata: reserved 0, 1 length byte, 2 bytes skipped.
      w.put(0, 1).put(3, 2).put(0, 1).put(1, 2).put(1, 8).align().putBytes(Buffer.from([0xde, 0xad]));
      putCompressed(w, { ...ab([0x61, 0x62]), isLast: false });
      return endEmpty(w);
    };
    expectPair(make(0), make(1), 'xyzababab');
  });

  it('refuses bytes after the end and a stream cut short', () => {
    const good = putCompressed(window16(), ab([0x61, 0x62])).align().toBuffer();
    expect(ours(good)?.toString()).toBe('ababab');
    expect(ours(Buffer.concat([good, Buffer.from([0])]))).toBeUndefined();
    for (let cut = 0; cut < good.length; cut++) expect(ours(good.subarray(0, cut))).toBeUndefined();
  });

  it('reads a copy past min(position, window − 16) as a dictionary word, and one at it as a backward copy', () => {
    // Window 10: the largest backward distance is 1008. 1,100 stored bytes, then a copy of 4 at
    // distance 1008 or 1009 (distance symbol 31: 8 extra bits, (764 + extra) + 1).
    const data = crypto.randomBytes(1100);
    const make = (extra: number): Buffer => {
      const w = new BrotliBitWriter().put(1, 1).put(0, 3).put(2, 3);
      w.put(0, 1).put(0, 2).put(data.length - 1, 16).put(1, 1).align().putBytes(data);
      putCompressed(w, { length: 4, isLast: true, literals: [0], commands: [commandSymbol(0, 2, true)], distances: [31], body: (b) => b.put(extra, 8) });
      return w.align().toBuffer();
    };
    const backward = make(243);
    expect(nodeDecodes(backward)?.subarray(1100).equals(data.subarray(1100 - 1008, 1100 - 1004))).toBe(true);
    expect(ours(backward)?.equals(nodeDecodes(backward) ?? Buffer.alloc(0))).toBe(true);
    const word = make(244);
    const node = nodeDecodes(word);
    // Word 0 of length 4 in the dictionary, untransformed.
    expect(node?.subarray(1100).toString()).toBe('time');
    expect(ours(word)?.equals(node ?? Buffer.alloc(0))).toBe(true);
  });

  it('takes the initial last distances (4, 11, 15, 16) as dictionary words at the start, and distance code 0 does not push', () => {
    // Copy 4 at distance code 0 (implicit, command < 128) at position 0: distance 4 > 0, word 3.
    const make = (commands: number[], body: (w: BrotliBitWriter) => void, length: number, distances = [0]): Buffer =>
      putCompressed(window16(), { length, isLast: true, literals: [0x61], commands, distances, body }).align().toBuffer();
    const first = make([commandSymbol(0, 2, false)], () => undefined, 4);
    expect(ours(first)?.toString('latin1')).toBe(nodeDecodes(first)?.toString('latin1'));
    // Insert 1 'a' and copy 4 at distance code 0 four times: the last distance stays 4 (a word at
    // position 1, 2, 3, 4 then a copy from 4 back once position passes 4).
    const repeated = make([commandSymbol(1, 2, false)], () => undefined, 25);
    const node = nodeDecodes(repeated);
    expect(node).toBeDefined();
    expect(ours(repeated)?.toString('latin1')).toBe(node?.toString('latin1'));
    // Explicit distance code 1 (second-to-last, 11): a word at first, pushed when a copy.
    const second = make([commandSymbol(1, 2, true)], () => undefined, 60, [1]);
    expect(ours(second)?.toString('latin1')).toBe(nodeDecodes(second)?.toString('latin1'));
  });
  it('switches command block types and picks literal codes through a context map in every context mode, as Node does', () => {
    // Two command block types (each block 1 command, the type code always "last + 1"), two literal
    // codes chosen by a context map (contexts 32–63 → code 1), the same bits read in each mode.
    const make = (mode: number): Buffer => {
      const w = window16().put(1, 1).put(0, 1).put(0, 2).put(13, 16);
      w.put(0, 1); // NBLTYPESL 1
      w.put(1, 1).put(0, 3); // NBLTYPESI 2
      putSimpleCode(w, [1], 2); // block type code: symbol 1, the last type + 1
      putSimpleCode(w, [0], 5); // block count code: symbol 0, 1 + 2 extra bits
      w.put(0, 2); // the first command block: 1 command
      w.put(0, 1); // NBLTYPESD 1
      w.put(0, 2).put(0, 4).put(mode, 2);
      w.put(1, 1).put(0, 3); // NTREESL 2
      w.put(0, 1); // no run lengths
      putSimpleCode(w, [0, 1], 1);
      for (let context = 0; context < 64; context++) w.put(context >= 32 ? 1 : 0, 1);
      w.put(0, 1); // no move-to-front
      w.put(0, 1); // NTREESD 1
      putSimpleCode(w, [0x41, 0x80], 8);
      putSimpleCode(w, [0x42, 0x43], 8);
      putSimpleCode(w, [commandSymbol(1, 0, true)], 10);
      putSimpleCode(w, [commandSymbol(2, 0, true)], 10);
      putSimpleCode(w, [16], 6);
      // Commands of type 0 (insert 1, copy 2) and 1 (insert 2, copy 2): a switch before each but
      // the first (2 count bits), literal bits, the distance's extra bit (distance 1 or 2).
      const literalBits = [[1], [0, 1], [0], [1, 1]];
      literalBits.forEach((literals, i) => {
        if (i > 0) w.put(0, 2);
        for (const bit of literals) w.put(bit, 1);
        w.put(i % 2, 1);
      });
      return w.align().toBuffer();
    };
    for (const mode of [0, 1, 2, 3]) {
      const stream = make(mode);
      const node = nodeDecodes(stream);
      expect(node?.length, `mode ${mode}`).toBe(14);
      expect(ours(stream)?.toString('hex'), `mode ${mode}`).toBe(node?.toString('hex'));
    }
  });
});

/** A last compressed meta-block "ab" whose literal code is complex: 'a' and 'b' with the given lengths (complete with [1, 1]). */
function buildWithComplex(lengths: [number, number]): Buffer {
  const w = window16().put(1, 1).put(0, 1).put(0, 2).put(1, 16);
  w.put(0, 1).put(0, 1).put(0, 1).put(0, 2).put(0, 4).put(0, 2).put(0, 1).put(0, 1);
  // HSKIP 0; code-length code lengths in the order 1, 2, 3, 4, 0, 5, 17: 2, 2, 0, 0, 2, 0, 2, so
  // symbols 0, 1, 2 and 17 have length 2 (the space is used up: the rest of the order is not sent).
  w.put(0, 2);
  const fixed = (length: number): void => {
    // §3.5's fixed code, read from the right: 0 → 00, 2 → 011.
    if (length === 0) w.put(0b00, 2);
    else w.put(0b011, 3);
  };
  for (const length of [2, 2, 0, 0, 2, 0, 2]) fixed(length);
  // Canonical codes of length 2: 0 → 00, 1 → 01, 2 → 10, 17 → 11, sent from the top bit.
  const symbol = (s: number): void => {
    const code = s === 0 ? 0 : s === 1 ? 1 : s === 2 ? 2 : 3;
    w.put((code >> 1) & 1, 1).put(code & 1, 1);
  };
  // `n` zero lengths: runs of 10 (17 with extra 7) each followed by a single 0 (so runs do not
  // multiply), then the rest.
  const zeros = (n: number): void => {
    for (; n >= 11; n -= 11) {
      symbol(17);
      w.put(7, 3);
      symbol(0);
    }
    if (n >= 3) {
      symbol(17);
      w.put(n - 3, 3);
    } else {
      for (; n > 0; n--) symbol(0);
    }
  };
  zeros(97);
  symbol(lengths[0]);
  symbol(lengths[1]);
  // With [1, 2] the space is not used up: the lengths go on to the alphabet's end, and the code is refused there.
  if (lengths[0] + lengths[1] !== 2) zeros(256 - 99);
  putSimpleCode(w, [commandSymbol(2, 0, false)], 10);
  putSimpleCode(w, [0], 6);
  // Literals 'a' (code 0) then 'b' (code 1, or 10 with length 2).
  w.put(0, 1).put(1, 1);
  if (lengths[1] === 2) w.put(0, 1);
  return w.align().toBuffer();
}

describe('decodeBrotli on damaged streams', () => {
  it('never gives bytes Node does not give (bit flips, cuts, appended bytes), over thousands of streams', () => {
    const next = random(1914);
    const sources: Buffer[] = benchMessages()
      .filter((_, i) => i % 37 === 0)
      .map((m) => m.compressed);
    for (let quality = 0; quality <= 11; quality++) {
      const plain = (quality % 3 === 0 ? randomText : quality % 3 === 1 ? randomJson : randomBytes)(next, 40 + Math.floor(next() * 600));
      sources.push(compress(plain, quality, 10 + Math.floor(next() * 15), MODES[quality % 3] ?? 0, quality % 2 === 0));
    }
    let damaged = 0;
    let decodedByUs = 0;
    for (const source of sources) {
      for (let k = 0; k < 60; k++) {
        const bytes = Buffer.from(source);
        const kind = k % 4;
        let broken: Buffer;
        if (kind === 0 || kind === 1) {
          for (let f = 0; f <= kind; f++) {
            const bit = Math.floor(next() * bytes.length * 8);
            bytes[bit >> 3] = (bytes[bit >> 3] ?? 0) ^ (1 << (bit & 7));
          }
          broken = bytes;
        } else if (kind === 2) {
          broken = bytes.subarray(0, Math.floor(next() * bytes.length));
        } else {
          broken = Buffer.concat([bytes, Buffer.from([Math.floor(next() * 256)])]);
        }
        damaged++;
        if (expectExact(broken, `damaged ${kind}`)) decodedByUs++;
      }
    }
    expect(damaged).toBeGreaterThan(3000);
    // Some bit flips leave a valid stream (a literal changed): those are decoded, and match Node.
    expect(decodedByUs).toBeGreaterThan(0);
  });
});
