/**
 * A 431 (Request Header Fields Too Large) to the upgrade: how big the request's headers were,
 * as sent (measured before redaction, so a secret's real length counts; only sizes and names
 * are kept), and what to say about it.
 */
import { formatBytes } from '../../shared/format-bytes';

export interface HeaderSizes {
  /** Bytes of every header line as sent (`Name: value` and CRLF). */
  totalBytes: number;
  /** The largest header line, when there is one. */
  biggest?: { name: string; bytes: number };
}

/** Node writes header values as Latin-1: one byte per character. */
export function headerSizes(headers: readonly (readonly [string, string])[]): HeaderSizes {
  let totalBytes = 0;
  let biggest: HeaderSizes['biggest'];
  for (const [name, value] of headers) {
    const bytes = Buffer.byteLength(`${name}: ${value}\r\n`, 'latin1');
    totalBytes += bytes;
    if (!biggest || bytes > biggest.bytes) biggest = { name, bytes };
  }
  return biggest ? { totalBytes, biggest } : { totalBytes };
}

export function tooLargeWords(statusLine: string, sizes: HeaderSizes): { message: string; hint: string } {
  const biggest = sizes.biggest ? `; the biggest is ${sizes.biggest.name}, ${bytesText(sizes.biggest.bytes)}` : '';
  return {
    message: `The server answered the WebSocket upgrade with ${statusLine}: the request's headers are too large for it (${bytesText(sizes.totalBytes)} of header lines${biggest}).`,
    hint: sizes.biggest
      ? `Make the request's headers smaller: shorten or remove ${sizes.biggest.name} (a large cookie or token is the usual cause) or other headers you added, or raise the server's header size limit.`
      : "Make the request's headers smaller, or raise the server's header size limit.",
  };
}

/** Exact (servers set their limits in bytes), with the KiB figure once it is that large. */
function bytesText(bytes: number): string {
  return bytes < 1024 ? `${bytes} bytes` : `${bytes} bytes (${formatBytes(bytes)})`;
}
