/**
 * msgpack-bytes-free.ts and raw-prefilter.ts cborBytesFree: a message they say is free of byte
 * strings decodes (when valid) to a value without json-value.ts's `$bytes` or an `$ext`, on
 * generated values of every kind, some damaged; and values without bytes, extensions or dates
 * are read to their end (the rule is not idle).
 */
import { encode as cborEncode } from 'cbor-x';
import { pack } from 'msgpackr';
import { describe, expect, it } from 'vitest';
import { CborDecoder } from '../../../src-main/core/decode/cbor-decoder';
import type { StreamDecoder } from '../../../src-main/core/decode/decoded-frame';
import { MsgpackDecoder } from '../../../src-main/core/decode/msgpack-decoder';
import { msgpackBytesFree } from '../../../src-main/core/decode/msgpack-bytes-free';
import { cborBytesFree } from '../../../src-main/core/decode/raw-prefilter';
import { pick, seeded } from './prefilter-harness';

type Random = (n: number) => number;

/** A value, with bytes, dates and extension-like values only when `plain` is false. */
function value(random: Random, plain: boolean, depth = 0): unknown {
  switch (random(depth > 3 ? 6 : 10)) {
    case 0:
      return pick(random, ['chat', 'caf\u00e9', '', 'x'.repeat(40 + random(300))]);
    case 1:
      return pick(random, [random(200) - 100, random(1 << 30), 2 ** 40 + random(9), 1.5, -7.25, 2n ** 63n + 5n]);
    case 2:
      return pick(random, [null, true, false]);
    case 3:
      return plain ? 'y' : Buffer.from([random(256), random(256)]);
    case 4:
      return plain ? 7 : new Date(Date.UTC(2020, 0, 1 + random(3)));
    case 5:
      return plain ? 'z' : new Uint8Array(random(300));
    case 6:
    case 7:
      return Array.from({ length: random(20) }, () => value(random, plain, depth + 1));
    default: {
      // cbor-x tags a Map (259): plain values are objects with string keys.
      if (plain) return Object.fromEntries(Array.from({ length: random(20) }, () => [`k${random(30)}`, value(random, plain, depth + 1)]));
      const map = new Map<unknown, unknown>();
      for (let i = random(20); i > 0; i--) map.set(random(3) === 0 ? random(9) : `k${random(30)}`, value(random, plain, depth + 1));
      return map;
    }
  }
}

function damaged(random: Random, bytes: Buffer): Buffer {
  if (random(3) !== 0 || bytes.length < 2) return bytes;
  if (random(2) === 0) return bytes.subarray(0, random(bytes.length));
  const copy = Buffer.from(bytes);
  copy[random(copy.length)] = pick(random, [0xc4, 0xc7, 0xd4, 0x42, 0x58, random(256)]);
  return copy;
}

function holdsWrapper(found: unknown): boolean {
  if (Array.isArray(found)) return found.some(holdsWrapper);
  if (typeof found !== 'object' || found === null) return false;
  return Object.entries(found).some(([key, member]) => key === '$bytes' || key === '$ext' || holdsWrapper(member));
}

describe.each([
  ['MessagePack', (v: unknown) => pack(v), msgpackBytesFree, () => new MsgpackDecoder()],
  ['CBOR', (v: unknown) => cborEncode(v), cborBytesFree, () => new CborDecoder()],
] as const)('%s without byte strings', (_name, encode: (v: unknown) => Buffer, bytesFree: (slab: Buffer, start: number, end: number) => boolean, make: () => StreamDecoder) => {
  it('never says so of a message whose value holds $bytes or $ext', () => {
    const random = seeded(41);
    let free = 0;
    for (let round = 0; round < 3000; round++) {
      const bytes = damaged(random, encode(value(random, random(2) === 0)));
      // Inside a larger slab, as the walk reads it.
      const slab = Buffer.concat([Buffer.from([0xc4, 0x01]), bytes, Buffer.from([0xc7])]);
      if (!bytesFree(slab, 2, 2 + bytes.length)) continue;
      free++;
      const outcome = make().decode({ seq: round, dir: 'in', opcode: 'binary', bytes });
      if (outcome?.kind === 'decoded') expect(holdsWrapper(outcome.value), bytes.toString('hex')).toBe(false);
    }
    expect(free).toBeGreaterThan(300);
  });

  it('reads values without bytes, extensions or dates to their end', () => {
    const random = seeded(42);
    for (let round = 0; round < 500; round++) {
      const bytes = encode(value(random, true));
      expect(bytesFree(bytes, 0, bytes.length), bytes.toString('hex')).toBe(true);
      expect(bytesFree(bytes, 0, bytes.length - 1), bytes.toString('hex')).toBe(false);
    }
    for (const found of [Buffer.from('chat'), { a: [new Uint8Array(3)] }]) {
      const bytes = encode(found);
      expect(bytesFree(bytes, 0, bytes.length)).toBe(false);
    }
  });
});
