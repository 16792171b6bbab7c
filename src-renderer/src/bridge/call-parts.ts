/**
 * The page's side of calls in parts (wire protocol in src-main/shared/bridge.ts): the web host
 * refuses any message over `--max-message-mb` (at least 1 MiB), so a call whose arg is larger
 * than one part (an imported log) goes as `call-part`s of its arg's JSON text, then the call.
 */
import { MAX_CALL_PARTS, type WebCall, type WebCallPart } from '../../../src-main/shared/bridge';

/**
 * Characters of arg JSON per part. One character is at most 3 bytes of UTF-8 once the part
 * is itself JSON (a quote becomes `\"`, a BMP character 3 bytes; a lone surrogate is escaped
 * to ASCII), so every part stays under 1 MiB, the smallest limit the host can be given.
 */
export const CALL_PART_CHARS = 256 * 1024;

/** The messages to send for `call`, in order: the call itself, or its parts and then the call. */
export function callMessages(call: WebCall, partChars = CALL_PART_CHARS): { ok: true; texts: string[] } | { ok: false; reason: string } {
  const argText: string | undefined = JSON.stringify(call.arg);
  if (argText === undefined || argText.length <= partChars) return { ok: true, texts: [JSON.stringify(call)] };
  const slices = sliceText(argText, partChars);
  if (slices.length > MAX_CALL_PARTS) {
    return { ok: false, reason: `the argument is too large to send: ${slices.length} parts, at most ${MAX_CALL_PARTS}` };
  }
  const total = slices.length;
  const texts = slices.map((data, index) => JSON.stringify({ type: 'call-part', id: call.id, name: call.name, index, total, data } satisfies WebCallPart));
  texts.push(JSON.stringify({ type: 'call', id: call.id, name: call.name, parts: total } satisfies WebCall));
  return { ok: true, texts };
}

/** Cuts `text` into pieces of at most `size` characters, never between the halves of a surrogate pair. */
function sliceText(text: string, size: number): string[] {
  const slices: string[] = [];
  let start = 0;
  while (start < text.length) {
    let end = Math.min(start + size, text.length);
    const last = text.charCodeAt(end - 1);
    if (end < text.length && end - start > 1 && last >= 0xd800 && last <= 0xdbff) end -= 1;
    slices.push(text.slice(start, end));
    start = end;
  }
  return slices;
}
