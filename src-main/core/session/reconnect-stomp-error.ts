/**
 * The server's STOMP frames followed across WebSocket messages, only to see an ERROR frame and
 * whether it came before CONNECTED (then it answers the CONNECT): one message may hold several
 * frames (an ERROR after a RECEIPT), and a frame may be split over messages. Each frame's bounds
 * are found by the grammar stomp-frame.ts reads (command line, headers up to the empty line, a
 * body of content-length bytes, or up to the NUL, then its NUL), the headers byte by byte, the
 * body skipped by its length or one search for its NUL: no header is decoded but an ERROR's. The rest of a frame that is no ERROR is skipped by its content-length or
 * up to its NUL, never kept; only an unfinished command line and headers are kept (at most
 * MAX_KEPT bytes). An ERROR is told as soon as its headers are whole. Bytes that are no STOMP
 * (no command a frame starts with) end the message's reading; the next message is read afresh.
 */
import { STOMP_COMMANDS } from '../decode/stomp-frame';

export interface StompErrorSeen {
  /** Its message header, if any (cut at 80 characters). */
  message?: string;
  /** The first line of its body, if any (cut at 80 characters). */
  bodyLine?: string;
  /** No CONNECTED came before it: it answers the CONNECT. */
  beforeConnected: boolean;
}

/** An unfinished command line and headers longer than this is no frame worth following. */
const MAX_KEPT = 16 * 1024;
const NUL = 0;
const LF = 0x0a;
const CR = 0x0d;
const CONTENT_LENGTH = Buffer.from('content-length:');

function cut(text: string | undefined): string | undefined {
  const trimmed = text?.trim();
  if (trimmed === undefined || trimmed === '') return undefined;
  return trimmed.length > 80 ? `${trimmed.slice(0, 80)}…` : trimmed;
}

/**
 * A frame's headers read from its command line's LF, byte by byte (headers are short: a loop is
 * cheaper than a native search per line): where its body starts (-1 while the empty line has not
 * come) and its first content-length header's value (1.2: the first of a repeat counts).
 */
function headersFrom(bytes: Buffer, commandEnd: number): { body: number; length: number | undefined } {
  let length: number | undefined;
  let lf = commandEnd;
  for (;;) {
    const line = lf + 1;
    if (bytes[line] === LF) return { body: line + 1, length };
    if (bytes[line] === CR && bytes[line + 1] === LF) return { body: line + 2, length };
    if (length === undefined && startsWith(bytes, line, CONTENT_LENGTH)) length = digitsAt(bytes, line + CONTENT_LENGTH.length);
    let next = line;
    while (next < bytes.length && bytes[next] !== LF) next += 1;
    if (next >= bytes.length) return { body: -1, length: undefined };
    lf = next;
  }
}

function startsWith(bytes: Buffer, at: number, prefix: Buffer): boolean {
  if (at + prefix.length > bytes.length) return false;
  for (let i = 0; i < prefix.length; i++) if (bytes[at + i] !== prefix[i]) return false;
  return true;
}

/** A header value of 1 to 10 digits (spaces around allowed, as the parser trims), up to its line's end; undefined otherwise. */
function digitsAt(bytes: Buffer, from: number): number | undefined {
  let at = from;
  while (bytes[at] === 0x20 || bytes[at] === 0x09) at += 1;
  let value = 0;
  let digits = 0;
  while (at < bytes.length && (bytes[at] ?? 0) >= 0x30 && (bytes[at] ?? 0) <= 0x39) {
    value = value * 10 + ((bytes[at] ?? 0) - 0x30);
    digits += 1;
    at += 1;
  }
  while (bytes[at] === 0x20 || bytes[at] === 0x09 || bytes[at] === CR) at += 1;
  return digits >= 1 && digits <= 10 && (at >= bytes.length || bytes[at] === LF) ? value : undefined;
}

export class StompErrorScanner {
  /** An unfinished frame's start (its command line or headers still arriving). */
  private kept: Buffer | undefined;
  /** The rest of a frame that is no ERROR: this many bytes, or up to its NUL. */
  private skip: number | 'nul' = 0;
  private connected = false;

  /** The first ERROR frame whose headers end in the server's next message, if any. */
  push(payload: Buffer): StompErrorSeen | undefined {
    let bytes = payload;
    let at = 0;
    if (this.skip === 'nul') {
      const nul = bytes.indexOf(NUL);
      if (nul < 0) return undefined;
      this.skip = 0;
      at = nul + 1;
    } else if (this.skip > 0) {
      if (bytes.length <= this.skip) {
        this.skip -= bytes.length;
        return undefined;
      }
      at = this.skip;
      this.skip = 0;
    } else if (this.kept) {
      bytes = Buffer.concat([this.kept, payload]);
      this.kept = undefined;
    }
    for (;;) {
      // Heart-beats (EOLs) between frames.
      while (bytes[at] === LF || bytes[at] === CR) at += 1;
      if (at >= bytes.length) return undefined;
      const lf = bytes.indexOf(LF, at);
      const { body, length } = lf < 0 ? { body: -1, length: undefined } : headersFrom(bytes, lf);
      if (body < 0) {
        // The command line or the headers go on in a later message.
        if (bytes.length - at <= MAX_KEPT) this.kept = Buffer.from(bytes.subarray(at));
        return undefined;
      }
      const command = bytes.subarray(at, lf > at && bytes[lf - 1] === CR ? lf - 1 : lf).toString('latin1');
      if (!STOMP_COMMANDS.has(command)) return undefined;
      if (command === 'ERROR') return this.seen(bytes.subarray(lf, body), bytes.subarray(body));
      if (command === 'CONNECTED') this.connected = true;
      if (length !== undefined) {
        // The body, then its NUL.
        const end = body + length + 1;
        if (end > bytes.length) {
          this.skip = end - bytes.length;
          return undefined;
        }
        at = end;
      } else {
        const nul = bytes.indexOf(NUL, body);
        if (nul < 0) {
          this.skip = 'nul';
          return undefined;
        }
        at = nul + 1;
      }
    }
  }

  /** An ERROR: its message header (from its header lines) and the first line of its body (what of it arrived). */
  private seen(headerLines: Buffer, body: Buffer): StompErrorSeen {
    const message = /\nmessage:([^\r\n]*)/.exec(headerLines.toString('utf8'))?.[1];
    const nul = body.indexOf(NUL);
    const text = body.subarray(0, Math.min(nul < 0 ? body.length : nul, 400)).toString('utf8');
    const said = cut(message);
    const bodyLine = cut(text.split(/\r?\n/).find((line) => line.trim() !== ''));
    return { ...(said !== undefined ? { message: said } : {}), ...(bodyLine !== undefined ? { bodyLine } : {}), beforeConnected: !this.connected };
  }
}
