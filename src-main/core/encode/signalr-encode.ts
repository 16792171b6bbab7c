/**
 * A SignalR JSON hub protocol record as a client sends it (ASP.NET Core HubProtocol.md, "JSON
 * Encoding"): a JSON object ended by the record separator 0x1E, in a text message. The handshake
 * is {"protocol":"json","version":1}; then Invocation {"type":1, "invocationId"?, "target",
 * "arguments"}, StreamInvocation (4, its invocationId needed), CancelInvocation (5), Ping (6) and
 * Close (7). The arguments go as typed (after checking they are a JSON array), not parsed and
 * written again, which would round a number beyond 2^53. A JSON text cannot hold 0x1E (a control character
 * in a string must be escaped, and it is not JSON whitespace), so the separator ends the record.
 */
import type { ProtocolMessage } from '../../shared/protocol-message';
import { fail, ok, type Result } from '../../shared/result';

type SignalRMessage = Extract<ProtocolMessage, { protocol: 'signalr' }>;

export const RECORD_SEPARATOR = '\u001e';

const TYPE_NUMBERS = { invocation: 1, streamInvocation: 4, cancelInvocation: 5, ping: 6, close: 7 } as const;

/** The arguments' text, when it is a JSON array; else what it is instead. */
function argumentsText(text: string): Result<string> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return fail('INVALID_ARGUMENT', `message:encode: the arguments must be JSON: ${error instanceof Error ? error.message : String(error)}`, 'message.arguments');
  }
  if (!Array.isArray(value)) return fail('INVALID_ARGUMENT', 'message:encode: the arguments must be a JSON array, e.g. ["hello", 1]', 'message.arguments');
  return ok(text.trim());
}

/** The record's text, separator included. */
export function encodeSignalRRecord(message: SignalRMessage): Result<string> {
  if (message.type === 'handshake') return ok(`${JSON.stringify({ protocol: 'json', version: 1 })}${RECORD_SEPARATOR}`);
  const type = TYPE_NUMBERS[message.type];
  const id = message.invocationId !== undefined && message.invocationId !== '' ? `,"invocationId":${JSON.stringify(message.invocationId)}` : '';
  if (message.type === 'ping' || message.type === 'close') return ok(`{"type":${type}}${RECORD_SEPARATOR}`);
  if (message.type === 'cancelInvocation') {
    if (id === '') return fail('INVALID_ARGUMENT', 'message:encode: a CancelInvocation needs the invocation id of the stream it cancels', 'message.invocationId');
    return ok(`{"type":${type}${id}}${RECORD_SEPARATOR}`);
  }
  if (message.target === '') return fail('INVALID_ARGUMENT', "message:encode: the target: an invocation needs the hub method's name", 'message.target');
  if (message.type === 'streamInvocation' && id === '') return fail('INVALID_ARGUMENT', 'message:encode: a StreamInvocation needs an invocation id', 'message.invocationId');
  const args = argumentsText(message.arguments);
  if (!args.ok) return args;
  return ok(`{"type":${type}${id},"target":${JSON.stringify(message.target)},"arguments":${args.value}}${RECORD_SEPARATOR}`);
}
