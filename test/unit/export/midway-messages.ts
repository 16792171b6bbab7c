/**
 * Messages whose credential bytes are known by place, for the tests of what is masked when a
 * session's stored frames begin in the middle of a protocol frame (evicted messages before it):
 * a whole protocol frame cut into messages, each message knowing which of its bytes are the
 * secret's, and checks that every such byte was written as '*'.
 */
import mqtt from 'mqtt-packet';
import { FrameStore } from '../../../src-main/core/session/frame-store';

export interface Message {
  dir: 'in' | 'out';
  opcode: 'text' | 'binary';
  payload: Buffer;
  /** [start, end) of the secret's bytes in this message. */
  secret: [number, number][];
}

/** `whole` cut at `cuts` (ascending, inside it), each piece knowing where `secrets` fall in it. */
export function cut(dir: 'in' | 'out', opcode: 'text' | 'binary', whole: Buffer, secrets: readonly string[], cuts: readonly number[] = []): Message[] {
  const places: [number, number][] = [];
  for (const secret of secrets) {
    let from = 0;
    for (;;) {
      const at = whole.indexOf(secret, from);
      if (at < 0) break;
      places.push([at, at + secret.length]);
      from = at + 1;
    }
    if (from === 0) throw new Error(`${secret} is not in the message`);
  }
  const bounds = [0, ...cuts, whole.length];
  const out: Message[] = [];
  for (let i = 0; i + 1 < bounds.length; i++) {
    const start = bounds[i] ?? 0;
    const end = bounds[i + 1] ?? 0;
    const secret: [number, number][] = [];
    for (const [a, b] of places) {
      const s = Math.max(a, start);
      const e = Math.min(b, end);
      if (s < e) secret.push([s - start, e - start]);
    }
    out.push({ dir, opcode, payload: whole.subarray(start, end), secret });
  }
  return out;
}

export const text = (dir: 'in' | 'out', value: string, secrets: readonly string[] = []): Message => cut(dir, 'text', Buffer.from(value), secrets)[0] as Message;

/** The messages pushed into a store that keeps those from `firstSeq` on (the front evicted as the app evicts). */
export function storeOf(messages: readonly Message[], firstSeq = 1): FrameStore {
  const store = new FrameStore({ maxFrames: messages.length - firstSeq + 1 });
  for (const message of messages) store.push(message.dir, message.opcode, message.payload, undefined, 1000);
  if (store.firstSeq !== firstSeq) throw new Error(`the store kept from #${store.firstSeq}, not #${firstSeq}`);
  return store;
}

export const mqttConnect = (password: string, level: 4 | 5 = 4): Buffer =>
  mqtt.generate({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: level, clientId: 'client-1', username: 'alice', password: Buffer.from(password), keepalive: 30, clean: true });

export const mqttPublish = (payload: string): Buffer => mqtt.generate({ cmd: 'publish', topic: 'visible/topic', payload: Buffer.from(payload), qos: 0, retain: false, dup: false });

/** The places of `message`'s secret bytes that `written` does not hold as '*', as "seq@offset". */
export function unmasked(seq: number, message: Message, written: Buffer): string[] {
  const out: string[] = [];
  for (const [a, b] of message.secret) for (let i = a; i < b; i++) if (written[i] !== 0x2a) out.push(`#${seq}@${i}`);
  return out;
}
