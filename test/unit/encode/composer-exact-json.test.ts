// The MessagePack / CBOR composer keeps integers beyond 2^53 exact (issue 14 QA, M6): before,
// {"big":12345678901234567890} went out as a float64 and read back as 12345678901234567000.
// MessagePack beyond 64 bits is refused, saying where; CBOR takes it as a bignum (tag 2 / 3).
import { decode as cborDecode } from 'cbor-x';
import { Unpackr } from 'msgpackr';
import { describe, expect, it } from 'vitest';
import { encodeMessage } from '../../../src-main/core/encode/encode-message';
import { parseExactJson } from '../../../src-main/shared/exact-json';

const unpackr = new Unpackr({ useRecords: false, int64AsType: 'bigint' });

function bytesOf(protocol: 'msgpack' | 'cbor', json: string): Buffer {
  const encoded = encodeMessage({ protocol, json });
  if (!encoded.ok) throw new Error(encoded.error.message);
  return Buffer.from(encoded.value.data, 'base64');
}

describe('MessagePack and CBOR from JSON, integers exact', () => {
  it('reads integer literals beyond 2^53 as BigInt, wherever they are, and nothing else', () => {
    const parsed = parseExactJson('{"big": 12345678901234567890, "s": "12345678901234567890", "a": [1, -9223372036854775808, 1.5e300, 9007199254740991, 9007199254740993.0]}');
    expect(parsed).toMatchObject({
      ok: true,
      value: { big: 12345678901234567890n, s: '12345678901234567890', a: [1, -9223372036854775808n, 1.5e300, 9007199254740991, 9007199254740992] },
    });
    expect(parsed.ok && parsed.bigIntegers.map((b) => [b.text, b.line, b.column])).toEqual([
      ['12345678901234567890', 1, 9],
      ['-9223372036854775808', 1, 69],
    ]);
    // Strings holding quotes and escapes are skipped whole; a string like the inner tag stays a string.
    expect(parseExactJson('["a\\"12345678901234567890", "\\u0001exact-int-x-0", 18446744073709551615]')).toMatchObject({ ok: true, value: ['a"12345678901234567890', '\u0001exact-int-x-0', 18446744073709551615n] });
  });

  it('MessagePack: uint64 and int64 exact', () => {
    const bytes = bytesOf('msgpack', '{"big":12345678901234567890,"neg":-9223372036854775808}');
    // 0xcf: uint 64, 0xd3: int 64.
    expect(bytes.toString('hex')).toContain('cfab54a98ceb1f0ad2');
    expect(bytes.toString('hex')).toContain('d38000000000000000');
    expect(unpackr.unpack(bytes)).toEqual({ big: 12345678901234567890n, neg: -9223372036854775808n });
    // Small integers as before.
    expect(unpackr.unpack(bytesOf('msgpack', '{"n":1}'))).toEqual({ n: 1 });
  });

  it('MessagePack beyond 64 bits is refused, naming the line and column', () => {
    const encoded = encodeMessage({ protocol: 'msgpack', json: '{\n  "big": 18446744073709551616\n}' });
    expect(encoded).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
    expect(!encoded.ok && encoded.error.message).toBe(
      'message:encode: line 2, column 10: 18446744073709551616 is beyond 64 bits, and MessagePack has no larger integer (CBOR has: a bignum); write it as a string',
    );
  });

  it('CBOR: major type 0 / 1 with an 8-byte argument, a bignum beyond 64 bits', () => {
    const bytes = bytesOf('cbor', '{"big":12345678901234567890,"neg":-9223372036854775808,"huge":1180591620717411303424}');
    expect(bytes.toString('hex')).toContain('1bab54a98ceb1f0ad2');
    expect(bytes.toString('hex')).toContain('c249400000000000000000');
    expect(cborDecode(bytes)).toEqual({ big: 12345678901234567890n, neg: -9223372036854775808n, huge: 1180591620717411303424n });
  });
});
