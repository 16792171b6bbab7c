/**
 * Where a frame's credentials (frame-credentials.ts) are in its raw bytes, to mask them with '*'
 * in what leaves the engine. Same length: sizes and offsets stay valid, and the masked message
 * still decodes to the same structure (an MQTT password of six '*', `passcode:*****`).
 *
 * Fed a direction's messages in order (`mask`): an MQTT packet may span messages, so each
 * direction keeps what it has of a CONNECT or AUTH packet until the packet ends; whatever part
 * of the credential a message holds is masked in that message. A credential's place is always
 * known from the bytes before it, so nothing already handed out needs masking later. A gap
 * (`reset`) or a text message (not MQTT, [MQTT-6.0.0-1]) ends the packet under way. STOMP,
 * GraphQL-ws and Socket.IO are read message by message (a frame split across messages is not
 * masked). Bytes that do not read as the protocol mask nothing.
 */
import { looksLikeCredentialHeader } from '../../shared/secret-headers';
import { isStompCredentialHeader } from './frame-credentials';

const STAR = 0x2a;

/** A credential's bytes; `number`: a JSON number's text (masked as `0` then spaces, still a number). */
type Range = [start: number, end: number, number?: true];

interface MqttDirection {
  /** The bytes of the CONNECT or AUTH packet under way (from its first byte), or undefined. */
  held: number[] | undefined;
  /** Bytes of another packet still to pass unread. */
  skip: number;
}

export class CredentialBytes {
  private readonly mqtt: Record<'in' | 'out', MqttDirection> = { in: { held: undefined, skip: 0 }, out: { held: undefined, skip: 0 } };
  /** The CONNECT's protocol level (5: properties), shared by both directions as the decoder does. */
  private mqttLevel = 4;

  constructor(readonly protocol: string) {}

  /** Forget packets under way (a frame skipped, a new connection). */
  reset(): void {
    this.mqtt.in = { held: undefined, skip: 0 };
    this.mqtt.out = { held: undefined, skip: 0 };
  }

  /** The message with its credential bytes masked (a copy; `bytes` itself when nothing is masked), and how many were. */
  mask(dir: 'in' | 'out', opcode: string, bytes: Uint8Array): { bytes: Uint8Array; masked: number } {
    let ranges: Range[] = [];
    if (this.protocol === 'mqtt') {
      if (opcode === 'binary') ranges = this.mqttRanges(dir, bytes);
      else if (opcode === 'text') this.mqtt[dir] = { held: undefined, skip: 0 };
    } else if (opcode === 'text' || opcode === 'binary') {
      const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
      if (this.protocol === 'stomp') ranges = stompRanges(text);
      else if (this.protocol === 'socketio') ranges = socketIoRanges(text);
      else if (this.protocol === 'graphql-ws') ranges = graphqlRanges(text);
    }
    return applyRanges(bytes, ranges);
  }

  private mqttRanges(dir: 'in' | 'out', bytes: Uint8Array): Range[] {
    const state = this.mqtt[dir];
    const out: Range[] = [];
    let at = 0;
    while (at < bytes.length) {
      if (state.skip > 0) {
        const n = Math.min(state.skip, bytes.length - at);
        state.skip -= n;
        at += n;
        continue;
      }
      const held = state.held ?? [];
      const heldBefore = held.length;
      const need = packetLength(held);
      const take = need === undefined ? 1 : Math.min(need - held.length, bytes.length - at);
      for (let i = 0; i < take; i++) held.push(bytes[at + i] ?? 0);
      const type = (held[0] ?? 0) >> 4;
      const total = packetLength(held);
      if (total !== undefined && type !== 1 && type !== 15) {
        // Not a CONNECT or AUTH: nothing to mask; pass over the rest of it unread.
        state.held = undefined;
        state.skip = total - held.length;
        at += take;
        continue;
      }
      // A CONNECT or AUTH (or a fixed header not yet whole): the credentials' places in the packet, this message's part of them.
      if (total !== undefined) {
        for (const [start, end] of mqttCredentials(held, this.mqttLevel, type, (level) => (this.mqttLevel = level))) {
          const from = Math.max(start, heldBefore);
          const to = Math.min(end, heldBefore + take);
          if (from < to) out.push([at + from - heldBefore, at + to - heldBefore]);
        }
      }
      at += take;
      state.held = total !== undefined && held.length >= total ? undefined : held;
    }
    return out;
  }
}

/** The packet's whole length once its fixed header is read; undefined before, or for a length MQTT does not allow. */
function packetLength(held: readonly number[]): number | undefined {
  let length = 0;
  let factor = 1;
  for (let i = 1; i <= 4; i++) {
    const byte = held[i];
    if (byte === undefined) return undefined;
    length += (byte & 0x7f) * factor;
    if ((byte & 0x80) === 0) return i + 1 + length;
    factor *= 128;
  }
  return Number.POSITIVE_INFINITY;
}

