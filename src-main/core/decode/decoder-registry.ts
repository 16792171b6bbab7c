/** Which decoder reads which protocol: a fresh one per session (they keep what spans messages). */
import { Base64Decoder } from './base64-decoder';
import { CborDecoder } from './cbor-decoder';
import { CompressedDecoder } from './compressed-decoder';
import type { DecoderName, StreamDecoder } from './decoded-frame';
import { GraphqlWsDecoder } from './graphql-ws-decoder';
import { MqttDecoder } from './mqtt-decoder';
import { MsgpackDecoder } from './msgpack-decoder';
import { ProtobufDecoder } from './protobuf-decoder';
import type { ProtobufSchema } from './protobuf-schema';
import { protobufTypeChooser, type ConnectionSigns, type ProtobufRule } from './protobuf-type-rules';
import { SignalRDecoder } from './signalr-decoder';
import { SocketIoDecoder } from './socketio-decoder';
import { StompDecoder } from './stomp-decoder';

export interface DecoderSettings {
  /** Socket.IO: the Engine.IO version (from the URL's EIO=); 4 when unknown. */
  engineVersion?: 3 | 4;
  /** Protocol Buffers: the message type to read (loadProtobufSchema); without it, schema-less. */
  protobuf?: ProtobufSchema;
  /** Protocol Buffers: rules giving another type to some messages (the first that holds wins over `protobuf`). */
  protobufRules?: readonly ProtobufRule[];
  /** The connection's URL and subprotocol, for rules that ask (given when the decoder is made). */
  connection?: ConnectionSigns;
}

const FACTORIES: Readonly<Record<DecoderName, (settings: DecoderSettings) => StreamDecoder>> = {
  socketio: (settings) => new SocketIoDecoder({ engineVersion: settings.engineVersion ?? 4 }),
  stomp: () => new StompDecoder(),
  mqtt: () => new MqttDecoder(),
  // The chosen subprotocol: a message type only the other GraphQL protocol has is flagged.
  'graphql-ws': (settings) => new GraphqlWsDecoder(settings.connection?.subprotocol !== undefined ? { subprotocol: settings.connection.subprotocol } : {}),
  signalr: () => new SignalRDecoder(),
  msgpack: () => new MsgpackDecoder(),
  cbor: () => new CborDecoder(),
  protobuf: (settings) =>
    new ProtobufDecoder(settings.protobufRules !== undefined && settings.protobufRules.length > 0 ? protobufTypeChooser(settings.protobufRules, settings.protobuf, settings.connection ?? {}) : settings.protobuf),
  compressed: () => new CompressedDecoder(),
  base64: () => new Base64Decoder(),
};

export function createDecoder(name: DecoderName, settings: DecoderSettings = {}): StreamDecoder {
  return FACTORIES[name](settings);
}
