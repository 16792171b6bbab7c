/**
 * The server's STOMP frames followed across WebSocket messages, only to see an ERROR frame and
 * whether it came before CONNECTED (then it answers the CONNECT): one message may hold several
 * frames (an ERROR after a RECEIPT), and a frame may be split over messages. Each frame's bounds
 * are found with byte searches, by the grammar stomp-frame.ts reads (command line, headers up to
 * the empty line, a body of content-length bytes, or up to the NUL, then its NUL): no header is
 * decoded but an ERROR's. The rest of a frame that is no ERROR is skipped by its content-length or
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
const CONTENT_LENGTH = Buffer.from('\ncontent-length:');

function cut(text: string | undefined): string | undefined {
  const trimmed = text?.trim();
  if (trimmed === undefined || trimmed === '') return undefined;
  return trimmed.length > 80 ? `${trimmed.slice(0, 80)}…` : trimmed;
}

/** Where the empty line ending a frame's headers ends (the body's start), line by line from its command line's LF; -1 while it has not come. */
function bodyStart(bytes: Buffer, commandEnd: number): number {
  let lf = commandEnd;
  while (lf >= 0) {
    if (bytes[lf + 1] === LF) return lf + 2;
    if (bytes[lf + 1] === CR && bytes[lf + 2] === LF) return lf + 3;
    lf = bytes.indexOf(LF, lf + 1);
  }
  return -1;
}

/** The first content-length header's value (1.2: the first of a repeat counts) between the command line and the body, or undefined. */
function contentLength(bytes: Buffer, commandEnd: number, body: number): number | undefined {
  const headers = bytes.subarray(commandEnd, body);
  const at = headers.indexOf(CONTENT_LENGTH);
  if (at < 0) return undefined;
  const value = /^\s*(\d{1,10})\s*$/.exec(headers.subarray(at + CONTENT_LENGTH.length, headers.indexOf(LF, at + 1)).toString('latin1'))?.[1];
  return value === undefined ? undefined : Number(value);
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
      const body = lf < 0 ? -1 : bodyStart(bytes, lf);
      if (body < 0) {
        // The command line or the headers go on in a later message.
        if (bytes.length - at <= MAX_KEPT) this.kept = Buffer.from(bytes.subarray(at));
        return undefined;
      }
      const command = bytes.subarray(at, lf > at && bytes[lf - 1] === CR ? lf - 1 : lf).toString('latin1');
      if (!STOMP_COMMANDS.has(command)) return undefined;
      if (command === 'ERROR') return this.seen(bytes.subarray(lf, body), bytes.subarray(body));
      if (command === 'CONNECTED') this.connected = true;
      const length = contentLength(bytes, lf, body);
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
