/**
 * What every decoder that keeps nothing across messages (MessagePack, CBOR, Protocol Buffers,
 * compressed, Base64) answers for checkpoints: an empty snapshot of its protocol, and a restore
 * that only checks the snapshot is its own (decoder-snapshot.ts). Each of them extends this.
 */
import { statelessSnapshot, wrongSnapshot, type DecoderSnapshot } from './decoder-snapshot';

export type StatelessProtocol = 'msgpack' | 'cbor' | 'protobuf' | 'compressed' | 'base64';

export abstract class StatelessDecoder {
  abstract readonly protocol: StatelessProtocol;

  /** Keeps nothing across messages. */
  snapshot(): DecoderSnapshot {
    return statelessSnapshot(this.protocol);
  }

  restore(snapshot: DecoderSnapshot): void {
    if (snapshot.protocol !== this.protocol) throw wrongSnapshot(this.protocol, snapshot);
  }
}
