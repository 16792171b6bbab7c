/**
 * The engine's decoding commands (issue 14): `session:decoding` (a session's choice: auto, none or
 * a protocol, and what it leads to), `frames:decode` (the frames in view or in the detail pane,
 * decoded on demand through each session's StoreDecoding and its cache), `message:encode` (the
 * composer's protocol messages) and the decoded criteria of a search. Kept apart from engine.ts,
 * which hands each command here with the session it names.
 */
import { redactCredentials } from './decode/frame-credentials';
import type { CommandArg, CommandResult } from '../shared/commands';
import { MAX_CREDENTIAL_PATHS, type ActiveDecodingView, type DecodedFilter, type DecodedFrame, type DecodingState, type ProtobufChoice, type ProtobufState } from '../shared/decoding';
import { matchesDecodedQuery, parseDecodedQuery } from '../shared/decoded-query';
import type { EncodedMessage, ProtocolMessage } from '../shared/protocol-message';
import { fail, ok, type Result } from '../shared/result';
import { conversationOf } from './decode/conversation-of';
import { membershipIn } from '../shared/conversation-membership';
import { DECODER_NAMES, DECODER_TITLES, isDecoderName, type DecodeOutcome } from './decode/decoded-frame';
import { decodedFields, type DecodedFields } from './decode/decoded-fields';
import type { DecoderSettings } from './decode/decoder-registry';
import { protobufChoiceSettings } from './decode/protobuf-choice';
import { StoreDecoding, type DecodableSession, type StoreChoice } from './decode/store-decoding';
import type { ActiveDecoding, RowCheckpoints } from './decode/session-decoding';
import { encodeMessage } from './encode/encode-message';
import { requestBefore } from './decode/request-before';
import { isUnread } from './decode/frame-decode-cache';
import { isWithoutEvicted } from './decode/without-evicted';
import type { DecodedTest } from './search/compile-filter';
import { boundDecodedValue } from './decoded-value-bound';

export interface DecodedSession extends DecodableSession {
  readonly id: string;
}

/** A schema sent by the page (protobuf-choice.ts), or what is wrong with it, at its field. */
function protobufSettings(choice: ProtobufChoice, command = 'session:decoding'): Result<{ settings: DecoderSettings; state: ProtobufState }> {
  const made = protobufChoiceSettings(choice);
  if ('problem' in made) return fail('INVALID_ARGUMENT', `${command}: protobuf.${made.field}: ${made.problem}`, `protobuf.${made.field}`);
  return ok(made);
}

function view(active: ActiveDecoding | undefined): ActiveDecodingView | null {
  return active ? { protocol: active.protocol, title: DECODER_TITLES[active.protocol], guess: active.guess, reason: active.reason } : null;
}

const FIELD_NAMES: readonly [keyof DecodedFilter & ('event' | 'destination' | 'topic' | 'operation'), keyof DecodedFields][] = [
  ['event', 'events'],
  ['destination', 'destinations'],
  ['topic', 'topics'],
  ['operation', 'operations'],
];

export class DecodeCommands {
  private readonly sessions = new Map<string, StoreDecoding>();
  /** The Protocol Buffers schema a session decodes with (choice protobuf, a schema sent). */
  private readonly protobufs = new Map<string, ProtobufState>();

  constructor(
    /** Decoded answers kept per session (frame-decode-cache.ts; tests use fewer). */
    private readonly cacheEntries: number | undefined = undefined,
  ) {}

  /** The session's decoding, made with `auto` on first use. */
  private decodingOf(session: DecodedSession): StoreDecoding {
    let decoding = this.sessions.get(session.id);
    if (!decoding) {
      decoding = new StoreDecoding('auto', session, {}, this.cacheEntries);
      this.sessions.set(session.id, decoding);
    }
    return decoding;
  }

  /** A new choice's decoding in place of the session's old one (whose catch-up stops). */
  private replace(sessionId: string, decoding: StoreDecoding): void {
    this.sessions.get(sessionId)?.dispose();
    this.sessions.set(sessionId, decoding);
  }

