/**
 * The `--json` line of one frame, built as text: the same line as
 * `terminalJson(scrubber.deep(frameLine(frame, body)))` (json-output.ts), without the objects
 * in between (the line, its scrubbed deep copy) and without scanning the fields that cannot
 * hold outside text. A flood prints hundreds of thousands of these, and those objects and
 * scans were most of what the CLI spent per frame.
 *
 * What is scrubbed and escaped is unchanged: every string that comes from the wire (the text,
 * base64, hex preview and close reason) goes through the scrubber (redaction by value) and
 * JSON.stringify, then gets the terminal escapes JSON leaves out. The other fields are numbers
 * and the engine's own names for direction and opcode.
 */
import type { FrameBody, FrameSummary } from '../shared/model';
import type { Scrubber } from './scrub';
import { loggedMarkOf } from '../shared/intercept-control';
import { terminalJson, terminalJsonText } from './terminal-text';

/** The engine's names for direction and opcode as JSON strings, ready to paste. */
const DIR_JSON: Readonly<Record<FrameSummary['dir'], string>> = { in: '"in"', out: '"out"' };
const OPCODE_JSON: Readonly<Record<FrameSummary['opcode'], string>> = {
  text: '"text"',
  binary: '"binary"',
  ping: '"ping"',
  pong: '"pong"',
  close: '"close"',
};

/** A number as JSON.stringify writes it (null for NaN and the infinities). */
function jsonNumber(value: number): string {
  return Number.isFinite(value) ? String(value) : 'null';
}

/** An outside string: scrubbed, as a JSON string, safe for a terminal. */
function jsonText(value: string, scrubber: Scrubber): string {
  return terminalJsonText(JSON.stringify(scrubber.text(value)));
}

export function frameJson(frame: FrameSummary, body: FrameBody | undefined, scrubber: Scrubber): string {
  const line = frameJsonWithoutMark(frame, body, scrubber);
  if (!frame.intercept) return line;
  // Rare (a frame the intercepting proxy changed): the object path is fast enough here.
  const mark = terminalJson(scrubber.deep(loggedMarkOf(frame.intercept, frame.opcode, body?.original)));
  return `${line.slice(0, -1)},"intercept":${mark}}`;
}

function frameJsonWithoutMark(frame: FrameSummary, body: FrameBody | undefined, scrubber: Scrubber): string {
  const head =
    `{"type":"frame","seq":${jsonNumber(frame.seq)},"dir":${DIR_JSON[frame.dir]},"opcode":${OPCODE_JSON[frame.opcode]},` +
    `"size":${jsonNumber(frame.size)},"at":${jsonNumber(frame.at)}`;
  if (frame.opcode === 'close') {
    const code = frame.closeCode ?? null;
    return `${head},"code":${code === null ? 'null' : jsonNumber(code)},"reason":${jsonText(frame.closeReason ?? '', scrubber)}}`;
  }
  if (frame.opcode === 'text') {
    if (body?.text !== undefined) return `${head},"text":${jsonText(body.text, scrubber)}}`;
    return `${head},"text":${jsonText(frame.preview, scrubber)}${frame.truncated ? ',"truncated":true' : ''}}`;
  }
  if (body) return `${head},"base64":${jsonText(body.base64, scrubber)}}`;
  // Evicted from the store before it could be fetched: say so rather than invent bytes.
  return `${head},"base64":null,"previewHex":${jsonText(frame.preview, scrubber)},"truncated":true}`;
}
