/**
 * A small Protocol Buffers schema whose messages need a type rule to read: a Request (out) and an
 * Event (in) both start with 0x0a, a Reply (in) with 0x08. Shared by the type-rule tests.
 */
import protobuf from 'protobufjs';

export const CHAT_PROTO = `syntax = "proto3";
package chat;
message Request { string text = 1; }
message Reply { uint32 code = 1; string note = 2; }
message Event { string topic = 1; bytes data = 2; }
`;

const root = protobuf.parse(CHAT_PROTO, { keepCase: true }).root;

/** The message of that type, encoded. */
export function chatMessage(type: 'chat.Request' | 'chat.Reply' | 'chat.Event', value: Record<string, unknown>): Buffer {
  const t = root.lookupType(type);
  return Buffer.from(t.encode(t.create(value)).finish());
}
