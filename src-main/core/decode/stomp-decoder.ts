/**
 * STOMP over WebSocket: each direction keeps the bytes of a frame that has not ended yet, so a
 * frame split across messages is decoded in the message that completes it, and a message with
 * several frames lists them all. The version (1.0 has no header escapes) comes from CONNECTED.
 * Nothing says at a message whether more will come, so a message that leaves a frame unfinished
 * says how much of it has arrived so far; a close frame in that direction (nothing may follow it:
 * RFC 6455 §5.5.1) says the frame was cut short. A close changes nothing in the decoder (search
 * prefilters pass over control frames unread).
 * A heart-beat is an EOL, LF or CR LF (STOMP 1.2), so a CR ending a message is kept as the first
 * half of one, and the LF starting the next message in that direction ends it there (RabbitMQ's
 * parser waits for the byte after a CR the same way); a CR then anything else is not valid.
 * Once the session has ended with such a message the last of its direction, the rest never came:
 * each of those answers carries what it becomes then (`withIfEnded`, session-end.ts), worded as a
 * close's cut, and the decoder's state after it is the same either way.
 * An empty message while nothing is under way in its direction is neither a frame nor a
 * heart-beat: decoded as an empty message with no frames (EMPTY_MESSAGE), not as part of one.
 * Inside a frame (or after a heart-beat's CR) it carries nothing either: it stays what it was
 * (partial, the same value, the frame's bytes as they were) but its words say it is empty.
 * A body that shows as bytes against its content-type's charset (stomp-body.ts) says why in its
 * frame's summary: "MESSAGE /t 3 B (charset 'foo' is not known; shown as bytes)".
 */
import { decoded, joined, notValid, partial, quote, type DecodeOutcome, type StreamDecoder, type WireFrame } from './decoded-frame';
import { MAX_SNAPSHOT_BYTES, wrongSnapshot, type DecoderSnapshot } from './decoder-snapshot';
import type { JsonValue } from './json-value';
import { stompBody, type BodyShown } from './stomp-body';
import { header, parseStompFrame, STOMP_COMMANDS, type StompFrame } from './stomp-frame';
import { withIfEnded } from './session-end';
import { formatBytes } from '../../shared/format-bytes';

/** A frame that has not ended after this many bytes is taken as garbage. */
const MAX_PENDING_BYTES = 16 * 1024 * 1024;
const CR = 0x0d;
/** The longest command line: UNSUBSCRIBE, CR, LF. */
const COMMAND_LINE_BYTES = 13;
/** How an answer that left something under way ends once the session ended (MQTT's words too). */
const ENDED_BEFORE_THE_REST = 'the session ended before the rest';
const ENDED_BEFORE_ITS_LF = 'the session ended before its LF';
/**
 * An empty WebSocket message while no frame is under way in its direction. It carries no STOMP
 * bytes: no frame, and no heart-beat (an EOL, LF or CR LF). Nothing forbids it (the broker reads
 * nothing from it), so it is decoded as that, with no frames, as MQTT's empty message is.
 */
export const EMPTY_MESSAGE = 'empty message (no STOMP frame, and not a heart-beat: a heart-beat is an end of line, LF or CR LF)';

/** "SUBSCRIBE /topic/prices id=sub-0", "MESSAGE /topic/prices 12 B subscription=sub-0 message-id=7": the command and the headers that say what it is about. */
export function stompSummary(frame: StompFrame): string {
  const h = (name: string): string | undefined => header(frame, name);
  const parts: string[] = [frame.command];
  const add = (name: string, label = name): void => {
    const value = h(name);
    if (value !== undefined) parts.push(`${label}=${value}`);
  };
  let sized = false;
  const pushBodySize = (): void => {
    sized = true;
    if (frame.body.byteLength > 0) parts.push(formatBytes(frame.body.byteLength));
  };
  switch (frame.command) {
    case 'CONNECT':
    case 'STOMP':
      if (h('host') !== undefined) parts.push(h('host') ?? '');
      add('accept-version');
      add('heart-beat');
      break;
    case 'CONNECTED':
      add('version');
      add('heart-beat');
      add('server');
      break;
    case 'SEND':
      parts.push(h('destination') ?? '(no destination)');
      pushBodySize();
      add('receipt');
      break;
    case 'SUBSCRIBE':
      parts.push(h('destination') ?? '(no destination)');
      add('id');
      add('ack');
      add('receipt');
      break;
    case 'MESSAGE':
      parts.push(h('destination') ?? '(no destination)');
      // The size before the ids: a broker's long message-id would push it out of a narrow row.
      pushBodySize();
      add('subscription');
      add('message-id');
      break;
    case 'RECEIPT':
      add('receipt-id');
      break;
    case 'ERROR':
      if (h('message') !== undefined) parts.push(quote(h('message') ?? ''));
      add('receipt-id');
      break;
    default:
      add('id');
      add('transaction');
      add('receipt');
  }
  if (!sized) pushBodySize();
  return parts.join(' ');
}

