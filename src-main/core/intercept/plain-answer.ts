/**
 * A short HTTP answer written straight to a client's socket (before any HTTP server owns the
 * exchange, or after the upgrade was held): status line, a text body, Connection: close.
 */
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';

export function answerAndClose(socket: Duplex, status: number, text: string): void {
  if (socket.destroyed || !socket.writable) return;
  // One line, printable: it goes into a status page or a client's error message.
  const body = `${text.replace(/[\x00-\x1f\x7f]+/g, ' ')}\n`;
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\n` +
      'Content-Type: text/plain; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      'Connection: close\r\n\r\n' +
      body,
  );
}
