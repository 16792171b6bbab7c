/**
 * Reads an NDJSON log (shared/log-file.ts): an optional header line, then one frame per line.
 * Every line is checked against the contract's schemas plus what a schema cannot say (the
 * size must match the payload, base64 must decode, times must be real), and every problem is
 * reported with its line number and the field in words. Frames get new seqs from 1 (a filtered export has
 * gaps, and the store is gap-free); the notes say so.
 */
import { NDJSON_HEADER_TYPE, ndjsonFrameSchema, ndjsonHeaderSchema, type NdjsonFrame, type NdjsonHeader } from '../../shared/log-file';
import { FrameStore, encodeClosePayload, type FrameStoreOptions } from '../session/frame-store';
import { redactClientHandshake, redactSteps } from './redact-log';
import { IMPORT_YIELD_EVERY, UNKNOWN_URL, yieldToLoop, type ImportedLog } from './imported-log';
import { ProblemList } from './import-problems';
import { NDJSON_FRAME_FIELDS, NDJSON_HEADER_FIELDS } from './import-wording';
import { markFromLog } from './intercept-mark';
import type { RelayMark } from '../session/relay-mark';

export async function importNdjson(text: string, store: FrameStoreOptions, problems: ProblemList): Promise<ImportedLog | undefined> {
  const frames = new FrameStore(store);
  const notes: string[] = [];
  let header: NdjsonHeader | undefined;
  let sawFirst = false;
  let previousSeq = 0;
  let gaps = false;
  let firstAt: number | undefined;
  let lineNo = 0;
  let start = 0;
  while (start <= text.length) {
    const newline = text.indexOf('\n', start);
    const end = newline < 0 ? text.length : newline;
    const line = text.slice(start, end).replace(/\r$/, '');
    start = end + 1;
    lineNo += 1;
    if (lineNo % IMPORT_YIELD_EVERY === 0) await yieldToLoop();
    if (line.trim() === '') {
      if (newline < 0) break;
      continue;
    }
    const where = `line ${lineNo}`;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      problems.add(where, `the line is not valid JSON (${error instanceof Error ? error.message : String(error)})`);
      if (newline < 0) break;
      continue;
    }
    const isHeader = typeof value === 'object' && value !== null && 'type' in value && value.type === NDJSON_HEADER_TYPE;
    if (isHeader) {
      if (sawFirst) problems.add(where, 'a header line may only come first');
      else {
        const parsed = ndjsonHeaderSchema.safeParse(value, { reportInput: true });
        if (parsed.success) header = parsed.data;
        else problems.addZod(where, parsed.error, NDJSON_HEADER_FIELDS);
      }
    } else {
      const frame = checkFrame(value, where, problems);
      if (frame && problems.count === 0) {
        if (frame.seq <= previousSeq) problems.add(where, `the frame's number (seq) ${frame.seq} is not after the previous frame's ${previousSeq}`);
        else {
          if (previousSeq !== 0 && frame.seq !== previousSeq + 1) gaps = true;
          previousSeq = frame.seq;
          firstAt ??= frame.at;
          const seq = frames.push(frame.dir, frame.opcode, frame.payload, frame.close, frame.at);
          if (frame.mark) frames.mark(seq, frame.mark.mark, frame.mark.original);
        }
      }
    }
    sawFirst = true;
    if (newline < 0) break;
  }
  if (problems.count > 0) return undefined;
  if (!header) notes.push('the file has no header line, so the URL and the handshake are unknown');
  if (gaps) notes.push('the file skips seqs (a filtered export): the frames are numbered again from 1');
  if (frames.dropped > 0) notes.push(`${frames.dropped} older frames were dropped: the store keeps ${frames.maxFrames} frames and ${frames.maxBytes} bytes`);
  const createdAt = header ? Date.parse(header.createdAt) : (firstAt ?? Date.now());
  const log: ImportedLog = {
    format: 'ndjson',
    url: header?.url ?? UNKNOWN_URL,
    createdAt,
    frames,
    steps: header ? redactSteps(header.handshake, []) : [],
    notes,
  };
  if (header?.proxy) log.decision = header.proxy;
  if (header?.error) log.error = header.error;
  if (header?.closed) log.closed = { ...header.closed, at: Date.parse(header.closed.at) };
  if (header?.clientHandshake) log.clientHandshake = redactClientHandshake(header.clientHandshake, []);
  if (header?.attempts && header.attempts.length > 0) {
    // Separators sit after a seq: with the frames numbered again they would sit in the wrong place.
    if (gaps) notes.push('the attempt separators are left out: the frames were numbered again');
    else log.attempts = header.attempts;
  }
  return log;
}

interface CheckedFrame {
  seq: number;
  dir: 'in' | 'out';
  opcode: NdjsonFrame['opcode'];
  at: number;
  payload: Buffer;
  close?: { closeCode?: number; closeReason?: string };
  mark?: RelayMark;
}

function checkFrame(value: unknown, where: string, problems: ProblemList): CheckedFrame | undefined {
  const parsed = ndjsonFrameSchema.safeParse(value, { reportInput: true });
  if (!parsed.success) {
    problems.addZod(where, parsed.error, NDJSON_FRAME_FIELDS);
    return undefined;
  }
  const frame = parsed.data;
  const at = Date.parse(frame.at);
  let payload: Buffer;
  let close: CheckedFrame['close'];
  if (frame.opcode === 'text') {
    payload = Buffer.from(frame.text ?? '', 'utf8');
  } else if (frame.opcode === 'close') {
    payload = frame.closeCode !== undefined ? encodeClosePayload(frame.closeCode, frame.closeReason ?? '') : Buffer.alloc(0);
    close = {
      ...(frame.closeCode !== undefined ? { closeCode: frame.closeCode } : {}),
      ...(frame.closeReason !== undefined ? { closeReason: frame.closeReason } : {}),
    };
  } else {
    const base64 = frame.base64 ?? '';
    if (base64.length % 4 !== 0) {
      problems.add(where, `the frame's payload (base64) is ${base64.length} characters long: base64 comes in groups of 4`);
      return undefined;
    }
    payload = Buffer.from(base64, 'base64');
  }
  if (payload.length !== frame.size) {
    problems.add(where, `the frame's size ${frame.size} does not match its payload, which is ${payload.length} bytes`);
    return undefined;
  }
  return { seq: frame.seq, dir: frame.dir, opcode: frame.opcode, at, payload, ...(close ? { close } : {}), ...(frame.intercept ? { mark: markFromLog(frame.intercept, frame.opcode) } : {}) };
}