/** Sets a header on the value's map (a header named __proto__ as an own property, not the prototype). */
function setHeader(headers: { [name: string]: JsonValue }, name: string, value: string): void {
  if (name === '__proto__') Object.defineProperty(headers, name, { value, enumerable: true, writable: true, configurable: true });
  else headers[name] = value;
}

/** The frame's value, and the body's note (stompBody) for its summary. */
function frameValue(frame: StompFrame): { value: JsonValue; note: BodyShown['note'] } {
  // Written in order without a lookup per header (a lookup per name was most of this function's time).
  let headers: { [name: string]: JsonValue } = {};
  for (const [name, value] of frame.headers) setHeader(headers, name, value);
  const repeated = Object.keys(headers).length !== frame.headers.length;
  if (repeated) {
    // The first of a repeated header is the one that counts; the repeats stay visible in `headerList`.
    headers = {};
    const seen = new Set<string>();
    for (const [name, value] of frame.headers) {
      if (seen.has(name)) continue;
      seen.add(name);
      setHeader(headers, name, value);
    }
  }
  // The first content-type counts, as every repeated header's first does (read from the map just built).
  const contentType = Object.hasOwn(headers, 'content-type') ? headers['content-type'] : undefined;
  const body = stompBody(frame.body, typeof contentType === 'string' ? contentType : undefined);
  return { value: { command: frame.command, headers, ...(repeated ? { headerList: frame.headers } : {}), body: body.value }, note: body.note };
}

export class StompDecoder implements StreamDecoder {
  readonly protocol = 'stomp' as const;
  /**
   * Each direction's unfinished frame, as the chunks it came in (joined only once it may end), and
   * how many bytes it needs at least when its content-length is known (parseStompFrame's `needs`).
   */
  private pending: Record<WireFrame['dir'], Pending> = { in: idlePending(), out: idlePending() };
  /** STOMP 1.0 (from CONNECTED version:1.0) has no header escapes. */
  private escapes = true;

