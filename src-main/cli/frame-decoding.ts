/**
 * `--decode` for `connect`: hands the frames the CLI prints to the core's decoders, in order.
 * Only printed frames are decoded, and only while decoding is wanted: with `auto` the first
 * messages are looked at and, when they show no protocol, nothing more is fetched or decoded,
 * so a plain flood costs what it did. A text frame's preview is its whole text unless
 * truncated; other frames' bytes are read from the store (at once in process).
 *
 * --reconnect: each attempt is a new connection whose protocol starts again, so the decoder
 * starts afresh at its first frame (`attemptEnded`, told by the attempt's event: its frames were
 * all printed before it), and what the ended attempt's last messages left under way is said then.
 */
import type { FrameBody, FrameSummary } from '../shared/model';
import type { AttemptRecord } from '../shared/attempts';
import { decodedRecord, describeDecoding, endedAnswer, isEndAware, SessionDecoding, type ActiveDecoding, type DecodeChoice, type DecoderSettings, type DecodeOutcome } from '../core';
import type { HandshakeStep } from '../shared/model';
import type { Scrubber } from './scrub';
import { terminalJsonText } from './terminal-text';

const NO_BYTES = new Uint8Array(0);

export type BodyFetcher = (seq: number) => FrameBody | undefined | Promise<FrameBody | undefined>;

/** The request target of the upgrade's start line ("GET /socket.io/?EIO=4 HTTP/1.1"). */
function requestTarget(startLine: string): string | undefined {
  const parts = startLine.split(' ');
  return parts.length >= 2 ? parts[1] : undefined;
}

function headerValue(headers: readonly [string, string][], name: string): string | undefined {
  return headers.find(([key]) => key.toLowerCase() === name)?.[1];
}

/** A message's answer once the session ended with it the last of its direction (what it left under way never came). */
export interface UnfinishedAtEnd {
  seq: number;
  dir: 'in' | 'out';
  outcome: DecodeOutcome;
}

export class CliFrameDecoding {
  private readonly session: SessionDecoding;
  /** Each direction's last message (text, binary, close) and its answer: what the end may cut short. */
  private readonly last: Record<'in' | 'out', { seq: number; outcome: DecodeOutcome | undefined } | undefined> = { in: undefined, out: undefined };

  constructor(
    choice: DecodeChoice,
    private readonly fetchBody: BodyFetcher,
    onChosen: (active: ActiveDecoding) => void,
    settings: DecoderSettings = {},
    namedBecause?: string,
  ) {
    this.session = new SessionDecoding(choice, onChosen, undefined, settings, namedBecause);
  }

  get active(): ActiveDecoding | undefined {
    return this.session.decoding;
  }

  /** Whether frames are still wanted (false: print as without --decode). */
  get wanted(): boolean {
    return this.session.wantsFrames;
  }

  /** The session's URL as the engine opened it (variables filled in): what type rules read. */
  sessionCreated(url: string): void {
    this.session.noteSessionUrl(url);
  }

  /** The upgrade leg tells the request target and the subprotocol the server chose. */
  handshake(step: HandshakeStep): void {
    if (step.leg !== 'upgrade' || !step.ok || !step.request) return;
    const subprotocol = step.response ? headerValue(step.response.headers, 'sec-websocket-protocol') : undefined;
    this.session.noteHandshake(requestTarget(step.request.startLine), subprotocol?.trim());
  }

  /** A printed frame's payload as the store has it (the human printer's masking reads it too). */
  body(seq: number): FrameBody | undefined | Promise<FrameBody | undefined> {
    return this.fetchBody(seq);
  }

