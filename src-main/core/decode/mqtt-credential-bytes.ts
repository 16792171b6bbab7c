/**
 * MQTT credentials in one direction's raw messages: a CONNECT's password and MQTT 5
 * authentication data (CONNECT, AUTH). Only those two packet types can hold one, so every other
 * packet is passed over by its length from its fixed header without being read (the cheap
 * part: most messages are PUBLISHes); a packet may span messages, so what is left of a skipped
 * packet, or the bytes so far of a CONNECT/AUTH, are kept for the next message. A credential's
 * place always follows from the bytes before it, so each message's share is masked as it comes.
 * A text message is not MQTT ([MQTT-6.0.0-1]): it ends the packet under way, as the decoder does.
 */
import { noteField, type CredentialRange, type FoundCredentials } from './credential-range';
import type { CredentialStream } from './credential-stream';

/** The CONNECT's protocol level (5: properties), shared by both directions as the decoder does. */
export interface MqttLevel {
  level: number;
}

/** The packet's whole length once its fixed header is read; undefined before, Infinity for a length MQTT does not allow. */
function packetLength(bytes: ArrayLike<number>, from: number, available: number): number | undefined {
  let length = 0;
  let factor = 1;
  for (let i = 1; i <= 4; i++) {
    if (i >= available) return undefined;
    const byte = bytes[from + i] ?? 0;
    length += (byte & 0x7f) * factor;
    if ((byte & 0x80) === 0) return i + 1 + length;
    factor *= 128;
  }
  return Number.POSITIVE_INFINITY;
}

/** The variable-length integer at `at` (MQTT 5 property lengths): its value and size, or undefined while unread. */
function varInt(bytes: ArrayLike<number>, at: number): { value: number; size: number } | undefined {
  let value = 0;
  let factor = 1;
  for (let i = 0; i < 4; i++) {
    if (at + i >= bytes.length) return undefined;
    const byte = bytes[at + i] ?? 0;
    value += (byte & 0x7f) * factor;
    if ((byte & 0x80) === 0) return { value, size: i + 1 };
    factor *= 128;
  }
  return undefined;
}

function u16(bytes: ArrayLike<number>, at: number): number | undefined {
  if (at + 1 >= bytes.length) return undefined;
  return ((bytes[at] ?? 0) << 8) | (bytes[at + 1] ?? 0);
}

/** Sizes of MQTT 5 property values by identifier (§2.2.2.2), after the identifier byte; -1: two-byte length then data, -2: a string pair, -3: a variable-length integer. */
const PROPERTY_SIZES: Readonly<Record<number, number>> = {
  0x01: 1, 0x02: 4, 0x03: -1, 0x08: -1, 0x09: -1, 0x0b: -3, 0x11: 4, 0x12: -1, 0x13: 2, 0x15: -1, 0x16: -1, 0x17: 1, 0x18: 4,
  0x19: 1, 0x1a: -1, 0x1c: -1, 0x1f: -1, 0x21: 2, 0x22: 2, 0x23: 2, 0x24: 1, 0x25: 1, 0x26: -2, 0x27: 4, 0x28: 1, 0x29: 1, 0x2a: 1,
};

type Place = [start: number, end: number, field: string];

