/**
 * A large frame's payload, fetched in parts (`frames:get` with `maxBytes`, shared/payload-part.ts):
 * the detail pane holds the parts fetched so far and fetches the rest only when asked (Show
 * more, Fetch the rest, Save payload…), one part at a time, so no answer is ever more than a
 * part and nothing piles up on the web host's socket to the page.
 */
import type { FramePartBody } from '../../../src-main/shared/payload-part';
import type { Result } from '../../../src-main/shared/result';
import { parseBase64 } from './hex';
import { saveBlob } from './save-text-file';

export type FetchPart = (offset: number) => Promise<Result<FramePartBody>>;

/** A part's bytes and where it ends, or why it cannot be read. */
export function partBytes(body: FramePartBody): { ok: true; bytes: Uint8Array; end: number; totalBytes: number } | { ok: false; error: string } {
  const decoded = parseBase64(body.base64);
  if (!decoded.ok) return { ok: false, error: `The engine sent a payload that is not valid base64: ${decoded.error}` };
  const offset = body.part?.offset ?? 0;
  const totalBytes = body.part?.totalBytes ?? decoded.value.length;
  return { ok: true, bytes: decoded.value, end: offset + decoded.value.length, totalBytes };
}

export function joinBytes(chunks: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const chunk of chunks) length += chunk.length;
  const out = new Uint8Array(length);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

/**
 * The parts from `from` to the end, one call after another (the next is asked only once the
 * last has come). Stops when `stopped()` says the user moved on (undefined), or at an error.
 */
export async function fetchRest(
  fetchPart: FetchPart,
  from: number,
  totalBytes: number,
  stopped: () => boolean,
  progress?: (fetched: number) => void,
): Promise<{ ok: true; chunks: Uint8Array[] } | { ok: false; error: string } | undefined> {
  const chunks: Uint8Array[] = [];
  let at = from;
  while (at < totalBytes) {
    const result = await fetchPart(at);
    if (stopped()) return undefined;
    if (!result.ok) return { ok: false, error: result.error.message };
    const part = partBytes(result.value);
    if (!part.ok) return part;
    // A part that does not move on (the payload changed under us) would loop for ever.
    if (part.end <= at) return { ok: false, error: `the engine answered no bytes at offset ${at}` };
    chunks.push(part.bytes);
    at = part.end;
    progress?.(at);
  }
  return { ok: true, chunks };
}

/** Hands bytes to the browser as a file download (the web host and Electron both show their save flow). */
export function saveBytesFile(fileName: string, chunks: readonly Uint8Array[], type: string): void {
  // Blob takes only ArrayBuffer-backed views: a copy of each part.
  saveBlob(fileName, new Blob(chunks.map((chunk) => new Uint8Array(chunk)), { type }));
}
