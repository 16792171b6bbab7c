/**
 * unwrapped-payload.ts: a message unwrapped as its decoder unwraps it (the same bytes, the same
 * refusals), and the answer given again only for the same slab object, start and end within the
 * run that made it; a slab rewritten after the run (the store reuses slabs) is unwrapped afresh.
 */
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readBase64 } from '../../../src-main/core/decode/base64-decoder';
import { createDecoder } from '../../../src-main/core/decode/decoder-registry';
import { INVALID, NOT_INFLATED, PAYLOAD, PayloadUnwrapper, UNSURE, type UnwrappedPayload } from '../../../src-main/core/decode/unwrapped-payload';
import { inflatePayload } from '../../../src-main/core/decode/compressed-decoder';
import { PayloadInflater } from '../../../src-main/core/decode/payload-inflater';
import { pick, seeded } from './prefilter-harness';

type Protocol = 'compressed' | 'base64';

/** The decoder's own unwrapping: its outcome's keys, and the bytes it read (compressed-decoder.ts inflatePayload, base64-decoder.ts readBase64). */
function decoderUnwraps(protocol: Protocol, message: Buffer): { valid: boolean; bytes?: Buffer; value?: Record<string, unknown> } {
  const outcome = createDecoder(protocol).decode({ seq: 1, dir: 'in', opcode: 'binary', bytes: Buffer.from(message) });
  if (!outcome || outcome.kind === 'invalid') return { valid: false };
  const value = outcome.value as Record<string, unknown>;
  let bytes: Buffer | undefined;
  if (protocol === 'compressed') {
    const inflated = inflatePayload(message);
    bytes = 'bytes' in inflated ? inflated.bytes : undefined;
  } else {
    const read = readBase64(message.toString('latin1'));
    if ('bytes' in read) {
      const inflated = value.compression !== undefined ? inflatePayload(read.bytes) : undefined;
      bytes = inflated && 'bytes' in inflated ? inflated.bytes : read.bytes;
    }
  }
  return { valid: true, value, ...(bytes ? { bytes } : {}) };
}

function expectAsDecoder(protocol: Protocol, message: Buffer, answer: UnwrappedPayload): void {
  const label = `${protocol} ${message.toString('hex')}`;
  const decoder = decoderUnwraps(protocol, message);
  if (answer.state === UNSURE) return;
  if (answer.state === INVALID) {
    expect(decoder.valid, label).toBe(false);
    return;
  }
  expect(decoder.valid, label).toBe(true);
  expect(answer.bytes.subarray(0, answer.length).toString('hex'), label).toBe(decoder.bytes?.toString('hex'));
  expect(answer.size, label).toBe(decoder.value?.size);
  expect(answer.compression, label).toBe(decoder.value?.compression);
  if (answer.compression !== undefined) expect(answer.inflatedSize, label).toBe(decoder.value?.inflatedSize);
  expect(answer.state === NOT_INFLATED, label).toBe(decoder.value?.notInflated !== undefined);
}

/** Each payload in each wrapping, and bytes that only look compressed (made once: brotli is slow to write). */
const INNER: readonly Buffer[] = ['{"seq":1}', '[1,2,3]', 'hello', '', 'x'.repeat(300), '\u00e9'].flatMap((text) => {
  const payload = Buffer.from(text, 'utf8');
  return [payload, zlib.gzipSync(payload), zlib.deflateSync(payload), zlib.deflateRawSync(payload), zlib.brotliCompressSync(payload)];
}).concat([Buffer.from([0x78, 0x9c, 1, 2, 3]), Buffer.from([0x1f, 0x8b, 8, 0])]);

