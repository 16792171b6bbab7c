/**
 * STOMP 1.0–1.2 frames by the specification's grammar:
 *   frame = command EOL *(header EOL) EOL *OCTET NUL *(EOL)
 * Header escapes (\r \n \c \\) from 1.1 on, except in CONNECT and CONNECTED frames; an undefined
 * escape is an error. A content-length header fixes the body's length (its NUL must follow);
 * without one the body ends at the first NUL. The first of a repeated header counts (1.2).
 */

export const STOMP_COMMANDS = new Set([
  'CONNECT', 'STOMP', 'CONNECTED', 'SEND', 'SUBSCRIBE', 'UNSUBSCRIBE', 'ACK', 'NACK',
  'BEGIN', 'COMMIT', 'ABORT', 'DISCONNECT', 'MESSAGE', 'RECEIPT', 'ERROR',
]);

export interface StompFrame {
  command: string;
  /** In order, as sent (repeats kept); `header()` gives the one that counts. */
  headers: [string, string][];
  body: Uint8Array;
}

export type StompParse =
  /** A whole frame, and where the next one starts. */
  | { kind: 'frame'; frame: StompFrame; end: number }
  /** A heart-beat (an EOL on its own). */
  | { kind: 'heartbeat'; end: number }
  /**
   * More bytes are needed. `needs`: once the headers and a content-length are read, how many
   * bytes from the frame's start it takes at least (its NUL is the last of them); until that
   * many have arrived the answer stays 'incomplete', whatever the bytes are.
   */
  | { kind: 'incomplete'; needs?: number }
  | { kind: 'error'; problem: string };

const NUL = 0;
const LF = 0x0a;
const CR = 0x0d;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The bytes as UTF-8 text, or undefined when they are not UTF-8 (the strict decoder only when a replacement character shows up). */
function utf8Text(bytes: Uint8Array, start: number, end: number): string | undefined {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('utf8');
  if (!text.includes('\ufffd')) return text;
  try {
    return utf8.decode(bytes.subarray(start, end));
  } catch {
    return undefined;
  }
}

/**
 * A command line that is no command: quoted as JSON text (control characters escaped), but a
 * byte outside ASCII, or DEL, said by its code and place, not shown as the Latin-1 character it
 * reads as.
 */
function unknownCommand(bytes: Uint8Array, start: number, end: number, text: string): string {
  for (let i = start; i < end; i++) {
    const byte = bytes[i] ?? 0;
    if (byte >= 0x7f) return `unknown command: byte ${i} is 0x${byte.toString(16)}, in a command line (a command is capital letters: CONNECT, SEND, MESSAGE, …)`;
  }
  return `unknown command ${JSON.stringify(text)} at byte ${start}`;
}

function isLetter(byte: number): boolean {
  return (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a);
}

/** "byte 0 is 0x10, where a frame's command (CONNECT, SEND, MESSAGE, …) starts": said by its code, never as Latin-1 text. */
function notACommand(byte: number, at: number): string {
  const shown = byte >= 0x21 && byte <= 0x7e ? `'${String.fromCharCode(byte)}' (0x${byte.toString(16)})` : `0x${byte.toString(16).padStart(2, '0')}`;
  return `byte ${at} is ${shown}, where a frame's command (CONNECT, SEND, MESSAGE, …: capital letters) starts`;
}

export function header(frame: StompFrame, name: string): string | undefined {
  return frame.headers.find(([key]) => key === name)?.[1];
}

/** A line ending at `from`: its end (exclusive, without CR) and where the next line starts. */
function lineAt(bytes: Uint8Array, from: number): { end: number; next: number } | undefined {
  const lf = bytes.indexOf(LF, from);
  if (lf < 0) return undefined;
  return { end: lf > from && bytes[lf - 1] === CR ? lf - 1 : lf, next: lf + 1 };
}

/** A header name or value with STOMP 1.1+'s escapes read, or the undefined escape found in it (`where` names the place). */
export function unescape(raw: string, where: string): string | { problem: string } {
  if (!raw.includes('\\')) return raw;
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c !== '\\') {
      out += c;
      continue;
    }
    const next = raw[i + 1];
    if (next === 'r') out += '\r';
    else if (next === 'n') out += '\n';
    else if (next === 'c') out += ':';
    else if (next === '\\') out += '\\';
    else return { problem: `undefined escape ${next === undefined ? '\\ at the end' : `\\${next}`} in ${where}` };
    i++;
  }
  return out;
}

/**
 * Reads one frame (or heart-beat) from `bytes` at `start`. `escapes`: whether headers are
 * escaped (STOMP 1.1 and 1.2; not 1.0).
 */
