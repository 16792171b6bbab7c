/**
 * The JSON a string holds, for a query path that goes on into it (shared/decoded-query.ts): a
 * STOMP body, an MQTT payload or an argument sent as JSON text is a string in the decoded value,
 * and `$.body.price > 100` reads the object inside it, as the detail pane's tree shows it
 * (JsonTree.vue, "JSON text"). Only an object or an array counts (text such as `"7"` or `true`
 * stays text), read by JSON.parse as every JSON decoder here reads JSON, up to MAX_JSON_TEXT_CHARS.
 */

/** Longer strings are not read as JSON (the tree's cap too). */
export const MAX_JSON_TEXT_CHARS = 100_000;

/**
 * Whether a string starting with this character code (after JSON whitespace) may hold a JSON
 * object or array: what the byte probes check before they treat a string as having nothing under it.
 */
export function opensJsonContainer(code: number): boolean {
  return code === 0x7b || code === 0x5b;
}

/** Whether the code is JSON whitespace (space, tab, line feed, carriage return). */
export function isJsonSpace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;
}

/** The object or array the string holds as JSON text, or undefined (not JSON, a scalar, or too long). */
export function jsonTextValue(text: string): object | undefined {
  if (text.length > MAX_JSON_TEXT_CHARS) return undefined;
  let at = 0;
  while (at < text.length && isJsonSpace(text.charCodeAt(at))) at++;
  if (!opensJsonContainer(text.charCodeAt(at))) return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null ? parsed : undefined;
  } catch {
    return undefined;
  }
}
