/**
 * A held message's preview (intercept's `paused` line, human and --json, and the `held` command's
 * list) with the bytes of the credentials in it as '*', as frame lines show them
 * (frame-masking.ts). A held message has not joined its session's frames yet, so it is read on its
 * own, as the start of a message, by the readers of every protocol that carries credentials
 * (core/decode/credential-bytes.ts): what a breakpoint on a STOMP or MQTT CONNECT, a GraphQL
 * connection_init or a Socket.IO CONNECT holds. A credential continuing one begun in an earlier
 * message is not seen here; the frame lines mask it once the message is sent.
 *
 * The preview is the start of the payload (breakpoints.ts): a text message's first characters
 * (its first bytes, valid UTF-8), a binary one's first bytes in hex, so the bytes are had back
 * from it and masked in place.
 */
import { CredentialBytes, DECODE_CHOICES } from '../core';

export function maskedHeldPreview(direction: 'in' | 'out', kind: 'text' | 'binary', preview: string): string {
  const masker = new CredentialBytes();
  // lookFor keeps the protocols that carry credentials and ignores the rest.
  for (const name of DECODE_CHOICES) masker.lookFor(name);
  const bytes = kind === 'text' ? Buffer.from(preview, 'utf8') : Buffer.from(preview, 'hex');
  const masked = masker.maskBeside(direction, kind, bytes);
  if (masked.masked === 0) return preview;
  const out = Buffer.from(masked.bytes);
  return kind === 'text' ? out.toString('utf8') : out.toString('hex');
}
