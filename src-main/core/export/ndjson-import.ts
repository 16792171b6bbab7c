/**
 * Reads an NDJSON log (shared/log-file.ts): an optional header line, then one frame per line.
 * Every line is checked against the contract's schemas plus what a schema cannot say (the
 * size must match the payload, base64 must decode, times must be real), and every problem is
 * reported with its line number and the field in words. A line that cannot be read is left out
 * and the notes say which and why; only a header we cannot read, or a file without one whole
 * frame, refuses the import. The store numbers the frames 1..n (it is gap-free); the file's own
 * numbers (a filtered export's #12, #57, #300) are kept beside it (shared/frame-numbers.ts) and
 * shown. A number that repeats or goes back cannot tell frames apart: the frames are then shown
 * numbered 1..n, and the notes say why and on which line.
 */
import { NDJSON_HEADER_TYPE, NDJSON_VERSION, ndjsonFrameSchema, ndjsonHeaderSchema, type NdjsonFrame, type NdjsonHeader } from '../../shared/log-file';
import { FrameStore, encodeClosePayload, type FrameStoreOptions } from '../session/frame-store';
import { redactClientHandshake, redactSteps } from './redact-log';
import { IMPORT_YIELD_EVERY, UNKNOWN_URL, yieldToLoop, type ImportedLog } from './imported-log';
import { ProblemList, leftOutNotes } from './import-problems';
import { breakPlace, jsonBreak } from './json-break';
import { NDJSON_FRAME_FIELDS, NDJSON_HEADER_FIELDS } from './import-wording';
import { markFromLog } from './intercept-mark';
import { readLoggedDecode } from './logged-decode';
import type { RelayMark } from '../session/relay-mark';
import { FrameNumbersBuilder } from '../../shared/frame-numbers';

export async function importNdjson(text: string, store: FrameStoreOptions, problems: ProblemList): Promise<ImportedLog | undefined> {
  const frames = new FrameStore(store);
  const notes: string[] = [];
  // Lines that cannot be read are left out, not the file: a log cut short or with one bad line
  // still holds every whole frame before and after it.
  const leftOut = new ProblemList();
  let header: NdjsonHeader | undefined;
  let headerLine = 0;
  let sawFirst = false;
  let previousLine = 0;
  let imported = 0;
  // The file's numbers, until one repeats or goes back (`renumbered` then says why and where).
  let numbers: FrameNumbersBuilder | undefined = new FrameNumbersBuilder();
  let renumbered: string | undefined;
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
      const broken = jsonBreak(line, error);
      // The last line ending inside its JSON: the file was cut short there.
      const cut = newline < 0 && broken.endsEarly ? ': the file ends before this line does (it looks cut short)' : '';
      leftOut.add(where, `the line is not valid JSON: ${broken.reason}${breakPlace(broken, false)}${cut}`);
      sawFirst = true;
      if (newline < 0) break;
      continue;
    }
    const isHeader = typeof value === 'object' && value !== null && 'type' in value && value.type === NDJSON_HEADER_TYPE;
    if (isHeader) {
      if (sawFirst) leftOut.add(where, 'a header line may only come first');
      else {
        // A header we cannot read refuses the file: it says how to read the lines (its version)
        // and what the connection was, so frames read without it could be read wrongly.
        const version: unknown = typeof value === 'object' && value !== null && 'version' in value ? value.version : undefined;
        if (version !== NDJSON_VERSION) {
          // Another version's fields would each be "wrong": say the one thing that is.
          problems.add(where, `the header's version is ${version === undefined ? 'missing' : JSON.stringify(version)}: this Tunnelscope reads version ${NDJSON_VERSION} logs`);
          return undefined;
        }
        const parsed = ndjsonHeaderSchema.safeParse(value, { reportInput: true });
        if (parsed.success) {
          header = parsed.data;
          headerLine = lineNo;
        }
        else {
          problems.addZod(where, parsed.error, NDJSON_HEADER_FIELDS);
          return undefined;
        }
      }
    } else {
      const lineProblems = new ProblemList();
      const frame = checkFrame(value, where, lineProblems);
      if (!frame) leftOut.add(where, lineProblems.items.map((p) => p.message).join('; '));
      else {
        const problem = numbers?.push(frame.seq);
        if (problem !== undefined) {
          numbers = undefined;
          renumbered = `${where}: the frame's number (seq) ${problem} (line ${previousLine})`;
        }
        previousLine = lineNo;
        imported += 1;
        firstAt ??= frame.at;
        const seq = frames.push(frame.dir, frame.opcode, frame.payload, frame.close, frame.at);
        if (frame.mark) frames.mark(seq, frame.mark.mark, frame.mark.original);
      }
    }
    sawFirst = true;
    if (newline < 0) break;
  }
  if (imported === 0 && leftOut.count > 0) {
    // Not one whole frame: nothing worth opening, so every problem is the answer.
    problems.absorb(leftOut);
    return undefined;
  }
  notes.push(...leftOutNotes(leftOut, 'line'));
  if (!header) notes.push('the file has no header line, so the URL and the handshake are unknown');
  if (renumbered !== undefined) notes.push(`the frames are numbered 1 to ${imported} here, not as in the file: ${renumbered}`);
  const frameNumbers = numbers?.finish();
  if (frames.dropped > 0) notes.push(`${frames.dropped} older frames were dropped: the store keeps ${frames.maxFrames} frames and ${frames.maxBytes} bytes`);
  const createdAt = header ? Date.parse(header.createdAt) : (firstAt ?? Date.now());
  const log: ImportedLog = {
    format: 'ndjson',
    url: header?.url ?? UNKNOWN_URL,
    createdAt,
    frames,
    steps: header ? redactSteps(header.handshake, []) : [],
    notes,
    leftOut: leftOut.items,
  };
  if (frameNumbers) log.numbers = frameNumbers;
  if (header?.proxy) log.decision = header.proxy;
  if (header?.error) log.error = header.error;
  if (header?.closed) log.closed = { ...header.closed, at: Date.parse(header.closed.at) };
  if (header?.clientHandshake) log.clientHandshake = redactClientHandshake(header.clientHandshake, []);
  if (header) {
    const { decode, notes: decodeNotes } = readLoggedDecode(header.decode, `line ${headerLine}: decode`);
    if (decode) log.decode = decode;
    notes.push(...decodeNotes);
  }
  if (header?.attempts && header.attempts.length > 0) {
    // A separator sits after a seq of the store: after the file's number N, that is the count of frames numbered N or less.
    // Numbers that repeat or go back place nothing for sure.
    if (renumbered !== undefined) notes.push("the attempt separators are left out: the file's frame numbers repeat or go back");
    else log.attempts = frameNumbers ? header.attempts.map((record) => ({ ...record, afterSeq: frameNumbers.countUpTo(record.afterSeq) })) : header.attempts;
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
