/**
 * Where a MessagePack message cut short breaks (msgpack-heads.ts, used by msgpack-decoder.ts
 * after msgpackr refuses it): the head that needs more bytes than are left, or the list or map
 * the message ends inside, each with its byte; string contents never taken for heads; nothing
 * said for a message whose heads are whole.
 */
import { pack } from 'msgpackr';
import { describe, expect, it } from 'vitest';
import { MsgpackDecoder } from '../../../src-main/core/decode/msgpack-decoder';
import { msgpackBreak } from '../../../src-main/core/decode/msgpack-heads';

const hex = (text: string): Uint8Array => new Uint8Array(Buffer.from(text.replace(/\s+/g, ''), 'hex'));

describe('where a MessagePack message cut short breaks', () => {
  it.each([
    ['a fixstr', 'a5 61', 'the fixstr at byte 0 says 5 B, 1 B is left'],
    ['a str 8 after a key', '81 a1 61 d9 09 61 62', 'the str 8 at byte 3 says 9 B, 2 B are left'],
    ['a str 8 without its length', 'd9', 'the str 8 at byte 0 is cut in its 1-byte length'],
    ['a bin 16 cut in its length', '91 c5 00', 'the bin 16 at byte 1 is cut in its 2-byte length'],
    ['a bin 8', 'c4 05 01 02', 'the bin 8 at byte 0 says 5 B, 2 B are left'],
    ['a uint 32', '92 01 ce 00 01', 'the uint 32 at byte 2 needs 4 B after its head, 2 B are left'],
    ['a float 64', 'cb 3f f8', 'the float 64 at byte 0 needs 8 B after its head, 2 B are left'],
    ['a fixext 2', 'd5 01', 'the fixext 2 at byte 0 needs 3 B after its head, 1 B is left'],
    ['an ext 8 without its type byte', '8a c7 00', 'the ext 8 at byte 1 ends before its type byte'],
    ['an ext 8 short of its data', 'c7 05 01 02', 'the ext 8 at byte 0 says 5 B of data after its type byte, 1 B is left'],
    ['an ext 8 one byte short (its type byte counted)', 'c7 02 01 aa', 'the ext 8 at byte 0 says 2 B of data after its type byte, 1 B is left'],
    ['a fixarray', '92 01', 'it ends inside the fixarray at byte 0 (2 items, 1 read)'],
    ['an array 16', 'dc 00 03 01', 'it ends inside the array 16 at byte 0 (3 items, 1 read)'],
    ['a fixmap after a key', '82 a1 61', 'it ends inside the fixmap at byte 0 (2 entries, 0 read and a key)'],
    ['a map 16 in a list', '91 de 00 02 a1 61 01', 'it ends inside the map 16 at byte 1 (2 entries, 1 read)'],
  ])('%s', (_name, bytes, where) => {
    expect(msgpackBreak(hex(bytes))).toBe(where);
  });

  it('steps over string contents: bytes that look like heads inside a string are not read as heads', () => {
    // {a: "\xdc\xff\xff"} then cut inside a second string: the string's 0xdc is not an array 16.
    expect(msgpackBreak(hex('82 a1 61 a3 dc ff ff a1 62 a4 61'))).toBe('the fixstr at byte 9 says 4 B, 1 B is left');
  });

  it('says nothing for whole heads (a whole value, or 0xC1, which is not a cut)', () => {
    expect(msgpackBreak(hex('92 01 02'))).toBeUndefined();
    expect(msgpackBreak(hex('92 01 02 03'))).toBeUndefined();
    expect(msgpackBreak(hex('91 c1'))).toBeUndefined();
  });

  it('is what the decoder says, after the message size', () => {
    const cut = pack({ event: 'chat', text: 'hello', n: 1 }).subarray(0, 5);
    expect(new MsgpackDecoder().decode({ seq: 1, dir: 'in', opcode: 'binary', bytes: new Uint8Array(cut) })?.summary).toBe(
      'not valid MessagePack: the message (5 B) ends before its value does: the fixstr at byte 3 says 5 B, 1 B is left (truncated, or a length is wrong)',
    );
  });

  it('finds a break in every cut of generated values that msgpackr refuses as cut short', () => {
    const values = [{ event: 'chat', seq: 70_000, data: { sym: 'ABC', price: 1.5, blob: Buffer.from('xyz') }, list: [1, -200, 'two', null, true, 2n ** 40n] }, [new Map<unknown, unknown>([[1, 'a']]), 'x'.repeat(40), Buffer.alloc(300)]];
    for (const value of values) {
      const whole = pack(value);
      for (let cut = 1; cut < whole.length; cut++) {
        const outcome = new MsgpackDecoder().decode({ seq: 1, dir: 'in', opcode: 'binary', bytes: new Uint8Array(whole.subarray(0, cut)) });
        expect(outcome?.kind === 'invalid' ? outcome.problem : '', `cut at ${cut}`).toMatch(/ends before its value does: (the .+ at byte \d+|it ends inside the .+ at byte \d+ \(.+\)) /);
      }
    }
  });
});
