/**
 * The match proof (match-proof.ts) for a query in a protocol, or undefined where there is none:
 * MessagePack (msgpack-match-proof.ts), CBOR (cbor-match-proof.ts), Protocol Buffers without a
 * schema or with one message type (protobuf-match-proof.ts; not with type rules, which choose
 * the type per message), compressed and Base64 payloads (unwrapped-match-proof.ts), STOMP's
 * self-contained frames (stomp-match-proof.ts) and Socket.IO's plain text events
 * (socketio-match-proof.ts), MQTT's whole PUBLISH and ping packets (mqtt-match-proof.ts; it reads
 * the protocol version and topic aliases from the walk's decoder) and GraphQL over WebSocket's
 * results (next, data) and id-less messages (graphql-match-proof.ts: the types that change no
 * remembered operation, never a clause on the `operation` the decoder adds). For STOMP, Socket.IO
 * and MQTT, which keep state, the walk asks only while its decoder is idle for the frame's
 * direction; GraphQL's proof holds whatever operations its decoder remembers
 * (PROOFS_IN_ANY_STATE), so it is asked at every frame. SignalR's proofs (signalr-match-proof.ts for JSON records, signalr-msgpack-match-proof.ts
 * for MessagePack hub messages; they never take the same frame) check the decoder's state
 * themselves (`between` the records of the frame's direction), so they too are asked at every frame.
 */
import type protobuf from 'protobufjs';
import type { DecodedQuery } from '../../shared/decoded-query';
import { cborMatchProof } from './cbor-match-proof';
import type { DecoderName } from './decoded-frame';
import { graphqlMatchProof } from './graphql-match-proof';
import type { MatchProof } from './match-proof';
import { mqttMatchProof } from './mqtt-match-proof';
import { msgpackMatchProof } from './msgpack-match-proof';
import { protobufMatchProof } from './protobuf-match-proof';
import { signalrMatchProof } from './signalr-match-proof';
import { signalrMsgpackMatchProof } from './signalr-msgpack-match-proof';
import { socketIoMatchProof } from './socketio-match-proof';
import { stompMatchProof } from './stomp-match-proof';
import { unwrappedMatchProof } from './unwrapped-match-proof';

/** Protocols that keep state whose proof is asked without the idle gate: it holds whatever the decoder holds (GraphQL) or reads the state itself (SignalR). */
export const PROOFS_IN_ANY_STATE: ReadonlySet<DecoderName> = new Set<DecoderName>(['graphql-ws', 'signalr']);

export function queryMatchProof(protocol: DecoderName, query: DecodedQuery, protobufType: 'none' | 'rules' | protobuf.Type): MatchProof | undefined {
  switch (protocol) {
    case 'msgpack':
      return msgpackMatchProof(query);
    case 'cbor':
      return cborMatchProof(query);
    case 'protobuf':
      return protobufType === 'rules' ? undefined : protobufMatchProof(query, protobufType === 'none' ? undefined : protobufType);
    case 'compressed':
    case 'base64':
      return unwrappedMatchProof(protocol, query);
    case 'stomp':
      return stompMatchProof(query);
    case 'socketio':
      return socketIoMatchProof(query);
    case 'mqtt':
      return mqttMatchProof(query);
    case 'graphql-ws':
      return graphqlMatchProof(query);
    case 'signalr':
      return eitherProof(signalrMatchProof(query), signalrMsgpackMatchProof(query));
    default:
      return undefined;
  }
}

/** A proof that takes what either takes (each refuses the other's frames), or the one there is. */
function eitherProof(first: MatchProof | undefined, second: MatchProof | undefined): MatchProof | undefined {
  if (!first || !second) return first ?? second;
  return (slab, start, end, opcode, decoder, dir) => first(slab, start, end, opcode, decoder, dir) || second(slab, start, end, opcode, decoder, dir);
}
