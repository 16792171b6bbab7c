/**
 * How a STOMP frame's body shows in its decoded value. STOMP bodies are bytes, typed by the
 * frame's `content-type` header (STOMP 1.2 "Header content-type"): a body whose type is not text
 * (`application/octet-stream`, `image/png`, `application/x-protobuf`) shows as bytes,
 * {"$bytes": base64, "length": n}, as MQTT payloads and MessagePack binaries do (json-value.ts);
 * any other body as its text, else as bytes. A text body holding JSON stays a string, which
 * queries and the detail pane read as JSON text (json-text-value.ts).
 * The text is read in the type's first `charset` (STOMP 1.2: "text/plain;charset=utf-8"; UTF-8
 * when it names none): a label of the WHATWG Encoding Standard (`iso-8859-1`, `windows-1252`,
 * `utf-16le`, `shift_jis`), decoded strictly (stomp-charset.ts). A charset that is no such
 * label, or bytes not valid in it (in UTF-8 too when it was named), and the body shows as bytes
 * with a note the decoder adds to the frame's summary (`BodyShown.note`): "charset 'foo' is not
 * known; shown as bytes", "not valid shift_jis at byte 1 of the body; shown as bytes". Without
 * a charset a text type's bytes decide as before: UTF-8 text, else bytes, without a note.
 * Without a content-type (most frames in practice, though the specification calls such a body a
 * blob) the bytes decide, as before. The decoder (stomp-decoder.ts), the probe (stomp-probe.ts)
 * and the match proof (stomp-match-proof.ts) all decide with `bodyReading`; the probe and the
 * proof read a body's bytes as UTF-8 only for the reading `utf-8`, and step aside (decode in
 * order) for `charset`.
 */
import { bytesValue, textOrBytes, type JsonValue } from './json-value';
import { quote } from './decoded-frame';
import { charsetParameter, decodeIn, encodingNamed, encodingOf, whereNotValid } from './stomp-charset';

/** Subtypes whose bodies are text whatever their top type (application/json, image/svg+xml). */
const TEXT_SUBTYPES = new Set(['json', 'xml', 'javascript', 'ecmascript', 'x-javascript', 'x-www-form-urlencoded', 'yaml', 'x-yaml', 'x-ndjson', 'ndjson', 'graphql', 'csv']);
const TEXT_SUFFIXES = ['+json', '+xml', '+yaml'];

/** How a body of some content-type is read (bodyReading). */
export type BodyReading =
  /** Not a text type: bytes, whatever they hold. */
  | { readonly kind: 'bytes' }
  /** Text in UTF-8 (no charset, or a label of UTF-8): its text when it is UTF-8, else bytes (no note). */
  | { readonly kind: 'utf-8'; readonly declared: string | undefined }
  /** Text in another encoding the label names (`encoding`: its WHATWG name). */
  | { readonly kind: 'charset'; readonly declared: string; readonly encoding: string }
  /** A charset that names no encoding known here: bytes, with a note. */
  | { readonly kind: 'unknown'; readonly declared: string };

/** What the decoded value shows of a body, and why it is bytes where the content-type said text. */
export interface BodyShown {
  readonly value: JsonValue;
  /** For the summary: "charset 'foo' is not known; shown as bytes". */
  readonly note?: string;
}

const BYTES: BodyReading = { kind: 'bytes' };
const UTF8: BodyReading = { kind: 'utf-8', declared: undefined };

/**
 * Whether a body of this content-type may be text: no content-type, one that is not a media type
 * (`type/subtype`: it says nothing), a `text/*` type, one with a `charset` parameter (only text
 * has a charset), or a JSON, XML, JavaScript, YAML or form type. Media types are compared without
 * case (RFC 2045 §5.1); the header's name is case-sensitive, as every STOMP header's is.
 */
export function bodyIsText(contentType: string | undefined): boolean {
  return bodyReading(contentType).kind !== 'bytes';
}

/**
 * How a body of this content-type is read (see the file comment): the type decides text or
 * bytes (bodyIsText), the first `charset` parameter the encoding.
 */
export function bodyReading(contentType: string | undefined): BodyReading {
  if (contentType === undefined) return UTF8;
  // Frames of a stream repeat a few content-types: answers are kept by the header's exact text.
  let reading = readings.get(contentType);
  if (reading === undefined) {
    if (readings.size >= KEPT_READINGS) readings.clear();
    reading = readingOf(contentType);
    readings.set(contentType, reading);
  }
  return reading;
}

/** Answers kept (a stream whose every frame has its own content-type starts afresh past this many). */
const KEPT_READINGS = 256;
const readings = new Map<string, BodyReading>();

function readingOf(contentType: string): BodyReading {
  const semicolon = contentType.indexOf(';');
  const mediaType = (semicolon < 0 ? contentType : contentType.slice(0, semicolon)).trim().toLowerCase();
  const charset = semicolon < 0 ? undefined : charsetParameter(contentType);
  if (charset !== undefined) return charsetReading(charset);
  const slash = mediaType.indexOf('/');
  if (slash <= 0 || slash === mediaType.length - 1) return UTF8;
  if (mediaType.startsWith('text/')) return UTF8;
  const subtype = mediaType.slice(slash + 1);
  return TEXT_SUBTYPES.has(subtype) || TEXT_SUFFIXES.some((suffix) => subtype.endsWith(suffix)) ? UTF8 : BYTES;
}

function charsetReading(declared: string): BodyReading {
  const encoding = encodingOf(declared);
  if (encoding === undefined) return { kind: 'unknown', declared };
  return encoding === 'utf-8' ? { kind: 'utf-8', declared } : { kind: 'charset', declared, encoding };
}

/** The body as the decoded value shows it (see the file comment), and the note when it is bytes against its charset. */
export function stompBody(body: Uint8Array, contentType: string | undefined): BodyShown {
  const reading = bodyReading(contentType);
  switch (reading.kind) {
    case 'bytes':
      return { value: bytesValue(body) };
    case 'utf-8': {
      const value = textOrBytes(body);
      // Bytes where a charset was declared: say where they stop being UTF-8.
      return typeof value === 'string' || reading.declared === undefined ? { value } : { value, note: notValidNote(body, 'utf-8', reading.declared) };
    }
    case 'unknown':
      return { value: bytesValue(body), note: `charset ${quote(reading.declared)} is not known; shown as bytes` };
    case 'charset': {
      const text = decodeIn(reading.encoding, body);
      return text !== undefined ? { value: text } : { value: bytesValue(body), note: notValidNote(body, reading.encoding, reading.declared) };
    }
  }
}

/** The body as the decoded value shows it (stompBody without the note). */
export function stompBodyValue(body: Uint8Array, contentType: string | undefined): JsonValue {
  return stompBody(body, contentType).value;
}

/** "not valid shift_jis at byte 12 of the body; shown as bytes" (stomp-charset.ts whereNotValid). */
function notValidNote(body: Uint8Array, encoding: string, declared: string): string {
  const where = whereNotValid(encoding, body);
  return `not valid ${encodingNamed(encoding, declared)}${where.startsWith('at ') ? ' ' : ': '}${where}; shown as bytes`;
}