  state(session: DecodedSession, arg: CommandArg<'session:decoding'>): Result<DecodingState> {
    if (arg.choice !== undefined) {
      const choice = arg.choice;
      if (choice !== 'auto' && choice !== 'none' && !isDecoderName(choice)) {
        return fail('INVALID_ARGUMENT', `session:decoding: choice: no decoder for "${choice}"; one of auto, none, ${DECODER_NAMES.join(', ')}`, 'choice');
      }
      if (arg.protobuf !== undefined) {
        const compiled = protobufSettings(arg.protobuf);
        if (!compiled.ok) return compiled;
        this.replace(session.id, new StoreDecoding('protobuf', session, compiled.value.settings, this.cacheEntries));
        this.protobufs.set(session.id, compiled.value.state);
      } else if (this.sessions.get(session.id)?.choice !== choice || this.protobufs.has(session.id)) {
        // A new choice starts afresh (a different decoder, auto looking again, protobuf without its schema).
        this.replace(session.id, new StoreDecoding(choice as StoreChoice, session, {}, this.cacheEntries));
        this.protobufs.delete(session.id);
      }
    }
    const protobuf = this.protobufs.get(session.id);
    const decoding = this.decodingOf(session);
    return ok({
      choice: decoding.choice,
      active: view(decoding.decoding()),
      available: DECODER_NAMES.map((name) => ({ name, title: DECODER_TITLES[name] })),
      ...(protobuf ? { protobuf } : {}),
    });
  }

  decode(session: DecodedSession, arg: CommandArg<'frames:decode'>): Result<CommandResult<'frames:decode'>> {
    const decoding = this.decodingOf(session);
    const active = decoding.decoding();
    const seqs = arg.seqs ?? range(arg.fromSeq ?? 1, arg.toSeq ?? 0);
    const frames: DecodedFrame[] = [];
    if (active) {
      // In seq order: the cache walks forward, so rows asked out of order cost no extra walk.
      for (const seq of [...new Set(seqs)].sort((a, b) => a - b)) {
        const outcome = decoding.decodeAt(seq);
        const stored = outcome ? session.frames.entry(seq) : undefined;
        if (!outcome || !stored) continue;
        const frame = bounded(frameOf(seq, outcome, stored.dir, arg.values));
        // An answer's latency: since the request it answers, when that is shortly before it; not
        // known yet when a frame on the way was decoded marked (the catch-up reads it: asked again, linked).
        const link = frame.conversation
          ? requestBefore(seq, frame.conversation, { decodeAt: (s) => decoding.decodeAt(s), entry: (s) => session.frames.entry(s), firstSeq: session.frames.firstSeq, attemptStart: (s) => decoding.attemptStartAtOrBefore(s) })
          : undefined;
        const asked = link?.kind === 'found' ? session.frames.entry(link.seq) : undefined;
        if (link?.kind === 'found' && asked) frames.push({ ...frame, answers: { seq: link.seq, latencyMs: Math.max(0, stored.at - asked.at) } });
        else if (link?.kind === 'unread' && !frame.unread) frames.push({ ...frame, requestUnread: true });
        else frames.push(frame);
      }
    }
    return ok({ active: view(active), frames });
  }

  /** The checkpoints the session's rows decode from, by protocol (an export rejoins them after evicted frames: export-decoding.ts). */
  rowCheckpoints(sessionId: string): RowCheckpoints {
    return (protocol) => this.sessions.get(sessionId)?.checkpointsFor(protocol);
  }

