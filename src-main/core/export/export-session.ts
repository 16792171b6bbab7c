/**
 * Writes a session's log (all frames, or the frames matching a filter) as NDJSON or HAR to a
 * sink: a string (the `frames:export` command) or a file (`frames:export-to-file`, the CLI's
 * `--export`). Frames are written in order, yielding now and then so a million-frame export
 * does not hold the event loop; a file is written to a temporary name and renamed at the end,
 * so a failed export never leaves half a file under the real name. A session removed while its
 * export runs (its frames go with it) stops the export at its next look (`removed`, at each yield
 * and at the end), which writes nothing: SessionRemovedDuringExport says why.
 *
 * Each frame is written with its number as the user sees it: its seq, or an import's own number
 * from its file (SessionLog.frameNumbers), so exporting an imported filtered log again keeps
 * #12, #57, #300. HAR has no field for it: Tunnelscope's `_seq` says it on each message whose
 * number is not the previous message's plus 1 (the first's: 1), so a whole log adds nothing.
 */
import { once } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import type { LogFormat } from '../../shared/log-file';
import type { LoggedDecode } from '../../shared/log-decode';
import type { FrameFilter } from '../../shared/search';
import type { SessionLog } from '../session/session-log';
import type { CompiledFilter } from '../search/compile-filter';
import { ExportCredentials } from './export-credentials';
import { ExportDecoding, type ExportDecodingChoice } from './export-decoding';
import { HAR_MESSAGE_INDENT, harMessage, harParts } from './har-export';
import { ndjsonFrame, ndjsonHeader } from './ndjson-export';
import { selectFrames, selectedSeqs, stopIfRemoved } from './select-frames';
import type { SessionRemoval } from './session-removal';
import { openNewFile, temporaryPathBeside } from './output-file';

/** A text export larger than this is refused (a string this size strains every host): write a file. */
const MAX_TEXT_EXPORT_CHARS = 256 * 1024 * 1024;
const CHUNK_CHARS = 64 * 1024;
const YIELD_EVERY_FRAMES = 20_000;

export interface ExportRequest {
  format: LogFormat;
  /** The filter as the user gave it (written in the header) and compiled. */
  filter?: { raw: FrameFilter; compiled: CompiledFilter };
  /** The app version, for HAR's `creator`. */
  version: string;
  /** Opt-in: each frame a decoder reads also gets its decoding (`_decoded` in HAR, `decoded` in NDJSON). */
  decoding?: ExportDecodingChoice;
  /** The Decode choice the session is read with, recorded in the file (NDJSON header, HAR `_tunnelscope`) for an import. */
  decode?: LoggedDecode;
  /** Why the session was removed while the export ran (undefined: it is still there): InspectCommands' RunningExports. */
  removed?: () => SessionRemoval | undefined;
}

interface Sink {
  write(text: string): Promise<void> | void;
}

export class ExportTooLarge extends Error {
  constructor(readonly maxChars: number) {
    super(`the export is larger than ${Math.round(maxChars / (1024 * 1024))} MiB of text`);
    this.name = 'ExportTooLarge';
  }
}