/** The variable-length integer at `at` (MQTT 5 property lengths): its value and size, or undefined while unread. */
function varInt(bytes: readonly number[], at: number): { value: number; size: number } | undefined {
  let value = 0;
  let factor = 1;
  for (let i = 0; i < 4; i++) {
    const byte = bytes[at + i];
    if (byte === undefined) return undefined;
    value += (byte & 0x7f) * factor;
    if ((byte & 0x80) === 0) return { value, size: i + 1 };
    factor *= 128;
  }
  return undefined;
}

function u16(bytes: readonly number[], at: number): number | undefined {
  const hi = bytes[at];
  const lo = bytes[at + 1];
  return hi === undefined || lo === undefined ? undefined : (hi << 8) | lo;
}

/** Sizes of MQTT 5 property values by identifier (§2.2.2.2), after the identifier byte; -1: two-byte length then data, -2: a string pair. */
const PROPERTY_SIZES: Readonly<Record<number, number>> = {
  0x01: 1, 0x02: 4, 0x03: -1, 0x08: -1, 0x09: -1, 0x0b: -3, 0x11: 4, 0x12: -1, 0x13: 2, 0x15: -1, 0x16: -1, 0x17: 1, 0x18: 4,
  0x19: 1, 0x1a: -1, 0x1c: -1, 0x1f: -1, 0x21: 2, 0x22: 2, 0x23: 2, 0x24: 1, 0x25: 1, 0x26: -2, 0x27: 4, 0x28: 1, 0x29: 1, 0x2a: 1,
};

/** Authentication Data (0x16) values in the properties at `at`: their data's places; `end` is after the properties. */
function authDataInProperties(bytes: readonly number[], at: number, out: Range[]): number | undefined {
  const length = varInt(bytes, at);
  if (!length) return undefined;
  let p = at + length.size;
  const end = p + length.value;
  while (p < end) {
    const id = bytes[p];
    if (id === undefined) return undefined;
    const size = PROPERTY_SIZES[id];
    if (size === undefined) return undefined; // not MQTT 5 as we know it: stop reading
    p += 1;
    if (size === -3) {
      const sub = varInt(bytes, p);
      if (!sub) return undefined;
      p += sub.size;
    } else if (size === -1 || size === -2) {
      for (let k = 0; k < (size === -2 ? 2 : 1); k++) {
        const n = u16(bytes, p);
        if (n === undefined) return undefined;
        if (id === 0x16) out.push([p + 2, p + 2 + n]);
        p += 2 + n;
      }
    } else p += size;
  }
  return end;
}

/**
 * The places (in packet bytes, from the fixed header's first byte) of a CONNECT's password and
 * MQTT 5 authentication data, or an AUTH's authentication data, as far as `bytes` shows them.
 */
function mqttCredentials(bytes: readonly number[], level: number, type: number, setLevel: (level: number) => void): Range[] {
  const out: Range[] = [];
  const length = varInt(bytes, 1);
  if (!length) return out;
  let p = 1 + length.size;
  if (type === 15) {
    if (level === 5 && length.value > 1) authDataInProperties(bytes, p + 1, out);
    return out;
  }
  const nameLength = u16(bytes, p);
  if (nameLength === undefined) return out;
  p += 2 + nameLength;
  const protocolLevel = bytes[p];
  const flags = bytes[p + 1];
  if (protocolLevel === undefined || flags === undefined) return out;
  setLevel(protocolLevel);
  p += 4; // level, flags, keep alive
  if (protocolLevel === 5) {
    const after = authDataInProperties(bytes, p, out);
    if (after === undefined) return out;
    p = after;
  }
  const skipString = (): boolean => {
    const n = u16(bytes, p);
    if (n === undefined) return false;
    p += 2 + n;
    return true;
  };
  if (!skipString()) return out; // client id
  if (flags & 0x04) {
    if (protocolLevel === 5) {
      const willProperties = varInt(bytes, p);
      if (!willProperties) return out;
      p += willProperties.size + willProperties.value;
    }
    if (!skipString() || !skipString()) return out; // will topic, will payload
  }
  if (flags & 0x80 && !skipString()) return out; // user name
  if (flags & 0x40) {
    const n = u16(bytes, p);
    if (n !== undefined) out.push([p + 2, p + 2 + n]);
  }
  return out;
}

/** STOMP CONNECT / STOMP frames in a message: the values of their credential headers. */
function stompRanges(text: string): Range[] {
  const out: Range[] = [];
  let at = 0;
  while (at < text.length) {
    while (text[at] === '\n' || text[at] === '\r') at++; // heart-beats
    if (at >= text.length) break;
    const nul = text.indexOf('\0', at);
    const end = nul === -1 ? text.length : nul;
    const lines = text.slice(at, end).split('\n');
    const command = (lines[0] ?? '').replace(/\r$/, '');
    let p = at + (lines[0] ?? '').length + 1;
    if (command === 'CONNECT' || command === 'STOMP') {
      for (const line of lines.slice(1)) {
        const bare = line.replace(/\r$/, '');
        if (bare === '') break;
        const colon = bare.indexOf(':');
        if (colon > 0 && isStompCredentialHeader(bare.slice(0, colon)) && colon + 1 < bare.length) out.push([p + colon + 1, p + bare.length]);
        p += line.length + 1;
      }
    }
    at = end + 1;
  }
  return out;
}

