/**
 * What a payload holds once unwrapped (inflated, or Base64-decoded): JSON when it parses as
 * JSON, else its text when it is UTF-8, else its bytes. Used by the wrappers (compressed,
 * Base64), which do not know what they carry.
 */
import { quote } from './decoded-frame';
import { describeValue } from './describe-value';
import { bytesValue, toJsonValue, type JsonValue } from './json-value';

export interface PayloadValue {
  /** How it was read: "JSON", "text" or "bytes". */
  as: 'JSON' | 'text' | 'bytes';
  value: JsonValue;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** The payload as payloadValue reads it, before the value is built (a query probe follows a path in `parsed`). */
export type ReadPayload = { as: 'JSON'; parsed: unknown } | { as: 'text'; text: string } | { as: 'bytes' };

export function readPayload(bytes: Uint8Array): ReadPayload {
  let text: string;
  try {
    text = strictUtf8.decode(bytes);
  } catch {
    return { as: 'bytes' };
  }
  const start = text.trimStart().charAt(0);
  if (start === '{' || start === '[') {
    try {
      return { as: 'JSON', parsed: JSON.parse(text) };
    } catch {
      // text that only looks like JSON
    }
  }
  return { as: 'text', text };
}

export function payloadValue(bytes: Uint8Array): PayloadValue {
  const read = readPayload(bytes);
  if (read.as === 'bytes') return { as: 'bytes', value: bytesValue(bytes) };
  if (read.as === 'text') return { as: 'text', value: read.text };
  return { as: 'JSON', value: toJsonValue(read.parsed) };
}

/**
 * What the unwrapped payload is, for a summary, its content first (a narrow Summary column shows
 * the start): "JSON map {type, price} (26 B)", "text 'hello' (5 B)", "binary (12 B)"; what
 * the JSON holds is said as the MessagePack summary says it.
 */
export function describePayload(payload: PayloadValue, size: number): string {
  if (payload.as === 'bytes') return `binary (${size} B)`;
  if (payload.as === 'text') return `text ${typeof payload.value === 'string' ? quote(payload.value, 40) : ''} (${size} B)`;
  return `JSON ${describeValue(payload.value)} (${size} B)`;
}
