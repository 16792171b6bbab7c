/**
 * Builds HttpCapture records (what went over the wire: start line, headers in order with
 * secrets redacted, a capped body preview) for any leg: the CONNECT exchange with a proxy,
 * the WebSocket upgrade. The body reader never waits past its deadline, never keeps more than
 * its cap, and only ever produces text (nothing is rendered or interpreted).
 */
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import type { HttpCapture } from '../../shared/model';
import type { Deadline } from '../net/deadline';
import { redactHeaders, type HeaderPair } from './redact';

const DEFAULT_BODY_CAP_BYTES = 8192;

export interface CaptureOptions {
  /** Further header names whose values are secret (headers the user marked secret). */
  secretHeaders?: readonly string[];
}

/** Node's flat `rawHeaders` (`[name, value, name, value, …]`) as pairs, in wire order. */
export function rawHeaderPairs(rawHeaders: readonly string[]): HeaderPair[] {
  const pairs: HeaderPair[] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    pairs.push([rawHeaders[i] ?? '', rawHeaders[i + 1] ?? '']);
  }
  return pairs;
}

/** All values of one header (case-insensitive), in order. */
export function headerValues(headers: readonly (readonly [string, string])[], name: string): string[] {
  const lower = name.toLowerCase();
  return headers.filter(([n]) => n.toLowerCase() === lower).map(([, v]) => v);
}

/** `HTTP/1.0 500 handshakefailed` (no trailing space when the reason phrase is empty). */
export function statusLineOf(response: Pick<IncomingMessage, 'httpVersion' | 'statusCode' | 'statusMessage'>): string {
  const reason = response.statusMessage ?? '';
  const status = `HTTP/${response.httpVersion} ${response.statusCode ?? 0}`;
  return reason === '' ? status : `${status} ${reason}`;
}

/** A received response: status line and headers (redacted), without a body yet. */
export function captureIncoming(
  response: Pick<IncomingMessage, 'httpVersion' | 'statusCode' | 'statusMessage' | 'rawHeaders'>,
  options: CaptureOptions = {},
): HttpCapture {
  return {
    startLine: statusLineOf(response),
    headers: redactHeaders(rawHeaderPairs(response.rawHeaders), options.secretHeaders),
  };
}

/** A request as sent: start line (`CONNECT host:443 HTTP/1.1`) and headers (redacted). */
export function captureOutgoing(
  startLine: string,
  headers: readonly (readonly [string, string])[],
  options: CaptureOptions = {},
): HttpCapture {
  return { startLine, headers: redactHeaders(headers, options.secretHeaders) };
}

/** The capture with a body preview attached. */
export function withBody(capture: HttpCapture, body: BodyPreview): HttpCapture {
  return { ...capture, bodyPreview: body.text, bodyBytes: body.bytes, bodyTruncated: body.truncated };
}

// ---------------------------------------------------------------------------------------
// Capped body reading
// ---------------------------------------------------------------------------------------

export interface BodyPreview {
  /** The kept bytes decoded as UTF-8 (invalid sequences replaced; a cut character dropped). */
  text: string;
  /** Body bytes seen in all (may exceed what was kept). */
  bytes: number;
  /** True when more was seen than kept, or reading stopped (deadline, cap) before the end. */
  truncated: boolean;
}

/**
 * How the body on `stream` is delimited. `end` (default): until the stream ends, as for an
 * IncomingMessage whose body Node already decoded. `length` / `chunked`: the raw bytes of a
 * socket whose body Node did not parse (the answer to CONNECT), so the reader can stop at
 * the end of the body instead of waiting for a close that a keep-alive proxy never sends.
 */
export type BodyFraming = { kind: 'end' } | { kind: 'length'; length: number } | { kind: 'chunked' };

export interface ReadBodyOptions {
  capBytes?: number;
  /** Reading stops when it passes; what arrived so far is returned (marked truncated). */
  deadline: Deadline;
  /** Bytes of the body already read off the stream (e.g. the `head` of a CONNECT answer). */
  initial?: Buffer;
  framing?: BodyFraming;
}

/** The framing an HTTP response's headers announce (`Transfer-Encoding` wins over `Content-Length`). */
export function framingOf(headers: readonly (readonly [string, string])[]): BodyFraming {
  const transfer = headerValues(headers, 'transfer-encoding').join(',').toLowerCase();
  if (/(^|,)\s*chunked\s*$/.test(transfer)) return { kind: 'chunked' };
  const lengths = headerValues(headers, 'content-length');
  const first = lengths[0];
  if (first !== undefined && /^\s*\d+\s*$/.test(first)) return { kind: 'length', length: Number(first) };
  return { kind: 'end' };
}

