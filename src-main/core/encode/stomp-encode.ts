/**
 * A STOMP frame as the spec writes it (STOMP 1.2 §"Augmented BNF"): the command, one
 * `name:value` line per header, a blank line, the body and a NUL. Header names and values are
 * escaped (\\ \n \r \c) except in CONNECT and STOMP frames, which the spec leaves unescaped. A
 * body gets its content-length (so it may hold NUL bytes), unless it holds {{…}} to fill in.
 */
import type { ProtocolMessage } from '../../shared/protocol-message';

type StompMessage = Extract<ProtocolMessage, { protocol: 'stomp' }>;

function escapeHeader(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\r/g, '\\r').replace(/\n/g, '\\n').replace(/:/g, '\\c');
}

export function encodeStompFrame(message: StompMessage): string {
  const escape = message.command === 'CONNECT' || message.command === 'STOMP' ? (text: string) => text.replace(/[\r\n]/g, ' ') : escapeHeader;
  const lines: string[] = [message.command];
  const names = new Set(message.headers.map((h) => h.name.toLowerCase()));
  for (const header of message.headers) lines.push(`${escape(header.name)}:${escape(header.value)}`);
  // A body with {{…}} is filled in after encoding (the composer sends it with built-ins), which
  // changes its length: without content-length it ends at the NUL, which is right either way.
  if (message.body !== '' && !names.has('content-length') && !message.body.includes('{{')) lines.push(`content-length:${Buffer.byteLength(message.body, 'utf8')}`);
  return `${lines.join('\n')}\n\n${message.body}\u0000`;
}
