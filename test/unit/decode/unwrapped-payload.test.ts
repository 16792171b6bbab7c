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
  it('gives the decoder\'s bytes, keys and refusals for 3,000 generated messages, read from a slab', () => {
    const random = seeded(31);
    const unwrapper = new PayloadUnwrapper();
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

  it('answers again only for the same slab, start and end, and forgets after the run', async () => {
    const unwrapper = new PayloadUnwrapper();
    const a = zlib.gzipSync('{"seq":1}');
    const b = zlib.gzipSync('{"seq":22}');
    const slab = Buffer.concat([a, b]);
    const copy = Buffer.from(slab);
    expect(unwrapper.compressed(slab, 0, a.length).length).toBe(9);
    expect(unwrapper.compressed(slab, a.length, slab.length).length).toBe(10);
    expect(unwrapper.compressed(slab, 0, a.length).length).toBe(9);
    // The other protocol for the same bytes is its own answer.
    expect(unwrapper.base64(slab, 0, a.length).state).toBe(INVALID);
    expect(unwrapper.compressed(slab, 0, a.length).state).toBe(PAYLOAD);
    // Another slab object at the same offsets (a copy here, then one rewritten).
    copy.set(b, 0);
    expect(unwrapper.compressed(copy, 0, b.length).length).toBe(10);
    // The same slab object rewritten after the run (a slab the store took back from its pool).
    expect(unwrapper.compressed(slab, 0, a.length).length).toBe(9);
    await Promise.resolve();
    slab.set(b, 0);
    expect(unwrapper.compressed(slab, 0, b.length).length).toBe(10);
  });
});