interface Dechunked {
  body: Buffer;
  complete: boolean;
}

/** Decodes as much of a chunked body as `raw` holds; tolerant of a cut at any point. */
export function decodeChunked(raw: Buffer): Dechunked {
  const parts: Buffer[] = [];
  let offset = 0;
  for (;;) {
    const lineEnd = raw.indexOf('\r\n', offset, 'latin1');
    if (lineEnd < 0) return { body: Buffer.concat(parts), complete: false };
    const sizeText = raw.toString('latin1', offset, lineEnd).split(';')[0]?.trim() ?? '';
    if (!/^[0-9a-fA-F]+$/.test(sizeText)) return { body: Buffer.concat(parts), complete: true };
    const size = Number.parseInt(sizeText, 16);
    if (size === 0) return { body: Buffer.concat(parts), complete: true };
    const start = lineEnd + 2;
    const end = Math.min(start + size, raw.length);
    parts.push(raw.subarray(start, end));
    if (start + size + 2 > raw.length) return { body: Buffer.concat(parts), complete: false };
    offset = start + size + 2;
  }
}

/**
 * Reads a body from `stream` until it ends, the framing says it is complete, the cap is
 * reached, or the deadline passes, whichever comes first. Never throws; stream errors just
 * end the read. Leaves the stream paused with this reader's listeners removed; the caller
 * owns the stream and keeps its own 'error' listener on it.
 */
export function readBodyPreview(stream: Readable, options: ReadBodyOptions): Promise<BodyPreview> {
  const cap = options.capBytes ?? DEFAULT_BODY_CAP_BYTES;
  const framing = options.framing ?? { kind: 'end' };
  // Chunk-size lines add a little to the raw size; keep enough raw bytes to fill the cap.
  const rawCap = framing.kind === 'chunked' ? cap * 2 + 1024 : cap + 1;
  const chunks: Buffer[] = [];
  let rawKept = 0;
  let rawSeen = 0;

  const add = (chunk: Buffer): void => {
    rawSeen += chunk.length;
    if (rawKept >= rawCap) return;
    const slice = chunk.subarray(0, rawCap - rawKept);
    chunks.push(slice);
    rawKept += slice.length;
  };

  const state = (): { body: Buffer; bodyBytes: number; complete: boolean } => {
    const raw = Buffer.concat(chunks);
    if (framing.kind === 'chunked') {
      const decoded = decodeChunked(raw);
      return { body: decoded.body, bodyBytes: decoded.body.length, complete: decoded.complete };
    }
    if (framing.kind === 'length') {
      const bodyBytes = Math.min(rawSeen, framing.length);
      return { body: raw.subarray(0, framing.length), bodyBytes, complete: rawSeen >= framing.length };
    }
    return { body: raw, bodyBytes: rawSeen, complete: false };
  };

  const finish = (ended: boolean): BodyPreview => {
    const { body, bodyBytes, complete } = state();
    const kept = body.subarray(0, cap);
    // `stream: true` drops a multi-byte character cut by the cap instead of showing U+FFFD.
    const text = new TextDecoder('utf-8', { fatal: false }).decode(kept, { stream: kept.length < body.length });
    const truncated = bodyBytes > kept.length || !(ended || complete);
    return { text, bytes: bodyBytes, truncated };
  };

  if (options.initial && options.initial.length > 0) add(options.initial);

  return new Promise<BodyPreview>((resolve) => {
    let done = false;
    const stop = (ended: boolean): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      stream.removeListener('data', onData);
      stream.removeListener('end', onEnd);
      stream.removeListener('close', onEnd);
      stream.removeListener('error', onEnd);
      stream.pause();
      resolve(finish(ended));
    };
    const enough = (): boolean => {
      const { bodyBytes, complete } = state();
      return complete || bodyBytes > cap || rawKept >= rawCap;
    };
    const onData = (chunk: unknown): void => {
      add(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
      if (enough()) stop(false);
    };
    const onEnd = (): void => stop(true);
    const timer = setTimeout(() => stop(false), options.deadline.remaining());

    if (enough()) {
      stop(false);
      return;
    }
    if (stream.readableEnded || stream.destroyed) {
      // Drain what is still buffered, then report the end.
      let buffered: unknown;
      while ((buffered = stream.read()) !== null) onData(buffered);
      stop(true);
      return;
    }
    stream.on('data', onData);
    stream.once('end', onEnd);
    stream.once('close', onEnd);
    stream.once('error', onEnd);
    stream.resume();
  });
}
