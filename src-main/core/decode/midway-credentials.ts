/**
 * A session's credential masker (credential-bytes.ts) over frames that may begin midway: after a
 * gap (frames evicted from the store, the oldest stored frame not the session's first, or gone
 * while an export ran) the next message in each direction may continue a protocol frame begun in
 * a dropped one, a STOMP CONNECT cut inside `passcode:` or an MQTT CONNECT inside its password.
 * Read afresh, that rest is no frame to the masker and was written in clear.
 *
 * So after a gap each direction's messages are looked at (midway-frame-starts.ts) until a frame
 * surely starts: everything before that start is masked as the rest of an unknown frame (STOMP:
 * up to a NUL that a frame start follows, LF and NUL kept since no credential holds them; MQTT,
 * GraphQL-ws and Socket.IO: the whole message), with the field REST_OF_DROPPED_FRAME, and the masker reads on from the
 * start. The first messages of the session or of a new attempt (a new connection) start frames:
 * nothing is masked there. Only the protocols looked for (recognised or named) are asked; while
 * none is, messages go to the masker as they are (its recognition), and a protocol recognised from
 * a direction's message means a frame starts there.
 */
import { CredentialBytes, type MaskedMessage } from './credential-bytes';
import { applyRanges, noteField, type CredentialRange, type FoundCredentials } from './credential-range';
import type { DecoderName } from './decoded-frame';
import { jsonMidway, mqttMidway, stompMidway, type MidwayVerdict } from './midway-frame-starts';

type Dir = 'in' | 'out';

/** The field a masked rest of an unknown frame is said by (redacted.fields, the pane's notice). */
export const REST_OF_DROPPED_FRAME = 'rest of a frame begun in dropped messages';

const NUL = 0;
const LF = 0x0a;

/** What the protocols looked for say of a message after a gap: what to mask, and where the masker reads on (undefined: nowhere yet). */
interface Rest {
  ranges: CredentialRange[];
  resume: number | undefined;
}

/** The protocols' verdicts together: masked as far as any says, read on only where all found a start. */
function restOf(protocols: readonly DecoderName[], opcode: 'text' | 'binary', bytes: Uint8Array): Rest | undefined {
  let rest: Rest | undefined;
  for (const protocol of protocols) {
    const stomp = protocol === 'stomp';
    const verdict: MidwayVerdict | undefined = stomp
      ? stompMidway(bytes)
      : protocol === 'mqtt' && opcode === 'binary'
        ? mqttMidway(bytes)
        : (protocol === 'graphql-ws' || protocol === 'socketio') && opcode === 'text'
          ? jsonMidway(protocol, bytes)
          : undefined;
    if (verdict === undefined) continue;
    rest ??= { ranges: [], resume: 0 };
    if (stomp) restRanges(bytes, verdict.maskEnd, rest.ranges);
    // MQTT (binary) and JSON: any byte may be a credential's, so all of them.
    else if (verdict.maskEnd > 0) rest.ranges.push([0, verdict.maskEnd]);
    rest.resume = rest.resume === undefined || verdict.resume === undefined ? undefined : Math.max(rest.resume, verdict.resume);
  }
  return rest;
}

/** STOMP: the bytes before `end` but LF and NUL (never a credential's: a header value ends at LF, a frame at NUL), as ranges. */
function restRanges(bytes: Uint8Array, end: number, out: CredentialRange[]): void {
  let from = -1;
  for (let i = 0; i <= end; i++) {
    const keep = i === end || bytes[i] === LF || bytes[i] === NUL;
    if (keep && from >= 0) {
      out.push([from, i]);
      from = -1;
    } else if (!keep && from < 0) from = i;
  }
}

export class MidwayCredentials {
  private readonly midway: Record<Dir, boolean> = { in: false, out: false };

  constructor(readonly masker: CredentialBytes) {}

  /** A gap: what comes next in each direction may continue a frame begun in a dropped message. */
  afterGap(): void {
    this.masker.reset();
    this.midway.in = true;
    this.midway.out = true;
  }

  /** A new attempt (a new connection): frames start afresh. */
  fresh(): void {
    this.masker.reset();
    this.midway.in = false;
    this.midway.out = false;
  }

  /** Whether a direction's messages are still looked at for a frame's start. */
  isMidway(dir: Dir): boolean {
    return this.midway[dir];
  }

  mask(dir: Dir, opcode: string, bytes: Uint8Array): MaskedMessage {
    return masked(bytes, this.credentialsIn(dir, opcode, bytes));
  }

  maskBeside(dir: Dir, opcode: string, bytes: Uint8Array): MaskedMessage {
    return masked(bytes, this.credentialsBeside(dir, opcode, bytes));
  }

  /** As CredentialBytes.credentialsIn, with the rest of an unknown frame masked after a gap. */
  credentialsIn(dir: Dir, opcode: string, bytes: Uint8Array): FoundCredentials {
    if (!this.midway[dir] || (opcode !== 'text' && opcode !== 'binary')) return this.masker.credentialsIn(dir, opcode, bytes);
    if (this.masker.protocols.length === 0) {
      const found = this.masker.credentialsIn(dir, opcode, bytes);
      // Recognised from this message (a CONNECT): a frame starts here.
      if (this.masker.protocols.length > 0) this.midway[dir] = false;
      return found;
    }
    const rest = restOf(this.masker.protocols, opcode, bytes);
    if (rest === undefined) return this.masker.credentialsIn(dir, opcode, bytes);
    if (rest.resume !== undefined) this.midway[dir] = false;
    return withRest(rest, (from) => this.masker.credentialsIn(dir, opcode, bytes.subarray(from)));
  }

  /** As CredentialBytes.credentialsBeside (an intercepted frame's original, nothing moves on), midway alike. */
  credentialsBeside(dir: Dir, opcode: string, bytes: Uint8Array): FoundCredentials {
    const rest = this.midway[dir] && (opcode === 'text' || opcode === 'binary') ? restOf(this.masker.protocols, opcode, bytes) : undefined;
    if (rest === undefined) return this.masker.credentialsBeside(dir, opcode, bytes);
    return withRest(rest, (from) => this.masker.credentialsBeside(dir, opcode, bytes.subarray(from)));
  }
}

/** The rest of an unknown frame masked, and what the masker finds from the frame start on (shifted to the message's places). */
function withRest(rest: Rest, readFrom: (from: number) => FoundCredentials): FoundCredentials {
  const found: FoundCredentials = { ranges: rest.ranges, fields: [] };
  if (rest.ranges.length > 0) noteField(found, REST_OF_DROPPED_FRAME);
  if (rest.resume === undefined) return found;
  const from = rest.resume;
  const after = readFrom(from);
  for (const [start, end, number] of after.ranges) found.ranges.push(number === undefined ? [start + from, end + from] : [start + from, end + from, number]);
  for (const field of after.fields) noteField(found, field);
  return found;
}

const NO_FIELDS: readonly string[] = Object.freeze([]);

function masked(bytes: Uint8Array, found: FoundCredentials): MaskedMessage {
  if (found.ranges.length === 0) return { bytes, masked: 0, fields: NO_FIELDS };
  const applied = applyRanges(bytes, found.ranges);
  return { bytes: applied.bytes, masked: applied.masked, fields: [...found.fields] };
}