  /** A search's decoded criteria as a per-frame test, or the problem with them (`filter.decoded.query`). */
  predicate(session: DecodedSession, filter: DecodedFilter, command = 'frames:search', where = 'filter.decoded'): Result<DecodedTest> {
    let query: ReturnType<typeof parseDecodedQuery> | undefined;
    if (filter.query !== undefined) {
      query = parseDecodedQuery(filter.query);
      if (!query.ok) return fail('INVALID_ARGUMENT', `${command}: ${where}.query: ${query.error}`, `${where}.query`);
    }
    const compiled = query?.ok ? query.query : undefined;
    const decoding = this.decodingOf(session);
    // The session's decode choice changed (its StoreDecoding replaced) or it was removed: a
    // search in time slices stops at its next turn rather than answer with the old choice
    // (frame-search.ts). An export tells the two apart: a removal is told it first, with why
    // (InspectCommands.forget, export/session-removal.ts), so only a changed choice is CONFLICT.
    const stale = (): boolean => this.sessions.get(session.id) !== decoding;
    const matches = (outcome: DecodeOutcome, dirOf: () => 'in' | 'out' | undefined): boolean => {
      if (outcome.kind === 'invalid') return false;
      if (compiled && !matchesDecodedQuery(compiled, outcome.value)) return false;
      const fields = FIELD_NAMES.some(([name]) => filter[name] !== undefined) ? decodedFields(outcome.value) : undefined;
      for (const [name, list] of FIELD_NAMES) {
        const want = filter[name];
        if (want !== undefined && !(fields?.[list] ?? []).includes(want)) return false;
      }
      if (filter.conversation === undefined) return true;
      const dir = dirOf();
      // Either of its conversations (a STOMP SUBSCRIBE with a receipt is in two).
      return dir !== undefined && membershipIn(conversationOf(outcome, dir), filter.conversation) !== undefined;
    };
    const wanted = Object.fromEntries(FIELD_NAMES.filter(([name]) => filter[name] !== undefined).map(([name, list]) => [list, filter[name]]));
    if (compiled !== undefined || filter.conversation !== undefined) {
      // A walk of their own in seq order, so a frame is never decoded without the frames before
      // it (a backward search, a frame whose answer left the cache); it passes over the frames
      // its fields' or its query's prefilter rules out (query-prefilter.ts).
      const key = JSON.stringify([filter.query ?? null, filter.conversation ?? null, ...FIELD_NAMES.map(([name]) => filter[name] ?? null)]);
      const inOrder = decoding.inOrderMatcher(key, (outcome, frame) => matches(outcome, () => frame.dir), { wanted, ...(compiled ? { query: compiled } : {}), onlyQuery: filter.conversation === undefined && Object.keys(wanted).length === 0 });
      return ok(Object.assign(inOrder, { stale }));
    }
    // Fields only: frames decoded before are answered from the index (4 bytes a frame), not decoded
    // again; the others through the prefilter walk where the protocol has one (store-decoding.ts).
    // Never a marked answer (decoded without the frames before it): the rest decode exactly, and
    // the search walks to its first frame in time slices first (walkTowards), so that is not far.
    const indexed = decoding.fieldMatcher(wanted);
    const test = (seq: number): boolean => {
      const known = indexed(seq);
      if (known !== undefined) return known;
      const outcome = decoding.decodeExactly(seq);
      return outcome !== undefined && matches(outcome, () => session.frames.entry(seq)?.dir);
    };
    return ok(Object.assign(test, { walkTowards: indexed.walkTowards, stale }));
  }

  /** `protobuf:compile`: a choice checked as session:decoding checks it, without a session. */
  compileProtobuf(choice: ProtobufChoice): Result<ProtobufState> {
    const compiled = protobufSettings(choice, 'protobuf:compile');
    return compiled.ok ? ok(compiled.value.state) : compiled;
  }

  encode(message: ProtocolMessage): Result<EncodedMessage> {
    return encodeMessage(message);
  }

  /** The session is going away. */
  forget(sessionId: string): void {
    this.sessions.get(sessionId)?.dispose();
    this.sessions.delete(sessionId);
    this.protobufs.delete(sessionId);
  }
}

function range(from: number, to: number): number[] {
  const out: number[] = [];
  for (let seq = from; seq <= to; seq++) out.push(seq);
  return out;
}

function frameOf(seq: number, outcome: DecodeOutcome, dir: 'in' | 'out', withValue: boolean): DecodedFrame {
  const conversation = conversationOf(outcome, dir);
  // Decoded without the frames before it: flagged (`unread`, or `withoutEvicted` for good); the renderer words the note.
  const unread = isUnread(outcome) ? outcome.unread : undefined;
  const evicted = isWithoutEvicted(outcome) ? outcome.withoutEvicted : undefined;
  const base = {
    seq,
    kind: outcome.kind,
    protocol: outcome.protocol,
    summary: outcome.summary,
    ...(conversation ? { conversation } : {}),
    ...(unread ? { unread: { framesBefore: unread.frames, fromSeq: unread.from } } : {}),
    ...(evicted ? { withoutEvicted: { framesBefore: evicted.framesBefore, fromSeq: evicted.fromSeq } } : {}),
  };
  if (outcome.kind === 'invalid') return { ...base, problem: outcome.problem };
  if (!withValue) return base;
  // Credentials in the value (an MQTT password, a STOMP passcode) leave the engine redacted, as
  // credential headers do, with their paths: the detail pane shows the marker, never the secret.
  const { value, paths } = redactCredentials(outcome.protocol, outcome.value);
  return { ...base, value, ...(paths.length > 0 ? { credentials: paths.slice(0, MAX_CREDENTIAL_PATHS) } : {}) };
}

/** A frame's value cut to what one answer should carry (a 20 MiB STOMP body was sent whole). */
function bounded(frame: DecodedFrame): DecodedFrame {
  if (frame.value === undefined) return frame;
  const { value, cuts } = boundDecodedValue(frame.value);
  return cuts.length === 0 ? frame : { ...frame, value, valueCuts: cuts };
}
