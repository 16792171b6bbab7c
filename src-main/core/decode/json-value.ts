/**
 * Decoded values as plain JSON: what MessagePack, CBOR, MQTT and Socket.IO parsers return
 * (Buffers, Maps, Dates, bigints, CBOR tags, undefined) becomes something JSON.stringify writes
 * without loss of meaning: bytes as {"$bytes": base64, "length": n}, a bigint as its digits, a
 * Map with keys that are not strings as {"$map": [[key, value], …]}.
 */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** Deeper than this is cut (a hostile payload can nest thousands of levels). */
const MAX_DEPTH = 64;

export function bytesValue(bytes: Uint8Array): JsonValue {
  return { $bytes: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64'), length: bytes.byteLength };
}

/** An own property, even for the key __proto__ (plain assignment would set the object's prototype). */
function setOwn(target: { [key: string]: JsonValue }, key: string, value: JsonValue): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

export function toJsonValue(input: unknown, depth = 0): JsonValue {
  if (depth > MAX_DEPTH) return { $cut: `nested deeper than ${MAX_DEPTH} levels` };
  if (input === null || input === undefined) return null;
  if (typeof input === 'string' || typeof input === 'boolean') return input;
  if (typeof input === 'number') return Number.isFinite(input) ? input : String(input);
  if (typeof input === 'bigint') return input.toString();
  if (input instanceof Uint8Array) return bytesValue(input);
  if (input instanceof ArrayBuffer) return bytesValue(new Uint8Array(input));
  if (input instanceof Date) return Number.isNaN(input.getTime()) ? 'Invalid Date' : input.toISOString();
  if (Array.isArray(input)) return input.map((item: unknown) => toJsonValue(item, depth + 1));
  if (input instanceof Map) return mapValue(input, depth);
  if (input instanceof Set) return [...input].map((item: unknown) => toJsonValue(item, depth + 1));
  if (typeof input === 'object') {
    const out: { [key: string]: JsonValue } = {};
    for (const [key, value] of Object.entries(input)) {
      if (value !== undefined) setOwn(out, key, toJsonValue(value, depth + 1));
    }
    return out;
  }
  return String(input);
}

/**
 * A Map with string keys as an object, else as {"$map": [[key, value], …]}. One pass without
 * copying the entries first (MessagePack and CBOR maps are Maps: this runs for every map of
 * every decoded message); a key that is not a string starts the pairs over.
 */
function mapValue(input: Map<unknown, unknown>, depth: number): JsonValue {
  const out: { [key: string]: JsonValue } = {};
  for (const [key, value] of input) {
    if (typeof key !== 'string') {
      return { $map: Array.from(input, ([k, v]) => [toJsonValue(k, depth + 1), toJsonValue(v, depth + 1)]) };
    }
    setOwn(out, key, toJsonValue(value, depth + 1));
  }
  return out;
}

// ignoreBOM: a leading byte-order mark stays, as the lenient reading keeps it (TextDecoder drops it
// by default, so a payload with both a mark and a U+FFFD read differently from one with the mark alone).
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** A payload as its text when it is UTF-8, else as bytes. */
export function textOrBytes(bytes: Uint8Array): JsonValue {
  // The lenient decoder is much faster; the strict one only decides when a replacement character shows up.
  const lenient = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  if (!lenient.includes('\ufffd')) return lenient;
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return bytesValue(bytes);
  }
}
