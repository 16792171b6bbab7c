/**
 * ASP.NET Core SignalR's JSON hub protocol over WebSocket: JSON records each ended by the record
 * separator 0x1E, several to a message or (rarely) one split over messages, kept per direction.
 * The first record each way is the handshake ({protocol, version} from the client, {} or
 * {error} from the server); then messages by their numeric `type`: 1 Invocation, 2 StreamItem,
 * 3 Completion, 4 StreamInvocation, 5 CancelInvocation, 6 Ping, 7 Close, 8 Ack, 9 Sequence.
 * A record's value is the record, with `messageType` (the type's name) and, when it has an
 * invocationId, `conversation` ({key, role, label}) linking an invocation to its stream items
 * and completion. Binary messages are the MessagePack hub protocol: each message a varint length
 * then a MessagePack array ([1, headers, invocationId, target, arguments, streamIds] …), read
 * with msgpackr into the same records (a handshake, which stays JSON, may come binary too).
 * Nothing says at a message whether more will come, so a message that leaves a record unfinished
 * says how much of it has arrived so far; a close frame in that direction (nothing may follow it:
 * RFC 6455 §5.5.1) says the record was cut short. A close changes nothing in the decoder (search
 * prefilters pass over control frames unread).
 */
import { Unpackr } from 'msgpackr';
import { joined, messageBuffer, notValid, partial, quote, type DecodeOutcome, type StreamDecoder, type WireFrame } from './decoded-frame';
import { withoutControls } from './printable-text';
import { MAX_SNAPSHOT_BYTES, wrongSnapshot, type DecoderSnapshot } from './decoder-snapshot';
import type { JsonValue } from './json-value';
import { parsedJsonValue } from './parsed-json';
import { readExtensionsAsSent } from './msgpack-extensions';
import { msgpackBreak } from './msgpack-heads';
import { firstValueEnd } from './msgpack-decoder';

readExtensionsAsSent();
const unpackr = new Unpackr({ useRecords: false, mapsAsObjects: true, int64AsType: 'bigint' });

const RECORD_SEPARATOR = '\u001e';
/** A record that has not ended after this many characters is taken as garbage. */
const MAX_PENDING_CHARS = 16 * 1024 * 1024;

const MESSAGE_TYPES: Readonly<Record<number, string>> = {
  1: 'Invocation',
  2: 'StreamItem',
  3: 'Completion',
  4: 'StreamInvocation',
  5: 'CancelInvocation',
  6: 'Ping',
  7: 'Close',
  8: 'Ack',
  9: 'Sequence',
};

