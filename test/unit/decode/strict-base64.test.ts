/**
 * strict-base64.ts against the Base64 decoder's own reading (base64-decoder.ts readBase64): the
 * same messages refused, the same bytes for the rest, on crafted edges and 20,000 generated
 * messages (both alphabets mixed, padding anywhere, line ends, bytes past ASCII).
 */
import { describe, expect, it } from 'vitest';
import { readBase64 } from '../../../src-main/core/decode/base64-decoder';
import { base64Capacity, decodeStrictBase64 } from '../../../src-main/core/decode/strict-base64';
import { pick, seeded } from './prefilter-harness';

/** What the proof's reading gives for the message, read from inside a larger slab. */
function strictRead(message: Buffer): Buffer | undefined {
  const slab = Buffer.concat([Buffer.from('QUJD'), message, Buffer.from('==\r\nQQ')]);
  const out = Buffer.alloc(base64Capacity(4, 4 + message.length) + 8, 0xaa);
  const length = decodeStrictBase64(slab, 4, 4 + message.length, out);
  return length < 0 ? undefined : out.subarray(0, length);
}

function expectSame(message: Buffer): void {
  const read = readBase64(message.toString('latin1'));
  const label = JSON.stringify(message.toString('latin1'));
  if ('problem' in read) expect(strictRead(message), label).toBeUndefined();
  else expect(strictRead(message)?.toString('hex'), label).toBe(read.bytes.toString('hex'));
}

describe('Base64 read as the decoder reads it (strict-base64.ts)', () => {
  it('takes and refuses what readBase64 does', () => {
    const cases = [
      '', '\r\n', 'QQ', 'QQ=', 'QQ==', 'QQ===', 'QUI', 'QUI=', 'QUJD', 'QUJDRA', 'QUJDR', 'Q', '=', '==', 'QQ==\r\n', 'QQ==\n\n\r', 'QQ\r\n==', 'Q Q', 'QQ=A', 'Q=Q=',
      '+/+/', '-_-_', '+/-_', '+_', 'ab+-', '____', '////', 'QUJD\nRA==', '\nQUJD', 'QUJD\u00ff', 'w6k=', 'w6k', '_-8', 'AAAA====', 'QR', 'QS==', 'QUJ=',
    ];
    for (const message of cases) expectSame(Buffer.from(message, 'latin1'));
  });

  it('agrees on 20,000 generated messages', () => {
    const random = seeded(4648);
    const chars = 'ABCXYZabcxyz0189+/-_=\r\n \u00ff.';
    for (let n = 0; n < 20_000; n++) {
      let message: string;
      if (random(2) === 0) {
        // Mostly valid: encoded bytes, sometimes URL-safe, unpadded or with line ends, then maybe one change.
        const bytes = Buffer.from(Array.from({ length: random(12) }, () => random(256)));
        message = bytes.toString(random(2) === 0 ? 'base64' : 'base64url');
        if (random(3) === 0) message = message.replace(/=+$/, '');
        if (random(3) === 0) message += pick(random, ['\n', '\r\n', '\r\n\r\n', '=']);
        if (random(3) === 0) {
          const at = random(message.length + 1);
          message = message.slice(0, at) + pick(random, [...chars]) + message.slice(at + random(2));
        }
      } else message = Array.from({ length: random(10) }, () => pick(random, [...chars])).join('');
      expectSame(Buffer.from(message, 'latin1'));
    }
  });

  it('refuses a scratch buffer too small for the bytes', () => {
    expect(decodeStrictBase64(Buffer.from('QUJD'), 0, 4, Buffer.alloc(2))).toBe(-1);
  });
});
