/**
 * Where a session's credentials (frame-credentials.ts) are in its raw bytes, to mask them with
 * '*' in what leaves the engine (exports, the CLI's --json). Same length: sizes and offsets stay
 * valid, and the masked message still decodes to the same structure (an MQTT password of six
 * '*', `passcode:*****`).
 *
 * Which protocol's credentials to look for does not depend on the decoding the user asked for
 * (none, another protocol): the session is recognised as `auto` recognises it
 * (recognise-protocol.ts: the subprotocol the server chose, the URL, else the first
 * RECOGNITION_FRAMES data messages), and a protocol the user named is looked for as well. Only
 * MQTT, STOMP, GraphQL-ws and Socket.IO frames carry credentials; in any other session nothing
 * is read past recognition.
 *
 * Fed a session's frames in order (`mask`), each direction has its reader per protocol, which
 * keeps its place in a protocol frame that continues in a later message (an MQTT packet, a STOMP
 * frame, a GraphQL or Socket.IO JSON object split across messages); a credential's place always
 * follows from the bytes before it, so each message's share is masked when that message is
 * written. A gap in the frames or a new attempt of a reconnecting connection (`reset`) ends what
 * was under way. An intercepted frame's kept original (`maskBeside`) is read as if it stood in the
 * frame's place, without moving on: the stream goes on with what was sent.
 */
import type { DecoderName } from './decoded-frame';
import { applyRanges, type FoundCredentials } from './credential-range';
import type { CredentialStream } from './credential-stream';
import { JsonCredentialStream } from './json-credential-bytes';
import { MqttCredentialStream, type MqttLevel } from './mqtt-credential-bytes';
import { RECOGNITION_FRAMES, recogniseFirstFrame, recogniseSubprotocol, recogniseUrl } from './recognise-protocol';
import { StompCredentialStream } from './stomp-credential-bytes';

/** The protocols whose frames carry credentials. */
export const CREDENTIAL_PROTOCOLS: readonly DecoderName[] = ['mqtt', 'stomp', 'graphql-ws', 'socketio'];

type Dir = 'in' | 'out';
type Readers = Record<Dir, CredentialStream>;

function readersOf(protocol: DecoderName): Readers | undefined {
  if (protocol === 'mqtt') {
    const level: MqttLevel = { level: 4 };
    return { in: new MqttCredentialStream(level), out: new MqttCredentialStream(level) };
  }
  if (protocol === 'stomp') return { in: new StompCredentialStream(), out: new StompCredentialStream() };
  if (protocol === 'graphql-ws' || protocol === 'socketio') return { in: new JsonCredentialStream(protocol), out: new JsonCredentialStream(protocol) };
  return undefined;
}

const NO_FIELDS: readonly string[] = Object.freeze([]);

function masked(bytes: Uint8Array, found: FoundCredentials): MaskedMessage {
  if (found.ranges.length === 0) return { bytes, masked: 0, fields: NO_FIELDS };
  const applied = applyRanges(bytes, found.ranges);
  return { bytes: applied.bytes, masked: applied.masked, fields: [...found.fields] };
}

export interface MaskedMessage {
  /** A copy with the credential bytes masked; the bytes given when nothing is masked. */
  bytes: Uint8Array;
  masked: number;
  /** The credential fields whose bytes this message holds, as paths in the protocol frame (`$.password`). */
  fields: readonly string[];
}

export class CredentialBytes {
  private readonly readers = new Map<DecoderName, Readers>();
  private readonly found: FoundCredentials = { ranges: [], fields: [] };
  /** Recognition is over (a protocol found, or RECOGNITION_FRAMES data messages without a sign). */
  private settled = false;
  private looked = 0;

  /** `named`: a protocol the user chose to decode as, looked for besides the one recognised. */
  constructor(named?: string) {
    if (named !== undefined) this.lookFor(named);
  }

  /** A protocol the user named (decoding as it), looked for from here on besides the one recognised. */
  lookFor(named: string): void {
    const protocol = CREDENTIAL_PROTOCOLS.find((name) => name === named);
    if (protocol) this.add(protocol);
  }

  /** The protocols looked for so far. */
  get protocols(): DecoderName[] {
    return [...this.readers.keys()];
  }

  /** Whether messages are read at all (false: not a protocol that carries credentials, so no bytes are needed). */
  get reading(): boolean {
    return !this.settled || this.readers.size > 0;
  }

  /** Whether data messages are still looked at to recognise the protocol. */
  get recognising(): boolean {
    return !this.settled;
  }

  /** The upgrade's request target (or the session's URL) and the subprotocol the server chose. */
  noteHandshake(target: string | undefined, subprotocol: string | undefined): void {
    if (this.settled) return;
    const guess = recogniseSubprotocol(subprotocol) ?? (target !== undefined ? recogniseUrl(target) : undefined);
    if (guess) this.chosen(guess.protocol);
  }

  /** One of the first data messages, looked at to recognise the protocol (an export looks ahead before masking). */
  recognise(opcode: string, bytes: Uint8Array): void {
    if (this.settled || (opcode !== 'text' && opcode !== 'binary')) return;
    const guess = recogniseFirstFrame(opcode, bytes);
    if (guess) this.chosen(guess.protocol);
    else if (++this.looked >= RECOGNITION_FRAMES) this.settled = true;
  }

  /** Forget frames under way (a frame missing, a new attempt). */
  reset(): void {
    for (const protocol of this.readers.keys()) {
      const fresh = readersOf(protocol);
      if (fresh) this.readers.set(protocol, fresh);
    }
  }

  /** The next message of the session, masked where its credentials are. */
  mask(dir: Dir, opcode: string, bytes: Uint8Array): MaskedMessage {
    return masked(bytes, this.credentialsIn(dir, opcode, bytes));
  }

  /**
   * Where the next message's credentials are, without masking it (the app keeps the ranges and
   * masks what it shows). The answer is a list reused by the next call: copy what is kept.
   */
  credentialsIn(dir: Dir, opcode: string, bytes: Uint8Array): FoundCredentials {
    if (!this.settled) this.recognise(opcode, bytes);
    // One list reused: most messages hold no credential, and nothing is made for them.
    const found = this.found;
    found.ranges.length = 0;
    found.fields.length = 0;
    if (this.readers.size === 0 || (opcode !== 'text' && opcode !== 'binary')) return found;
    for (const readers of this.readers.values()) readers[dir].read(opcode, bytes, found);
    return found;
  }

  /** An intercepted frame's original, masked as if it stood where the next message does (nothing moves on). */
  maskBeside(dir: Dir, opcode: string, bytes: Uint8Array): MaskedMessage {
    return masked(bytes, this.credentialsBeside(dir, opcode, bytes));
  }

  /** Where an intercepted frame's original holds credentials, read as if it stood where the next message does. */
  credentialsBeside(dir: Dir, opcode: string, bytes: Uint8Array): FoundCredentials {
    const found: FoundCredentials = { ranges: [], fields: [] };
    if (this.readers.size === 0 || (opcode !== 'text' && opcode !== 'binary')) return found;
    for (const readers of this.readers.values()) readers[dir].clone().read(opcode, bytes, found);
    return found;
  }

  private chosen(protocol: DecoderName): void {
    this.settled = true;
    this.add(protocol);
  }

  private add(protocol: DecoderName): void {
    if (this.readers.has(protocol)) return;
    const readers = readersOf(protocol);
    if (readers) this.readers.set(protocol, readers);
  }
}
