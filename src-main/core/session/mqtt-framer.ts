/**
 * Finds MQTT packet boundaries in one direction's byte stream, across WebSocket messages (the
 * MQTT-over-WebSocket standard lets a packet span messages and messages share packets). Only the
 * fixed header is read (type and Remaining Length); a packet's bytes are kept only when asked
 * for (the CONNECT, the CONNACK), so a stream of large PUBLISHes costs a few steps a message.
 */

/** Bytes kept of a packet asked for; a CONNECT or CONNACK larger than this is not read. */
export const MAX_KEPT_PACKET_BYTES = 1024 * 1024;

export interface FramedPacket {
  /** The packet type (the fixed header's high nibble: 1 CONNECT, 2 CONNACK, 12 PINGREQ …). */
  type: number;
  /** The whole packet, when `keep` asked for its type and it fit; else undefined. */
  bytes: Buffer | undefined;
}

export class MqttFramer {
  /** 'header': the next byte starts a packet; 'length': Remaining Length bytes; 'body': the rest. */
  private stage: 'header' | 'length' | 'body' = 'header';
  private type = 0;
  private lengthValue = 0;
  private lengthBytes = 0;
  private remaining = 0;
  private kept: Buffer[] | undefined;
  private keptBytes = 0;
  private broken = false;

  /** `keep(type)`: whether to keep the bytes of packets of that type. */
  constructor(private readonly keep: (type: number) => boolean = () => false) {}

  /** True when the stream ends on a packet boundary (no packet begun and not finished). */
  get atBoundary(): boolean {
    return this.stage === 'header';
  }

  /** True once a Remaining Length was malformed (more than 4 bytes): the boundaries are lost. */
  get isBroken(): boolean {
    return this.broken;
  }

  /** Reads the next bytes of the stream; returns the packets they completed, in order. */
  push(chunk: Uint8Array): FramedPacket[] {
    const done: FramedPacket[] = [];
    let at = 0;
    while (at < chunk.length && !this.broken) {
      const byte = chunk[at] ?? 0;
      if (this.stage === 'header') {
        this.type = byte >> 4;
        this.lengthValue = 0;
        this.lengthBytes = 0;
        this.kept = this.keep(this.type) ? [Buffer.from(chunk.subarray(at, at + 1))] : undefined;
        this.keptBytes = 1;
        this.stage = 'length';
        at += 1;
        continue;
      }
      if (this.stage === 'length') {
        this.lengthValue += (byte & 0x7f) * 128 ** this.lengthBytes;
        this.lengthBytes += 1;
        this.keepBytes(chunk.subarray(at, at + 1));
        at += 1;
        if ((byte & 0x80) !== 0) {
          if (this.lengthBytes === 4) this.broken = true;
          continue;
        }
        this.remaining = this.lengthValue;
        if (this.remaining === 0) done.push(this.finish());
        else this.stage = 'body';
        continue;
      }
      const take = Math.min(this.remaining, chunk.length - at);
      this.keepBytes(chunk.subarray(at, at + take));
      this.remaining -= take;
      at += take;
      if (this.remaining === 0) done.push(this.finish());
    }
    return done;
  }

  private keepBytes(bytes: Uint8Array): void {
    if (this.kept === undefined) return;
    this.keptBytes += bytes.length;
    if (this.keptBytes > MAX_KEPT_PACKET_BYTES) this.kept = undefined;
    else this.kept.push(Buffer.from(bytes));
  }

  private finish(): FramedPacket {
    const packet = { type: this.type, bytes: this.kept === undefined ? undefined : Buffer.concat(this.kept) };
    this.kept = undefined;
    this.stage = 'header';
    return packet;
  }
}