  /** A printed frame's decoding; `body` when the printer already has it. */
  decode(frame: FrameSummary, body?: FrameBody): DecodeOutcome | undefined | Promise<DecodeOutcome | undefined> {
    if (!this.session.wantsFrames) return undefined;
    if (frame.opcode !== 'text' && frame.opcode !== 'binary') {
      // Handed over so the seqs go on without a gap: a seq skipped makes the decoder start afresh,
      // losing what earlier messages set (a GraphQL id, an MQTT 5 alias). It decodes as nothing,
      // unless it cuts short what was under way (a close in the middle of an MQTT packet): shown.
      const outcome = this.session.decodeInOrder({ seq: frame.seq, dir: frame.dir, opcode: frame.opcode, bytes: NO_BYTES });
      if (frame.opcode === 'close') this.last[frame.dir] = { seq: frame.seq, outcome };
      return outcome?.kind === 'invalid' ? outcome : undefined;
    }
    if (body) return this.decodeBody(frame, body);
    if (frame.opcode === 'text' && !frame.truncated) return this.decodeBytes(frame, Buffer.from(frame.preview, 'utf8'));
    const fetched = this.fetchBody(frame.seq);
    if (fetched instanceof Promise) return fetched.then((got) => (got ? this.decodeBody(frame, got) : undefined));
    return fetched ? this.decodeBody(frame, fetched) : undefined;
  }

  private decodeBody(frame: FrameSummary, body: FrameBody): DecodeOutcome | undefined {
    return this.decodeBytes(frame, body.text !== undefined ? Buffer.from(body.text, 'utf8') : Buffer.from(body.base64, 'base64'));
  }

  private decodeBytes(frame: FrameSummary, bytes: Buffer): DecodeOutcome | undefined {
    const outcome = this.session.decodeInOrder({ seq: frame.seq, dir: frame.dir, opcode: frame.opcode, bytes });
    this.last[frame.dir] = { seq: frame.seq, outcome };
    return outcome;
  }

  /**
   * Once the session has ended (its closed event): each direction whose last message left a
   * protocol frame under way, with that message's answer as it stands now ("…: 7 of the 23 B
   * after its fixed header arrived; the session ended before the rest"). Its line was printed
   * with "so far" while more could come; the printers say this after the close.
   */
  unfinishedAtEnd(): UnfinishedAtEnd[] {
    return this.cutShort();
  }

  /**
   * --reconnect: an attempt ended (its `attempt` event, after its frames): the next attempt's
   * frames decode afresh, and what this one's last messages left under way never comes (as at
   * the session's end: unfinishedAtEnd's answers), returned to be said with the separator.
   */
  attemptEnded(record: Pick<AttemptRecord, 'afterSeq'>): UnfinishedAtEnd[] {
    this.session.attemptEnded(record.afterSeq);
    const out = this.cutShort();
    this.last.in = undefined;
    this.last.out = undefined;
    return out;
  }

  private cutShort(): UnfinishedAtEnd[] {
    const out: UnfinishedAtEnd[] = [];
    for (const dir of ['out', 'in'] as const) {
      const last = this.last[dir];
      if (last && isEndAware(last.outcome)) out.push({ seq: last.seq, dir, outcome: endedAnswer(last.outcome) });
    }
    return out;
  }
}

/**
 * The `decoded` member of a `--json` frame line, as text to append (`,"decoded":{…}`), in the
 * shape exports write too (core/decode/decoded-record.ts). Every string is scrubbed and
 * terminal-escaped like the rest of the line.
 */
export function decodedJson(outcome: DecodeOutcome, active: ActiveDecoding | undefined, dir: 'in' | 'out', scrubber: Scrubber): string {
  return `,"decoded":${terminalJsonText(JSON.stringify(scrubber.deep(decodedRecord(outcome, active, dir))))}`;
}

/** The line said once when a protocol is chosen: "Decoding as Socket.IO (a guess: the URL has EIO=4)". */
export function decodingNotice(active: ActiveDecoding): string {
  const how = active.guess ? '; --decode <name> to confirm or change, --decode none to turn off' : '';
  return `Decoding as ${describeDecoding(active)}${how}`;
}
