/** A decoded value in a few words for a summary: "map {type, price, …}", "array of 3", "string 'hi'". */
import { quote } from './decoded-frame';
import type { JsonValue } from './json-value';

export function describeValue(value: JsonValue): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return `string ${quote(value, 40)}`;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `array of ${value.length}`;
  const keys = Object.keys(value);
  if (keys.length === 2 && '$bytes' in value && 'length' in value) return `${String(value.length)} bytes`;
  if (keys.length === 3 && '$ext' in value && '$bytes' in value && 'length' in value) return `extension type ${String(value.$ext)} (${String(value.length)} B)`;
  const shown = keys.slice(0, 4).join(', ');
  return `map {${shown}${keys.length > 4 ? ', …' : ''}}`;
}
