/**
 * `{{$counter}}`, `{{$uuid}}` … and `{{name}}` in a protocol message (issue 14 QA, L2). Before,
 * a Socket.IO emit went out as `423["chat","hi {{$counter}}"]`. They are filled in in the
 * message's string fields only, by the engine at each send as for a text message: the message is
 * encoded with them as typed, and its text is sent with `builtins` (session:send), so a repeat's
 * sends differ and the tab's environment fills the variables, with the engine's errors for an
 * unknown one. A text protocol (STOMP, Socket.IO, GraphQL) carries them through its encoding as
 * they are (JSON.stringify leaves braces alone; SignalR's record too); a binary one (MQTT, MessagePack, CBOR) does not
 * (session:send fills in text messages only): there they are sent as typed, and the form says so.
 * Numbers (packet ids, ack ids) are never templates.
 */
import { BUILTIN_LIST_TEXT, hasTemplate, parseBuiltins } from '../../../src-main/shared/builtin-variables';
import type { ProtocolMessage } from '../../../src-main/shared/protocol-message';

/** The message's string fields, in words: what the composer's form names them. */
export function templateFields(message: ProtocolMessage): { words: string; text: string }[] {
  switch (message.protocol) {
    case 'stomp':
      return [...message.headers.flatMap((h) => [{ words: `header name “${h.name}”`, text: h.name }, { words: `header ${h.name}`, text: h.value }]), { words: 'body', text: message.body }];
    case 'socketio':
      return [{ words: 'namespace', text: message.namespace }, { words: 'event name', text: message.event }, { words: 'arguments', text: message.args }];
    case 'graphql':
      return [{ words: 'id', text: message.id }, { words: 'query', text: message.query }, { words: 'variables', text: message.variables }, { words: 'operation', text: message.operationName ?? '' }];
    case 'mqtt': {
      const p = message.packet;
      if (p.cmd === 'connect') return [{ words: 'client id', text: p.clientId }, { words: 'user', text: p.username ?? '' }, { words: 'password', text: p.password ?? '' }];
      if (p.cmd === 'publish') return [{ words: 'topic', text: p.topic }, { words: 'payload', text: p.payload }];
      if (p.cmd === 'subscribe') return [{ words: 'topic', text: p.topic }];
      if (p.cmd === 'unsubscribe') return p.topics.map((t) => ({ words: 'topic', text: t }));
      return [];
    }
    case 'signalr':
      return [{ words: 'target', text: message.target }, { words: 'arguments', text: message.arguments }, { words: 'invocation id', text: message.invocationId ?? '' }];
    case 'msgpack':
    case 'cbor':
      return [{ words: 'value', text: message.json }];
  }
}

/** Whether the encoded message is text the engine can fill in. */
export function isTextProtocol(message: ProtocolMessage): boolean {
  return message.protocol === 'stomp' || message.protocol === 'socketio' || message.protocol === 'graphql' || message.protocol === 'signalr';
}

export type ProtocolTemplates =
  /** fill: sent with `builtins` (the engine fills in); asTyped: a binary message holding `{{`, sent as typed. */
  | { ok: true; fill: boolean; asTyped: boolean }
  | { ok: false; error: string };

/** An unknown built-in is said with its field ("The body: unknown built-in {{$cuonter}} at character 4 …"). */
export function protocolTemplates(message: ProtocolMessage): ProtocolTemplates {
  const fields = templateFields(message).filter((f) => hasTemplate(f.text));
  if (fields.length === 0) return { ok: true, fill: false, asTyped: false };
  if (!isTextProtocol(message)) return { ok: true, fill: false, asTyped: true };
  for (const field of fields) {
    const parsed = parseBuiltins(field.text);
    if (!parsed.ok) return { ok: false, error: `The ${field.words}: unknown built-in {{$${parsed.name}}} at character ${parsed.index + 1}: the built-ins are ${BUILTIN_LIST_TEXT}.` };
  }
  return { ok: true, fill: true, asTyped: false };
}