type Role = 'request' | 'answer' | 'stream';
const ROLES: Readonly<Record<number, Role>> = { 1: 'request', 2: 'stream', 3: 'answer', 4: 'request', 5: 'request' };

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** "an Invocation", "a StreamItem". */
function article(name: string): string {
  return `${/^[AEIOU]/.test(name) ? 'an' : 'a'} ${name}`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

type Part = { summary: string; value: JsonValue } | { problem: string };

function invocation(record: Record<string, unknown>, verb: string, where: string): string | { problem: string } {
  const name = MESSAGE_TYPES[Number(record.type)] ?? '';
  if (typeof record.target !== 'string') return { problem: `${where}: ${article(name)} without a "target" (a string)` };
  if (!Array.isArray(record.arguments)) return { problem: `${where}: ${article(name)} without "arguments" (a list)` };
  const id = typeof record.invocationId === 'string' ? ` #${record.invocationId}` : '';
  const streams = Array.isArray(record.streamIds) && record.streamIds.length > 0 ? ` with ${plural(record.streamIds.length, 'stream')} from the caller` : '';
  return `${verb} ${quote(record.target)} (${plural(record.arguments.length, 'arg')})${id}${streams}`;
}

/** One record's summary, or what is wrong with it ("record 2 of the message: …"). */
function hubMessage(record: Record<string, unknown>, where: string): Part {
  const type = record.type;
  if (typeof type !== 'number' || !Number.isInteger(type)) return { problem: `${where} has no "type" (a whole number)` };
  const name = MESSAGE_TYPES[type];
  if (name === undefined) return { problem: `${where} has the unknown message type ${type} (1–9)` };
  const id = typeof record.invocationId === 'string' ? record.invocationId : undefined;
  if ((type === 2 || type === 3 || type === 5) && id === undefined) return { problem: `${where}: ${article(name)} without an "invocationId" (a string)` };
  let summary: string | { problem: string };
  switch (type) {
    case 1:
      summary = invocation(record, 'invoke', where);
      break;
    case 4:
      summary = invocation(record, 'stream invoke', where);
      break;
    case 2:
      summary = `stream item #${id ?? ''}`;
      break;
    case 3:
      if ('error' in record && 'result' in record) return { problem: `${where}: a Completion with both "result" and "error"` };
      summary = typeof record.error === 'string' ? `completion #${id ?? ''} error ${quote(record.error)}` : `completion #${id ?? ''}${'result' in record ? ' with a result' : ''}`;
      break;
    case 5:
      summary = `cancel #${id ?? ''}`;
      break;
    case 6:
      summary = 'ping';
      break;
    case 7:
      summary = `close${typeof record.error === 'string' ? ` error ${quote(record.error)}` : ''}${record.allowReconnect === true ? ' (may reconnect)' : ''}`;
      break;
    default:
      summary = `${name.toLowerCase()} ${typeof record.sequenceId === 'number' ? record.sequenceId : '?'}`;
  }
  if (typeof summary !== 'string') return summary;
  const value: { [key: string]: JsonValue } = { messageType: name, ...(parsedJsonValue(record) as { [key: string]: JsonValue }) };
  const role = ROLES[type];
  if (id !== undefined && role !== undefined) value.conversation = { key: `signalr invocation ${id}`, role, label: `invocation ${id}` };
  return { summary, value };
}

/**
 * msgpackr's refusal of a hub message's bytes in plain what-and-where words: a value with bytes
 * after it (msgpackr: "Data read, but end of buffer not reached [1,2]"), a value cut short
 * (where, from msgpack-heads.ts), else its own words.
 */
function msgpackProblem(bytes: Uint8Array, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (/end of buffer not reached/.test(message)) {
    if (bytes[0] === 0xc1) return 'is not MessagePack: its first byte is 0xC1, which MessagePack reserves (no value has it)';
    const end = firstValueEnd(bytes);
    const size = bytes.byteLength;
    if (end === undefined || end >= size) return `is not one MessagePack value: bytes are left over after it (the message has ${size} B)`;
    const left = size - end;
    return `is not one MessagePack value: its value takes ${end} of its ${size} B, and the ${left} B after it ${left === 1 ? 'is' : 'are'} left over`;
  }
  if (/Unexpected end|Offset is outside the bounds of the DataView|Unknown extension (type )?undefined/.test(message)) {
    const where = msgpackBreak(bytes);
    return `ends before its MessagePack value does${where !== undefined ? `: ${where}` : ''} (a length is wrong)`;
  }
  return `is not MessagePack: ${message}`;
}

/** A MessagePack hub message's array as the JSON protocol's record (the fields by position). */
function recordOfArray(items: unknown[], where: string): { record: Record<string, unknown> } | { problem: string } {
  const [type, ...rest] = items;
  if (typeof type !== 'number') return { problem: `${where} does not start with a message type (a number)` };
  const headers = rest[0];
  const id = typeof rest[1] === 'string' ? { invocationId: rest[1] } : {};
  switch (type) {
    case 1:
    case 4:
      return { record: { type, headers, ...id, target: rest[2], arguments: rest[3], ...(rest[4] !== undefined ? { streamIds: rest[4] } : {}) } };
    case 2:
      return { record: { type, headers, ...id, item: rest[2] } };
    case 3: {
      const kind = rest[2];
      if (kind === 1) return { record: { type, headers, ...id, error: rest[3] } };
      if (kind === 3) return { record: { type, headers, ...id, result: rest[3] } };
      if (kind === 2) return { record: { type, headers, ...id } };
      return { problem: `${where}: a Completion with the result kind ${String(kind)} (1 error, 2 void, 3 result)` };
    }
    case 5:
      return { record: { type, headers, ...id } };
    case 7:
      return { record: { type, ...(typeof items[1] === 'string' ? { error: items[1] } : {}), ...(items[2] !== undefined ? { allowReconnect: items[2] } : {}) } };
    case 8:
    case 9:
      return { record: { type, sequenceId: typeof items[1] === 'bigint' ? Number(items[1]) : items[1] } };
    default:
      return { record: { type } };
  }
}

/** The varint length prefix at `at`: the length and where the message starts, or undefined when it is not all there. */
function lengthPrefix(bytes: Uint8Array, at: number): { length: number; start: number } | undefined | { problem: string } {
  let length = 0;
  for (let i = 0; i < 5; i++) {
    const byte = bytes[at + i];
    if (byte === undefined) return undefined;
    length += (byte & 0x7f) * 2 ** (7 * i);
    if ((byte & 0x80) === 0) return { length, start: at + i + 1 };
  }
  return { problem: `the length prefix at byte ${at} is longer than 5 bytes` };
}

/** MessagePack array heads: fixarray, array 16, array 32. */
function isArrayHead(byte: number): boolean {
  return (byte & 0xf0) === 0x90 || byte === 0xdc || byte === 0xdd;
}

/**
 * Why the bytes after the message's last whole hub message can never become one, or undefined:
 * once its length prefix is whole, the message's first byte must start a MessagePack array (a
 * forced decoder on another protocol's binary, MQTT's or STOMP's, whose first byte reads as a
 * length and the next as anything).
 */
function restNotAnArray(rest: Uint8Array, parts: number, offset: number): string | undefined {
  const prefix = lengthPrefix(rest, 0);
  if (prefix === undefined || 'problem' in prefix) return undefined;
  const head = rest[prefix.start];
  if (head === undefined || prefix.length === 0 || isArrayHead(head)) return undefined;
  // `offset`: where `rest` starts in the message's own bytes (negative: in bytes carried over).
  const byte = offset + prefix.start;
  const at = byte >= 0 ? ` (byte ${byte} of the message)` : '';
  return `MessagePack hub message ${parts + 1} (${prefix.length} B by its length prefix) is not a MessagePack array: its first byte${at} is 0x${head.toString(16).padStart(2, '0')}, where an array starts`;
}

interface Direction {
  /** Characters of a record that has not ended yet. */
  pending: string;
  /** Bytes of a MessagePack hub message that has not ended yet. */
  pendingBytes: Uint8Array;
  /** The handshake record has been read this way. */
  handshaken: boolean;
}

export class SignalRDecoder implements StreamDecoder {
  readonly protocol = 'signalr' as const;
  private readonly directions: Record<WireFrame['dir'], Direction> = {
    in: { pending: '', pendingBytes: new Uint8Array(0), handshaken: false },
    out: { pending: '', pendingBytes: new Uint8Array(0), handshaken: false },
  };

  /**
   * Nothing of a record is kept for `dir` and its handshake has been read: a text message of
   * whole records is then read as hub messages, leaving the decoder as it was (stateful-prefilter.ts).
   */
  between(dir: WireFrame['dir']): boolean {
    const direction = this.directions[dir];
    return direction.handshaken && direction.pending === '' && direction.pendingBytes.byteLength === 0;
  }

  /** Per direction the unfinished record (text or MessagePack bytes, each at most 16 MB) and whether the handshake was read. */
  snapshot(): DecoderSnapshot | undefined {
    const { in: inbound, out } = this.directions;
    const bytes = (inbound.pending.length + out.pending.length) * 2 + inbound.pendingBytes.byteLength + out.pendingBytes.byteLength;
    if (bytes > MAX_SNAPSHOT_BYTES) return undefined;
    const copy = (direction: Direction): Direction => ({ pending: direction.pending, pendingBytes: Uint8Array.from(direction.pendingBytes), handshaken: direction.handshaken });
    return { protocol: 'signalr', bytes, directions: { in: copy(inbound), out: copy(out) } };
  }

  restore(snapshot: DecoderSnapshot): void {
    if (snapshot.protocol !== 'signalr') throw wrongSnapshot(this.protocol, snapshot);
    for (const dir of ['in', 'out'] as const) {
      const state = snapshot.directions[dir];
      Object.assign(this.directions[dir], { pending: state.pending, pendingBytes: Uint8Array.from(state.pendingBytes), handshaken: state.handshaken });
    }
  }

  decode(frame: WireFrame): DecodeOutcome | undefined {
    if (frame.opcode === 'binary') {
      // The handshake stays JSON text, even when the connection then speaks MessagePack in binary.
      const jsonRecord = frame.bytes[0] === 0x7b && frame.bytes.includes(0x1e) && this.directions[frame.dir].pendingBytes.byteLength === 0;
      return jsonRecord ? this.text(frame) : this.binary(frame);
    }
    if (frame.opcode === 'close') return this.cutShort(frame.dir);
    if (frame.opcode !== 'text') return undefined;
    return this.text(frame);
  }

  /**
   * A close frame's answer: what it cuts short of the record (or MessagePack hub message) under
   * way in `dir`, with how much of it arrived, or nothing. Reads only: the decoder stays as it is.
   */
  private cutShort(dir: WireFrame['dir']): DecodeOutcome | undefined {
    const direction = this.directions[dir];
    const cut: string[] = [];
    if (direction.pending !== '') {
      // The first record each way is the handshake.
      const what = direction.handshaken ? 'record' : 'handshake';
      cut.push(`the ${what} under way in this direction: ${plural(direction.pending.length, 'character')} of it arrived`);
    }
    const bytes = direction.pendingBytes;
    if (bytes.byteLength > 0) {
      const prefix = lengthPrefix(bytes, 0);
      // The kept bytes start at a hub message's length prefix (one longer than 5 bytes is not kept).
      const arrived = prefix === undefined || 'problem' in prefix ? `its first ${bytes.byteLength} B (part of its length prefix)` : `${bytes.byteLength - prefix.start} of the ${prefix.length} B after its length prefix`;
      cut.push(`the MessagePack hub message under way in this direction: ${arrived} arrived`);
    }
    return cut.length > 0 ? notValid('signalr', `a close frame, which cuts short ${cut.join('; and ')}`) : undefined;
  }

  private binary(frame: WireFrame): DecodeOutcome {
    const direction = this.directions[frame.dir];
    const bytes = direction.pendingBytes.byteLength > 0 ? Buffer.concat([direction.pendingBytes, frame.bytes]) : frame.bytes;
    const carried = direction.pendingBytes.byteLength;
    const parts: { summary: string; value: JsonValue }[] = [];
    let at = 0;
    while (at < bytes.byteLength) {
      const prefix = lengthPrefix(bytes, at);
      if (prefix !== undefined && 'problem' in prefix) {
        direction.pendingBytes = new Uint8Array(0);
        return notValid('signalr', `MessagePack hub protocol: ${prefix.problem}`);
      }
      if (prefix === undefined || prefix.start + prefix.length > bytes.byteLength) break;
      const where = `MessagePack hub message ${parts.length + 1} (byte ${at}${carried > 0 ? `, counting ${carried} B carried over` : ''})`;
      let items: unknown;
      try {
        items = unpackr.unpack(bytes.subarray(prefix.start, prefix.start + prefix.length));
      } catch (error) {
        direction.pendingBytes = new Uint8Array(0);
        return notValid('signalr', `${where} ${msgpackProblem(bytes.subarray(prefix.start, prefix.start + prefix.length), error)}`);
      }
      if (!Array.isArray(items)) {
        direction.pendingBytes = new Uint8Array(0);
        return notValid('signalr', `${where} is not a MessagePack array`);
      }
      const read = recordOfArray(items, where);
      const part = 'problem' in read ? read : hubMessage(read.record, where);
      if ('problem' in part) {
        direction.pendingBytes = new Uint8Array(0);
        return notValid('signalr', part.problem);
      }
      parts.push(part);
      at = prefix.start + prefix.length;
    }
    const rest = bytes.subarray(at);
    if (rest.byteLength > MAX_PENDING_CHARS) {
      direction.pendingBytes = new Uint8Array(0);
      return notValid('signalr', `a MessagePack hub message has not ended after ${rest.byteLength} B`);
    }
    const notArray = restNotAnArray(rest, parts.length, at - carried);
    if (notArray !== undefined) {
      direction.pendingBytes = new Uint8Array(0);
      return notValid('signalr', notArray);
    }
    direction.pendingBytes = Uint8Array.from(rest);
    direction.handshaken = true;
    if (parts.length === 0) return partial('signalr', `part of a SignalR MessagePack message (${rest.byteLength} B so far, continues in a later message)`, { continues: true, bytesSoFar: rest.byteLength });
    const result = joined('signalr', parts, 'messages');
    if (rest.byteLength === 0 || result.kind !== 'decoded') return result;
    return { ...result, summary: `${result.summary} · then part of a message (${rest.byteLength} B so far, continues)` };
  }

  private text(frame: WireFrame): DecodeOutcome {
    const direction = this.directions[frame.dir];
    const text = direction.pending + messageBuffer(frame.bytes).toString('utf8');
    const records = text.split(RECORD_SEPARATOR);
    const rest = records.pop() ?? '';
    if (rest.length > MAX_PENDING_CHARS) {
      direction.pending = '';
      return notValid('signalr', `a record has not ended after ${rest.length} characters (no 0x1E record separator)`);
    }
    const fresh = direction.pending === '' || records.length > 0;
    direction.pending = rest;
    // The whole records first (they come first in the text), then what is left after them.
    const parts: { summary: string; value: JsonValue }[] = [];
    for (const [index, raw] of records.entries()) {
      const where = records.length === 1 ? 'the record' : `record ${index + 1} of ${records.length}`;
      const part = this.record(raw, where, frame.dir);
      if ('problem' in part) return notValid('signalr', part.problem);
      parts.push(part);
    }
    const cannot = this.restCannotEnd(rest, frame.dir, records.length, fresh);
    if (cannot !== undefined) {
      direction.pending = '';
      return notValid('signalr', cannot);
    }
    if (records.length === 0) {
      return partial('signalr', `part of a SignalR record (${rest.length} characters so far, continues in a later message)`, { continues: true, charactersSoFar: rest.length });
    }
    const result = joined('signalr', parts, 'messages');
    if (rest === '' || result.kind !== 'decoded') return result;
    return { ...result, summary: `${result.summary} · then part of a record (${plural(rest.length, 'character')} so far, continues)` };
  }

  /**
   * Why the text after the message's last record separator can never become a record, or
   * undefined: a record is a JSON object, so after JSON whitespace it starts with `{` (a forced
   * decoder on another protocol's text: Socket.IO's `42[…]`, STOMP's `SEND`); and a whole JSON
   * value there can only be followed by whitespace and 0x1E, so it is read as the record it would
   * be (the handshake state put back) and refused now when that record is not valid (GraphQL's
   * `{"type":"connection_init"}`). `fresh`: the text started in this message (the whole-value
   * check parses it, so a record split over many messages is not parsed again at each).
   */
  private restCannotEnd(rest: string, dir: WireFrame['dir'], records: number, fresh: boolean): string | undefined {
    const start = rest.search(/[^ \t\n\r]/);
    if (start < 0) return undefined;
    const where = records === 0 ? 'the message' : `the text after record ${records}`;
    const first = rest.charAt(start);
    if (first !== '{') return `${where} starts with ${quote(first)} at character ${start}, where a record (a JSON object ended by 0x1E) starts with '{'`;
    if (!fresh || !/\}[ \t\n\r]*$/.test(rest)) return undefined;
    try {
      JSON.parse(rest);
    } catch {
      return undefined;
    }
    const direction = this.directions[dir];
    const handshaken = direction.handshaken;
    const part = this.record(rest, where, dir);
    direction.handshaken = handshaken;
    return 'problem' in part ? `${part.problem} (and no 0x1E record separator after it)` : undefined;
  }

  private record(raw: string, where: string, dir: WireFrame['dir']): Part {
    let record: unknown;
    try {
      record = JSON.parse(raw);
    } catch (error) {
      return { problem: `${where} is not JSON (${withoutControls(error instanceof Error ? error.message : String(error))}): ${quote(raw)}` };
    }
    if (!isObject(record)) return { problem: `${where} is JSON but not an object: ${quote(raw)}` };
    const direction = this.directions[dir];
    if (!direction.handshaken && !('type' in record)) {
      direction.handshaken = true;
      return this.handshake(record, dir, where);
    }
    direction.handshaken = true;
    return hubMessage(record, where);
  }

  private handshake(record: Record<string, unknown>, dir: WireFrame['dir'], where: string): Part {
    if (dir === 'out') {
      if (typeof record.protocol !== 'string' || typeof record.version !== 'number') return { problem: `${where}: a handshake request needs "protocol" (a string) and "version" (a number)` };
      return { summary: `handshake ${record.protocol} v${record.version}`, value: { messageType: 'HandshakeRequest', ...(parsedJsonValue(record) as { [key: string]: JsonValue }) } };
    }
    const error = typeof record.error === 'string' ? record.error : undefined;
    return { summary: error !== undefined ? `handshake refused: ${quote(error)}` : 'handshake accepted', value: { messageType: 'HandshakeResponse', ...(parsedJsonValue(record) as { [key: string]: JsonValue }) } };
  }
}
