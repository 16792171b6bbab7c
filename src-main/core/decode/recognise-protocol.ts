/**
 * Which protocol a session speaks, guessed from what is known in this order: the subprotocol
 * the server chose, the URL, then the first messages. Always a guess (with the reason in words)
 * until the user confirms it or picks another; only signs that cannot be mistaken are used, so
 * a MessagePack or CBOR payload is never guessed from its bytes alone.
 */
import type { DecoderName } from './decoded-frame';

export interface ProtocolGuess {
  protocol: DecoderName;
  /** e.g. "the server chose the subprotocol v12.stomp". */
  reason: string;
  engineVersion?: 3 | 4;
}

/** How many data messages are looked at before giving up on recognising one. */
export const RECOGNITION_FRAMES = 8;

const SUBPROTOCOLS: readonly [RegExp, DecoderName][] = [
  [/^v1[0-2]\.stomp$|^stomp$/i, 'stomp'],
  [/^mqtt(v3\.1)?$/i, 'mqtt'],
  [/msgpack|messagepack/i, 'msgpack'],
  [/(^|[.\-_])cbor($|[.\-_])/i, 'cbor'],
];

export function recogniseSubprotocol(subprotocol: string | undefined): ProtocolGuess | undefined {
  if (subprotocol === undefined || subprotocol === '') return undefined;
  for (const [pattern, protocol] of SUBPROTOCOLS) {
    if (pattern.test(subprotocol)) return { protocol, reason: `the server chose the subprotocol ${subprotocol}` };
  }
  return undefined;
}

/** A URL or a request target ("/socket.io/?EIO=4&transport=websocket"). */
export function recogniseUrl(target: string): ProtocolGuess | undefined {
  let url: URL;
  try {
    url = new URL(target, 'ws://host');
  } catch {
    return undefined;
  }
  const eio = url.searchParams.get('EIO');
  const engineVersion = eio === '3' ? 3 : eio === '4' ? 4 : undefined;
  if (engineVersion !== undefined) return { protocol: 'socketio', reason: `the URL has EIO=${eio}`, engineVersion };
  if (/\/socket\.io\/?$/.test(url.pathname)) return { protocol: 'socketio', reason: 'the URL path is /socket.io/', engineVersion: 4 };
  return undefined;
}

const STOMP_START = /^(CONNECT|STOMP|CONNECTED)\r?\n/;
const ENGINE_IO_OPEN = /^0\{"sid":/;

/** One of the first data messages. */
export function recogniseFirstFrame(opcode: 'text' | 'binary', bytes: Uint8Array): ProtocolGuess | undefined {
  const head = Buffer.from(bytes.subarray(0, 16)).toString('latin1');
  if (STOMP_START.test(head)) return { protocol: 'stomp', reason: `a message starts with the STOMP command ${head.split(/\r?\n/)[0] ?? ''}` };
  if (opcode === 'text' && ENGINE_IO_OPEN.test(head)) return { protocol: 'socketio', reason: 'a message is an Engine.IO open packet', engineVersion: 4 };
  // MQTT CONNECT: type 1, then the remaining length (1–4 bytes), then the protocol name "MQTT" or "MQIsdp".
  if (opcode === 'binary' && bytes[0] === 0x10) {
    let at = 1;
    while (at < 5 && ((bytes[at] ?? 0) & 0x80) !== 0) at++;
    const name = Buffer.from(bytes.subarray(at + 3, at + 9)).toString('latin1');
    if (name.startsWith('MQTT') || name === 'MQIsdp') return { protocol: 'mqtt', reason: 'a message is an MQTT CONNECT packet' };
  }
  return undefined;
}
