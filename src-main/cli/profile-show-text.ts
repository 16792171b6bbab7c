/**
 * What `profiles show` says of a profile's decoding and of its saved protocol messages: the
 * Decode choice in words (a Protocol Buffers schema by name, type and rules; auto and none
 * explained), and a protocol message by its protocol and command ("STOMP SUBSCRIBE") rather than
 * the kind alone. A body that is not a message this version can read stays "protocol".
 */
import { DECODE_PROTOCOLS, type ProtobufChoice } from '../shared/decoding';
import { COMPOSER_PROTOCOLS, protocolMessageSchema, type ProtocolMessage } from '../shared/protocol-message';
import { PLAIN_ISSUE_WORDS } from '../shared/zod-words';

/** The Decode row: "auto (…)", "none (…)", "STOMP (stomp)", "Protocol Buffers (protobuf), schema chat.proto#chat.Msg, 2 type rules". */
export function decodeText(decode: string | undefined, protobuf: ProtobufChoice | undefined): string {
  if (decode === undefined || decode === 'auto') return 'auto (recognised from the handshake and the first messages)';
  if (decode === 'none') return 'none (frames are shown as they are, not decoded)';
  const title = DECODE_PROTOCOLS.find((p) => p.name === decode)?.title;
  const named = title !== undefined ? `${title} (${decode})` : `${decode} (this version has no decoder for it: connect --profile decodes with auto)`;
  if (decode !== 'protobuf') return named;
  if (protobuf === undefined) return `${named}, no schema: each message read by field number`;
  const rules = protobuf.rules?.length ?? 0;
  const schema = protobuf.type !== undefined ? `${protobuf.schema.name}#${protobuf.type}` : `${protobuf.schema.name}, no message type chosen`;
  return `${named}, schema ${schema}${rules > 0 ? `, ${rules} type rule${rules === 1 ? '' : 's'}` : ''}`;
}

/** "STOMP SUBSCRIBE", "MQTT PUBLISH", "Socket.IO emit", "GraphQL subscribe", "MessagePack value"; "protocol" when unreadable. */
export function protocolMessageWords(body: string): string {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return 'protocol';
  }
  const parsed = protocolMessageSchema.safeParse(json, PLAIN_ISSUE_WORDS);
  if (!parsed.success) return 'protocol';
  const message = parsed.data;
  const title = COMPOSER_PROTOCOLS.find((p) => p.name === message.protocol)?.title ?? message.protocol;
  return `${title} ${commandOf(message)}`;
}

function commandOf(message: ProtocolMessage): string {
  switch (message.protocol) {
    case 'stomp':
      return message.command;
    case 'mqtt':
      return message.packet.cmd.toUpperCase();
    case 'socketio':
      return message.type === 'connect' ? `CONNECT ${message.namespace}` : 'emit';
    case 'graphql':
      return message.type;
    case 'signalr':
      return message.type === 'invocation' || message.type === 'streamInvocation' ? `${message.type} ${message.target}` : message.type;
    default:
      return 'value';
  }
}
