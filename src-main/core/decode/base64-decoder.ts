/**
 * Base64 text (RFC 4648, the standard or the URL-safe alphabet, padded or not): the message is
 * checked character by character, so a stray one is named with its place, then decoded; what it
 * carries is inflated when it is gzip or zlib, then shown as JSON, text or bytes.
 */
import { decoded, notValid, quote, type DecodeOutcome, type StreamDecoder, type WireFrame } from './decoded-frame';
import { StatelessDecoder } from './stateless-decoder';
import { inflatePayload, isGzip, isZlib } from './compressed-decoder';
import { describePayload, payloadValue } from './payload-value';
import type { JsonValue } from './json-value';

const STANDARD = /[A-Za-z0-9+/]/;
const URL_SAFE = /[A-Za-z0-9\-_]/;

/** The message's characters checked as Base64: the bytes, or what is wrong and where. */
export function readBase64(text: string): { bytes: Buffer; urlSafe: boolean } | { problem: string } {
  const body = text.replace(/[\r\n]+$/, '');
  if (body === '') return { problem: 'an empty message (no Base64 characters)' };
  const padding = /=*$/.exec(body)?.[0].length ?? 0;
  const chars = body.slice(0, body.length - padding);
  if (padding > 2) return { problem: `${padding} padding characters '=' at the end (at most 2)` };
  const urlSafe = /[-_]/.test(chars);
  const alphabet = urlSafe ? URL_SAFE : STANDARD;
  for (let i = 0; i < chars.length; i++) {
    const c = chars.charAt(i);
    if (!alphabet.test(c)) {
      if (c === '=') return { problem: `padding '=' at character ${i}, before the end` };
      return { problem: `${quote(c)} at character ${i} is not a Base64 character${urlSafe ? ' (URL-safe alphabet)' : ''}` };
    }
  }
  if (chars.length % 4 === 1) return { problem: `${chars.length} Base64 characters: one too many for whole bytes (truncated, or a character is missing)` };
  if (padding > 0 && body.length % 4 !== 0) return { problem: `padded to ${body.length} characters, not a multiple of 4` };
  return { bytes: Buffer.from(chars, urlSafe ? 'base64url' : 'base64'), urlSafe };
}

export class Base64Decoder extends StatelessDecoder implements StreamDecoder {
  readonly protocol = 'base64' as const;

  decode(frame: WireFrame): DecodeOutcome | undefined {
    if (frame.opcode !== 'binary' && frame.opcode !== 'text') return undefined;
    const read = readBase64(Buffer.from(frame.bytes).toString('latin1'));
    if ('problem' in read) return notValid('base64', read.problem);
    const alphabet = read.urlSafe ? 'Base64url' : 'Base64';
    const value: { [key: string]: JsonValue } = { size: read.bytes.byteLength };
    let inner: Uint8Array = read.bytes;
    let how = '';
    const gzip = isGzip(read.bytes);
    if (gzip || isZlib(read.bytes)) {
      const inflated = inflatePayload(read.bytes);
      if (!('problem' in inflated)) {
        value.compression = inflated.how;
        value.inflatedSize = inflated.bytes.byteLength;
        inner = inflated.bytes;
        how = `, ${inflated.how}`;
      } else if (gzip) {
        return notValid('base64', `the decoded bytes look compressed but do not inflate: ${inflated.problem}`);
      } else {
        // zlib's two-byte header is a weak sign: 1 in 32 protobuf messages starting with a varint
        // field (0x08, 0x18, …) has one. Bytes that do not inflate are shown as they are.
        value.notInflated = inflated.problem;
      }
    }
    const payload = payloadValue(inner);
    value.as = payload.as;
    value.payload = payload.value;
    return decoded('base64', `${alphabet}${how} → ${describePayload(payload, inner.byteLength)}`, value);
  }
}