  decode(frame: WireFrame): DecodeOutcome | undefined {
    if (frame.opcode === 'close') return this.cutShort(frame.dir);
    if (frame.opcode !== 'text' && frame.opcode !== 'binary') return undefined;
    const before = this.pending[frame.dir];
    const carried = before.bytes;
    const total = carried + frame.bytes.byteLength;
    if (carried > 0 && !this.heartbeatUnderWay(frame.dir) && (before.needs > total || !frame.bytes.includes(0))) {
      // Mid-frame and no NUL, or fewer bytes than its content-length needs (a body of that many
      // bytes may hold NULs: a binary one often does): nothing can end here, so keep the chunk
      // without parsing again (a long body in many messages costs one join, not one per
      // message). The chunk is added to the kept list itself, not to a copy of it: a copy a
      // message made a frame in n messages cost n² (a 1 MB body in 100 B messages: 15 µs a
      // message). Only this decoder holds the list (snapshot() joins a copy). A CR kept alone
      // is a heart-beat's (CR LF, its LF in this message) or nothing STOMP allows: read now.
      before.chunks.push(new Uint8Array(frame.bytes));
      return this.keep(frame.dir, before.chunks, total, before.needs, frame.bytes.byteLength === 0);
    }
    // Nothing under way and nothing in the message: no frame, no heart-beat (an EOL), nothing kept.
    if (carried === 0 && frame.bytes.byteLength === 0) return decoded('stomp', EMPTY_MESSAGE, { frames: [] });
    const bytes = carried === 0 ? frame.bytes : Buffer.concat([...before.chunks, frame.bytes]);
    const parts: { summary: string; value: JsonValue }[] = [];
    let at = 0;
    let needs = 0;
    while (at < bytes.byteLength) {
      const result = parseStompFrame(bytes, at, this.escapes);
      if (result.kind === 'error') {
        this.pending[frame.dir] = idlePending();
        // Where, in this message's own bytes (a frame carried over from earlier messages shifts it).
        const problem = carried > 0 ? `${result.problem} (counting the ${carried} B carried over from earlier messages)` : result.problem;
        return notValid('stomp', problem);
      }
      if (result.kind === 'incomplete') {
        needs = result.needs ?? 0;
        break;
      }
      if (result.kind === 'heartbeat') parts.push({ summary: 'heart-beat', value: { heartbeat: true } });
      else {
        if (result.frame.command === 'CONNECTED' && header(result.frame, 'version') === '1.0') this.escapes = false;
        const { value, note } = frameValue(result.frame);
        parts.push({ summary: note === undefined ? stompSummary(result.frame) : `${stompSummary(result.frame)} (${note})`, value });
      }
      at = result.end;
    }
    const rest = bytes.subarray(at);
    if (parts.length === 0) return this.keep(frame.dir, rest.byteLength > 0 ? [new Uint8Array(rest)] : [], rest.byteLength, needs, frame.bytes.byteLength === 0);
    const tooLong = this.hold(frame.dir, rest.byteLength > 0 ? [new Uint8Array(rest)] : [], rest.byteLength, needs);
    if (tooLong) return tooLong;
    const result = joined('stomp', parts);
    if (rest.byteLength === 0 || result.kind !== 'decoded') return result;
    // The whole frames stay decoded (a broker acts on each as it ends); the words say the last never did.
    const crOnly = this.heartbeatUnderWay(frame.dir);
    const then = crOnly ? 'the CR of a heart-beat (its LF in a later message)' : `part of a frame (${rest.byteLength} B, continues)`;
    const never = crOnly ? `the CR of a heart-beat; ${ENDED_BEFORE_ITS_LF}` : this.neverEnded(frame.dir);
    return withIfEnded(decoded('stomp', `${result.summary} · then ${then}`, result.value), decoded('stomp', `${result.summary} · then ${never}`, result.value));
  }

  /** Each direction's unfinished frame joined into one copy, and the version's escapes. */
  snapshot(): DecoderSnapshot | undefined {
    const bytes = this.pending.in.bytes + this.pending.out.bytes;
    if (bytes > MAX_SNAPSHOT_BYTES) return undefined;
    const joinedCopy = (dir: WireFrame['dir']): Uint8Array => Uint8Array.from(Buffer.concat(this.pending[dir].chunks));
    return { protocol: 'stomp', bytes, escapes: this.escapes, pending: { in: joinedCopy('in'), out: joinedCopy('out') } };
  }

  restore(snapshot: DecoderSnapshot): void {
    if (snapshot.protocol !== 'stomp') throw wrongSnapshot(this.protocol, snapshot);
    this.escapes = snapshot.escapes;
    // `needs` is not in the snapshot: the next message in the direction parses the kept bytes and finds it again.
    const kept = (bytes: Uint8Array): Pending => ({ chunks: bytes.byteLength > 0 ? [Uint8Array.from(bytes)] : [], bytes: bytes.byteLength, needs: 0 });
    this.pending = { in: kept(snapshot.pending.in), out: kept(snapshot.pending.out) };
  }

  /**
   * What is kept for `dir` is a lone CR: the first half of a heart-beat (CR LF) whose LF comes
   * in a later message (the parser keeps a CR only when it ends the bytes, and an EOL is LF or
   * CR LF, so a CR then anything but LF is not STOMP).
   */
  private heartbeatUnderWay(dir: WireFrame['dir']): boolean {
    const { chunks, bytes } = this.pending[dir];
    return bytes === 1 && chunks[0]?.[0] === CR;
  }

  /** Nothing of an unfinished frame is kept for this direction. */
  idle(dir: WireFrame['dir']): boolean {
    return this.pending[dir].bytes === 0;
  }

  /**
   * A close frame's answer: what it cuts short of the frame under way in `dir` (its command once
   * its command line is whole), or nothing. Reads the kept bytes only: the decoder stays as it is.
   */
  private cutShort(dir: WireFrame['dir']): DecodeOutcome | undefined {
    const { chunks, bytes } = this.pending[dir];
    if (bytes === 0) return undefined;
    const what = this.heartbeatUnderWay(dir) ? 'the heart-beat under way in this direction (a CR without its LF)' : `the ${pendingCommand(chunks, bytes) ?? 'frame'} under way in this direction: ${bytes} B of it arrived`;
    return notValid('stomp', `a close frame, which cuts short ${what}`);
  }

