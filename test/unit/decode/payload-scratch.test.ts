/**
 * MessagePack and CBOR messages are read from one reused buffer (msgpack-decoder.ts,
 * cbor-decoder.ts): what is left there from a longer message before must never be read as the
 * rest of a shorter one (a message cut short stays refused, in the same words as read alone),
 * bytes in a value must not change when the next message is read, and a message longer than the
 * buffer reads as before.
 */
import { Decoder, encode as cborEncode } from 'cbor-x';
import { pack } from 'msgpackr';
import { describe, expect, it } from 'vitest';
import { CborDecoder } from '../../../src-main/core/decode/cbor-decoder';
import type { DecodeOutcome, StreamDecoder } from '../../../src-main/core/decode/decoded-frame';
import { MsgpackDecoder } from '../../../src-main/core/decode/msgpack-decoder';

const formats = [
  ['MessagePack', () => new MsgpackDecoder(), (v: unknown) => Buffer.from(pack(v))],
  ['CBOR', () => new CborDecoder(), (v: unknown) => Buffer.from(cborEncode(v))],
] as const;

function decode(decoder: StreamDecoder, bytes: Uint8Array): DecodeOutcome | undefined {
  // As the store's reader gives them: a copy on V8's heap.
  return decoder.decode({ seq: 1, dir: 'in', opcode: 'binary', bytes: new Uint8Array(bytes) });
}

describe.each(formats)('%s read from the reused buffer', (_name, make, encode) => {
  it('refuses every cut of a message read right after the whole one, saying it ends too soon', () => {
    const whole = encode({ event: 'chat', seq: 70_000, f: 1.5, data: { sym: 'ABC', price: 12, blob: Buffer.from('bytes') }, list: [1, 'two', null] });
    const decoder = make();
    for (let cut = 1; cut < whole.length; cut++) {
      expect(decode(decoder, whole)?.kind).toBe('decoded');
      // A value's bytes are read from its first byte on, so no cut of one is a whole value.
      const outcome = decode(decoder, whole.subarray(0, cut));
      expect(outcome?.kind, `cut at ${cut}`).toBe('invalid');
      expect(outcome?.kind === 'invalid' ? outcome.problem : '', `cut at ${cut}`).toMatch(/ends before its (value|data item) does/);
    }
  });

  it('keeps the bytes of a value when the next message is read', () => {
    const decoder = make();
    const first = decode(decoder, encode({ b: Buffer.from('first bytes') }));
    decode(decoder, encode({ b: Buffer.from('other bytes') }));
    expect(first).toMatchObject({ kind: 'decoded', value: { b: { $bytes: Buffer.from('first bytes').toString('base64'), length: 11 } } });
  });

  it('reads a message longer than the buffer as before', () => {
    const long = encode({ text: 'x'.repeat(10_000), n: 3 });
    expect(decode(make(), long)).toMatchObject({ kind: 'decoded', value: { text: 'x'.repeat(10_000), n: 3 } });
    expect(decode(make(), long.subarray(0, 9_000))?.kind).toBe('invalid');
  });
});

describe('CBOR refused from the reused buffer', () => {
  it("words it as cbor-x does for the message itself (read again from its own bytes), with the tag's place", () => {
    const bytes = Buffer.from('d8420a', 'hex'); // tag 66 (a typed array) holding the integer 10
    let words = '';
    try {
      new Decoder({ mapsAsObjects: false, useRecords: false }).decode(bytes);
    } catch (error) {
      words = error instanceof Error ? error.message : String(error);
    }
    expect(words).not.toBe('');
    const decoder = new CborDecoder();
    decode(decoder, Buffer.from(cborEncode({ long: 'x'.repeat(100) })));
    expect(decode(decoder, bytes)).toMatchObject({ kind: 'invalid', problem: `${words} (in the content of tag 66 at byte 0)` });
  });
});

