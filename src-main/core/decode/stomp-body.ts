/**
 * How a STOMP frame's body shows in its decoded value. STOMP bodies are bytes, typed by the
 * frame's `content-type` header (STOMP 1.2 "Header content-type"): a body whose type is not text
 * (`application/octet-stream`, `image/png`, `application/x-protobuf`) shows as bytes,
 * {"$bytes": base64, "length": n}, as MQTT payloads and MessagePack binaries do (json-value.ts);
 * any other body as its text when it is UTF-8, else as bytes (textOrBytes). A text body holding
 * JSON stays a string, which queries and the detail pane read as JSON text (json-text-value.ts).
 * Without a content-type (most frames in practice, though the specification calls such a body a
 * blob) the bytes decide, as before. The decoder (stomp-decoder.ts), the probe (stomp-probe.ts)
 * and the match proof (stomp-match-proof.ts) all decide with `bodyIsText`.
 */
import { bytesValue, textOrBytes, type JsonValue } from './json-value';

/** Subtypes whose bodies are text whatever their top type (application/json, image/svg+xml). */
const TEXT_SUBTYPES = new Set(['json', 'xml', 'javascript', 'ecmascript', 'x-javascript', 'x-www-form-urlencoded', 'yaml', 'x-yaml', 'x-ndjson', 'ndjson', 'graphql', 'csv']);
const TEXT_SUFFIXES = ['+json', '+xml', '+yaml'];

/**
 * Whether a body of this content-type may be text: no content-type, one that is not a media type
 * (`type/subtype`: it says nothing), a `text/*` type, one with a `charset` parameter (only text
 * has a charset), or a JSON, XML, JavaScript, YAML or form type. Media types are compared without
 * case (RFC 2045 §5.1); the header's name is case-sensitive, as every STOMP header's is.
 */
export function bodyIsText(contentType: string | undefined): boolean {
  if (contentType === undefined) return true;
  // Frames of a stream mostly repeat one content-type: the last answer is kept.
  if (contentType === lastType) return lastAnswer;
  lastAnswer = readsAsText(contentType);
  lastType = contentType;
  return lastAnswer;
}

let lastType: string | undefined;
let lastAnswer = true;

function readsAsText(contentType: string): boolean {
  const semicolon = contentType.indexOf(';');
  const mediaType = (semicolon < 0 ? contentType : contentType.slice(0, semicolon)).trim().toLowerCase();
  const slash = mediaType.indexOf('/');
  if (slash <= 0 || slash === mediaType.length - 1) return true;
  if (mediaType.startsWith('text/')) return true;
  if (semicolon >= 0 && /;\s*charset\s*=/i.test(contentType.slice(semicolon))) return true;
  const subtype = mediaType.slice(slash + 1);
  return TEXT_SUBTYPES.has(subtype) || TEXT_SUFFIXES.some((suffix) => subtype.endsWith(suffix));
}

/** The body as the decoded value shows it (see the file comment). */
export function stompBodyValue(body: Uint8Array, contentType: string | undefined): JsonValue {
  return bodyIsText(contentType) ? textOrBytes(body) : bytesValue(body);
}
