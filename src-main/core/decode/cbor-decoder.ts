/**
 * CBOR payloads with cbor-x: one data item per WebSocket message. Maps keep keys that are not
 * strings; tags cbor-x knows (dates, bigints, typed arrays) are read, others kept as {tag, value}.
 */
import { Decoder } from 'cbor-x';
import { decoded, notValid, type DecodeOutcome, type StreamDecoder, type WireFrame } from './decoded-frame';
import { StatelessDecoder } from './stateless-decoder';
import { toJsonValue } from './json-value';
import { describeValue } from './describe-value';
import { readCborHeads } from './cbor-heads';

const decoder = new Decoder({ mapsAsObjects: false, useRecords: false });

/**
 * As msgpack-decoder.ts: cbor-x reads `bytes.buffer`, costly for a small message on V8's heap, so
 * one up to SCRATCH_SIZE is read from a reused buffer up to its length (cbor-x refuses a read past
 * it); a refusal is read again from the message, for cbor-x's words. Values are made JSON before
 * the next message.
 */
const SCRATCH_SIZE = 4096;
const scratch = Buffer.allocUnsafeSlow(SCRATCH_SIZE);
/** cbor-x's decode with where the data ends (its second parameter, which its typings leave out). */
const decodeUpTo: (source: Uint8Array, end: number) => unknown = decoder.decode.bind(decoder);

function decodeItem(bytes: Uint8Array): unknown {
  if (bytes.byteLength > SCRATCH_SIZE) return decoder.decode(bytes);
  scratch.set(bytes);
  try {
    return decodeUpTo(scratch, bytes.byteLength);
  } catch {
    return decoder.decode(bytes);
  }
}

/** cbor-x's error in words, with the place its own message lacks (read from the heads). */
function refusal(error: unknown, bytes: Uint8Array): string {
  const message = error instanceof Error ? error.message : String(error);
  const size = bytes.byteLength;
  const truncated = `the message (${size} B) ends before its data item does (truncated, or a length is wrong)`;
  if (/Unexpected end/.test(message)) return truncated;
  const heads = readCborHeads(bytes);
  if (/end of buffer not reached/.test(message)) {
    return 'end' in heads ? `the data item ends at byte ${heads.end} of ${size}; the bytes after it are left over` : `bytes are left over after the data item (the message has ${size} B)`;
  }
  // cbor-x words a length past the end in several ways ("Offset is outside the bounds of the DataView", "Map size exceeds …").
  if ('truncated' in heads) return truncated;
  if ('problem' in heads) return heads.problem;
  // Well-formed heads cbor-x still refuses: a tag it reads (a date, a typed array, packed values) with other content.
  if (heads.tags.length > 0) return `${message} (in the content of ${heads.tags.map((t) => `tag ${t.tag} at byte ${t.at}`).join(', ')})`;
  return message;
}

export class CborDecoder extends StatelessDecoder implements StreamDecoder {
  readonly protocol = 'cbor' as const;

  decode(frame: WireFrame): DecodeOutcome | undefined {
    if (frame.opcode !== 'binary' && frame.opcode !== 'text') return undefined;
    if (frame.bytes.byteLength === 0) return notValid('cbor', 'an empty message (no data item)');
    let value: unknown;
    try {
      value = decodeItem(frame.bytes);
    } catch (error) {
      return notValid('cbor', refusal(error, frame.bytes));
    }
    const json = toJsonValue(value);
    return decoded('cbor', `CBOR ${describeValue(json)}`, json);
  }
}