/** Writes the whole log to the sink; returns how many frames went in. */
async function writeLog(session: SessionLog, request: ExportRequest, sink: Sink): Promise<number> {
  const now = Date.now();
  const selection = await selectFrames(session.frames, request.filter?.compiled, request.removed);
  const rawFilter = request.filter?.raw;
  let buffer = '';
  const put = async (text: string): Promise<void> => {
    buffer += text;
    if (buffer.length >= CHUNK_CHARS) {
      const chunk = buffer;
      buffer = '';
      await sink.write(chunk);
    }
  };
  let frames = 0;
  const har = request.format === 'har' ? harParts(session, { version: request.version, filter: rawFilter, now, decode: request.decode }) : undefined;
  if (har) await put(har.head);
  else await put(`${JSON.stringify(ndjsonHeader(session, rawFilter, now, request.decode))}\n`);
  // Credentials masked whatever the decoding (none included): found without decoding (export-credentials.ts).
  // A decoding reads the frames as masked (export-decoding.ts), so what it quotes of a message is masked too.
  const decoding = request.decoding ? new ExportDecoding(session, request.decoding) : undefined;
  const credentials = decoding ? undefined : new ExportCredentials(session);
  const numbers = session.frameNumbers?.();
  let previousNumber = 0;
  for (const seq of selectedSeqs(selection)) {
    const got = decoding ? decoding.frame(seq) : { exported: credentials?.at(seq), decoded: undefined };
    if (!got?.exported) continue; // evicted while the export ran
    const { exported: { frame, redacted }, decoded } = got;
    const number = numbers ? numbers.numberOf(frame.seq) : frame.seq;
    const jumped = number !== previousNumber + 1;
    previousNumber = number;
    if (har) {
      const message = { ...harMessage(frame), ...(jumped ? { _seq: number } : {}), ...(decoded ? { _decoded: decoded } : {}), ...(redacted ? { _redacted: redacted } : {}) };
      await put(`${frames === 0 ? '\n' : ',\n'}${HAR_MESSAGE_INDENT}${JSON.stringify(message)}`);
    } else {
      await put(`${JSON.stringify({ ...ndjsonFrame(frame), seq: number, ...(decoded ? { decoded } : {}), ...(redacted ? { redacted } : {}) })}\n`);
    }
    frames += 1;
    if (frames % YIELD_EVERY_FRAMES === 0) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      stopIfRemoved(request.removed);
    }
  }
  if (har) await put(frames === 0 ? har.tail.replace(/^\n\s*\]/, ']') : har.tail);
  if (buffer !== '') await sink.write(buffer);
  // Removed during a write's wait, or after the last yield: the frames read may be cut short.
  stopIfRemoved(request.removed);
  return frames;
}

/** The log as one string; throws ExportTooLarge past MAX_TEXT_EXPORT_CHARS. */
export async function exportToText(session: SessionLog, request: ExportRequest, maxChars = MAX_TEXT_EXPORT_CHARS): Promise<{ text: string; frames: number }> {
  const parts: string[] = [];
  let length = 0;
  const frames = await writeLog(session, request, {
    write(text) {
      length += text.length;
      if (length > maxChars) throw new ExportTooLarge(maxChars);
      parts.push(text);
    },
  });
  return { text: parts.join(''), frames };
}

/** The log written to `file` (through a temporary file renamed at the end). */
export async function exportToFile(session: SessionLog, request: ExportRequest, file: string): Promise<{ path: string; frames: number; bytes: number }> {
  const target = path.resolve(file);
  // An unguessable name created with O_EXCL: a file or link planted beside the target is never written through.
  const temporary = temporaryPathBeside(target);
  const stream = fs.createWriteStream('', { fd: await openNewFile(temporary, 0o600) });
  let bytes = 0;
  try {
    const frames = await writeLog(session, request, {
      async write(text) {
        bytes += Buffer.byteLength(text);
        if (!stream.write(text)) await once(stream, 'drain');
      },
    });
    await new Promise<void>((resolve, reject) => {
      stream.once('error', reject);
      stream.end(() => resolve());
    });
    await fs.promises.rename(temporary, target);
    return { path: target, frames, bytes };
  } catch (error) {
    stream.destroy();
    await fs.promises.rm(temporary, { force: true });
    throw error;
  }
}

/** `echo.example-2024-05-01T10-20-30.har`: the host and the session's start time. */
export function suggestedFileName(session: SessionLog, format: LogFormat): string {
  let host = 'session';
  try {
    host = new URL(session.url).hostname.replace(/[^A-Za-z0-9.-]/g, '_') || host;
  } catch {
    // keep the fallback
  }
  const stamp = new Date(session.createdAt).toISOString().replace(/\.\d+Z$/, '').replace(/:/g, '-');
  return `${host}-${stamp}.${format}`;
}
