/**
 * MessagePack payloads with msgpackr: one value per WebSocket message. Maps keep keys that are
 * not strings, 64-bit integers stay exact (bigint, written as digits), records (msgpackr's own
 * extension) are off so plain MessagePack from other libraries reads as sent.
 */
import { C1, Unpackr } from 'msgpackr';
import { decoded, notValid, type DecodeOutcome, type StreamDecoder, type WireFrame } from './decoded-frame';
import { StatelessDecoder } from './stateless-decoder';
import { toJsonValue } from './json-value';
import { describeValue } from './describe-value';
import { readExtensionsAsSent } from './msgpack-extensions';
import { msgpackBreak } from './msgpack-heads';

// Extension types as sent (msgpack-extensions.ts), not as msgpackr's own types.
readExtensionsAsSent();
const unpackr = new Unpackr({ useRecords: false, mapsAsObjects: false, int64AsType: 'bigint' });

/**
 * msgpackr reads `bytes.buffer` for its DataView, which for a small message (the store's reader
 * copies it onto V8's heap) first moves the bytes off the heap: most of the decoder's own time.
 * So a message up to SCRATCH_SIZE is copied into one reused buffer and read there up to its
 * length. A read past that length leaves msgpackr's position past it, which it refuses, so a
 * value it gives is the message's own; a refusal is read again from the message, for msgpackr's
 * words about it. Its values may view the buffer (bytes): they are made JSON before the next message.
 */
const SCRATCH_SIZE = 4096;
const scratch = Buffer.allocUnsafeSlow(SCRATCH_SIZE);

function unpack(bytes: Uint8Array): unknown {
  if (bytes.byteLength > SCRATCH_SIZE) return unpackr.unpack(bytes);
  scratch.set(bytes);
  try {
    return unpackr.unpack(scratch, { start: 0, end: bytes.byteLength });
  } catch {
    return unpackr.unpack(bytes);
  }
}

/** msgpackr returns a marker for the reserved byte 0xC1 instead of failing. */
function holdsReservedByte(value: unknown, depth = 0): boolean {
  if (value === C1) return true;
  if (depth > 64 || typeof value !== 'object' || value === null) return false;
  // Loops, not spread copies: this runs over every value of every decoded message.
  if (Array.isArray(value)) {
    for (const item of value) if (holdsReservedByte(item, depth + 1)) return true;
  } else if (value instanceof Map) {
    for (const [k, v] of value) if (holdsReservedByte(k, depth + 1) || holdsReservedByte(v, depth + 1)) return true;
  }
  return false;
}

/**
 * Where the message's first MessagePack value ends, or undefined when that cannot be read.
 * msgpackr's "end of buffer not reached" message ends with a JSON view of the value (read as a
 * byte position before, it said "ends at byte 1" for the value 1, and showed `{}` for a map), so
 * the place is asked of msgpackr's sequential reader instead. Also SignalR's MessagePack hub
 * messages' words.
 */
export function firstValueEnd(bytes: Uint8Array): number | undefined {
  let end: number | undefined;
  try {
    unpackr.unpackMultiple(bytes, (_value: unknown, _start?: number, stop?: number) => {
      end = stop;
      return false;
    });
  } catch {
    // Only the first value's end is wanted; the bytes after it need not read as MessagePack.
  }
  return end;
}

/** A whole value followed by more bytes. */
function leftOver(bytes: Uint8Array): DecodeOutcome {
  const end = firstValueEnd(bytes);
  if (end === undefined) return notValid('msgpack', `bytes are left over after the value (the message has ${bytes.byteLength} B)`);
  return notValid('msgpack', `the value ends at byte ${end} of ${bytes.byteLength}; the bytes after it are left over`);
}

export class MsgpackDecoder extends StatelessDecoder implements StreamDecoder {
  readonly protocol = 'msgpack' as const;

  /** One value per message: nothing is ever carried over. */
  idle(): boolean {
    return true;
  }

  decode(frame: WireFrame): DecodeOutcome | undefined {
    if (frame.opcode !== 'binary' && frame.opcode !== 'text') return undefined;
    if (frame.bytes.byteLength === 0) return notValid('msgpack', 'an empty message (no value)');
    let value: unknown;
    try {
      value = unpack(frame.bytes);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (/end of buffer not reached/.test(message)) return leftOver(frame.bytes);
      // A length or number past the end: msgpackr's DataView reads say so in V8's words, and an
      // extension whose type byte is past the end is an "Unknown extension (type) undefined".
      if (/Unexpected end|Offset is outside the bounds of the DataView|Unknown extension (type )?undefined/.test(message)) {
        // Where it breaks, read from the heads (msgpack-heads.ts).
        const where = msgpackBreak(frame.bytes);
        return notValid('msgpack', `the message (${frame.bytes.byteLength} B) ends before its value does${where !== undefined ? `: ${where}` : ''} (truncated, or a length is wrong)`);
      }
      return notValid('msgpack', message);
    }
    // Only a message with the byte 0xC1 somewhere can hold the marker (most have none: no walk over the value).
    if (frame.bytes.includes(0xc1) && holdsReservedByte(value)) return notValid('msgpack', 'the reserved byte 0xC1 is used as a value');
    const json = toJsonValue(value);
    return decoded('msgpack', `MessagePack ${describeValue(json)}`, json);
  }
}