function randomMessage(random: (n: number) => number): { protocol: Protocol; bytes: Buffer } {
  const inner = pick(random, INNER);
  let bytes = random(2) === 0 ? inner : Buffer.from(inner.toString(random(2) === 0 ? 'base64' : 'base64url'), 'latin1');
  if (random(5) === 0) bytes = bytes.subarray(0, random(bytes.length + 1));
  if (random(5) === 0 && bytes.length > 0) {
    bytes = Buffer.from(bytes);
    const at = random(bytes.length);
    bytes[at] = (bytes[at] ?? 0) ^ (1 << random(8));
  }
  return { protocol: random(2) === 0 ? 'compressed' : 'base64', bytes };
}

describe('a payload unwrapped as its decoder unwraps it (unwrapped-payload.ts)', () => {
  // The second inflater's scratch buffer is smaller than many payloads: it is then unsure (the
  // decoder's public functions read them), which is neither bytes nor a refusal.
  it.each([
    ['its own inflater', () => new PayloadUnwrapper(), 31],
    ['an inflater with a 40-byte scratch buffer', () => new PayloadUnwrapper(new PayloadInflater(undefined, 40)), 32],
  ])("gives the decoder's bytes, keys and refusals for 3,000 generated messages, read from a slab, through %s", (_name, make, seed) => {
    const random = seeded(seed);
    const unwrapper = make();
    const states = new Set<number>();
    for (let n = 0; n < 3000; n++) {
      const { protocol, bytes } = randomMessage(random);
      const slab = Buffer.concat([Buffer.from([0x1f, 0x8b]), bytes, Buffer.from([0x08, 0x3d, 0x0a])]);
      const answer = protocol === 'compressed' ? unwrapper.compressed(slab, 2, 2 + bytes.length) : unwrapper.base64(slab, 2, 2 + bytes.length);
      states.add(answer.state);
      expectAsDecoder(protocol, bytes, answer);
    }
    expect([...states].sort()).toEqual([PAYLOAD, INVALID, UNSURE, NOT_INFLATED].sort());
  });

  it('reads no byte past the decoded Base64 left there by a longer message', () => {
    const unwrapper = new PayloadUnwrapper();
    const gzip = Buffer.from(zlib.gzipSync('{"a":1}').toString('base64'));
    expect(unwrapper.base64(gzip, 0, gzip.length).compression).toBe('gzip');
    // 1f 8b: gzip's first two bytes, the third (08) only in the buffer from before.
    const short = Buffer.from(Buffer.from([0x1f, 0x8b]).toString('base64'));
    const answer = unwrapper.base64(short, 0, short.length);
    expect([answer.state, answer.length, answer.compression]).toEqual([PAYLOAD, 2, undefined]);
    expectAsDecoder('base64', short, answer);
  });

  it('answers again only for the same slab, start and end, and forgets after the run', async () => {
    const unwrapper = new PayloadUnwrapper();
    const a = zlib.gzipSync('{"seq":1}');
    const b = zlib.gzipSync('{"seq":2}');
    expect(a.length).toBe(b.length);
    const read = (answer: UnwrappedPayload): string => answer.bytes.toString('latin1', 0, answer.length);
    const slab = Buffer.concat([a, b]);
    expect(read(unwrapper.compressed(slab, 0, a.length))).toBe('{"seq":1}');
    expect(read(unwrapper.compressed(slab, a.length, slab.length))).toBe('{"seq":2}');
    expect(read(unwrapper.compressed(slab, 0, a.length))).toBe('{"seq":1}');
    // The other protocol for the same bytes is its own answer.
    expect(unwrapper.base64(slab, 0, a.length).state).toBe(INVALID);
    expect(unwrapper.compressed(slab, 0, a.length).state).toBe(PAYLOAD);
    // Another slab object at the same offsets.
    const other = Buffer.concat([b, a]);
    expect(read(unwrapper.compressed(other, 0, b.length))).toBe('{"seq":2}');
    // The same slab object rewritten after the run (a slab the store took back from its pool).
    expect(read(unwrapper.compressed(slab, 0, a.length))).toBe('{"seq":1}');
    await Promise.resolve();
    slab.set(b, 0);
    expect(read(unwrapper.compressed(slab, 0, a.length))).toBe('{"seq":2}');
  });
});