/** Authentication Data (0x16) values in the properties at `at`: their data's places; returns where the properties end. */
function authDataInProperties(bytes: ArrayLike<number>, at: number, field: string, out: Place[]): number | undefined {
  const length = varInt(bytes, at);
  if (!length) return undefined;
  let p = at + length.size;
  const end = p + length.value;
  while (p < end) {
    if (p >= bytes.length) return undefined;
    const id = bytes[p] ?? 0;
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
        if (id === 0x16) out.push([p + 2, p + 2 + n, field]);
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
function mqttCredentials(bytes: ArrayLike<number>, shared: MqttLevel, type: number): Place[] {
  const out: Place[] = [];
  const length = varInt(bytes, 1);
  if (!length) return out;
  let p = 1 + length.size;
  if (type === 15) {
    if (shared.level === 5 && length.value > 1) authDataInProperties(bytes, p + 1, '$.properties.authenticationData', out);
    return out;
  }
  const nameLength = u16(bytes, p);
  if (nameLength === undefined) return out;
  p += 2 + nameLength;
  if (p + 1 >= bytes.length) return out;
  const protocolLevel = bytes[p] ?? 0;
  const flags = bytes[p + 1] ?? 0;
  shared.level = protocolLevel;
  p += 4; // level, flags, keep alive
  if (protocolLevel === 5) {
    const after = authDataInProperties(bytes, p, '$.properties.authenticationData', out);
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
    if (n !== undefined) out.push([p + 2, p + 2 + n, '$.password']);
  }
  return out;
}

const isCredentialPacket = (firstByte: number): boolean => firstByte >> 4 === 1 || firstByte >> 4 === 15;

export class MqttCredentialStream implements CredentialStream {
  /** The bytes so far of a packet whose fixed header is not whole, or of a CONNECT/AUTH under way. */
  private held: number[] | undefined;
  /** Bytes of another packet still to pass unread. */
  private skip = 0;

  constructor(private readonly shared: MqttLevel) {}

  clone(): MqttCredentialStream {
    const copy = new MqttCredentialStream({ level: this.shared.level });
    copy.held = this.held && [...this.held];
    copy.skip = this.skip;
    return copy;
  }

  read(opcode: 'text' | 'binary', bytes: Uint8Array, found: FoundCredentials): void {
    if (opcode === 'text') {
      this.held = undefined;
      this.skip = 0;
      return;
    }
    let at = 0;
    const length = bytes.length;
    while (at < length) {
      if (this.skip > 0) {
        const n = Math.min(this.skip, length - at);
        this.skip -= n;
        at += n;
        continue;
      }
      if (this.held === undefined) {
        // The common case: a packet starting here whose fixed header is in this message.
        const first = bytes[at] ?? 0;
        const total = packetLength(bytes, at, length - at);
        if (total !== undefined && !isCredentialPacket(first)) {
          if (total > length - at) {
            this.skip = total - (length - at);
            return;
          }
          at += total;
          continue;
        }
        if (total !== undefined && total <= length - at) {
          // A whole CONNECT/AUTH in this message: read in place.
          this.places(bytes.subarray(at, at + total), first >> 4, at, 0, total, found);
          at += total;
          continue;
        }
        this.held = [];
      }
      at = this.readHeld(bytes, at, found);
    }
  }

  /** Adds bytes from `at` to the packet under way; returns where reading goes on. */
  private readHeld(bytes: Uint8Array, at: number, found: FoundCredentials): number {
    const held = this.held ?? [];
    const heldBefore = held.length;
    const need = packetLength(held, 0, held.length);
    const take = need === undefined ? 1 : Math.min(need - held.length, bytes.length - at);
    for (let i = 0; i < take; i++) held.push(bytes[at + i] ?? 0);
    const total = packetLength(held, 0, held.length);
    const first = held[0] ?? 0;
    if (total !== undefined && !isCredentialPacket(first)) {
      // Not a CONNECT or AUTH: nothing to mask; pass over the rest of it unread.
      this.held = undefined;
      this.skip = total - held.length;
      return at + take;
    }
    if (total !== undefined) this.places(held, first >> 4, at - heldBefore, heldBefore, heldBefore + take, found);
    this.held = total !== undefined && held.length >= total ? undefined : held;
    return at + take;
  }

  /**
   * The credentials of the CONNECT/AUTH `packet` (its bytes so far) that lie in [from, to) of
   * it, noted as places in the message (`shift`: the message offset of the packet's first byte).
   */
  private places(packet: ArrayLike<number>, type: number, shift: number, from: number, to: number, found: FoundCredentials): void {
    for (const [start, end, field] of mqttCredentials(packet, this.shared, type)) {
      const a = Math.max(start, from);
      const b = Math.min(end, to);
      if (a < b) {
        const range: CredentialRange = [shift + a, shift + b];
        found.ranges.push(range);
        noteField(found, field);
      }
    }
  }
}