  /** "part of a STOMP MESSAGE: 91 B of it arrived; the session ended before the rest" (its command once its command line is whole). */
  private neverEnded(dir: WireFrame['dir']): string {
    const { chunks, bytes } = this.pending[dir];
    return `part of a STOMP ${pendingCommand(chunks, bytes) ?? 'frame'}: ${bytes} B of it arrived; ${ENDED_BEFORE_THE_REST}`;
  }

  /** Keeps an unfinished frame's bytes; past MAX_PENDING_BYTES without a NUL it is not a frame (answered so). */
  private hold(dir: WireFrame['dir'], chunks: Uint8Array[], bytes: number, needs: number): DecodeOutcome | undefined {
    if (bytes > MAX_PENDING_BYTES) {
      this.pending[dir] = idlePending();
      return notValid('stomp', `a frame has not ended after ${bytes} B (no NUL)`);
    }
    this.pending[dir] = { chunks, bytes, needs };
    return undefined;
  }

  /**
   * Keeps an unfinished frame's bytes (hold) and answers for a message that ended no frame.
   * `empty`: the message carried nothing (inside what is under way): said so, the rest as for any.
   */
  private keep(dir: WireFrame['dir'], chunks: Uint8Array[], bytes: number, needs: number, empty: boolean): DecodeOutcome {
    const tooLong = this.hold(dir, chunks, bytes, needs);
    if (tooLong) return tooLong;
    const soFar = { continues: true, bytesSoFar: bytes };
    if (this.heartbeatUnderWay(dir)) {
      if (empty) return withIfEnded(partial('stomp', 'empty message (after the CR of a heart-beat, its LF in a later message)', soFar), notValid('stomp', `empty message (after the CR of a heart-beat; ${ENDED_BEFORE_ITS_LF})`));
      return withIfEnded(partial('stomp', 'the CR of a heart-beat (CR LF), its LF in a later message', soFar), notValid('stomp', `a CR, the first half of a heart-beat (CR LF); ${ENDED_BEFORE_ITS_LF}`));
    }
    if (empty) {
      const { chunks: kept } = this.pending[dir];
      return withIfEnded(
        partial('stomp', `empty message (inside a STOMP frame, ${bytes} B so far, continues in a later message)`, soFar),
        notValid('stomp', `empty message (inside a STOMP ${pendingCommand(kept, bytes) ?? 'frame'}: ${bytes} B of it arrived; ${ENDED_BEFORE_THE_REST})`),
      );
    }
    return withIfEnded(partial('stomp', `part of a STOMP frame (${bytes} B so far, continues in a later message)`, soFar), notValid('stomp', this.neverEnded(dir)));
  }
}

/** A direction's unfinished frame (StompDecoder.pending). */
interface Pending {
  /** Its bytes, in the chunks they came in (copies: the caller's bytes may be reused). */
  chunks: Uint8Array[];
  bytes: number;
  /** How many bytes it needs at least (its content-length's NUL the last), or 0 (not known). */
  needs: number;
}

function idlePending(): Pending {
  return { chunks: [], bytes: 0, needs: 0 };
}

/** The command of a kept frame whose command line is whole and names one ("MESSAGE"), else undefined. */
function pendingCommand(chunks: readonly Uint8Array[], bytes: number): string | undefined {
  // The kept bytes start where a frame starts, so its command line is in the first few: read
  // from the first chunk when it holds them (asked of every message that leaves a frame under
  // way), else from the first few chunks copied alone.
  const first = chunks[0];
  if (first === undefined) return undefined;
  const head = first.byteLength >= COMMAND_LINE_BYTES || first.byteLength === bytes ? first : Buffer.concat(chunks.slice(0, COMMAND_LINE_BYTES), Math.min(bytes, COMMAND_LINE_BYTES));
  const end = Math.min(head.byteLength, COMMAND_LINE_BYTES);
  let command = '';
  for (let i = 0; i < end; i++) {
    const byte = head[i] ?? 0;
    if (byte === 0x0a) return STOMP_COMMANDS.has(command) ? command : undefined;
    if (byte !== CR || head[i + 1] !== 0x0a) command += String.fromCharCode(byte);
  }
  return undefined;
}
