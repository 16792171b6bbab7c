/**
 * One direction's reader of one protocol's credentials in raw messages (credential-bytes.ts
 * holds one per direction): fed that direction's messages in order, it notes where each
 * message's credential bytes are, keeping what it needs of a protocol frame that continues in
 * a later message.
 */
import type { FoundCredentials } from './credential-range';

export interface CredentialStream {
  /** Notes this message's credentials in `found` (places in `bytes`) and moves past the message. */
  read(opcode: 'text' | 'binary', bytes: Uint8Array, found: FoundCredentials): void;
  /** A copy at the same place (an intercepted frame's original is read beside the frame that replaced it). */
  clone(): CredentialStream;
}
