/** Test helpers: WebSocket messages as the decoders get them. */
import type { WireFrame } from '../../../src-main/core/decode/decoded-frame';

let nextSeq = 1;

export function textFrame(text: string, dir: WireFrame['dir'] = 'in'): WireFrame {
  return { seq: nextSeq++, dir, opcode: 'text', bytes: new Uint8Array(Buffer.from(text, 'utf8')) };
}

export function binaryFrame(bytes: Uint8Array | readonly number[], dir: WireFrame['dir'] = 'in'): WireFrame {
  return { seq: nextSeq++, dir, opcode: 'binary', bytes: Uint8Array.from(bytes) };
}
