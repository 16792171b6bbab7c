/**
 * A credential's bytes in one message, and how they are masked: '*' each (same length, so sizes
 * and offsets stay valid and the masked message still reads as the protocol), or, for a JSON
 * number, `0` then spaces (still a number) when the number starts in this message and spaces
 * for its rest in a later message.
 */
export const STAR = 0x2a;

/** [start, end) in the message; `number`: 1 a JSON number starting here, 2 the rest of one begun earlier. */
export type CredentialRange = [start: number, end: number, number?: 1 | 2];

/** What a protocol's reader found in a message: the ranges and the credential fields they belong to. */
export interface FoundCredentials {
  ranges: CredentialRange[];
  /** JSONPath-like paths of the fields in the protocol frame (`$.password`, `$.headers.passcode`), each once. */
  fields: string[];
}

export function noteField(found: FoundCredentials, field: string): void {
  if (!found.fields.includes(field)) found.fields.push(field);
}

/**
 * The message with the ranges masked (a copy; `bytes` itself when there are none), and how many
 * bytes were masked. Ranges may overlap (two protocols' readers): each byte counts once.
 */
export function applyRanges(bytes: Uint8Array, ranges: readonly CredentialRange[]): { bytes: Uint8Array; masked: number } {
  if (ranges.length === 0) return { bytes, masked: 0 };
  const copy = Uint8Array.from(bytes);
  const done = ranges.length > 1 ? new Uint8Array(bytes.length) : undefined;
  let masked = 0;
  for (const [start, end, number] of ranges) {
    for (let i = Math.max(0, start); i < end && i < copy.length; i++) {
      if (done) {
        if (done[i] === 1) continue;
        done[i] = 1;
      }
      copy[i] = number === 1 ? (i === start ? 0x30 : 0x20) : number === 2 ? 0x20 : STAR;
      masked++;
    }
  }
  return { bytes: copy, masked };
}