/** Socket.IO (Engine.IO 4 message) CONNECT `40{…}` or `40/nsp,{…}`: credential-named keys' values in its auth payload. */
function socketIoRanges(text: string): Range[] {
  if (!text.startsWith('40')) return [];
  let start = 2;
  if (text[start] === '/') {
    const comma = text.indexOf(',', start);
    if (comma === -1) return [];
    start = comma + 1;
  }
  if (text[start] !== '{') return [];
  return new JsonScan(text, start).credentials((path) => path.length >= 1);
}

/** GraphQL-ws `connection_init`: credential-named keys' values under `payload`. */
function graphqlRanges(text: string): Range[] {
  const start = text.search(/\S/);
  if (start === -1 || text[start] !== '{' || !text.includes('connection_init')) return [];
  const scan = new JsonScan(text, start);
  const ranges = scan.credentials((path) => path.length >= 2 && path[0] === 'payload');
  return scan.topLevel.get('type') === 'connection_init' ? ranges : [];
}

/**
 * A small JSON reader over a message's text that notes where the values of keys named like
 * credentials are (strings: their characters between the quotes; numbers: their digits). A
 * string of '*' is still a string; a number becomes `0` and spaces, still a number.
 */
class JsonScan {
  private at: number;
  private readonly out: Range[] = [];
  /** Top-level string members, read on the way (GraphQL's `type`). */
  readonly topLevel = new Map<string, string>();
  private wanted: (path: readonly string[]) => boolean = () => false;

  constructor(
    private readonly text: string,
    start: number,
  ) {
    this.at = start;
  }

  credentials(wanted: (path: readonly string[]) => boolean): Range[] {
    this.wanted = wanted;
    try {
      this.value([], false);
    } catch {
      return []; // not JSON: nothing to mask
    }
    return this.out;
  }

  private space(): void {
    while (/\s/.test(this.text[this.at] ?? '')) this.at++;
  }

  private value(path: string[], secret: boolean): string | undefined {
    this.space();
    const c = this.text[this.at];
    if (c === '{') {
      this.at++;
      this.space();
      if (this.text[this.at] === '}') return void this.at++;
      for (;;) {
        this.space();
        const key = this.string(false);
        this.space();
        if (this.text[this.at++] !== ':') throw new Error('json');
        const inner = [...path, key];
        const member = this.value(inner, secret || (looksLikeCredentialHeader(key) && this.wanted(inner)));
        if (path.length === 0 && member !== undefined) this.topLevel.set(key, member);
        this.space();
        const next = this.text[this.at++];
        if (next === '}') return undefined;
        if (next !== ',') throw new Error('json');
      }
    }
    if (c === '[') {
      this.at++;
      this.space();
      if (this.text[this.at] === ']') return void this.at++;
      for (let i = 0; ; i++) {
        this.value([...path, String(i)], secret);
        this.space();
        const next = this.text[this.at++];
        if (next === ']') return undefined;
        if (next !== ',') throw new Error('json');
      }
    }
    if (c === '"') return this.string(secret);
    const literal = /^(?:-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(this.text.slice(this.at, this.at + 400));
    if (!literal) throw new Error('json');
    if (secret && /^-?\d/.test(literal[0])) this.out.push([this.at, this.at + literal[0].length, true]);
    this.at += literal[0].length;
    return undefined;
  }

  /** A string at `at`: its text (escapes as written), noted as a credential when `secret`. */
  private string(secret: boolean): string {
    if (this.text[this.at] !== '"') throw new Error('json');
    const start = ++this.at;
    while (this.text[this.at] !== '"') {
      if (this.at >= this.text.length) throw new Error('json');
      this.at += this.text[this.at] === '\\' ? 2 : 1;
    }
    const end = this.at++;
    if (secret && end > start) this.out.push([start, end]);
    return this.text.slice(start, end);
  }
}

function applyRanges(bytes: Uint8Array, ranges: readonly Range[]): { bytes: Uint8Array; masked: number } {
  if (ranges.length === 0) return { bytes, masked: 0 };
  const copy = Uint8Array.from(bytes);
  let masked = 0;
  for (const [start, end, number] of ranges) {
    for (let i = start; i < end && i < copy.length; i++) {
      copy[i] = number && i !== start ? 0x20 : number ? 0x30 : STAR;
      masked++;
    }
  }
  return { bytes: copy, masked };
}