export function parseStompFrame(bytes: Uint8Array, start: number, escapes: boolean): StompParse {
  if (bytes[start] === LF) return { kind: 'heartbeat', end: start + 1 };
  if (bytes[start] === CR && bytes[start + 1] === LF) return { kind: 'heartbeat', end: start + 2 };
  // A CR ending the bytes may be a heart-beat's, its LF still to come (stomp-decoder.ts keeps it).
  if (bytes[start] === CR && start + 1 === bytes.length) return { kind: 'incomplete' };
  // An EOL is LF or CR LF, so a CR then anything else starts neither a heart-beat nor a command.
  if (bytes[start] === CR) return { kind: 'error', problem: `a CR at byte ${start} not followed by LF (an end of line between frames is LF or CR LF)` };
  // A frame starts with its command, in capital letters: a first byte that is no letter starts no
  // command at all (a forced decoder on another protocol's bytes: MQTT's packet type byte,
  // Socket.IO's digits), and is said by its code, not quoted as Latin-1 text.
  const first = bytes[start];
  if (first !== undefined && !isLetter(first)) return { kind: 'error', problem: notACommand(first, start) };
  const commandLine = lineAt(bytes, start);
  if (!commandLine) {
    // No end of line yet: fine while what is there could still become a command.
    const sofar = Buffer.from(bytes.subarray(start, Math.min(bytes.length, start + 20))).toString('latin1');
    if ([...STOMP_COMMANDS].some((c) => c.startsWith(sofar))) return { kind: 'incomplete' };
    return { kind: 'error', problem: unknownCommand(bytes, start, Math.min(bytes.length, start + 20), sofar) };
  }
  const command = Buffer.from(bytes.subarray(start, commandLine.end)).toString('latin1');
  if (!STOMP_COMMANDS.has(command)) return { kind: 'error', problem: unknownCommand(bytes, start, commandLine.end, command.slice(0, 40)) };
  const escaped = escapes && command !== 'CONNECT' && command !== 'CONNECTED';
  const headers: [string, string][] = [];
  let at = commandLine.next;
  let lineNo = 2;
  for (;;) {
    const line = lineAt(bytes, at);
    if (!line) return { kind: 'incomplete' };
    if (line.end === at) {
      at = line.next;
      break;
    }
    const text = utf8Text(bytes, at, line.end);
    if (text === undefined) return { kind: 'error', problem: `header line ${lineNo} of ${command} (byte ${at}) is not UTF-8` };
    const colon = text.indexOf(':');
    if (colon < 0) return { kind: 'error', problem: `header line ${lineNo} of ${command} (byte ${at}) has no ':'` };
    const rawName = text.slice(0, colon);
    const rawValue = text.slice(colon + 1);
    const name = escaped ? unescape(rawName, `a header name on line ${lineNo} of ${command}`) : rawName;
    if (typeof name !== 'string') return { kind: 'error', problem: name.problem };
    const value = escaped ? unescape(rawValue, `header '${name}' on line ${lineNo} of ${command}`) : rawValue;
    if (typeof value !== 'string') return { kind: 'error', problem: value.problem };
    headers.push([name, value]);
    at = line.next;
    lineNo++;
  }
  const lengthText = headers.find(([key]) => key === 'content-length')?.[1];
  let bodyEnd: number;
  if (lengthText !== undefined) {
    if (!/^\d{1,10}$/.test(lengthText.trim())) return { kind: 'error', problem: `content-length ${JSON.stringify(lengthText)} of ${command} is not a number of bytes` };
    bodyEnd = at + Number(lengthText.trim());
    if (bodyEnd >= bytes.length) {
      // The body (and its NUL) may come in the next message; a NUL inside it is a byte of it.
      return { kind: 'incomplete', needs: bodyEnd + 1 - start };
    }
    if (bytes[bodyEnd] !== NUL) {
      return { kind: 'error', problem: `content-length ${lengthText.trim()} of ${command} ends the body at byte ${bodyEnd}, where there is no NUL (the body is longer than it says)` };
    }
  } else {
    bodyEnd = bytes.indexOf(NUL, at);
    if (bodyEnd < 0) return { kind: 'incomplete' };
  }
  let end = bodyEnd + 1;
  // Trailing EOLs after the NUL belong to this frame.
  while (bytes[end] === LF || (bytes[end] === CR && bytes[end + 1] === LF)) end += bytes[end] === CR ? 2 : 1;
  return { kind: 'frame', frame: { command, headers, body: bytes.subarray(at, bodyEnd) }, end };
}
