/**
 * CBOR payloads with cbor-x: one data item per WebSocket message. Maps keep keys that are not
 * strings; tags cbor-x knows (dates, bigints, typed arrays) are read, others kept as {tag, value}.
 */
import { Decoder } from 'cbor-x';
import { decoded, notValid, type DecodeOutcome, type StreamDecoder, type WireFrame } from './decoded-frame';
import { StatelessDecoder } from './stateless-decoder';
import { toJsonValue } from './json-value';
import { describeValue } from './describe-value';

const decoder = new Decoder({ mapsAsObjects: false, useRecords: false });

export class CborDecoder extends StatelessDecoder implements StreamDecoder {
  readonly protocol = 'cbor' as const;

  decode(frame: WireFrame): DecodeOutcome | undefined {
    if (frame.opcode !== 'binary' && frame.opcode !== 'text') return undefined;
    if (frame.bytes.byteLength === 0) return notValid('cbor', 'an empty message (no data item)');
    let value: unknown;
    try {
      value = decoder.decode(frame.bytes);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (/end of buffer not reached/.test(message)) return notValid('cbor', `bytes are left over after the data item (the message has ${frame.bytes.byteLength} B)`);
      if (/Unexpected end/.test(message)) return notValid('cbor', `the message (${frame.bytes.byteLength} B) ends before its data item does (truncated, or a length is wrong)`);
      return notValid('cbor', message);
    }
    const json = toJsonValue(value);
    return decoded('cbor', `CBOR ${describeValue(json)}`, json);
  }
}
