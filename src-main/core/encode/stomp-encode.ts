/**
 * A STOMP frame as the spec writes it (STOMP 1.2 §"Augmented BNF"): the command, one
 * `name:value` line per header, a blank line, the body and a NUL. Header names and values are
 * escaped (\\ \n \r \c) except in CONNECT and STOMP frames, which the spec leaves unescaped. A
 * body gets its content-length (so it may hold NUL bytes), unless it holds {{…}} to fill in.
 *
 * Headers are UTF-8 (the spec's); the body is written in the charset its content-type names, as
 * the decoders read it (stomp-body.ts bodyReading: the first content-type header's first charset,
 * a WHATWG label; none: UTF-8), and content-length counts those bytes. A frame whose body's bytes
 * are not its UTF-8 goes as a binary WebSocket message (a text message must be UTF-8, RFC 6455
 * §5.6). Refused, in words: a character the charset cannot hold (which, and where), a charset
 * label nothing here knows (the log would show the body as bytes), and {{…}} in a body that goes
 * as bytes (the engine fills in text messages only).
 */
import type { ProtocolMessage } from '../../shared/protocol-message';
import { fail, ok, type Result } from '../../shared/result';
import { quote } from '../decode/decoded-frame';
import { bodyReading } from '../decode/stomp-body';
import { encodingNamed } from '../decode/stomp-charset';
import { writeIn } from './charset-encode';

type StompMessage = Extract<ProtocolMessage, { protocol: 'stomp' }>;

/** How the frame goes on the WebSocket. */
export type StompWire = { kind: 'text'; text: string } | { kind: 'binary'; bytes: Uint8Array };

/** What the composer leaves out of some encodings (charset-encode.ts), said with a refusal. */
const PARTLY_WRITTEN: Readonly<Record<string, string>> = {
  gb18030: " (the composer writes gb18030's one- and two-byte characters, not its four-byte ones)",
  'iso-2022-jp': ' (the composer writes iso-2022-jp in ASCII only)',
};

function escapeHeader(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\r/g, '\\r').replace(/\n/g, '\\n').replace(/:/g, '\\c');
}

/** Where in the body a character is: "character 5", or "line 2, column 3" in a body of several lines (counted in characters). */
function placeIn(text: string, index: number): string {
  const before = text.slice(0, index);
  const lineStart = before.lastIndexOf('\n') + 1;
  const column = [...before.slice(lineStart)].length + 1;
  return text.includes('\n') ? `line ${before.split('\n').length}, column ${column}` : `character ${column}`;
}

function codePoint(character: string): string {
  return `U+${(character.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/** The body's bytes in its content-type's charset, or why not (the message:encode refusal). */
function bodyBytes(message: StompMessage): Result<Uint8Array> {
  const utf8 = (): Result<Uint8Array> => ok(new Uint8Array(Buffer.from(message.body, 'utf8')));
  if (message.body === '') return utf8();
  // The first content-type counts, as the decoder reads it (stomp-decoder.ts).
  const reading = bodyReading(message.headers.find((h) => h.name === 'content-type')?.value);
  if (reading.kind === 'unknown') {
    return fail(
      'INVALID_ARGUMENT',
      `message:encode: The body: charset ${quote(reading.declared)} in the content-type names no encoding known here (the log would show the body as bytes), so it cannot be written in it; name a WHATWG label such as utf-8, iso-8859-1, windows-1252 or utf-16le, or leave charset out for UTF-8`,
      'message.body',
    );
  }
  if (reading.kind !== 'charset') return utf8();
  const written = writeIn(reading.encoding, message.body);
  const named = encodingNamed(reading.encoding, reading.declared);
  if (!written.ok) {
    return fail(
      'INVALID_ARGUMENT',
      `message:encode: The body: “${written.character}” (${codePoint(written.character)}) at ${placeIn(message.body, written.index)} is not in ${named}, the charset the content-type names${PARTLY_WRITTEN[reading.encoding] ?? ''}; leave it out, or name a charset that has it (utf-8 has every character)`,
      'message.body',
    );
  }
  if (message.body.includes('{{') && !Buffer.from(written.bytes).equals(Buffer.from(message.body, 'utf8'))) {
    return fail(
      'INVALID_ARGUMENT',
      `message:encode: The body: {{…}} is filled in only in a frame sent as text, and this body in ${named} goes as bytes (a binary message); write the body in ASCII, or leave the {{…}} out`,
      'message.body',
    );
  }
  return ok(written.bytes);
}

export function encodeStompFrame(message: StompMessage): Result<StompWire> {
  const escape = message.command === 'CONNECT' || message.command === 'STOMP' ? (text: string) => text.replace(/[\r\n]/g, ' ') : escapeHeader;
  const body = bodyBytes(message);
  if (!body.ok) return body;
  const lines: string[] = [message.command];
  const names = new Set(message.headers.map((h) => h.name.toLowerCase()));
  for (const header of message.headers) lines.push(`${escape(header.name)}:${escape(header.value)}`);
  // A body with {{…}} is filled in after encoding (the composer sends it with built-ins), which
  // changes its length: without content-length it ends at the NUL, which is right either way.
  if (message.body !== '' && !names.has('content-length') && !message.body.includes('{{')) lines.push(`content-length:${body.value.byteLength}`);
  const head = `${lines.join('\n')}\n\n`;
  if (Buffer.from(body.value).equals(Buffer.from(message.body, 'utf8'))) return ok({ kind: 'text', text: `${head}${message.body}\u0000` });
  return ok({ kind: 'binary', bytes: new Uint8Array(Buffer.concat([Buffer.from(head, 'utf8'), body.value, Uint8Array.of(0)])) });
}
