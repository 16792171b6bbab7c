/** Which decoder reads which protocol: a fresh one per session (they keep what spans messages). */
import { CborDecoder } from './cbor-decoder';
import type { DecoderName, StreamDecoder } from './decoded-frame';
import { MqttDecoder } from './mqtt-decoder';
import { MsgpackDecoder } from './msgpack-decoder';
import { SocketIoDecoder } from './socketio-decoder';
import { StompDecoder } from './stomp-decoder';

export interface DecoderSettings {
  /** Socket.IO: the Engine.IO version (from the URL's EIO=); 4 when unknown. */
  engineVersion?: 3 | 4;
}

const FACTORIES: Readonly<Record<DecoderName, (settings: DecoderSettings) => StreamDecoder>> = {
  socketio: (settings) => new SocketIoDecoder({ engineVersion: settings.engineVersion ?? 4 }),
  stomp: () => new StompDecoder(),
  mqtt: () => new MqttDecoder(),
  msgpack: () => new MsgpackDecoder(),
  cbor: () => new CborDecoder(),
};

export function createDecoder(name: DecoderName, settings: DecoderSettings = {}): StreamDecoder {
  return FACTORIES[name](settings);
}
